/* SPDX-License-Identifier: BSD-3-Clause */
// The USM table: lookups, duplicates, capacity, any-engine users, growing,
// a reader running while the control plane adds, and a million users built
// from localised keys (the megabyte of password hashing bypassed) with the
// memory each costs.
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>

#include "usm_test_util.h"

// A user with localised keys (no password hashing): SHA-256 + AES-128.
static void make_user(struct usm_user *u, uint32_t i, const char *name)
{
	struct usm_user_cfg c = {.auth = USM_AUTH_SHA256,
				 .priv = USM_PRIV_AES128,
				 .auth_form = USM_KEY_LOCAL,
				 .priv_form = USM_KEY_LOCAL,
				 .priv_key_len = 32};
	c.name_len = (uint8_t)strlen(name);
	memcpy(c.name, name, c.name_len);
	c.engine_len = 12;
	memcpy(c.engine_id, "\x80\x00\x1f\x88\x05", 5);
	memcpy(c.engine_id + 5, &i, 4); // a distinct engine per i
	memset(c.engine_id + 9, 0xee, 3);
	for (int k = 0; k < 32; k++) {
		c.auth_key[k] = (uint8_t)(i + k);
		c.priv_key[k] = (uint8_t)(i * 3 + k);
	}
	cr_assert_eq(usm_user_localize(&c, c.engine_id, c.engine_len, u), 0);
}

Test(usm_table, find_by_engine_and_name)
{
	struct usm_table *t = usm_table_new(8, 2);
	struct usm_user a, b, c;
	make_user(&a, 1, "alice");
	make_user(&b, 1, "bob");   // same engine
	make_user(&c, 2, "alice"); // same name, another engine
	cr_assert_eq(usm_table_add(t, &a), 0);
	cr_assert_eq(usm_table_add(t, &b), 0);
	cr_assert_eq(usm_table_add(t, &c), 0);
	cr_assert_eq(usm_table_add(t, &b), -EEXIST);
	cr_assert_eq(usm_table_count(t), 3);
	const struct usm_user *f = usm_table_find(t, a.engine_id, 12, (const uint8_t *)"alice", 5);
	cr_assert_not_null(f);
	cr_assert_arr_eq(f, &a, sizeof(a));
	f = usm_table_find(t, c.engine_id, 12, (const uint8_t *)"alice", 5);
	cr_assert_arr_eq(f, &c, sizeof(c));
	cr_assert_null(usm_table_find(t, c.engine_id, 12, (const uint8_t *)"bob", 3));
	cr_assert_null(usm_table_find(t, a.engine_id, 12, (const uint8_t *)"alic", 4));
	cr_assert_null(usm_table_find(t, a.engine_id, 11, (const uint8_t *)"alice", 5));
	cr_assert_null(usm_table_find(t, a.engine_id, 12, (const uint8_t *)"", 0));
	cr_assert_null(usm_table_find(t, a.engine_id, 40, (const uint8_t *)"alice", 5));
	cr_assert(usm_table_has_engine(t, a.engine_id, 12));
	cr_assert(usm_table_has_engine(t, c.engine_id, 12));
	cr_assert_not(usm_table_has_engine(t, a.engine_id, 11));
	cr_assert_not(usm_table_has_engine(t, (const uint8_t *)"", 0));
	usm_table_free(t);
}

Test(usm_table, capacity_and_bad_entries)
{
	struct usm_table *t = usm_table_new(2, 1);
	struct usm_user u;
	make_user(&u, 1, "a");
	cr_assert_eq(usm_table_add(t, &u), 0);
	make_user(&u, 2, "a");
	cr_assert_eq(usm_table_add(t, &u), 0);
	make_user(&u, 3, "a");
	cr_assert_eq(usm_table_add(t, &u), -ENOSPC);
	struct usm_user bad = u;
	bad.name_len = 0;
	cr_assert_eq(usm_table_add(t, &bad), USM_ENAME_LEN);
	bad = u;
	bad.name_len = 33;
	cr_assert_eq(usm_table_add(t, &bad), USM_ENAME_LEN);
	bad = u;
	bad.engine_len = 4;
	cr_assert_eq(usm_table_add(t, &bad), USM_EENGINE_LEN);
	bad = u;
	bad.n_priv_keys = 0;
	cr_assert_eq(usm_table_add(t, &bad), USM_EINVAL);
	usm_table_free(t);
	usm_table_free(NULL);
	cr_assert_null(usm_table_new((size_t)1 << 40, 0));
}

