/* SPDX-License-Identifier: BSD-3-Clause */
// The USM table: open addressing over SipHash(engine ID, user name), linear
// probing, load ≤ 1/2. A slot is one 64-bit word, 0 when empty, else
//   bits 63..32  the hash's high half (a tag: most mismatches never touch
//                the entry)
//   bit  31      engine marker: the slot says "this engine has users" and
//                points at any entry of that engine
//   bits 30..0   entry index + 1
// Entries are appended to one array and never move. Writers (one thread)
// fill the entry, then publish its slot with a release store; readers load
// slots with acquire: a reader sees a slot only with its entry complete.
#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "usm_internal.h"

#define SLOT_MARK    0x80000000u
#define SLOT_IDX     0x7fffffffu
#define CAPACITY_MAX ((size_t)SLOT_IDX - 1)

struct hash_set {
	_Atomic uint64_t *slot;
	size_t mask;
};

struct usm_table {
	uint64_t key[2];
	struct hash_set users_h; // users and engine markers
	struct usm_user *users;
	size_t cap;
	_Atomic size_t count;
	struct hash_set any_h;
	struct usm_any_user *any;
	size_t any_cap;
	_Atomic size_t any_count;
	size_t memory;
};

static size_t pow2_at_least(size_t n)
{
	size_t p = 16;
	while (p < n)
		p <<= 1;
	return p;
}

static int set_init(struct hash_set *h, size_t entries, size_t *memory)
{
	size_t n = pow2_at_least(2 * entries);
	h->slot = calloc(n, sizeof(h->slot[0]));
	if (!h->slot)
		return -ENOMEM;
	h->mask = n - 1;
	*memory += n * sizeof(h->slot[0]);
	return 0;
}

struct usm_table *usm_table_new(size_t capacity, size_t any_capacity)
{
	if (capacity > CAPACITY_MAX || any_capacity > CAPACITY_MAX) {
		errno = EINVAL;
		return NULL;
	}
	struct usm_table *t = calloc(1, sizeof(*t));
	if (!t)
		goto fail;
	t->memory = sizeof(*t);
	t->cap = capacity;
	t->any_cap = any_capacity;
	// one slot per user and at most one marker per user
	if (set_init(&t->users_h, 2 * capacity, &t->memory) ||
	    set_init(&t->any_h, any_capacity, &t->memory))
		goto fail;
	t->users = calloc(capacity ? capacity : 1, sizeof(t->users[0]));
	t->any = calloc(any_capacity ? any_capacity : 1, sizeof(t->any[0]));
	if (!t->users || !t->any)
		goto fail;
	t->memory += capacity * sizeof(t->users[0]) + any_capacity * sizeof(t->any[0]);
	if (RAND_bytes((unsigned char *)t->key, sizeof(t->key)) != 1)
		goto fail;
	return t;
fail:
	usm_table_free(t);
	errno = ENOMEM;
	return NULL;
}

void usm_table_free(struct usm_table *t)
{
	if (!t)
		return;
	if (t->users)
		OPENSSL_cleanse(t->users, atomic_load(&t->count) * sizeof(t->users[0]));
	free(t->users);
	free(t->any);
	free(t->users_h.slot);
	free(t->any_h.slot);
	free(t);
}

// Probe for a slot the predicate accepts; returns it, or 0 at the first
// empty slot. At load ≤ 1/2 an empty slot is always reached.
#define PROBE(h, hash, s, accept)                                                                  \
	for (size_t i_ = (size_t)(hash) & (h)->mask;; i_ = (i_ + 1) & (h)->mask) {                 \
		s = atomic_load_explicit(&(h)->slot[i_], memory_order_acquire);                    \
		if (s == 0 || ((uint32_t)(s >> 32) == (uint32_t)((hash) >> 32) && (accept)))       \
			break;                                                                     \
	}

static void publish(struct hash_set *h, uint64_t hash, uint32_t low)
{
	size_t i = (size_t)hash & h->mask;
	while (atomic_load_explicit(&h->slot[i], memory_order_relaxed))
		i = (i + 1) & h->mask;
	atomic_store_explicit(&h->slot[i], (hash >> 32) << 32 | low, memory_order_release);
}

static bool same_engine(const struct usm_user *u, const uint8_t *e, size_t elen)
{
	return u->engine_len == elen && memcmp(u->engine_id, e, elen) == 0;
}

static const struct usm_user *slot_user(const struct usm_table *t, uint64_t s)
{
	return &t->users[((uint32_t)s & SLOT_IDX) - 1];
}

const struct usm_user *usm_table_find(const struct usm_table *t, const uint8_t *engine_id,
				      size_t engine_len, const uint8_t *name, size_t name_len)
{
	if (engine_len > USM_ENGINE_ID_MAX || name_len == 0 || name_len > USM_NAME_MAX)
		return NULL;
	uint64_t h = usm_hash(t->key, engine_id, engine_len, name, name_len), s;
	PROBE(&t->users_h, h, s,
	      !(s & SLOT_MARK) && slot_user(t, s)->name_len == name_len &&
		      same_engine(slot_user(t, s), engine_id, engine_len) &&
		      memcmp(slot_user(t, s)->name, name, name_len) == 0);
	return s ? slot_user(t, s) : NULL;
}

