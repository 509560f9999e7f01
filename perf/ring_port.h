/* SPDX-License-Identifier: BSD-3-Clause */
// The worker benchmarks' NIC: a net_ring port whose RX ring the benchmark
// fills with pre-built frames and whose TX ring it empties, and the timed
// loop around linerated's own worker step (lr_poll) on it.
//
// Each round of 32 plays the NIC first: mbufs from the pool, frames
// written into them, flushed from the cache as DMA would leave them (no
// DDIO; flush false keeps them cached), enqueued on the RX ring. Then the
// worker's part is timed with the TSC: lr_poll, and freeing the sent
// mbufs (a real driver frees completed TX mbufs inside tx_burst). The
// median round is the figure, robust to a shared core; the wall-clock rate
// with the NIC's part is kept too. Work of other threads (a journal
// draining the trap rings) runs after each round, outside the timing.
#ifndef LINERATE_PERF_RING_PORT_H
#define LINERATE_PERF_RING_PORT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_eth_ring.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "bench.h"
#include "lr.h"

struct ring_port {
	struct rte_ring *rxr, *txr;
	struct rte_mempool *mp;
	uint16_t port;
	bool flush;	   // frames out of the cache, as DMA leaves them
	uint64_t ol_flags; // what the NIC says of each frame (RX checksums verified)
};

// The rings, an mbuf pool and the port, started. 0, or -1.
static inline int ring_port_open(struct ring_port *rp)
{
	int socket = (int)rte_socket_id();
	struct rte_eth_conf conf;
	memset(&conf, 0, sizeof(conf));
	rp->flush = true;
	rp->rxr = rte_ring_create("bench_rx", 1024, socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
	rp->txr = rte_ring_create("bench_tx", 1024, socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
	rp->mp = rte_pktmbuf_pool_create("bench_mbuf", 8191, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					 socket);
	if (!rp->rxr || !rp->txr || !rp->mp)
		return -1;
	int port = rte_eth_from_rings("bench", &rp->rxr, 1, &rp->txr, 1, (unsigned)socket);
	if (port < 0 || rte_eth_dev_configure((uint16_t)port, 1, 1, &conf) != 0 ||
	    rte_eth_rx_queue_setup((uint16_t)port, 0, 1024, (unsigned)socket, NULL, rp->mp) != 0 ||
	    rte_eth_tx_queue_setup((uint16_t)port, 0, 1024, (unsigned)socket, NULL) != 0 ||
	    rte_eth_dev_start((uint16_t)port) != 0)
		return -1;
	rp->port = (uint16_t)port;
	return 0;
}

// n frames of up to stride octets each at f, their lengths in len.
struct ring_frames {
	const uint8_t *f;
	size_t stride;
	const uint16_t *len;
	unsigned n;
};

struct ring_result {
	double worker_mps;    // from the median worker-step cycles per round of 32
	double cycles;	      // that median, per packet
	double total_mps;     // everything, the NIC's part included, by wall clock
	unsigned long long n; // packets the worker took
};

static inline int ring_port_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static inline void ring_port_write(const struct ring_port *rp, struct rte_mbuf *m,
				   const uint8_t *f, uint16_t len)
{
	uint8_t *d = rte_pktmbuf_mtod(m, uint8_t *);
	memcpy(d, f, len);
	m->data_len = len;
	m->pkt_len = len;
	m->ol_flags = rp->ol_flags;
	if (rp->flush)
		for (uint16_t o = 0; o < len + 64; o += 64)
			__builtin_ia32_clflush(d + o);
}

// Rounds of one burst through w's first polled port for `seconds`; after
// each, after(ctx) when given (not timed). false when the pool ran dry.
static inline bool ring_port_run(const struct ring_port *rp, const struct ring_frames *fr,
				 struct lr_worker *w, double seconds, void (*after)(void *),
				 void *ctx, struct ring_result *r)
{
	static uint64_t cyc[1 << 20];
	struct rte_mbuf *in[LR_BURST], *done[LR_BURST];
	size_t nr_rounds = 0;
	unsigned k = 0;
	double t0 = now(), t;
	r->n = 0;
	do {
		for (int round = 0; round < 256; round++) {
			if (rte_pktmbuf_alloc_bulk(rp->mp, in, LR_BURST) != 0)
				return false;
			for (int i = 0; i < LR_BURST; i++, k = (k + 1) % fr->n)
				ring_port_write(rp, in[i], fr->f + k * fr->stride, fr->len[k]);
			rte_ring_enqueue_burst(rp->rxr, (void **)in, LR_BURST, NULL);
			uint64_t c0 = rte_rdtsc_precise();
			uint16_t nr = lr_poll(w, &w->polled[0], atomic_load(&lr.snap));
			unsigned d = rte_ring_dequeue_burst(rp->txr, (void **)done, LR_BURST, NULL);
			rte_pktmbuf_free_bulk(done, d);
			uint64_t c1 = rte_rdtsc_precise();
			if (nr_rounds < sizeof(cyc) / sizeof(cyc[0]))
				cyc[nr_rounds++] = c1 - c0;
			r->n += nr;
			if (after)
				after(ctx);
		}
		t = now() - t0;
	} while (t < seconds);
	qsort(cyc, nr_rounds, sizeof(cyc[0]), ring_port_cmp_u64);
	r->cycles = (double)cyc[nr_rounds / 2] / LR_BURST;
	r->worker_mps = (double)rte_get_tsc_hz() / r->cycles / 1e6;
	r->total_mps = (double)r->n / t / 1e6;
	return true;
}

#endif
