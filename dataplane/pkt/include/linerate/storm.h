/* SPDX-License-Identifier: BSD-3-Clause */
// Per-source storm control for the trap stage (issue #6): one token bucket
// per source address (IPv4 and IPv6) in a fixed-size, set-associative
// table per worker, and an optional budget for the whole worker that,
// once under pressure, admits the quiet sources before the chatty ones.
//
// Buckets are kept as GCRA (the "virtual scheduling" form of a token
// bucket, ITU-T I.371 annex A): each source has a theoretical arrival time
// (tat); a datagram costs `cost` ticks (the clock's rate over the source's
// rate), the bucket holds `burst` of them. Its debt, tat - now, is how
// much of its bucket a source has used: 0 is a full bucket (a quiet
// source), burst × cost an empty one. One 64-bit word per source, no
// division per datagram.
//
// Fairness: a datagram that its own bucket admits still needs room in the
// worker's budget, and the room it may take shrinks with the share of its
// own bucket the source has used: a source with a full bucket may use the
// whole budget, one at its limit almost none of it. As the budget fills,
// the chattiest sources are shed first; the quiet ones pass until the
// budget is exhausted for everyone. A datagram the budget sheds is charged
// to its source's bucket all the same: debt measures what a source sends,
// not what it got through, so a source that keeps sending into a full
// budget stays chatty instead of looking quiet again as it is shed.
//
// Table: DP_STORM_WAYS sources per set, 24 octets each, found by a keyed
// 64-bit fingerprint of the address that also picks the set (a random key
// per table, so a sender cannot aim addresses at one set). A new source takes a free way, or else the way with the
// smallest debt: a source with a full bucket carries nothing worth keeping
// (a new entry for it would start full too), and the chatty sources, the
// ones whose debt matters, are the last to go; a flood of spoofed sources,
// each one new, only evicts its own kind.
//
// The most shed sources are kept in a top list of DP_STORM_TOP per table,
// written by the worker under a sequence counter so that the control plane
// copies it without a lock (dp_storm_read_top).
//
// Threads: a table belongs to one worker, which alone calls dp_storm_check
// (no allocation, lock or log); dp_storm_new/free run on the control side
// before the worker starts and after it stopped; the counters and the top
// list may be read by any thread at any time.
#ifndef LINERATE_STORM_H
#define LINERATE_STORM_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DP_STORM_WAYS	    8
#define DP_STORM_TOP	    16
#define DP_STORM_MIN	    64
#define DP_STORM_MAX	    (1u << 22)
#define DP_STORM_RATE_MAX   100000000u // per second: a source's or the budget's
#define DP_STORM_BURST_MAX  100000000u

// What to enforce; rates in datagrams per second.
struct dp_storm_cfg {
	uint32_t per_source_rate;  // 1..DP_STORM_RATE_MAX
	uint32_t per_source_burst; // 1..DP_STORM_BURST_MAX
	uint32_t global_rate;	   // the worker's budget; 0: none
	uint32_t global_burst;	   // 1..DP_STORM_BURST_MAX (ignored without global_rate)
	uint32_t sources;	   // table entries, DP_STORM_MIN..DP_STORM_MAX (rounded up
				   // to a power of two)
};

enum dp_storm_verdict {
	DP_STORM_PASS,
	DP_STORM_SHED_SOURCE, // the source's own bucket is empty
	DP_STORM_SHED_GLOBAL, // the worker's budget has no room for this source's share
};

// A source in the top list: the address as dp_storm_check got it (IPv4 as
// ::ffff:a.b.c.d) and the datagrams of it shed while it was listed.
struct dp_storm_top {
	uint8_t addr[16];
	uint64_t shed;
};

// Written by the worker only.
struct dp_storm_stats {
	uint64_t passed;
	uint64_t shed_source;
	uint64_t shed_global;
	uint64_t evicted; // sources forgotten for a new one while their bucket was not full
};

struct dp_storm;

// A table for cfg with a clock of hz ticks per second (the TSC's rate in
// the daemon) and key as the hash key (random in the daemon, fixed in
// tests). NULL and errno: EINVAL (cfg out of range), ENOMEM.
struct dp_storm *dp_storm_new(const struct dp_storm_cfg *cfg, uint64_t hz, const uint64_t key[2]);
void dp_storm_free(struct dp_storm *s); // NULL is a no-op

// A datagram from addr (16 octets; an IPv4 source mapped as ::ffff:a.b.c.d,
// dp_storm_map4) at tick now: admit or shed, and count it.
enum dp_storm_verdict dp_storm_check(struct dp_storm *s, const uint8_t addr[16], uint64_t now);

static inline void dp_storm_map4(uint8_t out[16], const uint8_t v4[4])
{
	static const uint8_t prefix[12] = {[10] = 0xff, [11] = 0xff};
	for (int i = 0; i < 12; i++)
		out[i] = prefix[i];
	for (int i = 0; i < 4; i++)
		out[12 + i] = v4[i];
}

// The counters, each a single 64-bit load (a little stale while the worker
// runs, never torn).
void dp_storm_get_stats(const struct dp_storm *s, struct dp_storm_stats *out);

// A consistent copy of the top list, most shed first, into out (room for
// DP_STORM_TOP); returns how many. Retries while the worker writes it, at
// most a bounded number of times (0 when it could not get a clean copy).
unsigned dp_storm_read_top(const struct dp_storm *s, struct dp_storm_top *out);

#endif
