/* SPDX-License-Identifier: BSD-3-Clause */
// The USM key store (ctl_usm_keys.h): users by fingerprint in memory, and
// the checksummed file they are kept in.
#include "ctl_usm_keys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <linerate/wire.h>

#include "ctl_io.h"

// The smallest a user record and a localisation can be: to refuse counts
// the payload cannot hold before reading them.
#define USER_MIN   (CTL_USM_FP_LEN + 11 + 1)
#define LOCAL_MIN  (1 + USM_ENGINE_ID_MIN + 3)
#define ENGINE_MIN (1 + USM_ENGINE_ID_MIN + 12)

struct ctl_usm_keys {
	struct ctl_usm_key_user *u;
	size_t n, cap;
	uint32_t *slot; // open addressing on the fingerprint: index + 1, 0 free
	size_t mask;
	uint8_t id_secret[CTL_USM_ID_SECRET_LEN]; // key IDs: HMAC key (secret)
	struct ctl_usm_engine *eng;		  // declared engines
	size_t n_eng;
};

struct ctl_usm_keys *ctl_usm_keys_new(void)
{
	struct ctl_usm_keys *k = calloc(1, sizeof(*k));
	if (k && RAND_priv_bytes(k->id_secret, sizeof(k->id_secret)) != 1) {
		free(k);
		k = NULL;
	}
	if (!k)
		errno = ENOMEM;
	return k;
}

static void user_wipe(struct ctl_usm_key_user *u)
{
	if (u->local)
		OPENSSL_cleanse(u->local, u->cap_local * sizeof(*u->local));
	free(u->local);
	OPENSSL_cleanse(u, sizeof(*u));
}

void ctl_usm_keys_free(struct ctl_usm_keys *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->n; i++)
		user_wipe(&k->u[i]);
	free(k->u);
	free(k->slot);
	free(k->eng);
	OPENSSL_cleanse(k->id_secret, sizeof(k->id_secret));
	free(k);
}

size_t ctl_usm_keys_count(const struct ctl_usm_keys *k)
{
	return k->n;
}

struct ctl_usm_key_user *ctl_usm_keys_at(struct ctl_usm_keys *k, size_t i)
{
	return i < k->n ? &k->u[i] : NULL;
}

// The fingerprint is SHA-256 output: its first octets are hash enough.
static size_t home(const struct ctl_usm_keys *k, const uint8_t *fp)
{
	uint64_t h;
	memcpy(&h, fp, sizeof(h));
	return (size_t)h & k->mask;
}

static size_t find_slot(const struct ctl_usm_keys *k, const uint8_t *fp)
{
	for (size_t s = home(k, fp);; s = (s + 1) & k->mask)
		if (!k->slot[s] || !memcmp(k->u[k->slot[s] - 1].fp, fp, CTL_USM_FP_LEN))
			return s;
}

static int rehash(struct ctl_usm_keys *k, size_t want)
{
	size_t n = 16;
	while (n < 2 * want)
		n <<= 1;
	uint32_t *slot = calloc(n, sizeof(*slot));
	if (!slot)
		return -ENOMEM;
	free(k->slot);
	k->slot = slot;
	k->mask = n - 1;
	for (size_t i = 0; i < k->n; i++)
		k->slot[find_slot(k, k->u[i].fp)] = (uint32_t)(i + 1);
	return 0;
}

struct ctl_usm_key_user *ctl_usm_keys_find(struct ctl_usm_keys *k, const uint8_t fp[CTL_USM_FP_LEN])
{
	if (!k->slot)
		return NULL;
	uint32_t i = k->slot[find_slot(k, fp)];
	return i ? &k->u[i - 1] : NULL;
}

struct ctl_usm_key_user *ctl_usm_keys_put(struct ctl_usm_keys *k, const uint8_t fp[CTL_USM_FP_LEN],
					  uint8_t origin, const struct usm_user_cfg *cfg)
{
	struct ctl_usm_key_user *u = ctl_usm_keys_find(k, fp);
	if (!u) {
		if (k->n == k->cap) {
			size_t cap = k->cap ? 2 * k->cap : 64;
			struct ctl_usm_key_user *nu = realloc(k->u, cap * sizeof(*nu));
			if (!nu) {
				errno = ENOMEM;
				return NULL;
			}
			k->u = nu;
			k->cap = cap;
		}
		if (2 * (k->n + 1) > k->mask + 1 && rehash(k, k->n + 1) < 0) {
			errno = ENOMEM;
			return NULL;
		}
		u = &k->u[k->n];
		memset(u, 0, sizeof(*u));
		memcpy(u->fp, fp, CTL_USM_FP_LEN);
		k->slot[find_slot(k, fp)] = (uint32_t)(++k->n);
	}
	u->origin = origin;
	u->cfg = *cfg;
	return u;
}

