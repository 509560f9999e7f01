/* SPDX-License-Identifier: BSD-3-Clause */
// linerated's USM key management: see usm_keys.h.
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <rte_rcu_qsbr.h>

#include <linerate/snmp_msg.h>

#include "ctl_io.h"
#include "ctl_usm_keys.h"
#include "ctl_usm_pool.h"
#include "lr.h"
#include "trap.h"
#include "usm_keys_internal.h"

struct lr_usm_state lr_usm_state = {.lock = PTHREAD_MUTEX_INITIALIZER, .index_dirty = true};

// --- hashing and localising on the pool --------------------------------------

struct hash_job {
	struct usm_user_cfg *cfg;
	const struct ctl_usm_pw *pw;
	int rc;
};

static void hash_one(void *ctx, size_t i)
{
	struct hash_job *j = &((struct hash_job *)ctx)[i];
	j->rc = 0;
	if (j->pw->len[0])
		j->rc = usm_password_to_ku(j->cfg->auth, j->pw->pw[0], j->pw->len[0],
					   j->cfg->auth_key);
	// one password for both: the same Ku (both hash with the auth protocol)
	if (j->rc >= 0 && j->pw->len[1] && j->pw->len[1] == j->pw->len[0] &&
	    !memcmp(j->pw->pw[0], j->pw->pw[1], j->pw->len[0]))
		memcpy(j->cfg->priv_key, j->cfg->auth_key, usm_auth_digest_len(j->cfg->auth));
	else if (j->rc >= 0 && j->pw->len[1])
		j->rc = usm_password_to_ku(j->cfg->auth, j->pw->pw[1], j->pw->len[1],
					   j->cfg->priv_key);
}

// One (user, engine) pair of a table being built.
struct pair {
	struct ctl_usm_key_user *user;
	uint8_t engine[USM_ENGINE_ID_MAX];
	uint8_t engine_len;
	bool kept; // entry from the store's keys; else localised on the pool
	int rc;
	struct usm_user entry;
	struct ctl_usm_local keep;
};

static void localise_one(void *ctx, size_t i)
{
	struct pair *p = ((struct pair **)ctx)[i];
	p->rc = ctl_usm_localize(&p->user->cfg, p->engine, p->engine_len, &p->entry, &p->keep);
}

// --- building and publishing the table ----------------------------------------

static bool pair_add(struct pair **v, size_t *n, size_t *cap, struct ctl_usm_key_user *u,
		     const uint8_t *e, size_t elen, size_t first)
{
	for (size_t i = first; i < *n; i++) // the same user's engines so far
		if (same_engine((*v)[i].engine, (*v)[i].engine_len, e, elen))
			return true;
	if (*n == *cap) {
		size_t nc = *cap ? 2 * *cap : 256;
		struct pair *nv = realloc(*v, nc * sizeof(*nv));
		if (!nv)
			return false;
		*v = nv;
		*cap = nc;
	}
	struct pair *p = &(*v)[(*n)++];
	memset(p, 0, sizeof(*p));
	p->user = u;
	memcpy(p->engine, e, elen);
	p->engine_len = (uint8_t)elen;
	return true;
}

// Every (user, engine) the table holds: a user with an engine for it; an
// any-engine user for ours, every declared engine, and every engine it was
// learned for. 0 or -ENOMEM.
static int pairs_list(struct pair **out, size_t *n)
{
	struct pair *v = NULL;
	size_t cap = 0;
	*n = 0;
	for (size_t i = 0; i < ctl_usm_keys_count(M.store); i++) {
		struct ctl_usm_key_user *u = ctl_usm_keys_at(M.store, i);
		const struct usm_user_cfg *c = &u->cfg;
		size_t first = *n;
		bool ok = true;
		if (c->engine_len) {
			ok = pair_add(&v, n, &cap, u, c->engine_id, c->engine_len, first);
		} else {
			if (M.local_len)
				ok = pair_add(&v, n, &cap, u, M.local, M.local_len, first);
			for (size_t k = 0; ok && k < M.n_engines; k++)
				ok = pair_add(&v, n, &cap, u, M.engines[k].e.id, M.engines[k].e.len,
					      first);
			for (uint32_t k = 0; ok && k < u->n_local; k++)
				ok = pair_add(&v, n, &cap, u, u->local[k].engine_id,
					      u->local[k].engine_len, first);
		}
		if (!ok) {
			free(v);
			*n = 0;
			return -ENOMEM;
		}
	}
	*out = v;
	return 0;
}

