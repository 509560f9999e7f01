/* SPDX-License-Identifier: BSD-3-Clause */
// HMAC-MD5-96, HMAC-SHA-96 (RFC 3414 §6, §7) and HMAC-SHA-2 (RFC 7860 §4)
// with per-user precomputed inner and outer states.
//
// Why the low-level MD5_CTX/SHA*_CTX API, deprecated since OpenSSL 3.0: a
// worker must not allocate per packet, and the EVP way of starting from a
// saved state, EVP_MD_CTX_copy_ex, allocates in OpenSSL 3.0 (the provider's
// dupctx mallocs a new context on every copy; tests/proto/test_usm_auth.c
// counts it). The low-level contexts are plain structs on the stack. This is
// the only file that uses them, hence the one OPENSSL_SUPPRESS_DEPRECATED.
//
// A saved state is only a hash's chaining values after exactly one block
// (the key XOR ipad or opad): restoring means the hash's Init, then its h
// words and the one-block bit count. 128 octets per user instead of two
// 216-octet SHA512_CTX.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/crypto.h>
#include <openssl/md5.h>
#include <openssl/sha.h>
#include <string.h>

#include <linerate/snmp_usm.h>

#include "usm_internal.h"

union md_ctx {
	MD5_CTX md5;
	SHA_CTX sha1;
	SHA256_CTX sha256; // SHA-224 too
	SHA512_CTX sha512; // SHA-384 too
};

static size_t block_len(enum usm_auth a)
{
	return a == USM_AUTH_SHA384 || a == USM_AUTH_SHA512 ? 128 : 64;
}

// The six hashes behind one set of calls, with their low-level functions.
struct md_ops {
	void (*init)(union md_ctx *c);
	void (*update)(union md_ctx *c, const void *p, size_t n);
	void (*final)(union md_ctx *c, uint8_t *out);
};

#define MD_WRAP(tag, field, init_fn, update_fn, final_fn)                                          \
	static void tag##_init(union md_ctx *c)                                                    \
	{                                                                                          \
		init_fn(&c->field);                                                                \
	}                                                                                          \
	static void tag##_update(union md_ctx *c, const void *p, size_t n)                         \
	{                                                                                          \
		update_fn(&c->field, p, n);                                                        \
	}                                                                                          \
	static void tag##_final(union md_ctx *c, uint8_t *out)                                     \
	{                                                                                          \
		final_fn(out, &c->field);                                                          \
	}

MD_WRAP(md5, md5, MD5_Init, MD5_Update, MD5_Final)
MD_WRAP(sha1, sha1, SHA1_Init, SHA1_Update, SHA1_Final)
MD_WRAP(sha224, sha256, SHA224_Init, SHA224_Update, SHA224_Final)
MD_WRAP(sha256, sha256, SHA256_Init, SHA256_Update, SHA256_Final)
MD_WRAP(sha384, sha512, SHA384_Init, SHA384_Update, SHA384_Final)
MD_WRAP(sha512, sha512, SHA512_Init, SHA512_Update, SHA512_Final)

static const struct md_ops md_ops[USM_AUTH_COUNT] = {
	[USM_AUTH_MD5] = {md5_init, md5_update, md5_final},
	[USM_AUTH_SHA1] = {sha1_init, sha1_update, sha1_final},
	[USM_AUTH_SHA224] = {sha224_init, sha224_update, sha224_final},
	[USM_AUTH_SHA256] = {sha256_init, sha256_update, sha256_final},
	[USM_AUTH_SHA384] = {sha384_init, sha384_update, sha384_final},
	[USM_AUTH_SHA512] = {sha512_init, sha512_update, sha512_final},
};

static void md_init(enum usm_auth a, union md_ctx *c)
{
	md_ops[a].init(c);
}

static void md_update(enum usm_auth a, union md_ctx *c, const void *p, size_t n)
{
	md_ops[a].update(c, p, n);
}

// The context's own size: the union's tail past it is never written, and
// wiping all 216 octets after every SHA-256 cost as much as a block of it.
static size_t md_ctx_len(enum usm_auth a)
{
	switch (a) {
	case USM_AUTH_MD5:
		return sizeof(MD5_CTX);
	case USM_AUTH_SHA1:
		return sizeof(SHA_CTX);
	case USM_AUTH_SHA224:
	case USM_AUTH_SHA256:
		return sizeof(SHA256_CTX);
	default:
		return sizeof(SHA512_CTX);
	}
}

static void md_final(enum usm_auth a, union md_ctx *c, uint8_t *out)
{
	md_ops[a].final(c, out);
	usm_wipe(c, md_ctx_len(a));
}

// The chaining words, in and out of a saved state (host order, memcpy'd so
// the state needs no alignment).
static void md_save(enum usm_auth a, const union md_ctx *c, uint8_t st[USM_DIGEST_MAX])
{
	uint32_t w[8];
	switch (a) {
	case USM_AUTH_MD5:
		w[0] = c->md5.A, w[1] = c->md5.B, w[2] = c->md5.C, w[3] = c->md5.D;
		memcpy(st, w, 16);
		break;
	case USM_AUTH_SHA1:
		w[0] = c->sha1.h0, w[1] = c->sha1.h1, w[2] = c->sha1.h2, w[3] = c->sha1.h3;
		w[4] = c->sha1.h4;
		memcpy(st, w, 20);
		break;
	case USM_AUTH_SHA224:
	case USM_AUTH_SHA256:
		memcpy(st, c->sha256.h, 32);
		break;
	default:
		memcpy(st, c->sha512.h, 64);
		break;
	}
	usm_wipe(w, sizeof(w));
}