bool ctl_usm_keys_remove(struct ctl_usm_keys *k, const uint8_t fp[CTL_USM_FP_LEN])
{
	if (!k->slot)
		return false;
	size_t s = find_slot(k, fp);
	if (!k->slot[s])
		return false;
	size_t i = k->slot[s] - 1;
	// backward-shift deletion (linear probing): no tombstones
	k->slot[s] = 0;
	for (size_t j = (s + 1) & k->mask; k->slot[j]; j = (j + 1) & k->mask) {
		size_t h = home(k, k->u[k->slot[j] - 1].fp);
		if (((j - h) & k->mask) >= ((j - s) & k->mask)) {
			k->slot[s] = k->slot[j];
			k->slot[j] = 0;
			s = j;
		}
	}
	user_wipe(&k->u[i]);
	if (i != k->n - 1) { // the last one takes its place
		k->u[i] = k->u[k->n - 1];
		k->slot[find_slot(k, k->u[i].fp)] = (uint32_t)(i + 1);
		memset(&k->u[k->n - 1], 0, sizeof(k->u[0]));
	}
	k->n--;
	return true;
}

const struct ctl_usm_local *ctl_usm_key_user_local(const struct ctl_usm_key_user *u,
						   const uint8_t *engine_id, size_t engine_len)
{
	for (uint32_t i = 0; i < u->n_local; i++)
		if (u->local[i].engine_len == engine_len &&
		    !memcmp(u->local[i].engine_id, engine_id, engine_len))
			return &u->local[i];
	return NULL;
}

int ctl_usm_key_user_keep(struct ctl_usm_key_user *u, const struct ctl_usm_local *l)
{
	struct ctl_usm_local *old =
		(struct ctl_usm_local *)ctl_usm_key_user_local(u, l->engine_id, l->engine_len);
	if (old) {
		*old = *l;
		return 0;
	}
	if (u->n_local == u->cap_local) {
		uint32_t cap = u->cap_local ? 2 * u->cap_local : 1;
		struct ctl_usm_local *nl = calloc(cap, sizeof(*nl));
		if (!nl)
			return -ENOMEM;
		if (u->local) {
			memcpy(nl, u->local, u->n_local * sizeof(*nl));
			OPENSSL_cleanse(u->local, u->cap_local * sizeof(*nl));
			free(u->local);
		}
		u->local = nl;
		u->cap_local = cap;
	}
	u->local[u->n_local++] = *l;
	return 0;
}

void ctl_usm_key_user_forget(struct ctl_usm_key_user *u)
{
	uint32_t kept = 0;
	for (uint32_t i = 0; i < u->n_local; i++) {
		const struct ctl_usm_local *l = &u->local[i];
		if (u->cfg.engine_len && l->engine_len == u->cfg.engine_len &&
		    !memcmp(l->engine_id, u->cfg.engine_id, l->engine_len))
			u->local[kept++] = *l;
	}
	if (u->local)
		OPENSSL_cleanse(u->local + kept, (u->cap_local - kept) * sizeof(*u->local));
	u->n_local = kept;
}

// --- declared engines -------------------------------------------------------

// Why engine e cannot be kept (what the loader refuses), or NULL.
static const char *engine_fault(const struct ctl_usm_engine *e)
{
	if (e->len < USM_ENGINE_ID_MIN || e->len > USM_ENGINE_ID_MAX)
		return "engine ID not 5..32 octets";
	if (usm_engine_id_check(e->id, e->len))
		return "engine ID all zeros or all 0xff"; // RFC 3411 §5 SnmpEngineID
	if (e->boots > USM_BOOTS_MAX || e->time > USM_TIME_MAX)
		return "boots or time over 2147483647"; // RFC 3414 §2.2.1
	return NULL;
}

