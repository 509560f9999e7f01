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
#include <linerate/snmp_msg.h>
#include <linerate/snmp_usm.h>

#define LR_BURST	       32
#define LR_MAX_WORKERS	       64
#define LR_MAX_ZONES	       256
#define LR_MAX_PORTS	       32 // as many as the configuration takes (CTL_CONFIG_PORTS_MAX)
#define LR_RCODE_EXTENDED      16 // rcodes from here on (EDNS extended) share one counter
#define LR_RCODE_BUCKETS       17
#define LR_FRAG_BUCKETS	       1024
#define LR_FRAG_BUCKET_ENTRIES 4
#define LR_FRAG_TTL_S	       2
#define LR_BIG_DATA	       9216 // a reassembled datagram up to a jumbo frame's size
#define LR_BIG_COUNT	       1023

#define LR_COMMUNITIES_MAX 64
#define LR_COMMUNITY_MAX   255
// Trap record slots come in two sizes, each worker with a pool of each
// (snmp.record_slots, snmp.big_record_slots): a record goes into a small
// slot when it fits (a linkDown is ~200 octets, v3 ~250), else into a big
// one; larger than a big slot's is a counted drop. The ring to the journal
// holds every slot, so a burst is bounded by the slots alone.
#define LR_TRAP_SLOT_SMALL 1024	 // a small slot's size, its header included
#define LR_TRAP_REC_MAX	   10240 // a big slot's record
#define LR_TRAP_VB_MAX	   512	 // varbinds decoded per message

// The trap stage's part of a snapshot.
struct lr_trap_snap {
	bool enabled;
	bool v3_only;
	uint16_t port;		// the trap port on every served address
	unsigned n_communities; // v1/v2c need one of these (none: no v1/v2c)
	struct {
		uint8_t len;
		uint8_t s[LR_COMMUNITY_MAX];
	} community[LR_COMMUNITIES_MAX];
	struct usm_local local; // our engine (informs to us, Reports)
};

// One port's part of a snapshot: what a worker answers with on it.
struct lr_port_snap {
	struct dp_pkt_addrs addrs; // the port's MAC, service addresses, VLAN, link-local
	uint16_t mtu;
	unsigned tx_flags; // DP_PKT_TX_CSUM_OFFLOAD when the port does it
};

// What a worker reads: replaced whole, by pointer, and freed only after
// every worker has passed a quiescent state (rte_rcu_qsbr).
struct lr_snapshot {
	void *image; // dns_image_compile()'s buffer, NULL when no zone loaded
	size_t image_size;
	struct dns_answer_cfg cfg;
	struct dp_acl acl; // dns.acl (n 0: everyone answered)
	uint64_t generation;
	unsigned nports;
	struct lr_port_snap port[LR_MAX_PORTS]; // by index in lr.ports
	struct lr_trap_snap trap;
};

// DNS queries answered, by qtype: a compact bucket per common type, the
// rest in "other" (bucket 0, so the map's unset entries land there).
// X(sym, name, rr type).
#define LR_QTYPES(X)                                                                               \
	X(OTHER, "other", 0)                                                                       \
	X(A, "A", 1)                                                                               \
	X(NS, "NS", 2)                                                                             \
	X(CNAME, "CNAME", 5)                                                                       \
	X(SOA, "SOA", 6)                                                                           \
	X(PTR, "PTR", 12)                                                                          \
	X(MX, "MX", 15)                                                                            \
	X(TXT, "TXT", 16)                                                                          \
	X(AAAA, "AAAA", 28)                                                                        \
	X(SRV, "SRV", 33)                                                                          \
	X(DS, "DS", 43)                                                                            \
	X(DNSKEY, "DNSKEY", 48)                                                                    \
	X(ANY, "ANY", 255)

enum lr_qtype_bucket {
#define LR_QTYPE_ENUM(sym, name, type) LR_QTYPE_##sym,
	LR_QTYPES(LR_QTYPE_ENUM)
#undef LR_QTYPE_ENUM
		LR_QTYPE_COUNT
};

extern const uint8_t lr_qtype_map[256]; // rr type < 256 → bucket; unset: OTHER
const char *lr_qtype_name(enum lr_qtype_bucket b);

// The bucket of qtype without a branch: types from 256 on are "other".
static inline unsigned lr_qtype_bucket(uint16_t qtype)
{
	return lr_qtype_map[qtype & 0xff] & (unsigned)-(qtype < 256);
}

