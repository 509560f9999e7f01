/* SPDX-License-Identifier: BSD-3-Clause */
// The configured sinks (snmp.sinks, ctl_config.h) running over one
// journal: each built from its configuration, reading with its own durable
// cursor on a thread of its own, so that a slow or down sink only lags.
// What linerated runs and linerate-ctl's `sink list` / `sink flush` show.
//
// Threading: sink_set_new, sink_set_flush and sink_set_free on one control
// thread; sink_set_info from any thread.
#ifndef LINERATE_SINK_SET_H
#define LINERATE_SINK_SET_H

#include <stdint.h>

#include "ctl_config.h"
#include "sink.h"

struct sink_set_cfg {
	const struct ctl_config *cfg; // snmp.sinks and snmp.journal.dir
	struct sink_names names;      // OID names for every sink
	pthread_rwlock_t *names_lock; // see struct sink_cfg; NULL: none
	// operator messages (syslog levels); called from the sinks' threads
	// and librdkafka's: thread-safe. NULL: none.
	void (*log)(void *ctx, int level, const char *msg);
	void *log_ctx;
};

struct sink_set;

// Every sink of cfg->cfg->snmp.sinks over j, each from its cursor, each
// thread started. NULL with errno set and a message naming the sink in err.
struct sink_set *sink_set_new(struct journal *j, const struct sink_set_cfg *cfg, char *err,
			      size_t errlen);

struct sink_set_info {
	const char *name; // valid while the set lives
	enum ctl_sink_type type;
	struct sink_stats st;
	uint64_t lag_seconds;	     // age of the oldest record not delivered (0: caught up)
	struct sink_file_stats file; // a file sink's own counters (zero for the others)
};

size_t sink_set_count(const struct sink_set *s);

// Sink i's state now; -ENOENT past the end.
int sink_set_info(struct sink_set *s, size_t i, struct sink_set_info *out);

// The index of the sink called name, or -ENOENT.
int sink_set_find(const struct sink_set *s, const char *name);

// Waits until sink i (every sink when i < 0) has delivered everything the
// journal held durable when called, for at most timeout_ms. 0, or
// -ETIMEDOUT (still lagging), -ENOENT (no such sink).
int sink_set_flush(struct sink_set *s, int i, int timeout_ms);

// Gives the sinks up to catchup_ms to deliver what the journal holds
// (a down sink is not waited for), stops them, saves their cursors, frees.
// NULL is a no-op.
void sink_set_free(struct sink_set *s, int catchup_ms);

#endif
