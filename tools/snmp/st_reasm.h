/* SPDX-License-Identifier: BSD-3-Clause */
// linerate-snmp: IPv4 and IPv6 fragments put back together (RFC 791 §3.2,
// RFC 8200 §4.5), so that a trap or inform too large for one frame is
// decoded like the others. A capture tool should not guess: fragments that
// overlap with different data, or disagree on where the datagram ends,
// discard the whole datagram, those already held and those still to come
// (RFC 5722, applied to IPv4 too). Bounded: at most `max` datagrams in
// progress (when full, the oldest is evicted), each up to ST_REASM_MAX
// octets and ST_REASM_TIMEOUT seconds of capture time from its first
// fragment (RFC 8200 §4.5's 60 s; after that its identification may be in
// use again). Single-threaded; the table owns its memory.
#ifndef LINERATE_TOOLS_ST_REASM_H
#define LINERATE_TOOLS_ST_REASM_H

#include <stddef.h>
#include <stdint.h>

#include "st_frame.h"

#define ST_REASM_MAX	 65535 // octets after the IP header (or the Fragment header)
#define ST_REASM_TIMEOUT 60    // seconds

// Counted per datagram, except fragments.
struct st_reasm_stats {
	unsigned long fragments;   // given to st_reasm_add
	unsigned long reassembled; // datagrams completed
	unsigned long incomplete;  // still missing fragments after 60 s or at the end
	unsigned long overlapping; // overlaps with other data, or ends that disagree
	unsigned long evicted;	   // the oldest in progress, when the table was full
	unsigned long oversize;	   // a fragment past ST_REASM_MAX octets
	unsigned long cut;	   // a fragment the capture's snap length cut short
};

// A completed datagram: a view into the table, valid until the next
// st_reasm_add or st_reasm_free.
struct st_reasm_datagram {
	const uint8_t *data; // what followed the IP header (IPv6: the Fragment header)
	size_t len;
	uint8_t proto;	   // upper layer: IPv4 Protocol; IPv6 the offset-0 fragment's Next Header
	unsigned fragments; // how many fragments brought new data
};

enum st_reasm_result {
	ST_REASM_HELD,	  // kept; the datagram is not complete yet
	ST_REASM_DONE,	  // the datagram is complete: out is filled
	ST_REASM_DROPPED, // this fragment, or its datagram, discarded (and counted)
};

// A table for at most max datagrams in progress (max ≥ 1); NULL and errno
// when out of memory. Freed by st_reasm_free.
struct st_reasm *st_reasm_new(size_t max);

// Frees the table and everything it holds; NULL is a no-op.
void st_reasm_free(struct st_reasm *r);

// One fragment f (an ST_FRAGMENT from st_frame_udp) captured at `now`
// (seconds): family, src, dst and frag are read; the data is copied.
enum st_reasm_result st_reasm_add(struct st_reasm *r, const struct st_udp *f, int64_t now,
				  struct st_reasm_datagram *out);

// The end of the capture: what is still in progress is counted incomplete
// and let go.
void st_reasm_finish(struct st_reasm *r);

const struct st_reasm_stats *st_reasm_stats(const struct st_reasm *r);

#endif