// Per worker, one cache line each so no two workers write the same line.
struct lr_stats {
	uint64_t rx, tx, tx_full;
	uint64_t dns_answers, template_hits, suffix_hits;
	uint64_t rcode[LR_RCODE_BUCKETS];	// by rcode; BADVERS and above together
	uint64_t dns_dropped;			// the engine chose not to answer
	uint64_t acl_dropped, acl_refused;	// queries dns.acl dropped, refused
	uint64_t frag_reassembled;		// datagrams rebuilt from fragments
	uint64_t frag_failed;			// could not be rebuilt (table full, too big)
	uint64_t verdict[DP_PKT_VERDICT_COUNT]; // every packet, by what it was
	uint64_t qtype[LR_QTYPE_COUNT];		// DNS answers by query type bucket
	// DNS answers by the image's zone index; [LR_MAX_ZONES]: no zone
	// (REFUSED outside every zone, CHAOS, errors before the lookup)
	uint64_t zone[LR_MAX_ZONES + 1];
} __rte_cache_aligned;

// The zone counter of an image zone index (DNS_IMAGE_NONE: the last).
static inline unsigned lr_zone_bucket(uint32_t zone)
{
	return zone < LR_MAX_ZONES ? zone : LR_MAX_ZONES;
}

// SNMP versions as the trap counters index them.
enum lr_snmp_ver { LR_SNMP_V1, LR_SNMP_V2C, LR_SNMP_V3, LR_SNMP_VER_COUNT };

// Why the trap stage dropped a datagram; X(sym, stats name).
#define LR_TRAP_DROPS(X)                                                                           \
	X(MALFORMED, "malformed")		/* not a message snmp_rx_process decodes */        \
	X(COMMUNITY, "community")		/* v1/v2c with a community not configured */       \
	X(V3_ONLY, "v3_only")			/* v1/v2c while snmp.v3_only */                    \
	X(NOT_NOTIFICATION, "not_notification") /* Get, Set, Response, Report: not ours */         \
	X(USM, "usm")				/* USM refused it and no Report was due */         \
	X(PENDING_KEY, "pending_key")		/* any-engine user, new engine: keys asked for */  \
	X(NOT_OURS, "inform_not_ours")		/* a v3 inform to another engine ID */             \
	X(REPORT, "report_failed")		/* a due Report could not be built or sent */      \
	X(RESPONSE, "response_failed")		/* an inform's Response could not be built */      \
	X(RECORD, "record_failed")		/* no record (too big for a slot, over limits) */  \
	X(NO_SLOT, "no_slot")			/* every small record slot in flight */            \
	X(NO_BIG_SLOT, "no_big_slot")		/* too big for a small one, every big one taken */ \
	X(RING_FULL, "ring_full")		/* the ring to the journal thread full */         \
	X(STORM_SOURCE, "storm_source")		/* storm control: the source's bucket empty */     \
	X(STORM_GLOBAL, "storm_global")		/* storm control: the worker's budget, chatty */

enum lr_trap_drop {
#define LR_TRAP_DROP_ENUM(sym, name) LR_TRAP_DROP_##sym,
	LR_TRAP_DROPS(LR_TRAP_DROP_ENUM)
#undef LR_TRAP_DROP_ENUM
		LR_TRAP_DROP_COUNT
};

const char *lr_trap_drop_name(enum lr_trap_drop d);

// A worker's trap counters: written by it only, read by the control
// thread (stats). In the worker's own cache lines.
struct lr_trap_stats {
	uint64_t traps[LR_SNMP_VER_COUNT];   // Trap-v1 and SNMPv2-Traps journaled, by version
	uint64_t informs[LR_SNMP_VER_COUNT]; // InformRequests journaled, by version
	uint64_t informs_acked;		     // their Responses sent (after durability)
	uint64_t acks_tx_full;		     // durable, but the TX queue was full
	uint64_t usm[USM_OUTCOME_COUNT];     // v3 by usmStats outcome (ok included)
	uint64_t reports[USM_OUTCOME_COUNT]; // Reports sent, by outcome
	uint64_t drops[LR_TRAP_DROP_COUNT];
} __rte_cache_aligned;

struct lr_trap_worker;
struct lr_trace_worker;

// Per (worker, port): what went through the worker's queue pair of that port.
struct lr_port_stats {
	uint64_t rx, tx, tx_full;
	uint64_t dns_answers;
	uint64_t unanswered; // received, no reply made (dropped by reason, or a
			     // fragment kept for reassembly)
};

// A port a worker polls, on its own queue pair (the worker's queue index).
struct lr_polled {
	uint16_t port_id; // DPDK's
	uint16_t index;	  // the port's index in lr.ports, snapshot.port[], port_stats[]
};

