/* SPDX-License-Identifier: BSD-3-Clause */
// The configured sinks over one journal (sink_set.h).
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sink_set.h"

#define CURSOR_PATH_MAX 4200
#define POLL_US		10000

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ll + ts.tv_nsec / 1000000;
}

struct sink_set {
	struct journal *j;
	size_t n;
	struct {
		struct sink *sink;
		void *impl; // the sink's (it frees it)
		char *name;
		enum ctl_sink_type type;
	} s[CTL_CONFIG_SINKS_MAX];
};

static enum sink_fsync file_fsync(enum ctl_sink_fsync f)
{
	switch (f) {
	case CTL_FSYNC_INTERVAL:
		return SINK_FSYNC_INTERVAL;
	case CTL_FSYNC_NEVER:
		return SINK_FSYNC_NEVER;
	default:
		return SINK_FSYNC_BATCH;
	}
}

// The impl of one configured sink, and its ops.
static void *impl_new(const struct ctl_sink *cs, const struct sink_set_cfg *c,
		      const struct sink_ops **ops, char *err, size_t errlen)
{
	switch (cs->type) {
	case CTL_SINK_FILE: {
		struct sink_file_cfg fc = {
			.path = cs->file.path,
			.rotate_bytes = cs->file.rotate_bytes,
			.rotate_s = cs->file.rotate_seconds,
			.fsync = file_fsync(cs->file.fsync),
			.fsync_interval_ms = cs->file.fsync_interval_ms,
			.names = c->names,
		};
		*ops = &sink_file_ops;
		return sink_file_new(&fc, err, errlen);
	}
	case CTL_SINK_SYSLOG: {
		static const enum sink_syslog_transport tr[CTL_SYSLOG_TRANSPORT_COUNT] = {
			[CTL_SYSLOG_UDP] = SINK_SYSLOG_UDP,
			[CTL_SYSLOG_TCP] = SINK_SYSLOG_TCP,
			[CTL_SYSLOG_UNIX] = SINK_SYSLOG_UNIX};
		char host[256], port[8];
		const char *why;
		struct sink_syslog_cfg sc = {
			.transport = tr[cs->syslog.transport],
			.facility = cs->syslog.facility,
			.severity = cs->syslog.severity,
			.hostname = cs->syslog.hostname,
			.app_name = cs->syslog.app_name,
			.names = c->names,
		};
		if (cs->syslog.transport == CTL_SYSLOG_UNIX) {
			sc.path = cs->syslog.address;
		} else if (!cs->syslog.address ||
			   ctl_syslog_address_split(cs->syslog.address, host, sizeof(host), port,
						    sizeof(port), &why) < 0) {
			snprintf(err, errlen, "address: %s", cs->syslog.address ? why : "missing");
			errno = EINVAL;
			return NULL;
		} else {
			sc.host = host;
			sc.port = port;
		}
		*ops = &sink_syslog_ops;
		return sink_syslog_new(&sc, err, errlen); // copies host and port
	}
	case CTL_SINK_KAFKA: {
		struct sink_kafka_cfg kc = {
			.brokers = cs->kafka.brokers,
			.topic = cs->kafka.topic,
			.props = (const char *const *)cs->kafka.props,
			.flush_ms = (int)cs->kafka.flush_ms,
			.names = c->names,
			.log = c->log,
			.log_ctx = c->log_ctx,
		};
		*ops = &sink_kafka_ops;
		return sink_kafka_new(&kc, err, errlen);
	}
	default:
		snprintf(err, errlen, "unknown type");
		errno = EINVAL;
		return NULL;
	}
}

