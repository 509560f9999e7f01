/* SPDX-License-Identifier: BSD-3-Clause */
// Per-source storm control (linerate/storm.h): GCRA buckets in a
// set-associative table, a worker budget that sheds the chattiest sources
// first, and a top list of the most shed sources under a sequence counter.
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linerate/storm.h>

#define TOP_READ_TRIES 1000

// DP_STORM_WAYS sources. The words every datagram reads (a keyed 64-bit
// fingerprint of the address, the tat) fill two cache lines; the ones only
// a shed datagram needs, a third. 24 octets a source.
struct set {
	uint64_t fp[DP_STORM_WAYS];  // the address's fingerprint (hash_of)
	uint64_t tat[DP_STORM_WAYS]; // theoretical arrival time in ticks; 0: a free way
	uint32_t shed[DP_STORM_WAYS]; // shed since it entered the table (saturating)
	uint8_t top[DP_STORM_WAYS];   // its place in the top list + 1 when listed; 0: never
} __attribute__((aligned(64)));

struct dp_storm {
	// written by the worker only
	struct dp_storm_stats stats;
	uint64_t cost, cap;   // a source's: ticks per datagram, ticks of burst
	uint64_t gcost, gcap; // the budget's (gcost 0: none)
	uint64_t gtat;
	double share; // gcap / cap: the budget a source's debt takes away
	uint64_t key[2];
	uint64_t mask; // sets - 1
	struct set *set;
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

// The address's fingerprint, keyed: a sender who does not know the key
// cannot pick addresses that land in one set (not cryptographic: the key
// never shows in anything a sender sees but shedding). Its low bits pick
// the set; two sources share a set and a fingerprint with a chance of one
// in 2^64 over the number of sets.
static uint64_t hash_of(const struct dp_storm *s, const uint64_t a[2])
{
	return mix(mix(a[0] ^ s->key[0]) ^ a[1] ^ s->key[1]);
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
	s->set = aligned_alloc(64, sets * sizeof(struct set));
	if (!s->set) {
		free(s);
		errno = ENOMEM;
		return NULL;
	}
	memset(s->set, 0, sets * sizeof(struct set));
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
	free(s->set);
	free(s);
}

// The source's way in its set: found, or taken for it (a free one, else
// the one with the smallest debt).
static unsigned lookup(struct dp_storm *s, uint64_t fp, uint64_t now, struct set **out)
{
	struct set *set = &s->set[fp & s->mask];
	unsigned victim = 0;
	*out = set;
	for (unsigned i = 0; i < DP_STORM_WAYS; i++) {
		if (set->fp[i] == fp && set->tat[i])
			return i;
		if (set->tat[i] < set->tat[victim])
			victim = i;
	}
	if (set->tat[victim] > now)
		s->stats.evicted++;
	set->fp[victim] = fp;
	set->tat[victim] = now ? now : 1; // a full bucket; 0 means free
	set->shed[victim] = 0;
	set->top[victim] = 0;
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

// A shed datagram from addr (way w of set) into the top list (Space-Saving
// style): counted when it is listed; else listed while there is room, or
// in place of the least shed entry once it has been shed more than that.
static void top_count(struct dp_storm *s, struct set *set, unsigned w, const uint8_t addr[16])
{
	uint32_t q;
	if (set->shed[w] < UINT32_MAX)
		set->shed[w]++;
	unsigned i = set->top[w] ? set->top[w] - 1u : DP_STORM_TOP;
	if (i < s->listed && memcmp(s->top[i].addr, addr, 16) == 0) {
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
		if (set->shed[w] <= s->top[i].shed)
			return;
	}
	top_begin(s, &q);
	memcpy(s->top[i].addr, addr, 16);
	s->top[i].shed = set->shed[w];
	if (i == s->listed)
		s->listed++;
	top_end(s, q);
	set->top[w] = (uint8_t)(i + 1);
	top_find_min(s);
}

enum dp_storm_verdict dp_storm_check(struct dp_storm *s, const uint8_t addr[16], uint64_t now)
{
	uint64_t a[2];
	struct set *set;
	memcpy(a, addr, 16);
	unsigned w = lookup(s, hash_of(s, a), now, &set);
	uint64_t tat = set->tat[w] > now ? set->tat[w] : now;
	uint64_t debt = tat - now; // of the source's bucket used, in ticks
	if (debt + s->cost > s->cap) {
		s->stats.shed_source++;
		top_count(s, set, w, addr);
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
			set->tat[w] = tat + s->cost;
			s->stats.shed_global++;
			top_count(s, set, w, addr);
			return DP_STORM_SHED_GLOBAL;
		}
		s->gtat = gtat + s->gcost;
	}
	set->tat[w] = tat + s->cost;
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
