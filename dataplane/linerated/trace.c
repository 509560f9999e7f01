/* SPDX-License-Identifier: BSD-3-Clause */
// Packet trace on the worker (trace.h): classify again (the frame is still
// as received), keep the kinds asked for, copy a snap into the ring.
#include <string.h>
#include <time.h>

#include "trace.h"

void lr_trace_burst(struct lr_trace_worker *t, const struct lr_port_snap *ps, uint16_t port,
		    struct rte_mbuf *const *rx, uint16_t n)
{
	struct lr_trace_rec r;
	struct timespec ts;
	// one clock read per burst: vDSO, no system call
	clock_gettime(CLOCK_REALTIME, &ts);
	r.ts_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	r.port = (uint8_t)port;
	for (uint16_t i = 0; i < n; i++) {
		const struct rte_mbuf *m = rx[i];
		const uint8_t *buf = rte_pktmbuf_mtod(m, const uint8_t *);
		uint32_t len = rte_pktmbuf_data_len(m);
		struct dp_pkt_info info;
		// checksums verified in software: what the trace calls bad is
		// what the frame is, whatever the port's offload said
		enum dp_pkt_verdict v = dp_pkt_classify(&ps->addrs, buf, len, 0, &info);
		if (!(t->kinds >> v & 1))
			continue;
		r.verdict = (uint8_t)v;
		r.orig_len = rte_pktmbuf_pkt_len(m);
		r.cap_len = (uint16_t)(len < t->snaplen ? len : t->snaplen);
		memcpy(r.data, buf, r.cap_len);
		if (rte_ring_sp_enqueue_elem(t->ring, &r, sizeof(r)) == 0)
			t->traced++;
		else
			t->ring_full++;
	}
}
