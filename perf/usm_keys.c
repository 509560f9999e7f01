/* SPDX-License-Identifier: BSD-3-Clause */
// usm-keys: what a user costs the control plane, per hash: password → Ku
// (the megabyte of hashing, once per user), Ku → Kul (once per engine),
// and the Reeder key extension (a second megabyte, AES-192/256-C and 3DES
// with short hashes), each on one thread. Then the daemon's way (issue
// #7): N users (10k, and 100k with USM_KEYS_100K=1 or =sha,sha256: those
// hashes only) hashed and localised
// per hash on the control plane's pool of 2 threads; and a key store of 1M
// SHA-256/AES-128 users (random Ku, localised for one engine on the pool)
// written, loaded back and turned into the workers' table, which is what a
// restart costs. Not pinned: the pool wants both cores.
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "bench.h"
#include "ctl_usm_keys.h"
#include "ctl_usm_pool.h"
#include <linerate/snmp_usm.h>

#define POOL_THREADS 2
#define STORE_USERS  1000000

#define MAX_SECONDS 1.0 // per figure
#define MAX_ITERS   2000

static const uint8_t engine[] = {0x80, 0, 0x1f, 0x88, 4, 'p', 'e', 'r', 'f'};

static void die(const char *what, int rc)
{
	fprintf(stderr, "usm-keys: %s: %s\n", what, usm_strerror(rc));
	exit(1);
}

enum step { KU, KUL, REEDER };

// One step for input variant i; exits on failure (only successes count).
static void once(enum usm_auth a, enum step st, int i)
{
	char pw[32];
	uint8_t in[USM_DIGEST_MAX], out[USM_DIGEST_MAX];
	int rc, n = snprintf(pw, sizeof(pw), "password-%d", i);
	memset(in, i, sizeof(in));
	switch (st) {
	case KU:
		rc = usm_password_to_ku(a, pw, (size_t)n, out);
		break;
	case KUL:
		rc = usm_localize_key(a, in, engine, sizeof(engine), out);
		break;
	default:
		rc = usm_priv_key_extend(a, USM_PRIV_AES256C, USM_EXT_REEDER, in, engine,
					 sizeof(engine), out);
		break;
	}
	if (rc < 0)
		die("key step", rc);
}

// Seconds per step, measured for up to MAX_SECONDS.
static double per_call(enum usm_auth a, enum step st)
{
	once(a, st, 0); // warm
	int n = 0;
	double t0 = now(), el;
	do
		once(a, st, ++n);
	while ((el = now() - t0) < MAX_SECONDS && n < MAX_ITERS);
	return el / n;
}

// One user of a pool run: password → Ku (both sides, one password), then
// localised for the engine, as lr_usm_users_add and a rebuild do.
struct pool_job {
	enum usm_auth auth;
	struct usm_user_cfg *cfg;
	int failed;
};

static void user_of(struct usm_user_cfg *c, enum usm_auth a, size_t i)
{
	memset(c, 0, sizeof(*c));
	c->name_len = (uint8_t)snprintf((char *)c->name, sizeof(c->name), "u%zu", i);
	c->auth = (uint8_t)a;
	c->priv = USM_PRIV_AES128;
	c->priv_key_len = (uint8_t)usm_auth_digest_len(a);
}

static void hash_localise(void *ctx, size_t i)
{
	struct pool_job *j = ctx;
	struct usm_user_cfg *c = &j->cfg[i];
	struct usm_user entry;
	struct ctl_usm_local keep;
	char pw[32];
	int n = snprintf(pw, sizeof(pw), "password-%zu", i);
	user_of(c, j->auth, i);
	if (usm_password_to_ku(j->auth, pw, (size_t)n, c->auth_key) < 0 ||
	    ctl_usm_localize(c, engine, sizeof(engine), &entry, &keep) < 0)
		__atomic_fetch_add(&j->failed, 1, __ATOMIC_RELAXED);
	memcpy(c->priv_key, c->auth_key, c->priv_key_len);
}

// Whether hash a is in the comma-separated list (NULL: every hash).
static bool wanted(const char *list, enum usm_auth a)
{
	if (!list)
		return true;
	size_t len = strlen(usm_auth_name(a));
	for (const char *p = list; *p;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n == len && !strncmp(p, usm_auth_name(a), n))
			return true;
		p += n + (end != NULL);
	}
	return false;
}

static void pool_rows(struct ctl_usm_pool *pool, size_t n, const char *only)
{
	struct pool_job j = {.cfg = calloc(n, sizeof(*j.cfg))};
	if (!j.cfg)
		die("memory", -ENOMEM);
	for (int a = USM_AUTH_MD5; a < USM_AUTH_COUNT; a++) {
		if (!wanted(only, (enum usm_auth)a))
			continue;
		j.auth = (enum usm_auth)a;
		double t0 = now();
		ctl_usm_pool_run(pool, n, hash_localise, &j);
		double el = now() - t0;
		if (j.failed)
			die("pool localisation", USM_ECRYPTO);
		printf("usm-keys: %zu users %-6s hashed and localised on %u threads: %.2f s "
		       "(%.0f users/s)\n",
		       n, usm_auth_name(a), ctl_usm_pool_threads(pool), el, (double)n / el);
	}
	OPENSSL_cleanse(j.cfg, n * sizeof(*j.cfg));
	free(j.cfg);
}