static void md_restore(enum usm_auth a, union md_ctx *c, const uint8_t st[USM_DIGEST_MAX])
{
	uint32_t w[8];
	md_init(a, c);
	switch (a) {
	case USM_AUTH_MD5:
		memcpy(w, st, 16);
		c->md5.A = w[0], c->md5.B = w[1], c->md5.C = w[2], c->md5.D = w[3];
		c->md5.Nl = 512; // bits hashed: one block
		break;
	case USM_AUTH_SHA1:
		memcpy(w, st, 20);
		c->sha1.h0 = w[0], c->sha1.h1 = w[1], c->sha1.h2 = w[2], c->sha1.h3 = w[3];
		c->sha1.h4 = w[4];
		c->sha1.Nl = 512;
		break;
	case USM_AUTH_SHA224:
	case USM_AUTH_SHA256:
		memcpy(c->sha256.h, st, 32);
		c->sha256.Nl = 512;
		break;
	default:
		memcpy(c->sha512.h, st, 64);
		c->sha512.Nl = 1024;
		break;
	}
	usm_wipe(w, sizeof(w));
}

int usm_hmac_key_init(struct usm_hmac_key *k, enum usm_auth a, const uint8_t *kul, size_t len)
{
	if (a <= USM_AUTH_NONE || a >= USM_AUTH_COUNT)
		return USM_EAUTH_PROTO;
	// RFC 3414 §6.3.1 and RFC 7860 §4.2.1: the key is the localised key,
	// exactly the digest length (never longer than a block)
	if (len != usm_auth_digest_len(a))
		return USM_EKEY_LEN;
	uint8_t pad[128];
	union md_ctx c;
	size_t bl = block_len(a);
	memset(k, 0, sizeof(*k));
	k->auth = (uint8_t)a;
	for (int outer = 0; outer < 2; outer++) {
		uint8_t x = outer ? 0x5c : 0x36;
		memset(pad, x, bl);
		for (size_t i = 0; i < len; i++)
			pad[i] ^= kul[i];
		md_init(a, &c);
		md_update(a, &c, pad, bl);
		md_save(a, &c, outer ? k->opad_state : k->ipad_state);
	}
	usm_wipe(pad, sizeof(pad));
	usm_wipe(&c, sizeof(c));
	return 0;
}

// The MAC over msg with msg[zoff .. zoff + zlen) read as zeros, in three
// spans (the message is never copied).
static void hmac_spans(const struct usm_hmac_key *k, const uint8_t *msg, size_t len, size_t zoff,
		       size_t zlen, uint8_t mac[USM_DIGEST_MAX])
{
	static const uint8_t zeros[USM_MAC_MAX];
	enum usm_auth a = k->auth;
	union md_ctx c;
	uint8_t inner[USM_DIGEST_MAX];
	md_restore(a, &c, k->ipad_state);
	md_update(a, &c, msg, zoff);
	md_update(a, &c, zeros, zlen);
	md_update(a, &c, msg + zoff + zlen, len - zoff - zlen);
	md_final(a, &c, inner);
	md_restore(a, &c, k->opad_state);
	md_update(a, &c, inner, usm_auth_digest_len(a));
	md_final(a, &c, mac);
	usm_wipe(inner, usm_auth_digest_len(a));
}

// The MAC for msgAuthenticationParameters at auth_off (its content read as
// zeros), after checking the field's place and length.
static int mac_for_field(const struct usm_hmac_key *k, const uint8_t *msg, size_t len,
			 size_t auth_off, size_t auth_len, uint8_t mac[USM_DIGEST_MAX])
{
	if (k->auth <= USM_AUTH_NONE || k->auth >= USM_AUTH_COUNT)
		return USM_EAUTH_PROTO;
	// RFC 3414 §6.3.2 step 1, RFC 7860 §4.2.2 step 1
	if (auth_len != usm_auth_mac_len(k->auth))
		return USM_EAUTH_LEN;
	if (auth_off > len || auth_len > len - auth_off)
		return USM_EAUTH_RANGE;
	hmac_spans(k, msg, len, auth_off, auth_len, mac);
	return 0;
}

int usm_auth_verify(const struct usm_hmac_key *k, const uint8_t *msg, size_t len, size_t auth_off,
		    size_t auth_len)
{
	uint8_t mac[USM_DIGEST_MAX];
	int rc = mac_for_field(k, msg, len, auth_off, auth_len, mac);
	if (rc == 0 && !usm_same(mac, msg + auth_off, auth_len))
		rc = USM_EDIGEST;
	usm_wipe(mac, sizeof(mac));
	return rc;
}

int usm_auth_sign(const struct usm_hmac_key *k, uint8_t *msg, size_t len, size_t auth_off,
		  size_t auth_len)
{
	uint8_t mac[USM_DIGEST_MAX];
	int rc = mac_for_field(k, msg, len, auth_off, auth_len, mac);
	if (rc == 0)
		memcpy(msg + auth_off, mac, auth_len);
	usm_wipe(mac, sizeof(mac));
	return rc;
}
