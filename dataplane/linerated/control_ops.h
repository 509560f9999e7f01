/* SPDX-License-Identifier: BSD-3-Clause */
// Operability commands (control_ops.c: config dump/save, log level;
// control_trace.c: trace start/stop/status), the daemon's log level, and
// the stats sections by qtype and zone. The commands join control.c's table
// through LR_OPS_COMMANDS; handlers run on the main lcore.
#ifndef LINERATED_CONTROL_OPS_H
#define LINERATED_CONTROL_OPS_H

#include <jansson.h>

#include "ctl_config.h"
#include "lr.h"

// The log level every daemon message is held to (default notice; the
// config's log.level at start, `log level` at runtime, which also sets
// DPDK's global log level). Any thread.
void lr_log_set_level(enum ctl_log_level level);
enum ctl_log_level lr_log_get_level(void);
// "linerated: " and the message on stderr when level is at or under the
// set one. Never on a worker.
__attribute__((format(printf, 2, 3))) void lr_log(enum ctl_log_level level, const char *fmt, ...);

// stats: answers by qtype bucket, and by zone of the serving image (a
// table, "(none)" last).
json_t *lr_stats_qtype_json(const struct lr_stats *t);
json_t *lr_stats_zones_json(const struct lr_stats *t);

// The zone names of img (the snapshot being published) by image index, for
// the per-zone counters. Main lcore, at each publication.
void lr_zone_names_update(const void *img);
// fn for each zone served, then for the answers outside every zone
// (LR_ZONE_NONE), with its counter in t. Any control thread.
#define LR_ZONE_NONE "(none)"
void lr_zone_counts(const struct lr_stats *t,
		    void (*fn)(void *ctx, const char *zone, uint64_t answers), void *ctx);

#define LR_CMD(name) int name(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
LR_CMD(lr_cmd_config_dump);
LR_CMD(lr_cmd_config_save);
LR_CMD(lr_cmd_log_level);
LR_CMD(lr_cmd_trace_start);
LR_CMD(lr_cmd_trace_stop);
LR_CMD(lr_cmd_trace_status);

#define LR_OPS_COMMANDS                                                                            \
	{"config dump", "the running configuration, secrets masked", lr_cmd_config_dump},          \
		{"config save",                                                                    \
		 "write the running configuration to its file (or \"path\"): a temporary file "    \
		 "renamed over it, its mode kept",                                                 \
		 lr_cmd_config_save},                                                              \
		{"log level", "the log level; with \"level\", set it", lr_cmd_log_level},          \
		{"trace start",                                                                    \
		 "write received packets to a pcapng \"file\": \"kinds\" (all, dns, snmp, bad, "   \
		 "or a drop reason), \"snaplen\", \"max_packets\", \"max_bytes\"",                 \
		 lr_cmd_trace_start},                                                              \
		{"trace stop", "stop the trace and close its file", lr_cmd_trace_stop},            \
		{"trace status", "the trace running, its file and counters", lr_cmd_trace_status},

// Stop a running trace (the daemon's exit): its file complete. Main lcore.
void lr_trace_shutdown(void);

#endif
