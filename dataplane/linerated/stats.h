/* SPDX-License-Identifier: BSD-3-Clause */
// linerated's counters for the tools operators already run: Prometheus
// (the metrics: endpoint, control/metrics.h, served by its own
// control-plane thread) and DPDK telemetry (/linerate/... commands,
// answered on the EAL's telemetry thread; dpdk-telemetry.py -f PREFIX).
// Both read the workers' per-lcore counters without locks, as the control
// socket's `stats` does; neither runs on a worker lcore.
#ifndef LINERATED_STATS_H
#define LINERATED_STATS_H

#include <stdint.h>

#include <rte_ethdev.h>

#include "ctl_config.h"
#include "lr.h"

// What the exporters show beside the counters; set once after start().
struct lr_expose {
	uint32_t started; // UNIX seconds
	unsigned nzones;
};

// Start showing: set the facts above and register the telemetry commands
// (once per process). 0, or a negative errno (and a message).
int lr_expose_start(const struct lr_expose *info);
// Stop reading ports (before they close); commands answer nothing after.
void lr_expose_stop(void);

// The metrics endpoint of cfg (its metrics: section), served by a control
// thread. NULL with a message when it cannot listen.
struct lr_metrics;
struct lr_metrics *lr_metrics_start(const struct ctl_config *cfg);
void lr_metrics_stop(struct lr_metrics *lm); // NULL is a no-op

// A port's device counters (lr.ports[i]); control threads call this one
// at a time, since a driver's stats_get need not be thread-safe.
int lr_eth_stats(unsigned i, struct rte_eth_stats *es);

// The name of rcode bucket r (struct lr_stats.rcode): "NOERROR", …,
// "RCODE12", and "extended" for the last.
const char *lr_rcode_name(int r, char buf[16]);

#endif