static int open_one(struct sink_set *set, const struct ctl_sink *cs, const struct sink_set_cfg *c,
		    char *err, size_t errlen)
{
	char cursor[CURSOR_PATH_MAX], why[400];
	const struct sink_ops *ops = NULL;
	const char *dir = c->cfg->snmp.journal.dir ? c->cfg->snmp.journal.dir : ".";
	if (ctl_sink_cursor_path(cs, dir, cursor, sizeof(cursor)) < 0) {
		snprintf(err, errlen, "sink %s: the cursor's path is too long", cs->name);
		return -ENAMETOOLONG;
	}
	void *impl = impl_new(cs, c, &ops, why, sizeof(why));
	if (!impl) {
		int e = errno ? errno : EINVAL;
		snprintf(err, errlen, "sink %s (%s): %s", cs->name, ctl_sink_type_name(cs->type),
			 why);
		return -e;
	}
	struct sink_cfg sc = {.name = cs->name,
			      .cursor_path = cursor,
			      .log = c->log,
			      .log_ctx = c->log_ctx,
			      .names_lock = c->names_lock};
	struct sink *s = sink_new(set->j, &sc, ops, impl, why, sizeof(why));
	if (!s) {
		int e = errno;
		snprintf(err, errlen, "%s", why);
		return -e;
	}
	size_t i = set->n++;
	set->s[i].sink = s;
	set->s[i].impl = impl;
	set->s[i].type = cs->type;
	set->s[i].name = strdup(cs->name);
	int rc = set->s[i].name ? sink_start(s) : -ENOMEM;
	if (rc)
		snprintf(err, errlen, "sink %s: %s", cs->name, strerror(-rc));
	return rc;
}

struct sink_set *sink_set_new(struct journal *j, const struct sink_set_cfg *c, char *err,
			      size_t errlen)
{
	struct sink_set *set = calloc(1, sizeof(*set));
	if (!set) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	set->j = j;
	for (size_t i = 0; i < c->cfg->snmp.n_sinks && i < CTL_CONFIG_SINKS_MAX; i++) {
		int rc = open_one(set, &c->cfg->snmp.sinks[i], c, err, errlen);
		if (rc) {
			sink_set_free(set, 0);
			errno = -rc;
			return NULL;
		}
	}
	return set;
}

size_t sink_set_count(const struct sink_set *s)
{
	return s ? s->n : 0;
}

int sink_set_find(const struct sink_set *s, const char *name)
{
	for (size_t i = 0; s && i < s->n; i++)
		if (!strcmp(s->s[i].name, name))
			return (int)i;
	return -ENOENT;
}

int sink_set_info(struct sink_set *s, size_t i, struct sink_set_info *out)
{
	if (!s || i >= s->n)
		return -ENOENT;
	memset(out, 0, sizeof(*out));
	out->name = s->s[i].name;
	out->type = s->s[i].type;
	sink_get_stats(s->s[i].sink, &out->st);
	if (out->type == CTL_SINK_FILE)
		sink_file_get_stats(s->s[i].impl, &out->file);
	uint64_t base = out->st.oldest_rx_ns ? out->st.oldest_rx_ns : out->st.last_rx_ns;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t now = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	if (out->st.lag_records && base && now > base)
		out->lag_seconds = (now - base) / 1000000000ull;
	return 0;
}

// Whether sink i has delivered every record up to upto (its cursor names
// the first it has not; it also moves past what the journal dropped).
static bool caught_up(struct sink_set *s, size_t i, uint64_t upto)
{
	struct sink_stats st;
	sink_get_stats(s->s[i].sink, &st);
	return st.cursor > upto;
}

int sink_set_flush(struct sink_set *s, int i, int timeout_ms)
{
	struct journal_stats js;
	if (!s || i >= (int)s->n)
		return -ENOENT;
	journal_flush(s->j); // what was appended becomes durable
	journal_get_stats(s->j, &js);
	uint64_t upto = js.durable_seq;
	// by the clock, not by sleeps counted: a loaded machine oversleeps
	int64_t deadline = mono_ms() + timeout_ms;
	for (;;) {
		bool all = true;
		for (size_t k = 0; k < s->n && all; k++)
			if (i < 0 || (size_t)i == k)
				all = caught_up(s, k, upto);
		if (all)
			return 0;
		if (mono_ms() >= deadline)
			return -ETIMEDOUT;
		usleep(POLL_US);
	}
}

void sink_set_free(struct sink_set *s, int catchup_ms)
{
	if (!s)
		return;
	struct journal_stats js;
	journal_get_stats(s->j, &js);
	// the sinks that are up get a bounded while to deliver what is durable
	for (int64_t deadline = mono_ms() + catchup_ms; mono_ms() < deadline;) {
		bool done = true;
		for (size_t k = 0; k < s->n && done; k++) {
			struct sink_stats st;
			sink_get_stats(s->s[k].sink, &st);
			done = st.down || caught_up(s, k, js.durable_seq);
		}
		if (done)
			break;
		usleep(POLL_US);
	}
	for (size_t k = 0; k < s->n; k++) {
		sink_free(s->s[k].sink);
		free(s->s[k].name);
	}
	free(s);
}