Test(usm_table, any_engine_users)
{
	struct usm_table *t = usm_table_new(4, 2);
	struct usm_user_cfg c = {
		.name = "trapper", .name_len = 7, .auth = USM_AUTH_SHA1, .priv = USM_PRIV_AES192};
	cr_assert_eq(usm_table_add_any(t, &c), 0);
	cr_assert_eq(usm_table_add_any(t, &c), -EEXIST);
	struct usm_user_cfg d = {.name = "noauth", .name_len = 6};
	cr_assert_eq(usm_table_add_any(t, &d), 0);
	struct usm_user_cfg e = {.name = "third", .name_len = 5};
	cr_assert_eq(usm_table_add_any(t, &e), -ENOSPC);
	const struct usm_any_user *a = usm_table_find_any(t, (const uint8_t *)"trapper", 7);
	cr_assert_not_null(a);
	cr_assert_eq(a->level, USM_LEVEL_AUTH_PRIV);
	cr_assert_eq(a->priv, USM_PRIV_AES192);
	cr_assert_eq(usm_table_find_any(t, (const uint8_t *)"noauth", 6)->level,
		     USM_LEVEL_NOAUTH_NOPRIV);
	cr_assert_null(usm_table_find_any(t, (const uint8_t *)"trappe", 6));
	cr_assert_null(usm_table_find_any(t, (const uint8_t *)"", 0));
	usm_table_free(t);
}

Test(usm_table, grow_keeps_every_entry)
{
	struct usm_table *t = usm_table_new(100, 1);
	struct usm_user u;
	for (uint32_t i = 0; i < 100; i++) {
		make_user(&u, i / 2, i % 2 ? "odd" : "even");
		cr_assert_eq(usm_table_add(t, &u), 0);
	}
	struct usm_user_cfg c = {.name = "any", .name_len = 3};
	cr_assert_eq(usm_table_add_any(t, &c), 0);
	cr_assert_eq(usm_table_add(t, &u), -EEXIST);
	cr_assert_null(usm_table_grow(t, 99, 1));
	struct usm_table *g = usm_table_grow(t, 200, 4);
	cr_assert_not_null(g);
	usm_table_free(t);
	cr_assert_eq(usm_table_count(g), 100);
	for (uint32_t i = 0; i < 100; i++) {
		make_user(&u, i / 2, i % 2 ? "odd" : "even");
		const struct usm_user *f =
			usm_table_find(g, u.engine_id, u.engine_len, u.name, u.name_len);
		cr_assert_not_null(f, "entry %u lost", i);
		cr_assert_arr_eq(f, &u, sizeof(u));
	}
	cr_assert_not_null(usm_table_find_any(g, (const uint8_t *)"any", 3));
	make_user(&u, 1000, "new");
	cr_assert_eq(usm_table_add(g, &u), 0);
	usm_table_free(g);
}

// Readers look up entries the writer has published (count, acquire) while
// it keeps adding: every published entry is found whole.
struct race {
	struct usm_table *t;
	atomic_bool done;
	long checked, missing;
};

static void *reader(void *arg)
{
	struct race *r = arg;
	struct usm_user u;
	uint32_t i = 0;
	while (!atomic_load(&r->done)) {
		size_t n = usm_table_count(r->t);
		if (n == 0)
			continue;
		i = (i * 7 + 1) % (uint32_t)n;
		make_user(&u, i, "racer");
		const struct usm_user *f =
			usm_table_find(r->t, u.engine_id, u.engine_len, u.name, u.name_len);
		r->missing += !f || memcmp(f, &u, sizeof(u)) != 0;
		r->checked++;
	}
	return NULL;
}

Test(usm_table, readers_need_no_lock_while_one_writer_adds)
{
	struct race r = {.t = usm_table_new(20000, 0)};
	pthread_t th;
	cr_assert_eq(pthread_create(&th, NULL, reader, &r), 0);
	struct usm_user u;
	for (uint32_t i = 0; i < 20000; i++) {
		make_user(&u, i, "racer");
		cr_assert_eq(usm_table_add(r.t, &u), 0);
	}
	atomic_store(&r.done, true);
	pthread_join(th, NULL);
	cr_log_info("reader checked %ld lookups during the adds", r.checked);
	cr_assert_eq(r.missing, 0);
	usm_table_free(r.t);
}

// A million users with precomputed keys: every one found, memory printed.
Test(usm_table, a_million_users, .timeout = 600)
{
	const uint32_t n = 1000000;
	struct usm_table *t = usm_table_new(n, 0);
	cr_assert_not_null(t);
	struct usm_user u;
	for (uint32_t i = 0; i < n; i++) {
		make_user(&u, i, "trap");
		cr_assert_eq(usm_table_add(t, &u), 0);
	}
	cr_assert_eq(usm_table_count(t), n);
	for (uint32_t i = 0; i < n; i += 997) {
		make_user(&u, i, "trap");
		const struct usm_user *f =
			usm_table_find(t, u.engine_id, u.engine_len, u.name, u.name_len);
		cr_assert_not_null(f);
		cr_assert_arr_eq(f->hmac.ipad_state, u.hmac.ipad_state, USM_DIGEST_MAX);
	}
	make_user(&u, n, "trap");
	cr_assert_null(usm_table_find(t, u.engine_id, u.engine_len, u.name, u.name_len));
	double per_user = (double)usm_table_memory(t) / n;
	printf("usm table: %u users, %zu octets, %.0f octets per user (entry %zu)\n", n,
	       usm_table_memory(t), per_user, sizeof(struct usm_user));
	// entry plus slots (one per user and one per engine at load ≤ 1/2)
	cr_assert_lt(per_user, 400.0);
	usm_table_free(t);
}