bool usm_table_has_engine(const struct usm_table *t, const uint8_t *engine_id, size_t engine_len)
{
	if (engine_len > USM_ENGINE_ID_MAX)
		return false;
	uint64_t h = usm_hash(t->key, engine_id, engine_len, NULL, 0), s;
	PROBE(&t->users_h, h, s,
	      (s & SLOT_MARK) && same_engine(slot_user(t, s), engine_id, engine_len));
	return s != 0;
}

const struct usm_any_user *usm_table_find_any(const struct usm_table *t, const uint8_t *name,
					      size_t name_len)
{
	if (name_len == 0 || name_len > USM_NAME_MAX)
		return NULL;
	uint64_t h = usm_hash(t->key, NULL, 0, name, name_len), s;
	const struct usm_any_user *a = NULL;
	PROBE(&t->any_h, h, s,
	      (a = &t->any[((uint32_t)s & SLOT_IDX) - 1], a->name_len == name_len) &&
		      memcmp(a->name, name, name_len) == 0);
	return s ? a : NULL;
}

int usm_table_add(struct usm_table *t, const struct usm_user *u)
{
	if (u->name_len < 1 || u->name_len > USM_NAME_MAX)
		return USM_ENAME_LEN;
	int rc = usm_engine_id_check(u->engine_id, u->engine_len);
	if (rc)
		return rc;
	if (u->auth >= USM_AUTH_COUNT || u->priv >= USM_PRIV_COUNT || u->level >= USM_LEVEL_COUNT ||
	    u->n_priv_keys > 2 || (u->priv != USM_PRIV_NONE && u->n_priv_keys == 0))
		return USM_EINVAL;
	if (usm_table_find(t, u->engine_id, u->engine_len, u->name, u->name_len))
		return -EEXIST;
	size_t n = atomic_load_explicit(&t->count, memory_order_relaxed);
	if (n >= t->cap)
		return -ENOSPC;
	t->users[n] = *u;
	bool new_engine = !usm_table_has_engine(t, u->engine_id, u->engine_len);
	publish(&t->users_h, usm_hash(t->key, u->engine_id, u->engine_len, u->name, u->name_len),
		(uint32_t)n + 1);
	if (new_engine)
		publish(&t->users_h, usm_hash(t->key, u->engine_id, u->engine_len, NULL, 0),
			SLOT_MARK | ((uint32_t)n + 1));
	atomic_store_explicit(&t->count, n + 1, memory_order_release);
	return 0;
}

int usm_table_add_any(struct usm_table *t, const struct usm_user_cfg *cfg)
{
	if (cfg->name_len < 1 || cfg->name_len > USM_NAME_MAX)
		return USM_ENAME_LEN;
	if (cfg->auth >= USM_AUTH_COUNT || cfg->priv >= USM_PRIV_COUNT)
		return USM_EINVAL;
	if (usm_table_find_any(t, cfg->name, cfg->name_len))
		return -EEXIST;
	size_t n = atomic_load_explicit(&t->any_count, memory_order_relaxed);
	if (n >= t->any_cap)
		return -ENOSPC;
	struct usm_any_user *a = &t->any[n];
	memcpy(a->name, cfg->name, cfg->name_len);
	a->name_len = cfg->name_len;
	a->auth = cfg->auth;
	a->priv = cfg->priv;
	a->level = (uint8_t)usm_user_cfg_level(cfg);
	publish(&t->any_h, usm_hash(t->key, NULL, 0, cfg->name, cfg->name_len), (uint32_t)n + 1);
	atomic_store_explicit(&t->any_count, n + 1, memory_order_release);
	return 0;
}

struct usm_table *usm_table_grow(const struct usm_table *t, size_t capacity, size_t any_capacity)
{
	size_t n = usm_table_count(t), na = atomic_load(&t->any_count);
	if (capacity < n || any_capacity < na) {
		errno = EINVAL;
		return NULL;
	}
	struct usm_table *g = usm_table_new(capacity, any_capacity);
	if (!g)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (usm_table_add(g, &t->users[i]) != 0)
			goto fail;
	for (size_t i = 0; i < na; i++) {
		const struct usm_any_user *a = &t->any[i];
		struct usm_user_cfg c = {.name_len = a->name_len, .auth = a->auth, .priv = a->priv};
		memcpy(c.name, a->name, a->name_len);
		if (usm_table_add_any(g, &c) != 0)
			goto fail;
	}
	return g;
fail:
	usm_table_free(g);
	errno = EINVAL;
	return NULL;
}

size_t usm_table_count(const struct usm_table *t)
{
	return atomic_load_explicit(&t->count, memory_order_acquire);
}

size_t usm_table_memory(const struct usm_table *t)
{
	return t->memory;
}
