/* SPDX-License-Identifier: BSD-3-Clause */
// Operability commands of the control socket: `config dump`, `config save`
// and `log level`, the daemon's log level itself, and the stats sections by
// query type and zone. All run on the main lcore (the control thread).
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linerate/dns_image.h>
#include <linerate/dns_name.h>
#include <openssl/crypto.h>
#include <rte_log.h>

#include "control.h"
#include "control_ops.h"

// Written by the control thread, read by any thread that logs.
static _Atomic int log_level = CTL_LOG_NOTICE;

void lr_log_set_level(enum ctl_log_level level)
{
	atomic_store(&log_level, (int)level);
}

enum ctl_log_level lr_log_get_level(void)
{
	return (enum ctl_log_level)atomic_load(&log_level);
}

void lr_log(enum ctl_log_level level, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	if ((int)level > atomic_load_explicit(&log_level, memory_order_relaxed))
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	// one write per line: threads' lines do not interleave
	fprintf(stderr, "linerated: %s%s\n",
		level == CTL_LOG_ERROR	   ? "error: "
		: level == CTL_LOG_WARNING ? "warning: "
					   : "",
		line);
}

// --- config dump, config save ---

// The running configuration: as loaded, with what changed at runtime.
// -ENOENT (and why) when the daemon was started without one.
static int running_config(const struct lr_control *c, struct ctl_config *out, char *err,
			  size_t errlen)
{
	if (!c->cfg) {
		snprintf(err, errlen, "started without --config: no configuration");
		return -ENOENT;
	}
	*out = *c->cfg; // shallow: the strings stay the loaded config's
	out->log_level = lr_log_get_level();
	return 0;
}

int lr_cmd_config_dump(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
{
	const struct lr_control *c = ctx;
	struct ctl_config run;
	(void)req;
	int rc = running_config(c, &run, err, errlen);
	if (rc)
		return rc;
	char *text = ctl_config_dump_string(&run, CTL_DUMP_MASKED);
	if (!text)
		return -errno;
	json_object_set_new(reply, "config", json_string(text));
	json_object_set_new(reply, "file", json_string(c->config_path));
	free(text);
	return 0;
}

// Write len octets of text to path atomically: a temporary file in the
// same directory, synced, given the mode of the file it replaces (0600 for
// a new one: it holds secrets), renamed over it.
static int write_atomic(const char *path, const char *text, size_t len, char *err, size_t errlen)
{
	char tmp[4096];
	struct stat st;
	mode_t mode = 0600;
	int rc = 0;
	if (stat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			snprintf(err, errlen, "%s: not a regular file", path);
			return -EINVAL;
		}
		mode = st.st_mode & 07777;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -ENAMETOOLONG;
	}
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		return rc;
	}
	size_t off = 0;
	while (off < len && rc == 0) {
		ssize_t n = write(fd, text + off, len - off);
		if (n < 0 && errno != EINTR)
			rc = -errno;
		off += n > 0 ? (size_t)n : 0;
	}
	if (rc == 0 && (fchmod(fd, mode) != 0 || fsync(fd) != 0))
		rc = -errno;
	if (close(fd) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc) {
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		unlink(tmp);
	}
	return rc;
}

