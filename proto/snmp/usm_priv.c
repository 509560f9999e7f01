/* SPDX-License-Identifier: BSD-3-Clause */
// Privacy: DES-CBC (RFC 3414 §8), 3DES-EDE-CBC
// (draft-reeder-snmpv3-usm-3desede §5), AES-CFB-128/192/256 (RFC 3826 §3,
// draft-blumenthal-aes-usm-04), and the per-worker context holding the
// cipher contexts and salt counters.
//
// Single DES runs as DES-EDE3 with the key three times (E_K(D_K(E_K(x))) =
// E_K(x)): OpenSSL 3 keeps DES-CBC in the legacy provider only, and loading
// a provider is process-wide state a library should not take on.
#include <errno.h>
#include <limits.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

#include "usm_internal.h"

static const char *const cipher_names[USM_CIPHER_COUNT] = {
	[USM_CIPHER_CBC] = "DES-EDE3-CBC",   [USM_CIPHER_CFB128] = "AES-128-CFB",
	[USM_CIPHER_CFB192] = "AES-192-CFB", [USM_CIPHER_CFB256] = "AES-256-CFB",
	[USM_CIPHER_ECB128] = "AES-128-ECB", [USM_CIPHER_ECB192] = "AES-192-ECB",
	[USM_CIPHER_ECB256] = "AES-256-ECB",
};

#define KEYSTREAM_CHUNK 512 // octets of CFB keystream made per ECB call

#define ECB128_SETS_MAX 2048 // 8,192 contexts, ~6 MB: past this, re-keying

// Sets for about two keyed AES-128 contexts per remote engine (one user an
// engine is the common case): at most a few percent of the users then
// share their set with four others (load ~0.5 a context, Poisson).
static int ecb128_new(struct usm_ctx *ctx, size_t remote_engines)
{
	size_t sets = 1;
	while (sets < ECB128_SETS_MAX && sets * USM_ECB_WAYS < 2 * remote_engines)
		sets *= 2;
	ctx->ecb128 = calloc(sets, sizeof(*ctx->ecb128));
	if (!ctx->ecb128)
		return -1;
	ctx->ecb128_sets = sets;
	if (RAND_bytes((unsigned char *)&ctx->ecb128_mul, sizeof(ctx->ecb128_mul)) != 1)
		return -1;
	ctx->ecb128_mul |= 1;
	EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, "AES-128-ECB", NULL);
	int ok = c != NULL;
	for (size_t i = 0; ok && i < sets; i++) {
		for (int w = 0; ok && w < USM_ECB_WAYS; w++) {
			EVP_CIPHER_CTX *e = EVP_CIPHER_CTX_new();
			ctx->ecb128[i].way[w].c = e;
			ok = e && EVP_CipherInit_ex(e, c, NULL, NULL, NULL, 1);
		}
	}
	EVP_CIPHER_free(c); // each context keeps its own reference
	return ok ? 0 : -1;
}

static void ecb128_free(struct usm_ctx *ctx)
{
	for (size_t i = 0; ctx->ecb128 && i < ctx->ecb128_sets; i++)
		for (int w = 0; w < USM_ECB_WAYS; w++)
			EVP_CIPHER_CTX_free(ctx->ecb128[i].way[w].c);
	if (ctx->ecb128)
		usm_wipe(ctx->ecb128, ctx->ecb128_sets * sizeof(*ctx->ecb128));
	free(ctx->ecb128);
}

// The context holding AES-128 key k for encryption (CFB's keystream),
// keyed now only when none of its set holds it; NULL when keying failed.
static EVP_CIPHER_CTX *ecb128_keyed(struct usm_ctx *ctx, const uint8_t k[16])
{
	uint64_t h;
	memcpy(&h, k, sizeof(h));
	struct usm_ecb_set *s = &ctx->ecb128[(h * ctx->ecb128_mul >> 32) & (ctx->ecb128_sets - 1)];
	for (int w = 0; w < USM_ECB_WAYS; w++)
		if (s->way[w].keyed && usm_same(s->way[w].key, k, 16))
			return s->way[w].c;
	struct usm_ecb_way *v = &s->way[s->next];
	s->next = (uint8_t)((s->next + 1) % USM_ECB_WAYS);
	v->keyed = false;
	if (!EVP_CipherInit_ex(v->c, NULL, NULL, k, NULL, 1))
		return NULL;
	memcpy(v->key, k, 16);
	v->keyed = true;
	return v->c;
}

struct usm_ctx *usm_ctx_new(size_t remote_engines)
{
	struct usm_ctx *ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return NULL;
	ctx->engines = usm_engine_cache_new(remote_engines);
	if (!ctx->engines || ecb128_new(ctx, remote_engines) != 0)
		goto fail;
	for (int i = 0; i < USM_CIPHER_COUNT; i++) {
		EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, cipher_names[i], NULL);
		ctx->cipher[i] = EVP_CIPHER_CTX_new();
		int ok = c && ctx->cipher[i] &&
			 EVP_CipherInit_ex(ctx->cipher[i], c, NULL, NULL, NULL, 0) &&
			 EVP_CIPHER_CTX_set_padding(ctx->cipher[i], 0);
		EVP_CIPHER_free(c); // the context keeps its own reference
		if (!ok)
			goto fail;
	}
	if (RAND_bytes((unsigned char *)&ctx->aes_salt, sizeof(ctx->aes_salt)) != 1 ||
	    RAND_bytes((unsigned char *)&ctx->des_salt, sizeof(ctx->des_salt)) != 1)
		goto fail;
	return ctx;
