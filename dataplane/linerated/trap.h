/* SPDX-License-Identifier: BSD-3-Clause */
// The trap stage (worker side, trap.c) and the journal thread that takes
// its records (control side, trap_journal.c).
//
// Worker → journal thread: each worker takes a record slot from its own
// pools (a small slot, or a big one for a record that does not fit a
// small one), writes the trap record into it (trap_rec_encode) and enqueues it
// on its SPSC ring; an InformRequest's slot also carries the mbuf, already
// turned into the Response. The journal thread appends the records and
// puts the slots back; once the journal reports a record durable, the
// Response mbuf goes onto the worker's "acked" SPSC ring and the worker
// transmits it on its own queue. Nothing here blocks, locks or allocates
// per packet; a full ring or pool is a counted drop (an inform without
// its Response: the sender retries).
#ifndef LINERATED_TRAP_H
#define LINERATED_TRAP_H

#include <stdatomic.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include <linerate/snmp_msg.h>
#include <linerate/snmp_usm.h>
#include <linerate/storm.h>

#include "lr.h"

// A record slot. Also the way a message from an any-engine user at an
// engine we have no keys for (USM PENDING_KEY) reaches the control side,
// which localises the user's keys for that engine, checks the message's
// HMAC with them and only then adds the entry to the users table: the
// sender's next message is accepted (this one is dropped, counted).
// A slot is LR_TRAP_SLOT_SMALL octets (small) or its header and
// LR_TRAP_REC_MAX (big); big and cap are set once, when the pool is made.
struct lr_trap_slot {
	struct rte_mbuf *reply; // an inform's Response, sent once durable; NULL: a trap
	bool key_request;	// rec holds the SNMP message asking for a key, not a record
	bool big;		// from the big pool
	uint32_t cap;		// rec's size
	uint32_t len;		// of rec
	uint8_t rec[];
};

#define LR_TRAP_SMALL_CAP (LR_TRAP_SLOT_SMALL - sizeof(struct lr_trap_slot))

// One worker's trap stage: allocated before the worker starts.
struct lr_trap_worker {
	// record slots, small and big: LIFO stacks (lock-free), so that the
	// slot the journal thread put back last, still in cache, goes out
	// next. The worker gets (and puts back a slot it could not use), the
	// journal thread puts.
	struct rte_mempool *slots;
	struct rte_mempool *big_slots;
	struct usm_ctx *usm;	   // the worker's (salts, remote engine times)
	struct rte_ring *records;  // worker → journal thread (SP/SC), room for every slot
	struct rte_ring *acked;	   // journal thread → worker: durable Responses (SP/SC)
	unsigned index;		   // the worker's index in lr.workers
	struct dp_storm *storm;	   // storm control; NULL: off. The worker writes,
				   // the control thread reads its counters and top list
	uint64_t rx_tsc;	   // the burst whose receive time rx_ns is
	uint64_t rx_ns;		   // (worker only)
	// `usm cache clear`: the control thread bumps clear_req, the worker
	// clears its engine cache and catches clear_done up (once per loop)
	atomic_uint clear_req;
	unsigned clear_done;
	// `usm engine add`: the declarations (usm_keys.c) this worker's
	// engine cache has taken, by generation (worker only)
	uint64_t decl_done;
	struct snmp_varbind vb[LR_TRAP_VB_MAX];
	uint8_t plain[LR_BIG_DATA]; // decrypted scopedPDUs
	uint8_t out[LR_BIG_DATA];   // a Report or Response before it goes into the mbuf
};

// The users table the workers read (usm_keys.c publishes it by RCU: a
// new table swapped in, the old freed once every worker has been
// quiescent). Read once per datagram within a loop iteration.
extern _Atomic(const struct usm_table *) lr_trap_users;

// The remote engines an operator declared (`usm engine add`) as the
// workers read them: usm_keys.c publishes a new immutable set (the old
// freed once every worker has been quiescent), then bumps lr_usm_decl_gen.
struct lr_usm_decl {
	uint8_t id[USM_ENGINE_ID_MAX];
	uint8_t len;
	uint32_t boots, time; // as declared ...
	uint64_t at;	      // ... at this lr.now
	uint64_t gen;	      // the declaration's generation
};

struct lr_usm_decls {
	size_t n;
	struct lr_usm_decl e[];
};

extern _Atomic(const struct lr_usm_decls *) lr_usm_decls;
extern _Atomic uint64_t lr_usm_decl_gen; // main lcore writes, workers read

// A worker's engine cache caught up with the control side (usm_sync.c),
// once per loop, without locks: cleared when `usm cache clear` asked, and
// given the engines declared since it last looked (all of them again
// after a clear). The worker that owns t.
void lr_usm_worker_sync(struct lr_trap_worker *t);

