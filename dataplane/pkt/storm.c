/* SPDX-License-Identifier: BSD-3-Clause */
// Per-source storm control (linerate/storm.h): GCRA buckets in a
// set-associative table, a worker budget that sheds the chattiest sources
// first, and a top list of the most shed sources under a sequence counter.
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linerate/storm.h>

#define TOP_READ_TRIES 1000

// One source: 32 octets, 8 to a set (four cache lines).
struct entry {
	uint64_t a[2]; // the address (16 octets, as two words)
	uint64_t tat;  // theoretical arrival time in ticks; 0: a free way
	uint32_t shed; // datagrams shed since it entered the table (saturating)
	uint8_t top;   // its place in the top list + 1 when it was listed; 0: never
};

struct dp_storm {
	// written by the worker only
	struct dp_storm_stats stats;
	uint64_t cost, cap;   // a source's: ticks per datagram, ticks of burst
	uint64_t gcost, gcap; // the budget's (gcost 0: none)
	uint64_t gtat;
	double share; // gcap / cap: the budget a source's debt takes away
	uint64_t key[2];
	uint64_t mask; // sets - 1
	struct entry *e;
	// the top list: the worker writes it between two increments of seq
	// (odd while writing); readers copy it and check seq did not move
	_Atomic uint32_t seq;
	unsigned listed;  // entries of top in use
	unsigned top_min; // the listed entry with the fewest sheds
	struct dp_storm_top top[DP_STORM_TOP];
};