static int engine_cmp(const void *a, const void *b)
{
	const struct ctl_usm_engine *x = *(const struct ctl_usm_engine *const *)a;
	const struct ctl_usm_engine *y = *(const struct ctl_usm_engine *const *)b;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	int c = memcmp(x->id, y->id, x->len);
	return c ? c : (x < y ? -1 : 1); // ties by position: the later one is the repeat
}

// The first engine of v[0..n) whose ID an earlier one has: its index, n
// when none, SIZE_MAX when out of memory. Sorted, so O(n log n).
static size_t engines_repeat(const struct ctl_usm_engine *v, size_t n)
{
	const struct ctl_usm_engine **p = malloc((n ? n : 1) * sizeof(*p));
	size_t first = n;
	if (!p)
		return SIZE_MAX;
	for (size_t i = 0; i < n; i++)
		p[i] = &v[i];
	qsort(p, n, sizeof(*p), engine_cmp);
	for (size_t i = 1; i < n; i++)
		if (p[i]->len == p[i - 1]->len && !memcmp(p[i]->id, p[i - 1]->id, p[i]->len) &&
		    (size_t)(p[i] - v) < first)
			first = (size_t)(p[i] - v);
	free(p);
	return first;
}

int ctl_usm_keys_set_engines(struct ctl_usm_keys *k, const struct ctl_usm_engine *e, size_t n)
{
	if (n > CTL_USM_ENGINES_MAX)
		return -E2BIG;
	for (size_t i = 0; i < n; i++)
		if (engine_fault(&e[i]))
			return -EINVAL;
	size_t rep = engines_repeat(e, n);
	if (rep != n)
		return rep == SIZE_MAX ? -ENOMEM : -EINVAL;
	struct ctl_usm_engine *v = malloc((n ? n : 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (n)
		memcpy(v, e, n * sizeof(*v));
	free(k->eng);
	k->eng = v;
	k->n_eng = n;
	return 0;
}

const struct ctl_usm_engine *ctl_usm_keys_engines(const struct ctl_usm_keys *k, size_t *n)
{
	*n = k->n_eng;
	return k->eng;
}

// --- fingerprints and key IDs -----------------------------------------------

static void fp_side(EVP_MD_CTX *md, uint8_t form, const void *secret, size_t len)
{
	uint8_t hdr[3] = {form, (uint8_t)(len >> 8), (uint8_t)len};
	EVP_DigestUpdate(md, hdr, sizeof(hdr));
	EVP_DigestUpdate(md, secret, len);
}

void ctl_usm_fingerprint(const struct usm_user_cfg *c, const struct ctl_usm_pw *pw,
			 uint8_t fp[CTL_USM_FP_LEN])
{
	static const char tag[] = "linerate usm key store 1";
	uint8_t head[6] = {c->name_len, c->engine_len, c->auth, c->priv, c->compat, 0};
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	// on failure (out of memory) a fingerprint matching nothing: the user
	// is hashed again, which is only slower
	memset(fp, 0, CTL_USM_FP_LEN);
	if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(md);
		return;
	}
	EVP_DigestUpdate(md, tag, sizeof(tag));
	EVP_DigestUpdate(md, head, sizeof(head));
	EVP_DigestUpdate(md, c->name, c->name_len);
	EVP_DigestUpdate(md, c->engine_id, c->engine_len);
	// 'P' for a password, else the key's form: a key and a password of the
	// same octets are different secrets
	if (c->auth != USM_AUTH_NONE) {
		if (pw && pw->len[0])
			fp_side(md, 'P', pw->pw[0], pw->len[0]);
		else
			fp_side(md, c->auth_form, c->auth_key, usm_auth_digest_len(c->auth));
	}
	if (c->priv != USM_PRIV_NONE) {
		if (pw && pw->len[1])
			fp_side(md, 'P', pw->pw[1], pw->len[1]);
		else
			fp_side(md, c->priv_form, c->priv_key, c->priv_key_len);
	}
	unsigned n = 0;
	if (EVP_DigestFinal_ex(md, fp, &n) != 1)
		memset(fp, 0, CTL_USM_FP_LEN);
	EVP_MD_CTX_free(md);
}

void ctl_usm_key_id(const struct ctl_usm_keys *k, const uint8_t *key, size_t len,
		    char out[CTL_USM_KEY_ID_LEN + 1])
{
	uint8_t d[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	if (!HMAC(EVP_sha256(), k->id_secret, sizeof(k->id_secret), key, len, d, &n))
		memset(d, 0, sizeof(d));
	for (int i = 0; i < CTL_USM_KEY_ID_LEN / 2; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

// --- localisation -------------------------------------------------------------

int ctl_usm_localize(const struct usm_user_cfg *cfg, const uint8_t *engine_id, size_t engine_len,
		     struct usm_user *entry, struct ctl_usm_local *keep)
{
	int rc = usm_user_localize(cfg, engine_id, engine_len, entry);
	if (rc < 0)
		return rc;
	memset(keep, 0, sizeof(*keep));
	memcpy(keep->engine_id, engine_id, engine_len);
	keep->engine_len = (uint8_t)engine_len;
	keep->n_priv_keys = entry->n_priv_keys;
	memcpy(keep->priv_ext, entry->priv_ext, sizeof(keep->priv_ext));
	memcpy(keep->priv_key, entry->priv_key, sizeof(keep->priv_key));
	if (cfg->auth == USM_AUTH_NONE)
		return 0;
	// the entry keeps the HMAC's pads, not Kul: Kul again (one hash)
	if (cfg->auth_form == USM_KEY_KU)
		rc = usm_localize_key(cfg->auth, cfg->auth_key, engine_id, engine_len, keep->kul);
	else
		memcpy(keep->kul, cfg->auth_key, usm_auth_digest_len(cfg->auth));
	if (rc < 0) {
		OPENSSL_cleanse(entry, sizeof(*entry));
		OPENSSL_cleanse(keep, sizeof(*keep));
		return rc;
	}
	return 0;
}

int ctl_usm_entry(const struct usm_user_cfg *cfg, const struct ctl_usm_local *l,
		  struct usm_user *entry)
{
	memset(entry, 0, sizeof(*entry));
	if (l->engine_len < USM_ENGINE_ID_MIN || l->engine_len > USM_ENGINE_ID_MAX ||
	    cfg->name_len < 1 || cfg->name_len > USM_NAME_MAX || l->n_priv_keys > 2)
		return USM_EINVAL;
	memcpy(entry->engine_id, l->engine_id, l->engine_len);
	entry->engine_len = l->engine_len;
	memcpy(entry->name, cfg->name, cfg->name_len);
	entry->name_len = cfg->name_len;
	entry->auth = cfg->auth;
	entry->priv = cfg->priv;
	entry->level = (uint8_t)usm_user_cfg_level(cfg);
	entry->n_priv_keys = l->n_priv_keys;
	memcpy(entry->priv_ext, l->priv_ext, sizeof(entry->priv_ext));
	memcpy(entry->priv_key, l->priv_key, sizeof(entry->priv_key));
	if (cfg->auth == USM_AUTH_NONE)
		return 0;
	int rc = usm_hmac_key_init(&entry->hmac, cfg->auth, l->kul, usm_auth_digest_len(cfg->auth));
	if (rc < 0)
		OPENSSL_cleanse(entry, sizeof(*entry));
	return rc < 0 ? rc : 0;
}

// --- the file -------------------------------------------------------------------

static size_t local_len(const struct usm_user_cfg *c, const struct ctl_usm_local *l)
{
	return 1 + l->engine_len + 3 + usm_auth_digest_len(c->auth) +
	       (size_t)l->n_priv_keys * usm_priv_key_len(c->priv);
}

static size_t user_len(const struct ctl_usm_key_user *u)
{
	const struct usm_user_cfg *c = &u->cfg;
	size_t n = CTL_USM_FP_LEN + 11 + c->name_len + c->engine_len +
		   usm_auth_digest_len(c->auth) + c->priv_key_len;
	for (uint32_t i = 0; i < u->n_local; i++)
		n += local_len(c, &u->local[i]);
	return n;
}

static void put_user(struct wire_wr *w, const struct ctl_usm_key_user *u)
{
	const struct usm_user_cfg *c = &u->cfg;
	wire_write_bytes(w, u->fp, CTL_USM_FP_LEN);
	wire_write_u8(w, u->origin);
	wire_write_u8(w, c->name_len);
	wire_write_bytes(w, c->name, c->name_len);
	wire_write_u8(w, c->engine_len);
	wire_write_bytes(w, c->engine_id, c->engine_len);
	const uint8_t b[6] = {c->auth,	    c->priv,	  c->compat,
			      c->auth_form, c->priv_form, c->priv_key_len};
	wire_write_bytes(w, b, sizeof(b));
	wire_write_bytes(w, c->auth_key, usm_auth_digest_len(c->auth));
	wire_write_bytes(w, c->priv_key, c->priv_key_len);
	wire_write_u16(w, (uint16_t)u->n_local);
	for (uint32_t i = 0; i < u->n_local; i++) {
		const struct ctl_usm_local *l = &u->local[i];
		wire_write_u8(w, l->engine_len);
		wire_write_bytes(w, l->engine_id, l->engine_len);
		wire_write_u8(w, l->n_priv_keys);
		wire_write_bytes(w, l->priv_ext, 2);
		wire_write_bytes(w, l->kul, usm_auth_digest_len(c->auth));
		for (unsigned k = 0; k < l->n_priv_keys; k++)
			wire_write_bytes(w, l->priv_key[k], usm_priv_key_len(c->priv));
	}
}

static void put_engines(struct wire_wr *w, const struct ctl_usm_engine *v, size_t n)
{
	wire_write_u16(w, (uint16_t)n);
	for (size_t i = 0; i < n; i++) {
		wire_write_u8(w, v[i].len);
		wire_write_bytes(w, v[i].id, v[i].len);
		wire_write_u32(w, v[i].boots);
		wire_write_u32(w, v[i].time);
		wire_write_u32(w, v[i].added);
	}
}

static int sha256(const uint8_t *p, size_t len, uint8_t out[32])
{
	unsigned n = 0;
	return EVP_Digest(p, len, out, &n, EVP_sha256(), NULL) == 1 ? 0 : -EIO;
}

int ctl_usm_keys_save(struct ctl_usm_keys *k, const char *path, char *err, size_t errlen)
{
	size_t total = CTL_USM_KEYS_HDR_LEN;
	for (size_t i = 0; i < k->n; i++)
		total += user_len(&k->u[i]);
	total += 2;
	for (size_t i = 0; i < k->n_eng; i++)
		total += 1 + k->eng[i].len + 12;
	if (total > CTL_USM_KEYS_FILE_MAX)
		return ctl_errf(err, errlen, -EFBIG, "%s: %zu octets: over the key store's limit",
				path, total);
	uint8_t *buf = malloc(total);
	if (!buf)
		return ctl_errf(err, errlen, -ENOMEM, "%s: out of memory", path);
	struct wire_wr w;
	wire_wr_init(&w, buf + CTL_USM_KEYS_HDR_LEN, total - CTL_USM_KEYS_HDR_LEN);
	for (size_t i = 0; i < k->n; i++)
		put_user(&w, &k->u[i]);
	put_engines(&w, k->eng, k->n_eng);
	size_t plen = total - CTL_USM_KEYS_HDR_LEN;
	int rc = w.err || wire_wr_len(&w) != plen ? -EIO : 0;
	struct wire_wr h;
	wire_wr_init(&h, buf, CTL_USM_KEYS_HDR_LEN);
	wire_write_bytes(&h, CTL_USM_KEYS_MAGIC, 8);
	wire_write_u32(&h, CTL_USM_KEYS_VERSION);
	wire_write_u32(&h, (uint32_t)k->n);
	wire_write_u32(&h, (uint32_t)((uint64_t)plen >> 32));
	wire_write_u32(&h, (uint32_t)plen);
	if (rc == 0)
		rc = sha256(buf + CTL_USM_KEYS_HDR_LEN, plen, h.pos);
	memcpy(buf + CTL_USM_KEYS_HDR_V1, k->id_secret, sizeof(k->id_secret));
	if (rc == 0)
		rc = ctl_write_atomic(path, buf, total, err, errlen);
	else
		snprintf(err, errlen, "%s: encoding failed", path);
	OPENSSL_cleanse(buf, total);
	free(buf);
	return rc;
}

// One localisation of c from the cursor; NULL, or why it is refused.
static const char *get_local(struct wire_cur *r, const struct usm_user_cfg *c,
			     struct ctl_usm_local *l)
{
	memset(l, 0, sizeof(*l));
	l->engine_len = wire_read_u8(r);
	if (r->err == 0 && (l->engine_len < USM_ENGINE_ID_MIN || l->engine_len > USM_ENGINE_ID_MAX))
		return "localisation: engine ID not 5..32 octets";
	wire_read_bytes(r, l->engine_id, l->engine_len);
	if (r->err == 0 && usm_engine_id_check(l->engine_id, l->engine_len))
		return "localisation: engine ID all zeros or all 0xff";
	l->n_priv_keys = wire_read_u8(r);
	wire_read_bytes(r, l->priv_ext, 2);
	if (l->n_priv_keys > (c->priv == USM_PRIV_NONE ? 0 : 2) ||
	    (c->priv != USM_PRIV_NONE && !l->n_priv_keys))
		return "localisation: count of cipher keys does not fit the priv protocol";
	if (l->priv_ext[0] >= USM_EXT_COUNT || l->priv_ext[1] >= USM_EXT_COUNT)
		return "localisation: unknown key extension";
	wire_read_bytes(r, l->kul, usm_auth_digest_len(c->auth));
	for (unsigned k = 0; k < l->n_priv_keys; k++)
		wire_read_bytes(r, l->priv_key[k], usm_priv_key_len(c->priv));
	return NULL;
}

// The user fields of one record, checked against the registries.
static const char *get_cfg(struct wire_cur *r, struct usm_user_cfg *c)
{
	c->name_len = wire_read_u8(r);
	if (r->err == 0 && (c->name_len < 1 || c->name_len > USM_NAME_MAX))
		return "user name not 1..32 octets";
	wire_read_bytes(r, c->name, c->name_len);
	c->engine_len = wire_read_u8(r);
	if (r->err == 0 && c->engine_len && c->engine_len > USM_ENGINE_ID_MAX)
		return "engine ID longer than 32 octets";
	wire_read_bytes(r, c->engine_id, c->engine_len);
	uint8_t b[6];
	wire_read_bytes(r, b, sizeof(b));
	if (r->err)
		return NULL;
	if (c->engine_len && usm_engine_id_check(c->engine_id, c->engine_len))
		return "engine ID not 5..32 octets, or all zeros or 0xff";
	c->auth = b[0];
	c->priv = b[1];
	c->compat = b[2];
	c->auth_form = b[3];
	c->priv_form = b[4];
	c->priv_key_len = b[5];
	if (c->auth >= USM_AUTH_COUNT || c->priv >= USM_PRIV_COUNT || c->compat >= USM_COMPAT_COUNT)
		return "unknown auth, priv or compat";
	if (c->priv != USM_PRIV_NONE && c->auth == USM_AUTH_NONE)
		return "priv without auth";
	if (c->auth_form > USM_KEY_LOCAL || c->priv_form > USM_KEY_EXTENDED ||
	    (!c->engine_len && (c->auth_form != USM_KEY_KU || c->priv_form != USM_KEY_KU)))
		return "key form unknown, or localised without an engine";
	size_t dlen = usm_auth_digest_len(c->auth);
	bool ok = c->priv == USM_PRIV_NONE ? c->priv_key_len == 0
					   : c->priv_key_len == (c->priv_form == USM_KEY_EXTENDED
									 ? usm_priv_key_len(c->priv)
									 : dlen);
	if (!ok)
		return "priv key length does not fit the protocols";
	wire_read_bytes(r, c->auth_key, dlen);
	wire_read_bytes(r, c->priv_key, c->priv_key_len);
	return NULL;
}

static int parse_fail(struct ctl_usm_keys *k, char *err, size_t errlen, size_t off, const char *why)
{
	ctl_usm_keys_free(k);
	snprintf(err, errlen, "damaged at offset %zu: %s", off, why);
	errno = EINVAL;
	return -EINVAL;
}

static const char *get_user(struct wire_cur *r, struct ctl_usm_keys *k)
{
	uint8_t fp[CTL_USM_FP_LEN], origin;
	struct usm_user_cfg c;
	memset(&c, 0, sizeof(c));
	wire_read_bytes(r, fp, sizeof(fp));
	origin = wire_read_u8(r);
	if (r->err == 0 && origin >= CTL_USM_ORIGIN_COUNT)
		return "unknown origin";
	const char *why = get_cfg(r, &c);
	uint16_t nl = wire_read_u16(r);
	if (why || r->err) {
		usm_user_cfg_wipe(&c);
		return why;
	}
	if ((size_t)nl * LOCAL_MIN > wire_cur_left(r))
		why = "more localisations than the rest of the file holds";
	else if (ctl_usm_keys_find(k, fp))
		why = "the same fingerprint twice";
	struct ctl_usm_key_user *u = why ? NULL : ctl_usm_keys_put(k, fp, origin, &c);
	usm_user_cfg_wipe(&c);
	if (!u)
		return why ? why : "out of memory";
	for (uint16_t i = 0; i < nl && !r->err; i++) {
		struct ctl_usm_local l;
		why = get_local(r, &u->cfg, &l);
		if (!why && r->err == 0 && ctl_usm_key_user_keep(u, &l) < 0)
			why = "out of memory";
		OPENSSL_cleanse(&l, sizeof(l));
		if (why)
			return why;
	}
	return NULL;
}

// One declared engine from the cursor; NULL, or why it is refused (a
// truncated one: r->err).
static const char *get_engine(struct wire_cur *r, struct ctl_usm_engine *e)
{
	e->len = wire_read_u8(r);
	if (r->err == 0 && (e->len < USM_ENGINE_ID_MIN || e->len > USM_ENGINE_ID_MAX))
		return "engine ID not 5..32 octets";
	wire_read_bytes(r, e->id, e->len);
	e->boots = wire_read_u32(r);
	e->time = wire_read_u32(r);
	e->added = wire_read_u32(r);
	return r->err ? NULL : engine_fault(e);
}

// The declared engines (version 3) from the cursor into k, hlen octets of
// header before the cursor's start. 0, or k freed and the fault in err.
static int get_engines(struct wire_cur *r, struct ctl_usm_keys *k, size_t hlen, char *err,
		       size_t errlen)
{
	char msg[96];
	size_t at = hlen + wire_cur_offset(r);
	uint16_t n = wire_read_u16(r);
	const char *why = NULL;
	snprintf(msg, sizeof(msg), "engines: %u, more than %d", n, CTL_USM_ENGINES_MAX);
	if (r->err)
		why = "engines: truncated count";
	else if (n > CTL_USM_ENGINES_MAX)
		why = msg;
	else if ((size_t)n * ENGINE_MIN > wire_cur_left(r))
		why = "engines: more than the rest of the file holds";
	else if (n && !(k->eng = calloc(n, sizeof(*k->eng))))
		why = "out of memory";
	if (why)
		return parse_fail(k, err, errlen, at, why);
	size_t first = hlen + wire_cur_offset(r);
	for (uint16_t i = 0; i < n; i++) {
		at = hlen + wire_cur_offset(r);
		why = get_engine(r, &k->eng[i]);
		if (!why && r->err)
			why = "truncated record";
		if (why) {
			snprintf(msg, sizeof(msg), "engine %u: %s", i, why);
			return parse_fail(k, err, errlen, at, msg);
		}
		k->n_eng++;
	}
	size_t rep = engines_repeat(k->eng, n);
	if (rep == n)
		return 0;
	if (rep == SIZE_MAX)
		return parse_fail(k, err, errlen, 0, "out of memory");
	at = first;
	for (size_t i = 0; i < rep; i++)
		at += 1 + k->eng[i].len + 12;
	snprintf(msg, sizeof(msg), "engine %zu: the same engine ID as an earlier one", rep);
	return parse_fail(k, err, errlen, at, msg);
}

struct ctl_usm_keys *ctl_usm_keys_parse(const uint8_t *buf, size_t len, char *err, size_t errlen)
{
	struct ctl_usm_keys *k = ctl_usm_keys_new();
	struct wire_cur r;
	uint8_t sum[32];
	if (!k) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (len < CTL_USM_KEYS_HDR_V1 || memcmp(buf, CTL_USM_KEYS_MAGIC, 8) != 0) {
		parse_fail(k, err, errlen, 0,
			   len < CTL_USM_KEYS_HDR_V1 ? "shorter than the header"
						     : "not a linerate key store (magic)");
		return NULL;
	}
	wire_cur_init(&r, buf + 8, CTL_USM_KEYS_HDR_V1 - 8);
	uint32_t version = wire_read_u32(&r), n = wire_read_u32(&r);
	uint64_t plen = (uint64_t)wire_read_u32(&r) << 32;
	plen |= wire_read_u32(&r);
	if (version < 1 || version > CTL_USM_KEYS_VERSION) {
		char why[64];
		snprintf(why, sizeof(why), "version %u, not %u", version, CTL_USM_KEYS_VERSION);
		parse_fail(k, err, errlen, 8, why);
		return NULL;
	}
	// version 1 has no ID secret: it keeps the one ctl_usm_keys_new drew
	size_t hlen = version == 1 ? CTL_USM_KEYS_HDR_V1 : CTL_USM_KEYS_HDR_LEN;
	if (len < hlen) {
		parse_fail(k, err, errlen, 0, "shorter than the header");
		return NULL;
	}
	if (hlen == CTL_USM_KEYS_HDR_LEN)
		memcpy(k->id_secret, buf + CTL_USM_KEYS_HDR_V1, sizeof(k->id_secret));
	if (plen != len - hlen) {
		parse_fail(k, err, errlen, 16,
			   plen > len - hlen
				   ? "truncated: the header's payload length is past the end"
				   : "the header's payload length is short of the end");
		return NULL;
	}
	if ((uint64_t)n * USER_MIN > plen) {
		parse_fail(k, err, errlen, 12, "more users than the payload holds");
		return NULL;
	}
	const uint8_t *payload = buf + hlen;
	if (sha256(payload, (size_t)plen, sum) < 0 || memcmp(sum, r.pos, 32) != 0) {
		parse_fail(k, err, errlen, 24, "checksum does not match the payload");
		return NULL;
	}
	if (n && rehash(k, n) < 0) {
		parse_fail(k, err, errlen, 0, "out of memory");
		return NULL;
	}
	wire_cur_init(&r, payload, (size_t)plen);
	for (uint32_t i = 0; i < n; i++) {
		size_t at = hlen + wire_cur_offset(&r);
		const char *why = get_user(&r, k);
		if (!why && r.err)
			why = "truncated record";
		if (why) {
			char msg[96];
			snprintf(msg, sizeof(msg), "user %u: %s", i, why);
			parse_fail(k, err, errlen, at, msg);
			return NULL;
		}
	}
	// versions 1 and 2: no engines
	if (version >= 3 && get_engines(&r, k, hlen, err, errlen) < 0)
		return NULL;
	if (wire_cur_left(&r)) {
		parse_fail(k, err, errlen, hlen + wire_cur_offset(&r),
			   version >= 3 ? "octets after the engines"
					: "octets after the last user");
		return NULL;
	}
	return k;
}

struct ctl_usm_keys *ctl_usm_keys_load(const char *path, char *err, size_t errlen)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		int e = errno;
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		errno = e;
		return NULL;
	}
	int e = 0;
	if (fstat(fd, &st) != 0)
		e = errno;
	else if (!S_ISREG(st.st_mode))
		e = EINVAL;
	else if (st.st_mode & 077)
		e = EPERM;
	else if ((uint64_t)st.st_size > CTL_USM_KEYS_FILE_MAX)
		e = EFBIG;
	if (e) {
		close(fd);
		if (e == EPERM)
			snprintf(err, errlen,
				 "%s: mode %04o lets others read the keys: refused (it must be "
				 "0600; the keys may have leaked)",
				 path, (unsigned)(st.st_mode & 07777));
		else
			snprintf(err, errlen, "%s: %s", path,
				 e == EINVAL ? "not a regular file" : strerror(e));
		errno = e;
		return NULL;
	}
	size_t len = (size_t)st.st_size;
	uint8_t *buf = malloc(len ? len : 1);
	size_t got = 0;
	while (buf && got < len) {
		ssize_t r = read(fd, buf + got, len - got);
		if (r <= 0) {
			e = r < 0 ? errno : EIO;
			break;
		}
		got += (size_t)r;
	}
	close(fd);
	if (!buf || e) {
		snprintf(err, errlen, "%s: %s", path, buf ? strerror(e) : "out of memory");
		free(buf);
		errno = buf ? e : ENOMEM;
		return NULL;
	}
	char why[256];
	struct ctl_usm_keys *k = ctl_usm_keys_parse(buf, len, why, sizeof(why));
	e = errno;
	OPENSSL_cleanse(buf, len);
	free(buf);
	if (!k) {
		snprintf(err, errlen, "%s: %s", path, why);
		errno = e;
	}
	return k;
}
