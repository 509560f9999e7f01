/* SPDX-License-Identifier: BSD-3-Clause */
// linerated's shared state: the published zone image, per-lcore counters,
// and what the main lcore and the workers hand each other.
#ifndef LINERATED_LR_H
#define LINERATED_LR_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_ip_frag.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>
#include <rte_rcu_qsbr.h>

#include <linerate/dns_answer.h>
#include <linerate/pkt.h>

#define LR_BURST 32
#define LR_MAX_WORKERS 64
#define LR_MAX_ZONES 256
#define LR_RCODE_EXTENDED 16 // rcodes from here on (EDNS extended) share one counter
#define LR_RCODE_BUCKETS 17
#define LR_FRAG_BUCKETS 1024
#define LR_FRAG_BUCKET_ENTRIES 4
#define LR_FRAG_TTL_S 2
#define LR_BIG_DATA 9216 // a reassembled datagram up to a jumbo frame's size
#define LR_BIG_COUNT 1023

// What a worker reads: replaced whole, by pointer, and freed only after
// every worker has passed a quiescent state (rte_rcu_qsbr).
struct lr_snapshot {
	void *image; // dns_image_compile()'s buffer, NULL when no zone loaded
	size_t image_size;
	struct dns_answer_cfg cfg;
	struct dp_pkt_addrs addrs; // our MAC, service addresses, VLAN
	uint16_t mtu;
	unsigned tx_flags;	   // DP_PKT_TX_CSUM_OFFLOAD when the port does it
	uint64_t generation;
};

// Per worker, one cache line each so no two workers write the same line.
struct lr_stats {
	uint64_t rx, tx, tx_full;
	uint64_t dns_answers, template_hits, suffix_hits;
	uint64_t rcode[LR_RCODE_BUCKETS]; // by rcode; BADVERS and above together
	uint64_t dns_dropped;			   // the engine chose not to answer
	uint64_t frag_reassembled;		   // datagrams rebuilt from fragments
	uint64_t frag_failed;			   // could not be rebuilt (table full, too big)
	uint64_t verdict[DP_PKT_VERDICT_COUNT]; // every packet, by what it was
} __rte_cache_aligned;

struct lr_worker {
	unsigned lcore;
	uint16_t port, queue;
	unsigned rcu_id;
	struct rte_ip_frag_tbl *frag_tbl; // this worker's reassembly table
	struct rte_ip_frag_death_row death_row;
	struct lr_stats stats;
} __rte_cache_aligned;

struct lr_daemon {
	_Atomic(struct lr_snapshot *) snap;
	struct rte_rcu_qsbr *rcu;
	atomic_bool stop;
	struct rte_mempool *big_pool; // one-segment homes for reassembled datagrams
	_Atomic uint32_t now; // UNIX seconds, kept by the main lcore
	unsigned nworkers;
	struct lr_worker workers[LR_MAX_WORKERS];
};

// Frames are prefetched this many ahead of the one being classified: the
// first ones when the burst arrives, then one more per packet, so the
// misses overlap without flooding the core's miss buffers.
#define LR_PREFETCH_AHEAD 8

// The first two cache lines of a frame: Ethernet to the DNS question of a
// typical query.
static inline void lr_prefetch_frame(const struct rte_mbuf *m)
{
	const uint8_t *d = rte_pktmbuf_mtod(m, const uint8_t *);
	rte_prefetch0(d);
	rte_prefetch0(d + RTE_CACHE_LINE_SIZE);
}

int lr_worker_main(void *arg);
// One step of a worker: a burst from its queue answered and sent, with the
// snapshot s. Returns how many packets came in.
uint16_t lr_poll(struct lr_worker *w, const struct lr_snapshot *s);
// The workers' counters summed.
void lr_stats_total(struct lr_stats *t);
extern struct lr_daemon lr;

#endif