static uint64_t mix(uint64_t x)
{
	// a 64-bit finaliser (Stafford's variant 13 of MurmurHash3's fmix)
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

static uint64_t set_of(const struct dp_storm *s, const uint64_t a[2])
{
	// keyed, not cryptographic: enough that a sender who does not know
	// the key cannot pick addresses that land in one set
	return mix(mix(a[0] ^ s->key[0]) ^ a[1] ^ s->key[1]) & s->mask;
}

struct dp_storm *dp_storm_new(const struct dp_storm_cfg *cfg, uint64_t hz, const uint64_t key[2])
{
	if (!cfg || !hz || cfg->per_source_rate == 0 || cfg->per_source_rate > DP_STORM_RATE_MAX ||
	    cfg->per_source_burst == 0 || cfg->per_source_burst > DP_STORM_BURST_MAX ||
	    cfg->global_rate > DP_STORM_RATE_MAX ||
	    (cfg->global_rate &&
	     (cfg->global_burst == 0 || cfg->global_burst > DP_STORM_BURST_MAX)) ||
	    cfg->sources < DP_STORM_MIN || cfg->sources > DP_STORM_MAX ||
	    hz / cfg->per_source_rate == 0 || (cfg->global_rate && hz / cfg->global_rate == 0)) {
		errno = EINVAL;
		return NULL;
	}
	struct dp_storm *s = aligned_alloc(64, (sizeof(*s) + 63) / 64 * 64);
	if (!s) {
		errno = ENOMEM;
		return NULL;
	}
	memset(s, 0, sizeof(*s));
	uint64_t sets = 1;
	while (sets * DP_STORM_WAYS < cfg->sources)
		sets <<= 1;
	s->e = aligned_alloc(64, sets * DP_STORM_WAYS * sizeof(struct entry));
	if (!s->e) {
		free(s);
		errno = ENOMEM;
		return NULL;
	}
	memset(s->e, 0, sets * DP_STORM_WAYS * sizeof(struct entry));
	s->mask = sets - 1;
	s->key[0] = key[0];
	s->key[1] = key[1];
	s->cost = hz / cfg->per_source_rate;
	s->cap = s->cost * cfg->per_source_burst;
	if (cfg->global_rate) {
		s->gcost = hz / cfg->global_rate;
		s->gcap = s->gcost * cfg->global_burst;
		s->share = (double)s->gcap / (double)s->cap;
	}
	return s;
}

void dp_storm_free(struct dp_storm *s)
{
	if (!s)
		return;
	free(s->e);
	free(s);
}

// The source's entry: found, or a way taken for it (a free one, else the
// one with the smallest debt).
static struct entry *lookup(struct dp_storm *s, const uint64_t a[2], uint64_t now)
{
	struct entry *set = &s->e[set_of(s, a) * DP_STORM_WAYS], *victim = set;
	for (unsigned i = 0; i < DP_STORM_WAYS; i++) {
		struct entry *x = &set[i];
		if (x->a[0] == a[0] && x->a[1] == a[1] && x->tat)
			return x;
		if (x->tat < victim->tat)
			victim = x;
	}
	if (victim->tat > now)
		s->stats.evicted++;
	victim->a[0] = a[0];
	victim->a[1] = a[1];
	victim->tat = now ? now : 1; // a full bucket; 0 means free
	victim->shed = 0;
	victim->top = 0;
	return victim;
}

static void top_begin(struct dp_storm *s, uint32_t *q)
{
	*q = atomic_load_explicit(&s->seq, memory_order_relaxed);
	atomic_store_explicit(&s->seq, *q + 1, memory_order_relaxed);
	atomic_thread_fence(memory_order_release);
}

static void top_end(struct dp_storm *s, uint32_t q)
{
	atomic_store_explicit(&s->seq, q + 2, memory_order_release);
}

static void top_find_min(struct dp_storm *s)
{
	unsigned m = 0;
	for (unsigned i = 1; i < s->listed; i++)
		if (s->top[i].shed < s->top[m].shed)
			m = i;
	s->top_min = m;
}

// A shed datagram of x into the top list (Space-Saving style): counted
// when x is listed; else listed while there is room, or in place of the
// least shed entry once x has been shed more than that one.
static void top_count(struct dp_storm *s, struct entry *x)
{
	uint32_t q;
	if (x->shed < UINT32_MAX)
		x->shed++;
	unsigned i = x->top ? x->top - 1u : DP_STORM_TOP;
	if (i < s->listed && memcmp(s->top[i].addr, x->a, 16) == 0) {
		top_begin(s, &q);
		s->top[i].shed++;
		top_end(s, q);
		if (i == s->top_min)
			top_find_min(s);
		return;
	}
	if (s->listed < DP_STORM_TOP) {
		i = s->listed;
	} else {
		i = s->top_min;
		if (x->shed <= s->top[i].shed)
			return;
	}
	top_begin(s, &q);
	memcpy(s->top[i].addr, x->a, 16);
	s->top[i].shed = x->shed;
	if (i == s->listed)
		s->listed++;
	top_end(s, q);
	x->top = (uint8_t)(i + 1);
	top_find_min(s);
}

enum dp_storm_verdict dp_storm_check(struct dp_storm *s, const uint8_t addr[16], uint64_t now)
{
	uint64_t a[2];
	memcpy(a, addr, 16);
	struct entry *x = lookup(s, a, now);
	uint64_t tat = x->tat > now ? x->tat : now;
	uint64_t debt = tat - now; // of the source's bucket used, in ticks
	if (debt + s->cost > s->cap) {
		s->stats.shed_source++;
		top_count(s, x);
		return DP_STORM_SHED_SOURCE;
	}
	if (s->gcost) {
		uint64_t gtat = s->gtat > now ? s->gtat : now;
		// the room this source may take: the whole budget for a full
		// bucket, less as its own bucket empties
		uint64_t used = (uint64_t)((double)debt * s->share);
		uint64_t room = used < s->gcap ? s->gcap - used : 0;
		if (gtat - now + s->gcost > room) {
			// charged all the same: a source's debt measures what it
			// sends, so one that keeps sending while the budget sheds
			// it stays chatty (were it not charged, its bucket would
			// refill and it would look as quiet as the quiet ones)
			x->tat = tat + s->cost;
			s->stats.shed_global++;
			top_count(s, x);
			return DP_STORM_SHED_GLOBAL;
		}
		s->gtat = gtat + s->gcost;
	}
	x->tat = tat + s->cost;
	s->stats.passed++;
	return DP_STORM_PASS;
}

static uint64_t load64(const uint64_t *p)
{
	return *(const volatile uint64_t *)p;
}

void dp_storm_get_stats(const struct dp_storm *s, struct dp_storm_stats *out)
{
	out->passed = load64(&s->stats.passed);
	out->shed_source = load64(&s->stats.shed_source);
	out->shed_global = load64(&s->stats.shed_global);
	out->evicted = load64(&s->stats.evicted);
}

static int by_shed(const void *a, const void *b)
{
	uint64_t x = ((const struct dp_storm_top *)a)->shed, y = ((const struct dp_storm_top *)b)->shed;
	return (x < y) - (x > y);
}

unsigned dp_storm_read_top(const struct dp_storm *s, struct dp_storm_top *out)
{
	struct dp_storm *w = (struct dp_storm *)s; // seq is only loaded here
	for (int tries = 0; tries < TOP_READ_TRIES; tries++) {
		uint32_t q = atomic_load_explicit(&w->seq, memory_order_acquire);
		if (q & 1)
			continue;
		unsigned n = *(const volatile unsigned *)&s->listed;
		if (n > DP_STORM_TOP)
			continue;
		for (unsigned i = 0; i < n; i++) {
			for (int k = 0; k < 16; k++)
				out[i].addr[k] = *(const volatile uint8_t *)&s->top[i].addr[k];
			out[i].shed = load64(&s->top[i].shed);
		}
		atomic_thread_fence(memory_order_acquire);
		if (atomic_load_explicit(&w->seq, memory_order_relaxed) != q)
			continue;
		qsort(out, n, sizeof(*out), by_shed);
		return n;
	}
	return 0;
}
