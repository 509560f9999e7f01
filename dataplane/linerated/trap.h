/* SPDX-License-Identifier: BSD-3-Clause */
// The trap stage (worker side, trap.c) and the journal thread that takes
// its records (control side, trap_journal.c).
//
// Worker → journal thread: each worker takes a record slot from its own
// pool, writes the trap record into it (trap_rec_encode) and enqueues it
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

#include "lr.h"

// A record slot. Also the way a message from an any-engine user at an
// engine we have no keys for (USM PENDING_KEY) reaches the control side,
// which localises the user's keys for that engine, checks the message's
// HMAC with them and only then adds the entry to the users table: the
// sender's next message is accepted (this one is dropped, counted).
struct lr_trap_slot {
	struct rte_mbuf *reply; // an inform's Response, sent once durable; NULL: a trap
	bool key_request;	// rec holds the SNMP message asking for a key, not a record
	uint32_t len;		// of rec
	uint8_t rec[LR_TRAP_REC_MAX];
};

// One worker's trap stage: allocated before the worker starts.
struct lr_trap_worker {
	struct usm_ctx *usm;	   // the worker's (salts, remote engine times)
	struct rte_mempool *slots; // worker gets (SC), journal thread puts (SP)
	struct rte_ring *records;  // worker → journal thread (SP/SC)
	struct rte_ring *acked;	   // journal thread → worker: durable Responses (SP/SC)
	unsigned index;		   // the worker's index in lr.workers
	// `usm cache clear`: the control thread bumps clear_req, the worker
	// clears its engine cache and catches clear_done up (once per loop)
	atomic_uint clear_req;
	unsigned clear_done;
	struct snmp_varbind vb[LR_TRAP_VB_MAX];
	uint8_t plain[LR_BIG_DATA]; // decrypted scopedPDUs
	uint8_t out[LR_BIG_DATA];   // a Report or Response before it goes into the mbuf
};

// The users table the workers read (usm_keys.c publishes it by RCU: a
// new table swapped in, the old freed once every worker has been
// quiescent). Read once per datagram within a loop iteration.
extern _Atomic(const struct usm_table *) lr_trap_users;

// One datagram of verdict SNMP received on port ps: a Report sent back
// from the same mbuf, a trap journaled, an inform journaled with its
// Response. Returns the mbuf to transmit now (a Report), or NULL: freed,
// or travelling with its record to come back once durable.
struct rte_mbuf *lr_trap_process(struct lr_worker *w, const struct lr_trap_snap *ts,
				 const struct lr_port_snap *ps, struct rte_mbuf *m,
				 const struct dp_pkt_info *info);

// The Responses the journal made durable, sent on the worker's queues;
// and a `usm cache clear` asked for, done (once per loop).
void lr_trap_tx_acked(struct lr_worker *w);

// --- control side (trap_journal.c) ------------------------------------------

struct ctl_config;

// Counters of the journal thread and the durable callback.
struct lr_trapj_stats {
	uint64_t appended;	   // records the journal took
	uint64_t refused_full;	   // informs refused: journal full (no Response)
	uint64_t refused_other;	   // records refused: queue busy, size
	uint64_t lost;		   // records of batches the journal failed to write
	uint64_t acked_ring_full;  // durable informs whose Response could not go back
	uint64_t shutdown_unacked; // durable informs still waiting at shutdown
	uint64_t keys_learned;	   // any-engine users localised for a new engine
	uint64_t keys_refused;	   // key requests whose HMAC did not verify, or no room
	uint64_t keys_shed;	   // key requests past the per-batch budget
};

// Builds the users table and our engine, opens the journal, the MIB table
// and the file sink, allocates nworkers workers' trap stages and starts
// the journal thread. Does nothing (returns 0) when snmp is not enabled.
// 0, or -1 with a message on stderr.
int lr_traps_start(const struct ctl_config *cfg, unsigned nworkers);
// The trap stage's part of a new snapshot (disabled when not started).
void lr_traps_snap(struct lr_trap_snap *t);
// Worker i's trap stage (NULL when not started).
struct lr_trap_worker *lr_traps_worker(unsigned i);
// After the workers stopped: every record still in a ring journaled and
// synced, the file sink caught up, everything closed and freed.
void lr_traps_stop(void);
void lr_traps_get_stats(struct lr_trapj_stats *out);
// The file sink's and the journal's counters (false: not running).
struct journal_stats;
struct sink_stats;
bool lr_traps_sink_stats(struct journal_stats *js, struct sink_stats *ss);

#endif