static void pairs_free(struct pair *v, size_t n)
{
	if (v)
		OPENSSL_cleanse(v, n * sizeof(*v));
	free(v);
}

// Entries for every pair: from kept keys, else localised on the pool (and
// kept). 0 or an error naming the user.
static int pairs_fill(struct pair *v, size_t n, char *err, size_t errlen)
{
	struct pair **todo = malloc((n ? n : 1) * sizeof(*todo));
	size_t nt = 0;
	if (!todo)
		return ctl_errf(err, errlen, -ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const struct ctl_usm_local *l =
			ctl_usm_key_user_local(v[i].user, v[i].engine, v[i].engine_len);
		v[i].kept = l && ctl_usm_entry(&v[i].user->cfg, l, &v[i].entry) == 0;
		if (!v[i].kept)
			todo[nt++] = &v[i];
	}
	ctl_usm_pool_run(M.pool, nt, localise_one, todo);
	int rc = 0;
	for (size_t i = 0; i < nt && rc == 0; i++) {
		struct pair *p = todo[i];
		const struct usm_user_cfg *c = &p->user->cfg;
		if (p->rc < 0)
			rc = ctl_errf(err, errlen, -EINVAL, "user %.*s: %s", (int)c->name_len,
				      (const char *)c->name, usm_strerror(p->rc));
		else if (ctl_usm_key_user_keep(p->user, &p->keep) < 0)
			rc = ctl_errf(err, errlen, -ENOMEM, "out of memory");
	}
	M.st.localised += nt;
	M.st.loaded_keys += n - nt;
	free(todo);
	return rc;
}

static struct usm_table *table_from(struct pair *v, size_t n, char *err, size_t errlen)
{
	size_t n_any = 0;
	for (size_t i = 0; i < ctl_usm_keys_count(M.store); i++)
		n_any += ctl_usm_keys_at(M.store, i)->cfg.engine_len == 0;
	struct usm_table *t = usm_table_new(n + LR_USM_LEARN_ROOM, n_any ? n_any : 1);
	if (!t) {
		ctl_errf(err, errlen, -ENOMEM, "out of memory for %zu users", n);
		return NULL;
	}
	// users with an engine first, so that the entry configured for our
	// engine wins over an any-engine user's of the same name
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < n; i++) {
			const struct usm_user_cfg *c = &v[i].user->cfg;
			if ((c->engine_len == 0) != pass)
				continue;
			int rc = 0;
			if (pass && !usm_table_find_any(t, c->name, c->name_len))
				rc = usm_table_add_any(t, c);
			if (rc == 0)
				rc = usm_table_add(t, &v[i].entry);
			if (rc && !(rc == -EEXIST && pass)) {
				ctl_errf(err, errlen, rc, "user %.*s: %s", (int)c->name_len,
					 (const char *)c->name, usm_strerror(rc));
				usm_table_free(t);
				return NULL;
			}
		}
	}
	return t;
}

static void index_rebuild(void);

// A new table from the store, published; the old one freed once every
// worker has been quiescent. Under M.lock. 0, or an error (the old table
// stays).
static int rebuild(char *err, size_t errlen)
{
	size_t n;
	struct pair *v = NULL;
	if (M.index_dirty) // here, so that learning on the drain thread never does
		index_rebuild();
	if (pairs_list(&v, &n) < 0)
		return ctl_errf(err, errlen, -ENOMEM, "out of memory");
	int rc = pairs_fill(v, n, err, errlen);
	struct usm_table *t = rc ? NULL : table_from(v, n, err, errlen);
	pairs_free(v, n);
	if (!t)
		return rc ? rc : -EINVAL;
	struct usm_table *old = M.table;
	M.table = t;
	M.learn_room = LR_USM_LEARN_ROOM;
	atomic_store_explicit(&lr_trap_users, t, memory_order_release);
	M.st.tables++;
	if (old) {
		rte_rcu_qsbr_synchronize(lr.rcu, RTE_QSBR_THRID_INVALID);
		usm_table_free(old);
	}
	return 0;
}

