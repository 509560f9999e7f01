/* SPDX-License-Identifier: BSD-3-Clause */
// The SNMP engine's persistent state: see ctl_snmp_state.h.
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <linerate/snmp_usm.h>

#include "ctl_config_walk.h"
#include "ctl_io.h"
#include "ctl_snmp_state.h"

#define STATE_MAX     4096  // larger files are not ours
#define DOC_PEN	      32473 // RFC 5612: for documentation
#define RANDOM_OCTETS 12

// The file's text into *st (engine and boots as stored). 0, or -EINVAL
// with the line named.
static int parse(const char *path, char *text, struct ctl_snmp_state *st, char *err, size_t errlen)
{
	int have_engine = 0, have_boots = 0, line = 0;
	for (char *save = NULL, *l = strtok_r(text, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		line++;
		if (l[0] == '#' || l[0] == '\0')
			continue;
		if (!strncmp(l, "engine_id ", 10) && !have_engine) {
			int n = ctl_hex_decode(l + 10, strlen(l + 10), st->engine_id,
					       CTL_SNMP_ENGINE_MAX);
			if (n < 0)
				goto bad;
			st->engine_len = (size_t)n;
			if (usm_engine_id_check(st->engine_id, st->engine_len) != 0)
				goto bad;
			have_engine = 1;
		} else if (!strncmp(l, "boots ", 6) && !have_boots) {
			char *end;
			errno = 0;
			unsigned long long b = strtoull(l + 6, &end, 10);
			if (errno || *end || end == l + 6 || l[6] == '-' || b > CTL_SNMP_BOOTS_MAX)
				goto bad;
			st->boots = (uint32_t)b;
			have_boots = 1;
		} else {
			goto bad;
		}
	}
	if (have_engine && have_boots)
		return 0;
	return ctl_errf(err, errlen, -EINVAL,
			"%s: %s missing (the file is damaged: restore it, or "
			"remove it to start a new engine)",
			path, have_engine ? "boots" : "engine_id");
bad:
	return ctl_errf(err, errlen, -EINVAL,
			"%s:%d: not an engine_id or boots line we wrote (the "
			"file is damaged: restore it, or remove it to start a new engine)",
			path, line);
}

// The whole file, or NULL: *absent when it does not exist.
static char *slurp(const char *path, int *absent, char *err, size_t errlen, int *rc)
{
	*absent = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT) {
			*absent = 1;
			return NULL;
		}
		*rc = ctl_errf(err, errlen, -errno, "%s: %s", path, strerror(errno));
		return NULL;
	}
	char *buf = malloc(STATE_MAX + 1);
	size_t n = 0;
	ssize_t r = 0;
	while (buf && n < STATE_MAX && (r = read(fd, buf + n, STATE_MAX - n)) > 0)
		n += (size_t)r;
	int e = errno;
	close(fd);
	if (!buf || r < 0 || n == STATE_MAX) {
		free(buf);
		*rc = ctl_errf(err, errlen,
			       !buf    ? -ENOMEM
			       : r < 0 ? -e
				       : -EFBIG,
			       "%s: %s", path,
			       !buf    ? "out of memory"
			       : r < 0 ? strerror(e)
				       : "too large to be ours");
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

// Write the state whole (ctl_write_atomic): a crash leaves the old or the
// new, never half.
static int save(const char *path, const struct ctl_snmp_state *st, char *err, size_t errlen)
{
	char hex[2 * CTL_SNMP_ENGINE_MAX + 1], text[256];
	for (size_t i = 0; i < st->engine_len; i++)
		snprintf(hex + 2 * i, 3, "%02x", st->engine_id[i]);
	hex[2 * st->engine_len] = '\0';
	int len = snprintf(text, sizeof(text),
			   "# linerated SNMP engine state: do not edit while it runs\n"
			   "engine_id %s\nboots %" PRIu32 "\n",
			   hex, st->boots);
	return ctl_write_atomic(path, text, (size_t)len, err, errlen);
}

int ctl_snmp_state_start(const char *path, const uint8_t *cfg_engine, size_t cfg_len,
			 struct ctl_snmp_state *st, char *err, size_t errlen)
{
	int absent, rc = 0;
	memset(st, 0, sizeof(*st));
	if (cfg_len > CTL_SNMP_ENGINE_MAX)
		return ctl_errf(err, errlen, -EINVAL, "engine ID of %zu octets (at most %d)",
				cfg_len, CTL_SNMP_ENGINE_MAX);
	char *text = slurp(path, &absent, err, errlen, &rc);
	if (!text && !absent)
		return rc;
	if (text) {
		rc = parse(path, text, st, err, errlen);
		free(text);
		if (rc)
			return rc;
	}
	bool changed = cfg_len && (absent || cfg_len != st->engine_len ||
				   memcmp(cfg_engine, st->engine_id, cfg_len) != 0);
	if (changed) { // a configured engine ID, new to this file: a new engine
		memcpy(st->engine_id, cfg_engine, cfg_len);
		st->engine_len = cfg_len;
		st->boots = 0;
	} else if (absent) { // nothing configured, nothing stored: make one
		uint8_t rnd[RANDOM_OCTETS], id[USM_ENGINE_ID_MAX];
		if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
			return ctl_errf(err, errlen, -EIO, "no random octets for an engine ID");
		int n = usm_engine_id_build(DOC_PEN, USM_ENGINE_FMT_OCTETS, rnd, sizeof(rnd), id);
		if (n < 0 || (size_t)n > CTL_SNMP_ENGINE_MAX)
			return ctl_errf(err, errlen, -EINVAL, "could not build an engine ID");
		memcpy(st->engine_id, id, (size_t)n);
		st->engine_len = (size_t)n;
		st->boots = 0;
		st->generated = 1;
	}
	if (st->boots < CTL_SNMP_BOOTS_MAX)
		st->boots++;
	st->boots_latched = st->boots == CTL_SNMP_BOOTS_MAX;
	return save(path, st, err, errlen);
}
