/* SPDX-License-Identifier: BSD-3-Clause */
// Packet trace, the worker's side: when the control thread has given a
// worker a struct lr_trace_worker (lr_worker.trace), the worker copies the
// first snaplen octets of each received frame of a traced kind into its
// SPSC ring, before answering rewrites the frame; a full ring is a counted
// loss, never a wait. The control thread (control_trace.c) drains the
// rings into a pcapng file. Off, the worker pays one predictable branch.
#ifndef LINERATED_TRACE_H
#define LINERATED_TRACE_H

#include <rte_ring.h>

#include "lr.h"

#define LR_TRACE_SNAP_MAX 512  // octets kept of a frame at most
#define LR_TRACE_RING	  1024 // records in flight per worker

// One traced frame, as it crosses the ring (copied in and out whole).
struct lr_trace_rec {
	uint64_t ts_ns;	   // CLOCK_REALTIME at the burst's arrival
	uint32_t orig_len; // the frame's length
	uint16_t cap_len;  // octets in data
	uint8_t verdict;   // enum dp_pkt_verdict of the classifier
	uint8_t port;	   // index in lr.ports
	uint8_t data[LR_TRACE_SNAP_MAX];
};

// Set up by the control thread before it is published to the worker, and
// not changed while published; the counters are the worker's.
struct lr_trace_worker {
	struct rte_ring *ring; // single producer (the worker), single consumer
	uint64_t kinds;	       // bit v: trace verdict v
	uint16_t snaplen;
	uint64_t traced;    // records enqueued (written by the worker)
	uint64_t ring_full; // records lost to a full ring (written by the worker)
} __rte_cache_aligned;

// Trace what of rx[0..n) (received on port index `port`, addresses ps) t
// asks for. On the worker; no lock, no allocation, no log.
void lr_trace_burst(struct lr_trace_worker *t, const struct lr_port_snap *ps, uint16_t port,
		    struct rte_mbuf *const *rx, uint16_t n);

// The worker's hook: nothing but a load and a branch when tracing is off.
static inline void lr_trace_hook(struct lr_worker *w, const struct lr_snapshot *s,
				 const struct lr_polled *p, struct rte_mbuf *const *rx, uint16_t n)
{
	struct lr_trace_worker *t = atomic_load_explicit(&w->trace, memory_order_acquire);
	if (unlikely(t != NULL))
		lr_trace_burst(t, &s->port[p->index], p->index, rx, n);
}

#endif