// One datagram of verdict SNMP received on port ps at TSC tick tsc (the
// burst's): shed by storm control, a Report sent back from the same mbuf,
// a trap journaled, an inform journaled with its Response. Returns the
// mbuf to transmit now (a Report), or NULL: freed, or travelling with its
// record to come back once durable.
struct rte_mbuf *lr_trap_process(struct lr_worker *w, const struct lr_trap_snap *ts,
				 const struct lr_port_snap *ps, struct rte_mbuf *m,
				 const struct dp_pkt_info *info, uint64_t tsc);

// Worker i's record pools (small and big slots) and its two rings, sized
// so that every slot fits in a ring. 0, or -1 with a message on stderr
// (what was made is left in t for the caller to free).
int lr_trap_slots_new(struct lr_trap_worker *t, const char *prefix, unsigned i, uint32_t small,
		      uint32_t big);
// s[0..n) back into their pools (journal thread).
void lr_trap_slots_put(struct lr_trap_worker *t, struct lr_trap_slot *const *s, unsigned n);

// The Responses the journal made durable, sent on the worker's queues;
// and a `usm cache clear` asked for, done (once per loop).
void lr_trap_tx_acked(struct lr_worker *w);

// --- control side (trap_journal.c) ------------------------------------------

struct ctl_config;

// Counters of the journal thread and the durable callback.
struct lr_trapj_stats {
	uint64_t appended;	   // records the journal took
	uint64_t refused_full;	   // refused, journal full: informs (no Response), traps
				   // with when_full: refuse
	uint64_t refused_other;	   // records refused: queue busy, size
	uint64_t lost;		   // records of batches the journal failed to write
	uint64_t acked_ring_full;  // durable informs whose Response could not go back
	uint64_t shutdown_unacked; // durable informs still waiting at shutdown
	uint64_t keys_learned;	   // any-engine users localised for a new engine
	uint64_t keys_refused;	   // key requests whose HMAC did not verify, or no room
	uint64_t keys_shed;	   // key requests past the per-batch budget
};

// Records lost between the trap stage's rings and the sinks, by reason;
// X(sym, name, why). Every one is counted and, summed, logged at most
// every 10 s.
#define LR_JOURNAL_DROPS(X)                                                                        \
	X(INFORM_FULL, "informs_refused_full", "informs refused: journal full")                    \
	X(TRAP_FULL, "traps_refused_full", "traps refused: journal full (when_full: refuse)")      \
	X(BUSY, "refused_busy", "refused: the journal's queue full")                               \
	X(SIZE, "refused_size", "refused: too large")                                              \
	X(LOST, "lost", "lost: the journal's write failed")                                        \
	X(OLDEST, "dropped_oldest", "unread traps deleted: journal full (when_full: drop_oldest)") \
	X(EXPIRED, "expired", "unread records deleted: older than max_age_seconds")

enum lr_journal_drop {
#define LR_JDROP_ENUM(sym, name, why) LR_JDROP_##sym,
	LR_JOURNAL_DROPS(LR_JDROP_ENUM)
#undef LR_JDROP_ENUM
		LR_JDROP_COUNT
};

struct lr_trap_drops {
	uint64_t n[LR_JDROP_COUNT];
};

const char *lr_journal_drop_name(enum lr_journal_drop d);

// Builds the users table and our engine, opens the journal, the MIB table
// and the configured sinks, allocates nworkers workers' trap stages and
// starts the journal thread. Does nothing (returns 0) when snmp is not
// enabled. cfg must outlive lr_traps_stop. 0, or -1 with a message on
// stderr.
int lr_traps_start(const struct ctl_config *cfg, unsigned nworkers);
// The trap stage's part of a new snapshot (disabled when not started).
void lr_traps_snap(struct lr_trap_snap *t);
// Worker i's trap stage (NULL when not started).
struct lr_trap_worker *lr_traps_worker(unsigned i);
// Reads the users file again (lr_usm_reload: a new users table published
// to the workers by RCU) and rebuilds the MIB table (SIGHUP), off the
// workers. On failure the old users table (or MIB table) stays and stderr
// says why; returns -1 and why in err when the users file failed, else 0.
int lr_traps_reload(char *err, size_t errlen);
// After the workers stopped: every record still in a ring journaled and
// synced, the sinks caught up (bounded), everything closed and freed.
void lr_traps_stop(void);
void lr_traps_get_stats(struct lr_trapj_stats *out);
// The journal's counters (false: not running).
struct journal_stats;
bool lr_traps_journal_stats(struct journal_stats *js);
void lr_traps_drops(struct lr_trap_drops *out);
// The running sinks (NULL: none), for the control commands.
struct sink_set *lr_traps_sinks(void);
// Storm control's counters summed over the workers and the most shed
// sources (merged by address, most shed first) into top[DP_STORM_TOP];
// returns how many in top, or -1 when storm control is off.
int lr_traps_storm_stats(struct dp_storm_stats *total, struct dp_storm_top *top);
// A top-list address as text: dotted IPv4 for a mapped one, else IPv6.
const char *lr_storm_addr_text(const uint8_t a[16], char *buf, size_t len);

#endif