// The 1M-user store: random Ku, one localisation each (on the pool).
struct store_job {
	struct usm_user_cfg *cfg;
	struct ctl_usm_local *loc;
};

static void localise_only(void *ctx, size_t i)
{
	struct store_job *j = ctx;
	struct usm_user entry;
	if (ctl_usm_localize(&j->cfg[i], engine, sizeof(engine), &entry, &j->loc[i]) < 0)
		die("localise", USM_ECRYPTO);
}

static void store_rows(struct ctl_usm_pool *pool)
{
	char path[] = "/tmp/lr-perf-usmkeys-XXXXXX", err[512];
	int fd = mkstemp(path);
	if (fd < 0)
		die("mkstemp", -errno);
	close(fd);
	struct store_job j = {calloc(STORE_USERS, sizeof(*j.cfg)),
			      calloc(STORE_USERS, sizeof(*j.loc))};
	struct ctl_usm_keys *k = ctl_usm_keys_new();
	if (!j.cfg || !j.loc || !k)
		die("memory", -ENOMEM);
	for (size_t i = 0; i < STORE_USERS; i++) {
		user_of(&j.cfg[i], USM_AUTH_SHA256, i);
		RAND_bytes(j.cfg[i].auth_key, 32);
		RAND_bytes(j.cfg[i].priv_key, 32);
	}
	double t0 = now();
	ctl_usm_pool_run(pool, STORE_USERS, localise_only, &j);
	double t_loc = now() - t0;
	for (size_t i = 0; i < STORE_USERS; i++) {
		uint8_t fp[CTL_USM_FP_LEN];
		ctl_usm_fingerprint(&j.cfg[i], NULL, fp);
		struct ctl_usm_key_user *u = ctl_usm_keys_put(k, fp, CTL_USM_ORIGIN_CTL, &j.cfg[i]);
		if (!u || ctl_usm_key_user_keep(u, &j.loc[i]) < 0)
			die("store", -ENOMEM);
	}
	OPENSSL_cleanse(j.cfg, STORE_USERS * sizeof(*j.cfg));
	OPENSSL_cleanse(j.loc, STORE_USERS * sizeof(*j.loc));
	free(j.cfg);
	free(j.loc);
	t0 = now();
	if (ctl_usm_keys_save(k, path, err, sizeof(err)) < 0) {
		fprintf(stderr, "usm-keys: %s\n", err);
		exit(1);
	}
	double t_save = now() - t0;
	ctl_usm_keys_free(k);
	t0 = now();
	k = ctl_usm_keys_load(path, err, sizeof(err));
	double t_load = now() - t0;
	if (!k || ctl_usm_keys_count(k) != STORE_USERS) {
		fprintf(stderr, "usm-keys: load: %s\n", k ? "count" : err);
		exit(1);
	}
	// what a restart does next: every entry rebuilt from kept keys into
	// the workers' table, no hashing
	t0 = now();
	struct usm_table *t = usm_table_new(STORE_USERS, 1);
	for (size_t i = 0; t && i < STORE_USERS; i++) {
		const struct ctl_usm_key_user *u = ctl_usm_keys_at(k, i);
		struct usm_user entry;
		if (ctl_usm_entry(&u->cfg, &u->local[0], &entry) < 0 ||
		    usm_table_add(t, &entry) < 0)
			die("table", USM_EINVAL);
	}
	double t_table = now() - t0;
	usm_table_free(t);
	ctl_usm_keys_free(k);
	unlink(path);
	printf("usm-keys: key store of %d SHA-256/AES-128 users: localised on %u threads in %.2f "
	       "s, saved in %.2f s, table from kept keys in %.2f s\n",
	       STORE_USERS, ctl_usm_pool_threads(pool), t_loc, t_save, t_table);
	printf("usm-keys: restart (load + table) %.2f s\n", t_load + t_table);
	printf("usm-keys: %.2f s to load %d users from the key store (target < 10 s)\n", t_load,
	       STORE_USERS);
}

int main(void)
{
	double worst = 0;
	const char *worst_name = "";
	for (int a = USM_AUTH_MD5; a < USM_AUTH_COUNT; a++) {
		double ku = per_call(a, KU), kul = per_call(a, KUL);
		printf("usm-keys: %-6s password->Ku %.3f ms, Ku->Kul %.2f us", usm_auth_name(a),
		       ku * 1e3, kul * 1e6);
		if (usm_auth_digest_len(a) < 32)
			printf(", Reeder AES-256 extension %.3f ms", per_call(a, REEDER) * 1e3);
		printf("\n");
		if (ku + kul > worst) {
			worst = ku + kul;
			worst_name = usm_auth_name(a);
		}
	}
	printf("usm-keys: %.3f ms per user (slowest hash, %s: password to localised key)\n",
	       worst * 1e3, worst_name);
	struct ctl_usm_pool *pool = ctl_usm_pool_new(POOL_THREADS);
	if (!pool)
		die("pool", -errno);
	pool_rows(pool, 10000, NULL);
	// USM_KEYS_100K=1: 100k users per hash; or a list of hashes (sha,sha256)
	const char *big = getenv("USM_KEYS_100K");
	if (big && *big)
		pool_rows(pool, 100000, strcmp(big, "1") ? big : NULL);
	store_rows(pool);
	ctl_usm_pool_free(pool);
	return 0;
}