// The declared engines into the store, for its file. Under M.lock. 0, or
// a negative errno.
static int store_engines(void)
{
	struct ctl_usm_engine *v = malloc((M.n_engines ? M.n_engines : 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < M.n_engines; i++)
		v[i] = M.engines[i].e;
	int rc = ctl_usm_keys_set_engines(M.store, v, M.n_engines);
	free(v);
	return rc;
}

static void save(void)
{
	char err[512];
	int rc;
	if (!M.path)
		return;
	// without its engines the file would lose them: the last one stays
	if ((rc = store_engines()) < 0) {
		M.st.store_errors++;
		fprintf(stderr, "linerated: warning: key store: declared engines: %s\n",
			strerror(-rc));
		return;
	}
	if (ctl_usm_keys_save(M.store, M.path, err, sizeof(err)) < 0) {
		M.st.store_errors++;
		fprintf(stderr, "linerated: warning: key store: %s\n", err);
		return;
	}
	M.st.store_saves++;
}

// --- users ------------------------------------------------------------------------

// The users by (name, engine): positions in the store, rebuilt whole after
// any change (the store moves its last user into a removed one's place),
// so a lookup is O(1) for the drain thread's learning and for adds.
static uint64_t name_hash(const uint8_t *name, size_t name_len, const uint8_t *engine,
			  size_t engine_len)
{
	uint64_t h = 0xcbf29ce484222325ull; // FNV-1a: names are the operator's, not a sender's
	for (size_t i = 0; i < name_len; i++)
		h = (h ^ name[i]) * 0x100000001b3ull;
	h = (h ^ 0xff) * 0x100000001b3ull;
	for (size_t i = 0; i < engine_len; i++)
		h = (h ^ engine[i]) * 0x100000001b3ull;
	return h;
}

static void index_rebuild(void)
{
	size_t n = ctl_usm_keys_count(M.store), cap = 16;
	while (cap < 2 * n)
		cap <<= 1;
	if (cap != M.index_mask + 1 || !M.index) {
		free(M.index);
		M.index = calloc(cap, sizeof(*M.index));
		M.index_mask = M.index ? cap - 1 : 0;
	} else {
		memset(M.index, 0, cap * sizeof(*M.index));
	}
	if (!M.index)
		return; // out of memory: find_user scans
	for (size_t i = 0; i < n; i++) {
		const struct usm_user_cfg *c = &ctl_usm_keys_at(M.store, i)->cfg;
		size_t s =
			name_hash(c->name, c->name_len, c->engine_id, c->engine_len) & M.index_mask;
		while (M.index[s])
			s = (s + 1) & M.index_mask;
		M.index[s] = (uint32_t)(i + 1);
	}
	M.index_dirty = false;
}

static bool is_user(const struct ctl_usm_key_user *u, const uint8_t *name, size_t name_len,
		    const uint8_t *engine, size_t engine_len)
{
	return u->cfg.name_len == name_len && !memcmp(u->cfg.name, name, name_len) &&
	       same_engine(u->cfg.engine_id, u->cfg.engine_len, engine, engine_len);
}

static struct ctl_usm_key_user *find_user(const uint8_t *name, size_t name_len,
					  const uint8_t *engine, size_t engine_len)
{
	if (M.index_dirty)
		index_rebuild();
	if (!M.index) {
		for (size_t i = 0; i < ctl_usm_keys_count(M.store); i++)
			if (is_user(ctl_usm_keys_at(M.store, i), name, name_len, engine,
				    engine_len))
				return ctl_usm_keys_at(M.store, i);
		return NULL;
	}
	for (size_t s = name_hash(name, name_len, engine, engine_len) & M.index_mask; M.index[s];
	     s = (s + 1) & M.index_mask) {
		struct ctl_usm_key_user *u = ctl_usm_keys_at(M.store, M.index[s] - 1);
		if (is_user(u, name, name_len, engine, engine_len))
			return u;
	}
	return NULL;
}

// u's users into the store with this origin: Ku from the store when it
// knows the fingerprint, else hashed on the pool. Under M.lock (released
// while the pool hashes). Main lcore. 0 or an
// error; *fps gets each user's fingerprint (the caller frees).
static int resolve(struct ctl_usm_users *u, uint8_t origin, uint8_t (**fps)[CTL_USM_FP_LEN],
		   size_t *hashed, char *err, size_t errlen)
{
	static const struct ctl_usm_pw none;
	struct hash_job *jobs = calloc(u->n ? u->n : 1, sizeof(*jobs));
	uint8_t(*fp)[CTL_USM_FP_LEN] = calloc(u->n ? u->n : 1, sizeof(*fp));
	size_t nj = 0;
	int rc = 0;
	if (!jobs || !fp) {
		free(jobs);
		free(fp);
		return ctl_errf(err, errlen, -ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < u->n; i++) {
		struct usm_user_cfg *c = &u->users[i];
		const struct ctl_usm_pw *pw = u->pw ? &u->pw[i] : &none;
		ctl_usm_fingerprint(c, pw, fp[i]);
		const struct ctl_usm_key_user *known = ctl_usm_keys_find(M.store, fp[i]);
		if (known) {
			*c = known->cfg; // the same secrets: its Ku
			M.st.loaded_users++;
		} else if (pw->len[0] || pw->len[1]) {
			jobs[nj++] = (struct hash_job){.cfg = c, .pw = pw};
		}
	}
	// the megabytes of hashing without the lock: learning goes on; the
	// store is changed by the main lcore only (this caller), so what was
	// found above still holds after
	pthread_mutex_unlock(&M.lock);
	ctl_usm_pool_run(M.pool, nj, hash_one, jobs);
	pthread_mutex_lock(&M.lock);
	for (size_t i = 0; i < nj && rc == 0; i++)
		if (jobs[i].rc < 0)
			rc = ctl_errf(err, errlen, -EINVAL, "user %.*s: %s",
				      (int)jobs[i].cfg->name_len, (const char *)jobs[i].cfg->name,
				      usm_strerror(jobs[i].rc));
	M.st.hashes += nj;
	*hashed = nj;
	ctl_usm_users_forget_pw(u);
	M.index_dirty = true;
	for (size_t i = 0; i < u->n && rc == 0; i++)
		if (!ctl_usm_keys_put(M.store, fp[i], origin, &u->users[i]))
			rc = ctl_errf(err, errlen, -ENOMEM, "out of memory");
	free(jobs);
	if (rc)
		free(fp);
	else
		*fps = fp;
	return rc;
}

int lr_usm_users_add(struct ctl_usm_users *u, size_t *hashed, char *err, size_t errlen)
{
	uint8_t(*fps)[CTL_USM_FP_LEN] = NULL;
	int rc = 0;
	*hashed = 0;
	pthread_mutex_lock(&M.lock);
	for (size_t i = 0; i < u->n && rc == 0; i++) {
		const struct usm_user_cfg *c = &u->users[i];
		if (find_user(c->name, c->name_len, c->engine_id, c->engine_len))
			rc = ctl_errf(err, errlen, -EEXIST,
				      "user %.*s exists for %s engine: remove it first",
				      (int)c->name_len, (const char *)c->name,
				      c->engine_len ? "that" : "any");
	}
	if (rc == 0)
		rc = resolve(u, CTL_USM_ORIGIN_CTL, &fps, hashed, err, errlen);
	if (rc == 0 && (rc = rebuild(err, errlen)) < 0)
		for (size_t i = 0; i < u->n; i++) // all or none
			M.index_dirty = ctl_usm_keys_remove(M.store, fps[i]) || M.index_dirty;
	if (rc == 0)
		save();
	pthread_mutex_unlock(&M.lock);
	free(fps);
	return rc;
}

int lr_usm_user_remove(const uint8_t *name, size_t name_len, const uint8_t *engine,
		       size_t engine_len, char *err, size_t errlen)
{
	int rc;
	pthread_mutex_lock(&M.lock);
	struct ctl_usm_key_user *u = find_user(name, name_len, engine, engine_len);
	if (!u) {
		rc = ctl_errf(err, errlen, -ENOENT, "no user %.*s for %s engine", (int)name_len,
			      (const char *)name, engine_len ? "that" : "any");
	} else if (u->origin == CTL_USM_ORIGIN_FILE) {
		rc = ctl_errf(err, errlen, -EPERM,
			      "user %.*s comes from the users file: remove it there", (int)name_len,
			      (const char *)name);
	} else {
		uint8_t fp[CTL_USM_FP_LEN];
		memcpy(fp, u->fp, sizeof(fp));
		ctl_usm_keys_remove(M.store, fp);
		M.index_dirty = true;
		rc = rebuild(err, errlen);
		if (rc == 0)
			save();
	}
	pthread_mutex_unlock(&M.lock);
	return rc;
}

// --- engines -------------------------------------------------------------------

// The declarations to the workers: a new set, then the generation that
// makes them look. Under M.lock. 0 or -ENOMEM.
static int decls_publish(char *err, size_t errlen)
{
	struct lr_usm_decls *d = malloc(sizeof(*d) + M.n_engines * sizeof(d->e[0]));
	if (!d)
		return ctl_errf(err, errlen, -ENOMEM, "out of memory");
	d->n = M.n_engines;
	for (size_t i = 0; i < M.n_engines; i++) {
		const struct ctl_usm_engine *e = &M.engines[i].e;
		d->e[i] = (struct lr_usm_decl){.len = e->len,
					       .boots = e->boots,
					       .time = e->time,
					       .at = e->added,
					       .gen = M.engines[i].gen};
		memcpy(d->e[i].id, e->id, e->len);
	}
	const struct lr_usm_decls *old =
		atomic_exchange_explicit(&lr_usm_decls, d, memory_order_acq_rel);
	atomic_store_explicit(&lr_usm_decl_gen, M.gen, memory_order_release);
	if (old) {
		rte_rcu_qsbr_synchronize(lr.rcu, RTE_QSBR_THRID_INVALID);
		free((void *)(uintptr_t)old);
	}
	return 0;
}

int lr_usm_engine_add(const uint8_t *id, size_t len, uint32_t boots, uint32_t time, char *err,
		      size_t errlen)
{
	int rc = usm_engine_id_check(id, len);
	if (rc)
		return ctl_errf(err, errlen, -EINVAL, "engine: %s", usm_strerror(rc));
	if (boots > USM_BOOTS_MAX || time > USM_TIME_MAX) // the key store keeps no more
		return ctl_errf(err, errlen, -EINVAL, "boots and time: 0 to %u", USM_BOOTS_MAX);
	pthread_mutex_lock(&M.lock);
	size_t i = 0;
	while (i < M.n_engines && !same_engine(M.engines[i].e.id, M.engines[i].e.len, id, len))
		i++;
	if (i == M.n_engines) {
		struct engine_decl *ne = NULL;
		if (M.n_engines < LR_USM_ENGINES_MAX)
			ne = realloc(M.engines, (M.n_engines + 1) * sizeof(*ne));
		if (!ne) {
			pthread_mutex_unlock(&M.lock);
			return ctl_errf(err, errlen, -ENOSPC, "at most %d engines",
					LR_USM_ENGINES_MAX);
		}
		M.engines = ne;
		memset(&M.engines[i], 0, sizeof(M.engines[i]));
		memcpy(M.engines[i].e.id, id, len);
		M.engines[i].e.len = (uint8_t)len;
		M.n_engines++;
	}
	M.engines[i].e.boots = boots;
	M.engines[i].e.time = time;
	M.engines[i].e.added = atomic_load(&lr.now);
	M.engines[i].gen = ++M.gen;
	// the keys first: the workers take the engine's boots and time once
	// they can check its messages
	rc = rebuild(err, errlen);
	if (rc == 0)
		rc = decls_publish(err, errlen);
	if (rc == 0)
		save();
	pthread_mutex_unlock(&M.lock);
	return rc;
}

int lr_usm_engine_remove(const uint8_t *id, size_t len, char *err, size_t errlen)
{
	int rc = -ENOENT;
	pthread_mutex_lock(&M.lock);
	for (size_t i = 0; i < M.n_engines; i++) {
		if (!same_engine(M.engines[i].e.id, M.engines[i].e.len, id, len))
			continue;
		M.engines[i] = M.engines[--M.n_engines];
		M.gen++; // nothing new for the workers (what they know stays)
		// its localisations go with it, unless a user is configured for it
		for (size_t k = 0; k < ctl_usm_keys_count(M.store); k++) {
			struct ctl_usm_key_user *u = ctl_usm_keys_at(M.store, k);
			for (uint32_t j = 0; j < u->n_local; j++)
				if (!u->cfg.engine_len &&
				    same_engine(u->local[j].engine_id, u->local[j].engine_len, id,
						len)) {
					OPENSSL_cleanse(&u->local[j], sizeof(u->local[j]));
					u->local[j] = u->local[--u->n_local];
					break;
				}
		}
		rc = rebuild(err, errlen);
		if (rc == 0)
			rc = decls_publish(err, errlen);
		if (rc == 0)
			save();
		break;
	}
	pthread_mutex_unlock(&M.lock);
	return rc == -ENOENT ? ctl_errf(err, errlen, rc, "no such engine declared") : rc;
}

// --- the engine cache -----------------------------------------------------------

int lr_usm_cache_clear(char *err, size_t errlen)
{
	for (unsigned i = 0; i < lr.nworkers; i++) {
		struct lr_trap_worker *t = lr_traps_worker(i);
		if (t)
			atomic_fetch_add_explicit(&t->clear_req, 1, memory_order_relaxed);
	}
	pthread_mutex_lock(&M.lock);
	for (size_t i = 0; i < ctl_usm_keys_count(M.store); i++)
		ctl_usm_key_user_forget(ctl_usm_keys_at(M.store, i));
	// what stays (our engine, declared ones) is localised again: cheap
	int rc = rebuild(err, errlen);
	if (rc == 0)
		save();
	pthread_mutex_unlock(&M.lock);
	return rc;
}

int lr_usm_hash_all(json_t *reply, char *err, size_t errlen)
{
	pthread_mutex_lock(&M.lock);
	uint64_t loc = M.st.localised, kept = M.st.loaded_keys;
	int rc = rebuild(err, errlen);
	if (rc == 0)
		save();
	json_object_set_new(reply, "users", json_integer((json_int_t)ctl_usm_keys_count(M.store)));
	json_object_set_new(reply, "localized", json_integer((json_int_t)(M.st.localised - loc)));
	json_object_set_new(reply, "from_store",
			    json_integer((json_int_t)(M.st.loaded_keys - kept)));
	pthread_mutex_unlock(&M.lock);
	return rc;
}

// --- learning any-engine users ------------------------------------------------------

int lr_usm_learn(const uint8_t *msg, size_t len)
{
	static struct snmp_varbind vb[LR_TRAP_VB_MAX]; // the drain thread's alone
	struct snmp_msg m;
	memset(&m, 0, sizeof(m));
	// the header and USM parameters are kept even when the PDU is not
	// readable (encrypted, or past vb)
	snmp_msg_decode(&m, msg, len, vb, LR_TRAP_VB_MAX);
	const struct snmp_bytes *e = &m.usm.engine_id, *un = &m.usm.user_name;
	if (m.version != SNMP_V3 || !e->len || e->len > USM_ENGINE_ID_MAX || !un->len ||
	    un->len > USM_NAME_MAX)
		return -1;
	if (pthread_mutex_trylock(&M.lock) != 0) {
		M.st.learn_shed++; // racy count: a statistic only
		return -2;
	}
	int rc = -1;
	struct ctl_usm_key_user *u = find_user(un->ptr, un->len, NULL, 0);
	if (usm_table_find(M.table, e->ptr, e->len, un->ptr, un->len)) {
		rc = 0;
	} else if (u && M.learn_room) {
		struct usm_user entry;
		struct ctl_usm_local keep;
		bool ok = ctl_usm_localize(&u->cfg, e->ptr, e->len, &entry, &keep) == 0 &&
			  (entry.auth == USM_AUTH_NONE ||
			   usm_auth_verify(&entry.hmac, msg, len, m.usm.auth_params_off,
					   m.usm.auth_params.len) == 0) &&
			  usm_table_add(M.table, &entry) == 0;
		if (ok) {
			M.learn_room--;
			ctl_usm_key_user_keep(u, &keep); // kept for rebuilds and restarts
			rc = 1;
		}
		OPENSSL_cleanse(&entry, sizeof(entry));
		OPENSSL_cleanse(&keep, sizeof(keep));
	}
	if (rc == 1)
		M.st.learned++;
	else if (rc < 0)
		M.st.learn_refused++;
	pthread_mutex_unlock(&M.lock);
	return rc;
}

// --- start and stop ------------------------------------------------------------------

// The users file's users into the store (origin file; path NULL: no users
// file, none); file users no longer in it leave, and a ctl user of the same
// name and engine gives way. 0, or -1 and why (the store unchanged when
// the file does not load).
static int file_users(const char *path, char *err, size_t errlen)
{
	static const char empty[] = "users: []\n";
	struct ctl_usm_users *u =
		path ? ctl_usm_users_load_pw(path, NULL, 0, err, errlen)
		     : ctl_usm_users_load_pw(NULL, empty, sizeof(empty) - 1, err, errlen);
	if (!u)
		return -1;
	pthread_mutex_lock(&M.lock);
	for (size_t i = 0; i < u->n; i++) {
		const struct usm_user_cfg *c = &u->users[i];
		struct ctl_usm_key_user *o;
		uint8_t fp[CTL_USM_FP_LEN];
		ctl_usm_fingerprint(c, &u->pw[i], fp);
		// another user of that name and engine (not this one's own
		// entry, with its Ku): the file's wins
		while ((o = find_user(c->name, c->name_len, c->engine_id, c->engine_len)) &&
		       memcmp(o->fp, fp, CTL_USM_FP_LEN)) {
			if (o->origin == CTL_USM_ORIGIN_CTL)
				fprintf(stderr,
					"linerated: warning: user %.*s added by linerate-ctl is "
					"in the users file too: the file's wins\n",
					(int)c->name_len, (const char *)c->name);
			memcpy(fp, o->fp, sizeof(fp));
			ctl_usm_keys_remove(M.store, fp);
			M.index_dirty = true;
			ctl_usm_fingerprint(c, &u->pw[i], fp);
		}
	}
	uint8_t(*fps)[CTL_USM_FP_LEN] = NULL;
	size_t hashed;
	int rc = resolve(u, CTL_USM_ORIGIN_FILE, &fps, &hashed, err, errlen);
	size_t n = ctl_usm_keys_count(M.store);
	bool *current = rc ? NULL : calloc(n ? n : 1, sizeof(*current));
	if (!rc && !current)
		rc = ctl_errf(err, errlen, -ENOMEM, "out of memory");
	for (size_t i = 0; current && i < u->n; i++) {
		const struct ctl_usm_key_user *k = ctl_usm_keys_find(M.store, fps[i]);
		if (k)
			current[k - ctl_usm_keys_at(M.store, 0)] = true;
	}
	// file entries the file no longer has (changed passwords, removed
	// users) go; from the end, since the store moves its last entry into
	// a removed one's place (one already visited)
	for (size_t i = n; current && i-- > 0;) {
		struct ctl_usm_key_user *k = ctl_usm_keys_at(M.store, i);
		if (k->origin != CTL_USM_ORIGIN_FILE || current[i])
			continue;
		uint8_t fp[CTL_USM_FP_LEN];
		memcpy(fp, k->fp, sizeof(fp));
		ctl_usm_keys_remove(M.store, fp);
		M.index_dirty = true;
	}
	pthread_mutex_unlock(&M.lock);
	free(current);
	free(fps);
	ctl_usm_users_free(u);
	return rc ? -1 : 0;
}

int lr_usm_reload(char *err, size_t errlen)
{
	if (!M.started)
		return 0;
	uint64_t hashes = M.st.hashes;
	if (file_users(M.users_path, err, errlen) < 0)
		return -1;
	pthread_mutex_lock(&M.lock);
	int rc = rebuild(err, errlen);
	if (rc == 0)
		save();
	size_t n = ctl_usm_keys_count(M.store);
	pthread_mutex_unlock(&M.lock);
	if (rc == 0)
		fprintf(stderr,
			"linerated: SNMPv3 users reloaded: %zu users, %lu password%s hashed\n", n,
			(unsigned long)(M.st.hashes - hashes),
			M.st.hashes - hashes == 1 ? "" : "s");
	return rc ? -1 : 0;
}

// The declared engines the key store kept, each a new generation for the
// workers; their `added` stays, so each engine's clock goes on from when
// it was declared (usm_ctx_engine_set's `at`). Main lcore, before the
// first table. 0 or -1.
static int engines_restore(void)
{
	size_t n;
	const struct ctl_usm_engine *v = ctl_usm_keys_engines(M.store, &n);
	if (n > LR_USM_ENGINES_MAX)
		n = LR_USM_ENGINES_MAX;
	M.engines = calloc(n ? n : 1, sizeof(*M.engines));
	if (!M.engines) {
		fprintf(stderr, "linerated: declared engines: %s\n", strerror(ENOMEM));
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		M.engines[i] = (struct engine_decl){.e = v[i], .gen = ++M.gen};
	M.n_engines = n;
	return 0;
}

int lr_usm_start(const struct ctl_config *cfg, const uint8_t *engine_id, size_t engine_len,
		 const char *store_path, unsigned threads)
{
	char err[512];
	M.started = true;
	memcpy(M.local, engine_id, engine_len);
	M.local_len = engine_len;
	M.pool = ctl_usm_pool_new(threads);
	M.path = store_path ? strdup(store_path) : NULL;
	if (!M.pool || (store_path && !M.path)) {
		fprintf(stderr, "linerated: USM hashing pool: %s\n", strerror(errno));
		return -1;
	}
	M.store = store_path ? ctl_usm_keys_load(store_path, err, sizeof(err)) : NULL;
	if (!M.store && store_path && errno != ENOENT) {
		// refused whole (the message says why): kept aside for the
		// operator (the users added by linerate-ctl live there), the
		// file's users hashed again and a new store written (0600)
		char aside[4200];
		snprintf(aside, sizeof(aside), "%s.refused", store_path);
		bool kept = rename(store_path, aside) == 0;
		fprintf(stderr,
			"linerated: warning: key store %s; %s%s, the users file's users are "
			"hashed again and users added by linerate-ctl are not loaded\n",
			err, kept ? "moved to " : "could not be moved aside", kept ? aside : "");
	}
	if (!M.store && !(M.store = ctl_usm_keys_new()))
		return -1;
	size_t stored = ctl_usm_keys_count(M.store);
	if (engines_restore() < 0)
		return -1;
	M.users_path = cfg->snmp.users_file ? strdup(cfg->snmp.users_file) : NULL;
	if (file_users(M.users_path, err, sizeof(err)) < 0) {
		fprintf(stderr, "linerated: snmp.users_file: %s\n", err);
		return -1;
	}
	pthread_mutex_lock(&M.lock);
	int rc = rebuild(err, sizeof(err));
	if (rc == 0 && M.n_engines) // the keys first, as lr_usm_engine_add
		rc = decls_publish(err, sizeof(err));
	if (rc == 0)
		save();
	pthread_mutex_unlock(&M.lock);
	if (rc) {
		fprintf(stderr, "linerated: SNMPv3 users: %s\n", err);
		return -1;
	}
	fprintf(stderr,
		"linerated: %zu SNMPv3 user%s, %zu table entries; %zu in the key store, %zu "
		"declared engine%s, %lu password%s hashed, %lu key%s localised (%u hashing "
		"thread%s)\n",
		ctl_usm_keys_count(M.store), ctl_usm_keys_count(M.store) == 1 ? "" : "s",
		usm_table_count(M.table), stored, M.n_engines, M.n_engines == 1 ? "" : "s",
		(unsigned long)M.st.hashes, M.st.hashes == 1 ? "" : "s",
		(unsigned long)M.st.localised, M.st.localised == 1 ? "" : "s",
		ctl_usm_pool_threads(M.pool), ctl_usm_pool_threads(M.pool) == 1 ? "" : "s");
	return 0;
}

void lr_usm_stop(void)
{
	if (!M.started)
		return;
	pthread_mutex_lock(&M.lock);
	if (M.store)
		save(); // what was learned since the last change
	atomic_store(&lr_trap_users, NULL);
	usm_table_free(M.table);
	ctl_usm_keys_free(M.store);
	ctl_usm_pool_free(M.pool);
	free(M.path);
	free(M.users_path);
	M.users_path = NULL;
	free(M.engines);
	free((void *)(uintptr_t)atomic_exchange(&lr_usm_decls, NULL));
	free(M.index);
	M.index = NULL;
	M.index_dirty = true;
	pthread_mutex_unlock(&M.lock);
	M.table = NULL;
	M.store = NULL;
	M.pool = NULL;
	M.path = NULL;
	M.engines = NULL;
	M.n_engines = 0;
	M.started = false;
}

void lr_usm_get_stats(struct lr_usm_stats *s)
{
	*s = M.st;
}

json_t *lr_usm_stats_json(void)
{
	struct lr_usm_stats s = M.st;
	json_t *o = json_object();
	const struct {
		const char *name;
		uint64_t v;
	} c[] = {
		{"hashes", s.hashes},
		{"localized", s.localised},
		{"loaded_users", s.loaded_users},
		{"loaded_keys", s.loaded_keys},
		{"learned", s.learned},
		{"learn_refused", s.learn_refused},
		{"learn_shed", s.learn_shed},
		{"tables", s.tables},
		{"store_saves", s.store_saves},
		{"store_errors", s.store_errors},
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		json_object_set_new(o, c[i].name, json_integer((json_int_t)c[i].v));
	const struct usm_table *t = atomic_load(&lr_trap_users);
	json_object_set_new(o, "table_entries",
			    json_integer(t ? (json_int_t)usm_table_count(t) : 0));
	json_object_set_new(o, "hash_threads",
			    json_integer(M.pool ? ctl_usm_pool_threads(M.pool) : 0));
	return o;
}