// Written by the main lcore before the worker starts; then the counters
// are written by the worker only and read by the main lcore (stats).
struct lr_worker {
	unsigned lcore;
	uint16_t queue; // the RX/TX queue pair it owns on every port it polls
	unsigned rcu_id;
	unsigned npolled;
	struct lr_polled polled[LR_MAX_PORTS]; // the ports with more than `queue` queues
	struct rte_ip_frag_tbl *frag_tbl;      // this worker's reassembly table, all ports
	struct rte_ip_frag_death_row death_row;
	struct lr_stats stats;
	struct lr_trap_worker *trap; // NULL: no trap stage
	struct lr_trap_stats trap_stats;
	// in the worker's own cache lines (the struct is aligned): no false
	// sharing with another worker
	struct lr_port_stats port_stats[LR_MAX_PORTS];
	// packet trace (control_trace.c): NULL when off, the one branch a
	// worker pays then. Written by the control thread, read by the worker.
	_Atomic(struct lr_trace_worker *) trace;
} __rte_cache_aligned;

// A served port, set up by the main lcore before the workers start and
// not changed after: the control plane reads it for status.
struct lr_port {
	const char *name;   // ports[i].name, "port0" on the command line
	const char *device; // ports[i].device; NULL on the command line
	uint16_t port_id;   // DPDK's
	uint16_t nq;	    // RX queues (and the TX queues workers use): workers 0..nq-1
	uint16_t ntxq;	    // TX queues set up (nq or more)
	uint16_t nrx_desc, ntx_desc;
	uint16_t mtu;
	unsigned tx_flags;
	bool rss;
	uint8_t mac[6];
};

struct lr_daemon {
	_Atomic(struct lr_snapshot *) snap;
	// snap's generation, for threads that must not hold a snapshot (the
	// metrics and telemetry threads are no RCU readers)
	_Atomic uint64_t generation;
	struct rte_rcu_qsbr *rcu;
	atomic_bool stop;
	struct rte_mempool *big_pool; // one-segment homes for reassembled datagrams
	_Atomic uint32_t now;	      // UNIX seconds, kept by the main lcore
	unsigned nports;
	struct lr_port ports[LR_MAX_PORTS];
	unsigned nworkers;
	struct lr_worker workers[LR_MAX_WORKERS];
};

// Frames are prefetched this many ahead of the one being classified: the
// first ones when the burst arrives, then one more per packet, so the
// misses overlap without flooding the core's miss buffers. 4 to 6 are
// alike here; 8 cost ~8 cycles a query once each frame took three lines,
// 12 ~20 (dns-fastpath, frames in memory).
#define LR_PREFETCH_AHEAD 6

// Most lines a frame is prefetched over: a trap of 200-450 octets is
// checksummed and decoded whole, so its later lines missed one by one when
// only the first two came (a typical DNS query fits in those two anyway).
#define LR_PREFETCH_LINES 8

// Octets past a frame's end its reply is prefetched for: an answer is
// written over its query and grows by its records (an A answer 16, AAAA
// 28). A store to a line that is not in the cache waits for the line
// (read for ownership) and the stores behind it wait too: a v6 AAAA
// answer with EDNS crosses into a third line, and without this the one
// query in eight that does cost the whole burst ~30 cycles a query
// (dns-fastpath, frames in memory).
#define LR_REPLY_GROWTH 32

// The cache lines of a frame, up to LR_PREFETCH_LINES: Ethernet to the
// end of a typical query or trap, and the line its reply grows into.
static inline void lr_prefetch_frame(const struct rte_mbuf *m)
{
	const uint8_t *d = rte_pktmbuf_mtod(m, const uint8_t *);
	unsigned lines =
		(m->data_len + LR_REPLY_GROWTH + RTE_CACHE_LINE_SIZE - 1) / RTE_CACHE_LINE_SIZE;
	rte_prefetch0(d);
	for (unsigned i = 1; i < lines && i < LR_PREFETCH_LINES; i++)
		rte_prefetch0(d + i * RTE_CACHE_LINE_SIZE);
}

int lr_worker_main(void *arg);
// One step of a worker on one of its ports: a burst from its queue there
// answered with the snapshot s and sent back on the same port. Returns how
// many packets came in.
// (Out of line even under LTO: one call a burst, and profilers find the
// worker step by its name.)
__attribute__((noinline)) uint16_t lr_poll(struct lr_worker *w, const struct lr_polled *p, const struct lr_snapshot *s);
// The workers' counters summed.
void lr_stats_total(struct lr_stats *t);
// The workers' counters of the port with index i in lr.ports summed.
void lr_port_stats_total(unsigned i, struct lr_port_stats *t);
extern struct lr_daemon lr;

#endif