int lr_cmd_config_save(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
{
	const struct lr_control *c = ctx;
	struct ctl_config run;
	const char *path = json_string_value(json_object_get(req, "path"));
	int rc = running_config(c, &run, err, errlen);
	if (rc)
		return rc;
	if (!path)
		path = c->config_path;
	if (path[0] != '/') {
		snprintf(err, errlen,
			 "path must be absolute (the daemon's directory is not yours)");
		return -EINVAL;
	}
	// another file than the daemon's own is replaced only when it is a
	// configuration already: a client must not overwrite any file the
	// daemon's user can write
	if (strcmp(path, c->config_path) != 0 && access(path, F_OK) == 0) {
		char why[CTL_CONFIG_ERR_MAX];
		struct ctl_config *old = ctl_config_load_file(path, why, sizeof(why));
		if (!old) {
			snprintf(err, errlen,
				 "exists and is not a linerated configuration, not replaced: %s",
				 why);
			return -EEXIST;
		}
		ctl_config_free(old);
	}
	// in full: the file is the daemon's configuration, secrets included
	char *text = ctl_config_dump_string(&run, CTL_DUMP_SECRETS);
	if (!text)
		return -errno;
	size_t len = strlen(text);
	rc = write_atomic(path, text, len, err, errlen);
	OPENSSL_cleanse(text, len);
	free(text);
	if (rc)
		return rc;
	lr_log(CTL_LOG_NOTICE, "configuration saved to %s", path);
	json_object_set_new(reply, "path", json_string(path));
	json_object_set_new(reply, "bytes", json_integer((json_int_t)len));
	return 0;
}

// --- log level ---

int lr_cmd_log_level(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
{
	(void)ctx;
	const json_t *want = json_object_get(req, "level");
	enum ctl_log_level old = lr_log_get_level();
	if (want) {
		const char *name = json_string_value(want);
		int level = -1;
		for (int i = 0; name && i < CTL_LOG_COUNT; i++)
			if (!strcmp(name, ctl_log_level_name((enum ctl_log_level)i)))
				level = i;
		if (level < 0) {
			snprintf(err, errlen,
				 "level must be error, warning, notice, info or debug");
			return -EINVAL;
		}
		lr_log_set_level((enum ctl_log_level)level);
		// DPDK's messages follow a runtime change (error .. debug are
		// RTE_LOG_ERR .. DEBUG); at start the EAL's --log-level rules them
		rte_log_set_global_level(RTE_LOG_ERR + (uint32_t)level);
		lr_log(CTL_LOG_NOTICE, "log level %s (was %s)", name, ctl_log_level_name(old));
		json_object_set_new(reply, "previous", json_string(ctl_log_level_name(old)));
	}
	json_object_set_new(reply, "level", json_string(ctl_log_level_name(lr_log_get_level())));
	return 0;
}

// --- stats: by qtype, by zone ---

json_t *lr_stats_qtype_json(const struct lr_stats *t)
{
	json_t *o = json_object();
	for (int q = 0; q < LR_QTYPE_COUNT; q++)
		json_object_set_new(o, lr_qtype_name((enum lr_qtype_bucket)q),
				    json_integer((json_int_t)t->qtype[q]));
	return o;
}

// The serving image's zone names by index, for the threads that may not
// hold a snapshot (metrics): replaced at each publication.
static pthread_mutex_t zone_lock = PTHREAD_MUTEX_INITIALIZER;
static char *zone_name[LR_MAX_ZONES];
static unsigned zone_count;

void lr_zone_names_update(const void *img)
{
	char *names[LR_MAX_ZONES];
	unsigned n = 0;
	uint32_t total = img ? dns_image_hdr(img)->nzones : 0;
	for (uint32_t z = 0; z < total && z < LR_MAX_ZONES; z++) {
		char text[DNS_NAME_TEXT_MAX];
		const struct dns_image_node *apex =
			&dns_image_nodes(img)[dns_image_zones(img)[z].apex];
		if (dns_name_to_text(dns_image_at(img, apex->name_off), text, sizeof(text)) < 0)
			snprintf(text, sizeof(text), "zone%u", z);
		names[n] = strdup(text);
		if (!names[n])
			break; // the zones past it go unnamed in the stats
		n++;
	}
	pthread_mutex_lock(&zone_lock);
	for (unsigned z = 0; z < zone_count; z++)
		free(zone_name[z]);
	memcpy(zone_name, names, n * sizeof(names[0]));
	zone_count = n;
	pthread_mutex_unlock(&zone_lock);
}

void lr_zone_counts(const struct lr_stats *t,
		    void (*fn)(void *ctx, const char *zone, uint64_t answers), void *ctx)
{
	pthread_mutex_lock(&zone_lock);
	for (unsigned z = 0; z < zone_count; z++)
		fn(ctx, zone_name[z], t->zone[z]);
	pthread_mutex_unlock(&zone_lock);
	fn(ctx, LR_ZONE_NONE, t->zone[LR_MAX_ZONES]);
}

static void zone_row(void *ctx, const char *zone, uint64_t answers)
{
	json_array_append_new(ctx,
			      json_pack("{s:s,s:I}", "zone", zone, "answers", (json_int_t)answers));
}

json_t *lr_stats_zones_json(const struct lr_stats *t)
{
	json_t *arr = json_array();
	lr_zone_counts(t, zone_row, arr);
	return arr;
}
