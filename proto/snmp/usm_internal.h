/* SPDX-License-Identifier: BSD-3-Clause */
// Private to proto/snmp/usm_*.c: the per-worker context and the keyed hash
// the table and the engine cache share.
#ifndef LINERATE_USM_INTERNAL_H
#define LINERATE_USM_INTERNAL_H

#include <openssl/evp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <linerate/snmp_usm.h>

// Wipes n octets of secret (key material, HMAC and keystream state) so
// that the stores are not optimised away. explicit_bzero is memset behind
// a compiler barrier: vector stores, where OPENSSL_cleanse goes an octet
// at a time (~1,000 instructions a v3 message, 3% of its cycles).
static inline void usm_wipe(void *p, size_t n)
{
	explicit_bzero(p, n);
}

// Whether a[0..n) and b[0..n) are equal, in time that depends on n only
// (a MAC against the one received, a key against a cached one): words
// XORed and ORed together, the barrier keeping the compiler from an early
// exit. CRYPTO_memcmp does the same an octet at a time.
static inline bool usm_same(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	uint64_t d = 0;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t u, v;
		memcpy(&u, x + i, 8);
		memcpy(&v, y + i, 8);
		d |= u ^ v;
		__asm__("" : "+r"(d));
	}
	for (; i < n; i++) {
		d |= (uint64_t)(x[i] ^ y[i]);
		__asm__("" : "+r"(d));
	}
	return d == 0;
}

// EVP contexts made at usm_ctx_new and re-keyed per packet without
// allocation (EVP_CipherInit_ex with a NULL cipher; the tests count it),
// or not at all when the key is the one the context already has.
enum usm_cipher {
	USM_CIPHER_CBC,	   // DES-EDE3-CBC: 3DES, and single DES as K|K|K
	USM_CIPHER_CFB128, // AES-CFB: encryption (each block needs the last)
	USM_CIPHER_CFB192,
	USM_CIPHER_CFB256,
	USM_CIPHER_ECB128, // AES-ECB: the CFB keystream for decryption
	USM_CIPHER_ECB192,
	USM_CIPHER_ECB256,
	USM_CIPHER_COUNT
};

// AES-128 keys (RFC 3826, the standard and commonest privacy protocol)
// held keyed, so that traps from many users do not re-key one context per
// message (EVP_CipherInit_ex: ~1,300 instructions, most of them OpenSSL 3's
// parameter lookups, against ~400 for decrypting a 200-octet PDU). Sets of
// USM_ECB_WAYS contexts, the set picked by a keyed hash of the key, each
// context made and given its cipher at usm_ctx_new so that keying one is
// never an allocation. The keys are secret: wiped at usm_ctx_free.
#define USM_ECB_WAYS 4

struct usm_ecb_way {
	EVP_CIPHER_CTX *c;
	uint8_t key[16];
	bool keyed;
};

struct usm_ecb_set {
	struct usm_ecb_way way[USM_ECB_WAYS];
	uint8_t next; // the way a miss re-keys: round robin
};

struct usm_ctx {
	EVP_CIPHER_CTX *cipher[USM_CIPHER_COUNT];
	struct usm_ecb_set *ecb128; // ecb128_sets of them, a power of two
	size_t ecb128_sets;
	uint64_t ecb128_mul; // odd, random: the set of a key
	// the key each context holds and in which direction (0: none, 1:
	// decrypt, 2: encrypt); secret, wiped at usm_ctx_free
	uint8_t key[USM_CIPHER_COUNT][USM_PRIV_KEY_MAX];
	uint8_t keyed[USM_CIPHER_COUNT];
	uint64_t aes_salt; // RFC 3826 §3.1.2.1: a 64-bit counter, randomly seeded
	uint32_t des_salt; // RFC 3414 §8.1.1.1: the low 32 bits of the DES salt
	struct usm_engine_cache *engines;
};

// SipHash-1-3 (Aumasson and Bernstein) of a || b under key k: keyed, so
// whoever picks engine IDs and user names cannot aim them at one bucket.
uint64_t usm_hash(const uint64_t k[2], const uint8_t *a, size_t alen, const uint8_t *b,
		  size_t blen);

#endif