fail:
	usm_ctx_free(ctx);
	errno = ENOMEM;
	return NULL;
}

void usm_ctx_free(struct usm_ctx *ctx)
{
	if (!ctx)
		return;
	for (int i = 0; i < USM_CIPHER_COUNT; i++)
		EVP_CIPHER_CTX_free(ctx->cipher[i]);
	ecb128_free(ctx);
	usm_engine_cache_free(ctx->engines);
	usm_wipe(ctx, sizeof(*ctx));
	free(ctx);
}

void usm_ctx_set_salt(struct usm_ctx *ctx, uint64_t aes, uint32_t des)
{
	ctx->aes_salt = aes;
	ctx->des_salt = des;
}

static bool is_cbc(enum usm_priv p)
{
	return p == USM_PRIV_DES || p == USM_PRIV_3DES;
}

size_t usm_encrypted_len(enum usm_priv p, size_t plain_len)
{
	return is_cbc(p) ? (plain_len + 7) / 8 * 8 : plain_len;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

// The cipher, key and IV for one message of user u (RFC 3414 §8.1.1.1,
// RFC 3826 §3.1.2.1). For AES, c is the CFB context; ECB is c + 3.
struct run {
	enum usm_cipher c;
	size_t key_len;
	uint8_t key[24];
	const uint8_t *keyp;
	uint8_t iv[16];
};

static void setup(const struct usm_user *u, unsigned key, uint32_t boots, uint32_t time,
		  const uint8_t salt[USM_SALT_LEN], struct run *r)
{
	const uint8_t *k = u->priv_key[key];
	switch (u->priv) {
	case USM_PRIV_DES:
	case USM_PRIV_3DES:
		r->c = USM_CIPHER_CBC;
		r->key_len = 24;
		if (u->priv == USM_PRIV_DES) {
			// key: the first 8 octets, three times; pre-IV: the next 8
			memcpy(r->key, k, 8);
			memcpy(r->key + 8, k, 8);
			memcpy(r->key + 16, k, 8);
			r->keyp = r->key;
			k += 8;
		} else {
			// draft-reeder §5.1.1.1: key 24 octets, pre-IV the last 8
			r->keyp = k;
			k += 24;
		}
		// IV = salt XOR pre-IV
		for (int i = 0; i < 8; i++)
			r->iv[i] = salt[i] ^ k[i];
		break;
	default:
		r->key_len = usm_priv_key_len(u->priv);
		r->c = r->key_len == 16	  ? USM_CIPHER_CFB128
		       : r->key_len == 24 ? USM_CIPHER_CFB192
					  : USM_CIPHER_CFB256;
		r->keyp = k;
		// IV = boots || time || salt, big-endian (RFC 3826 §3.1.2.1)
		put32(r->iv, boots);
		put32(r->iv + 4, time);
		memcpy(r->iv + 8, salt, 8);
		break;
	}
}

// Context i with this key (re-keyed only when it holds another) and iv.
static int keyed(struct usm_ctx *ctx, enum usm_cipher i, const uint8_t *key, size_t len,
		 const uint8_t *iv, int enc)
{
	bool same = ctx->keyed[i] == enc + 1 && memcmp(ctx->key[i], key, len) == 0;
	if (same && !iv)
		return 0;
	if (!EVP_CipherInit_ex(ctx->cipher[i], NULL, NULL, same ? NULL : key, iv, enc)) {
		ctx->keyed[i] = 0;
		return USM_ECRYPTO;
	}
	memcpy(ctx->key[i], key, len);
	ctx->keyed[i] = (uint8_t)(enc + 1);
	return 0;
}

static int crypt_span(EVP_CIPHER_CTX *c, const uint8_t *in, size_t len, uint8_t *out)
{
	int outl = 0;
	if (!EVP_CipherUpdate(c, out, &outl, in, (int)len) || (size_t)outl != len)
		return USM_ECRYPTO;
	return 0;
}

// CFB-128 decryption (RFC 3826 §3.1.4) as ECB: P_i = C_i XOR E(C_i-1)
// with C_0 the IV. Every input of E is known up front, so a chunk of
// blocks goes through AES in one pipelined ECB call rather than one
// dependent call per block; out may be in.
static int cfb_decrypt(EVP_CIPHER_CTX *ecb, const uint8_t iv[16], const uint8_t *in, size_t len,
		       uint8_t *out)
{
	uint8_t ks[KEYSTREAM_CHUNK];
	size_t used = 16; // octets of ks that held keystream, cleansed at the end
	int rc = 0;
	memcpy(ks, iv, 16);
	for (size_t off = 0; rc == 0 && off < len; off += KEYSTREAM_CHUNK) {
		size_t n = len - off < KEYSTREAM_CHUNK ? len - off : KEYSTREAM_CHUNK;
		size_t blocks = (n + 15) / 16;
		// ks[0..16) holds E's first input (IV or the last block of the
		// chunk before); the rest are this chunk's ciphertext blocks
		memcpy(ks + 16, in + off, (blocks - 1) * 16);
		// the next chunk's first input, read before out overwrites it
		uint8_t next[16] = {0};
		if (off + n < len)
			memcpy(next, in + off + n - 16, 16);
		used = blocks * 16 > used ? blocks * 16 : used;
		rc = crypt_span(ecb, ks, blocks * 16, ks);
		for (size_t i = 0; i < n; i++)
			out[off + i] = in[off + i] ^ ks[i];
		memcpy(ks, next, 16);
	}
	// only what was used: the whole chunk cost a 300-octet trap as much
	// as its HMAC's tail when wiped an octet at a time
	usm_wipe(ks, used);
	return rc;
}

static int check_user(const struct usm_user *u, unsigned key, size_t len)
{
	if (!u || u->priv <= USM_PRIV_NONE || u->priv >= USM_PRIV_COUNT || key >= u->n_priv_keys)
		return USM_EINVAL;
	if (len > INT_MAX - 16)
		return USM_EINVAL;
	return 0;
}

int usm_decrypt(struct usm_ctx *ctx, const struct usm_user *u, unsigned key, uint32_t boots,
		uint32_t time, const uint8_t *salt, size_t salt_len, const uint8_t *in, size_t len,
		uint8_t *out, size_t cap)
{
	int rc = check_user(u, key, len);
	if (rc)
		return rc;
	// RFC 3414 §8.3.2 step 1, RFC 3826 §3.3.2 step 1
	if (salt_len != USM_SALT_LEN)
		return USM_EPRIV_PARAMS_LEN;
	if (len == 0)
		return USM_ECIPHER_EMPTY;
	// RFC 3414 §8.3.2 step 2: CBC needs whole blocks
	if (is_cbc(u->priv) && len % 8)
		return USM_ECIPHER_LEN;
	if (cap < len)
		return USM_ENOSPACE;
	struct run r;
	setup(u, key, boots, time, salt, &r);
	if (r.c == USM_CIPHER_CBC) {
		rc = keyed(ctx, r.c, r.keyp, r.key_len, r.iv, 0);
		if (rc == 0)
			rc = crypt_span(ctx->cipher[r.c], in, len, out);
	} else {
		enum usm_cipher ecb = r.c + (USM_CIPHER_ECB128 - USM_CIPHER_CFB128);
		EVP_CIPHER_CTX *e = ctx->cipher[ecb];
		if (ecb == USM_CIPHER_ECB128)
			e = ecb128_keyed(ctx, r.keyp);
		else
			rc = keyed(ctx, ecb, r.keyp, r.key_len, NULL, 1);
		if (rc == 0 && !e)
			rc = USM_ECRYPTO;
		if (rc == 0)
			rc = cfb_decrypt(e, r.iv, in, len, out);
	}
	usm_wipe(&r, sizeof(r));
	return rc ? rc : (int)len;
}

int usm_encrypt(struct usm_ctx *ctx, const struct usm_user *u, unsigned key, uint32_t boots,
		uint32_t time, const uint8_t *plain, size_t len, uint8_t *out, size_t cap,
		uint8_t salt[USM_SALT_LEN])
{
	int rc = check_user(u, key, len);
	if (rc)
		return rc;
	size_t n = usm_encrypted_len(u->priv, len);
	if (cap < n)
		return USM_ENOSPACE;
	if (is_cbc(u->priv)) {
		// RFC 3414 §8.1.1.1: snmpEngineBoots then a 32-bit counter
		put32(salt, boots);
		put32(salt + 4, ctx->des_salt++);
	} else {
		// RFC 3826 §3.1.2.1: a 64-bit integer, incremented per message
		uint64_t s = ctx->aes_salt++;
		put32(salt, (uint32_t)(s >> 32));
		put32(salt + 4, (uint32_t)s);
	}
	struct run r;
	setup(u, key, boots, time, salt, &r);
	// CBC: pad the last block (RFC 3414 §8.1.1.2: the pad's value does not
	// matter; zeros), copied aside so the message need not be
	uint8_t last[8] = {0};
	size_t whole = is_cbc(u->priv) ? len / 8 * 8 : len;
	memcpy(last, plain + whole, len - whole);
	rc = keyed(ctx, r.c, r.keyp, r.key_len, r.iv, 1);
	if (rc == 0)
		rc = crypt_span(ctx->cipher[r.c], plain, whole, out);
	if (rc == 0 && n > whole)
		rc = crypt_span(ctx->cipher[r.c], last, 8, out + whole);
	usm_wipe(&r, sizeof(r));
	usm_wipe(last, sizeof(last));
	return rc ? rc : (int)n;
}
