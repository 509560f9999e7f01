/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "st_reasm.h"

#define BLOCKS ((ST_REASM_MAX + 7) / 8) // fragment offsets count 8-octet blocks

// In the order a slot is taken for a new datagram: free, discarded, open.
enum slot_state { SLOT_FREE, SLOT_DEAD, SLOT_OPEN };

// One datagram in progress. DEAD: discarded and counted, kept so that its
// fragments still to come are discarded too (RFC 5722 §4).
struct slot {
	enum slot_state state;
	uint64_t seq; // order of arrival: the smallest is the oldest
	int64_t first; // capture time of its first fragment, seconds
	int family;
	uint8_t src[16], dst[16];
	uint32_t id;
	uint8_t proto; // IPv4: part of the key
	uint8_t upper; // the offset-0 fragment's protocol
	bool last_seen;
	size_t total; // its length, once the last fragment is seen
	size_t hi;    // the furthest end of any fragment
	unsigned blocks, fragments;
	uint8_t have[BLOCKS / 8];
	uint8_t data[ST_REASM_MAX];
};

struct st_reasm {
	size_t max;
	uint64_t seq;
	struct st_reasm_stats n;
	uint8_t done[ST_REASM_MAX]; // the last datagram completed
	struct slot slots[];
};

struct st_reasm *st_reasm_new(size_t max)
{
	if (max == 0) {
		errno = EINVAL;
		return NULL;
	}
	// calloc: pages untouched until a slot is used
	struct st_reasm *r = calloc(1, sizeof(*r) + max * sizeof(struct slot));
	if (r)
		r->max = max;
	return r;
}

void st_reasm_free(struct st_reasm *r)
{
	free(r);
}

const struct st_reasm_stats *st_reasm_stats(const struct st_reasm *r)
{
	return &r->n;
}

// RFC 791 §3.2 (IPv4: addresses, identification and protocol); RFC 8200
// §4.5 (IPv6: addresses and identification; Next Header may differ).
static bool same_key(const struct slot *s, const struct st_udp *f)
{
	return s->family == f->family && s->id == f->frag.id &&
	       (f->family == AF_INET6 || s->proto == f->frag.proto) &&
	       memcmp(s->src, f->src, sizeof(s->src)) == 0 &&
	       memcmp(s->dst, f->dst, sizeof(s->dst)) == 0;
}

// The datagram's slot; a new one when none (a free slot, else a discarded
// one, else the oldest in progress, evicted). One past its time is let go
// first: its identification may be in use again.
static struct slot *slot_of(struct st_reasm *r, const struct st_udp *f, int64_t now)
{
	struct slot *victim = NULL;
	for (size_t i = 0; i < r->max; i++) {
		struct slot *s = &r->slots[i];
		if (s->state != SLOT_FREE && now - s->first > ST_REASM_TIMEOUT) {
			r->n.incomplete += s->state == SLOT_OPEN;
			s->state = SLOT_FREE;
		}
		if (s->state != SLOT_FREE && same_key(s, f))
			return s;
		if (!victim || s->state < victim->state ||
		    (s->state == victim->state && s->seq < victim->seq))
			victim = s;
	}
	if (victim->state == SLOT_OPEN)
		r->n.evicted++;
	struct slot *s = victim;
	s->state = SLOT_OPEN;
	s->seq = r->seq++;
	s->first = now;
	s->family = f->family;
	memcpy(s->src, f->src, sizeof(s->src));
	memcpy(s->dst, f->dst, sizeof(s->dst));
	s->id = f->frag.id;
	s->proto = f->frag.proto;
	s->last_seen = false;
	s->total = s->hi = 0;
	s->blocks = s->fragments = 0;
	memset(s->have, 0, sizeof(s->have));
	return s;
}

static bool has(const struct slot *s, size_t b)
{
	return s->have[b / 8] & (1u << (b % 8));
}

static enum st_reasm_result discard(struct slot *s, unsigned long *counter)
{
	s->state = SLOT_DEAD;
	(*counter)++;
	return ST_REASM_DROPPED;
}

static enum st_reasm_result complete(struct st_reasm *r, const uint8_t *data, size_t len,
				     uint8_t proto, unsigned fragments,
				     struct st_reasm_datagram *out)
{
	memcpy(r->done, data, len);
	out->data = r->done;
	out->len = len;
	out->proto = proto;
	out->fragments = fragments;
	r->n.reassembled++;
	return ST_REASM_DONE;
}

// Does the fragment agree with what the slot holds: the same end, no data
// past it, the same octets where it overlaps them (RFC 5722 §4)?
static bool agrees(const struct slot *s, const struct st_frag *g)
{
	size_t off = g->offset, end = off + g->len;
	if (g->more ? s->last_seen && end > s->total
		    : s->last_seen ? end != s->total : s->hi > end)
		return false;
	for (size_t b = off / 8; b < (end + 7) / 8; b++) {
		if (!has(s, b))
			continue;
		size_t lo = b * 8, hi = lo + 8 < end ? lo + 8 : end;
		if (memcmp(s->data + lo, g->data + (lo - off), hi - lo) != 0)
			return false;
	}
	return true;
}

enum st_reasm_result st_reasm_add(struct st_reasm *r, const struct st_udp *f, int64_t now,
				  struct st_reasm_datagram *out)
{
	const struct st_frag *g = &f->frag;
	size_t off = g->offset, end = off + g->len;
	r->n.fragments++;
	// RFC 6946: an atomic fragment (offset 0, no more) stands alone
	if (off == 0 && !g->more && !g->cut)
		return complete(r, g->data, g->len, g->proto, 1, out);
	struct slot *s = slot_of(r, f, now);
	if (s->state == SLOT_DEAD)
		return ST_REASM_DROPPED;
	if (g->cut)
		return discard(s, &r->n.cut);
	if (end > ST_REASM_MAX)
		return discard(s, &r->n.oversize);
	if (!agrees(s, g))
		return discard(s, &r->n.overlapping);
	bool fresh = !g->more && !s->last_seen; // the end is news too
	for (size_t b = off / 8; b < (end + 7) / 8; b++) {
		if (!has(s, b)) {
			s->have[b / 8] |= (uint8_t)(1u << (b % 8));
			s->blocks++;
			fresh = true;
		}
	}
	memcpy(s->data + off, g->data, g->len); // equal where it overlaps
	s->fragments += fresh;
	s->hi = end > s->hi ? end : s->hi;
	if (off == 0)
		s->upper = g->proto;
	if (!g->more) {
		s->last_seen = true;
		s->total = end;
	}
	if (!s->last_seen || s->blocks != (s->total + 7) / 8)
		return ST_REASM_HELD;
	s->state = SLOT_FREE;
	return complete(r, s->data, s->total, s->upper, s->fragments, out);
}

void st_reasm_finish(struct st_reasm *r)
{
	for (size_t i = 0; i < r->max; i++) {
		r->n.incomplete += r->slots[i].state == SLOT_OPEN;
		r->slots[i].state = SLOT_FREE;
	}
}
