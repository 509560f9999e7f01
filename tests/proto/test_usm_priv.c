/* SPDX-License-Identifier: BSD-3-Clause */
// Privacy: pysnmp's ciphertexts for every protocol (decrypt and, with the
// salt counter set, encrypt), the FIPS 81 DES and SP 800-38A AES-CFB
// vectors through the USM IV construction, the RFC's length checks, the
// scopedPDU plausibility check, and no allocation per packet.
#include <openssl/evp.h>

#include "usm_test_util.h"

static struct usm_ctx *ctx;

static void setup(void)
{
	ctx = usm_ctx_new(64);
	cr_assert_not_null(ctx);
}

static void teardown(void)
{
	usm_ctx_free(ctx);
}

TestSuite(usm_priv, .init = setup, .fini = teardown);

static struct usm_user user_with_key(enum usm_priv p, const uint8_t *key, size_t len)
{
	struct usm_user u = {.priv = (uint8_t)p, .n_priv_keys = 1, .auth = USM_AUTH_SHA1};
	cr_assert_eq(len, usm_priv_key_len(p));
	memcpy(u.priv_key[0], key, len);
	return u;
}

static void check_cipher(const struct vec_row *r)
{
	enum usm_priv p = priv_named(r->f[1]);
	uint8_t key[USM_PRIV_KEY_MAX], salt[16], plain[512], ct[512], out[512], got_salt[8];
	size_t klen = unhex(r->f[2], key, sizeof(key));
	uint32_t boots = (uint32_t)strtoul(r->f[3], NULL, 10);
	uint32_t time = (uint32_t)strtoul(r->f[4], NULL, 10);
	size_t slen = unhex(r->f[5], salt, sizeof(salt));
	size_t plen = unhex(r->f[6], plain, sizeof(plain));
	size_t clen = unhex(r->f[7], ct, sizeof(ct));
	struct usm_user u = user_with_key(p, key, klen);
	cr_assert_eq(clen, usm_encrypted_len(p, plen));
	cr_assert_eq(usm_decrypt(ctx, &u, 0, boots, time, salt, slen, ct, clen, out, sizeof(out)),
		     (int)clen, "%s", r->f[1]);
	cr_assert_arr_eq(out, plain, plen, "%s decrypt", r->f[1]);
	// pysnmp's salt is boots || counter (CBC) or the 64-bit counter (CFB)
	uint64_t counter = 0;
	for (size_t i = (p == USM_PRIV_DES || p == USM_PRIV_3DES) ? 4 : 0; i < 8; i++)
		counter = counter << 8 | salt[i];
	usm_ctx_set_salt(ctx, counter, (uint32_t)counter);
	cr_assert_eq(usm_encrypt(ctx, &u, 0, boots, time, plain, plen, out, sizeof(out), got_salt),
		     (int)clen);
	cr_assert_arr_eq(got_salt, salt, 8, "%s salt", r->f[1]);
	cr_assert_arr_eq(out, ct, clen, "%s encrypt", r->f[1]);
}

Test(usm_priv, every_cipher_matches_pysnmp)
{
	// 7 (protocol, variant) rows × 3 lengths
	cr_assert_eq(vec_each("cipher", check_cipher), 21);
}

// FIPS 81 CBC example ("Now is the time for all "), also what
// `openssl enc -des-cbc -provider legacy -nopad` gives: single DES through
// the K|K|K 3DES path. The IV is salt XOR pre-IV; a zero pre-IV makes the
// salt the IV.
Test(usm_priv, des_is_single_des_fips81)
{
	uint8_t key[16] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
	uint8_t iv[8] = {0x12, 0x34, 0x56, 0x78, 0x90, 0xab, 0xcd, 0xef};
	uint8_t ct[24], out[24];
	unhex("e5c7cdde872bf27c 43e934008c389c0f 683788499a7c05f6", ct, sizeof(ct));
	struct usm_user u = user_with_key(USM_PRIV_DES, key, 16);
	cr_assert_eq(usm_decrypt(ctx, &u, 0, 0, 0, iv, 8, ct, 24, out, 24), 24);
	cr_assert_arr_eq(out, "Now is the time for all ", 24);
}

// SP 800-38A F.3.13 CFB128-AES128: the USM IV is boots || time || salt
Test(usm_priv, aes128_cfb_sp800_38a)
{
	uint8_t key[16], salt[8], ct[32], plain[32], out[32];
	unhex("2b7e151628aed2a6abf7158809cf4f3c", key, 16);
	unhex("08090a0b0c0d0e0f", salt, 8);
	unhex("6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51", plain, 32);
	unhex("3b3fd92eb72dad20333449f8e83cfb4a c8a64537a0b3a93fcde3cdad9f1ce58b", ct, 32);
	struct usm_user u = user_with_key(USM_PRIV_AES128, key, 16);
	cr_assert_eq(usm_decrypt(ctx, &u, 0, 0x00010203, 0x04050607, salt, 8, ct, 32, out, 32), 32);
	cr_assert_arr_eq(out, plain, 32);
}

Test(usm_priv, lengths_the_rfcs_refuse)
{
	uint8_t key[32] = {1}, salt[9] = {0}, data[64] = {0}, out[64];
	struct usm_user des = user_with_key(USM_PRIV_DES, key, 16);
	struct usm_user tdes = user_with_key(USM_PRIV_3DES, key, 32);
	struct usm_user aes = user_with_key(USM_PRIV_AES256, key, 32);
	// RFC 3414 §8.3.2 step 1 / RFC 3826 §3.3.2 step 1: 8-octet salt
	cr_assert_eq(usm_decrypt(ctx, &des, 0, 0, 0, salt, 7, data, 16, out, 64),
		     USM_EPRIV_PARAMS_LEN);
	cr_assert_eq(usm_decrypt(ctx, &aes, 0, 0, 0, salt, 9, data, 16, out, 64),
		     USM_EPRIV_PARAMS_LEN);
	cr_assert_eq(usm_decrypt(ctx, &aes, 0, 0, 0, salt, 0, data, 16, out, 64),
		     USM_EPRIV_PARAMS_LEN);
	// RFC 3414 §8.3.2 step 2: CBC in whole blocks
	cr_assert_eq(usm_decrypt(ctx, &des, 0, 0, 0, salt, 8, data, 13, out, 64), USM_ECIPHER_LEN);
	cr_assert_eq(usm_decrypt(ctx, &tdes, 0, 0, 0, salt, 8, data, 7, out, 64), USM_ECIPHER_LEN);
	cr_assert_eq(usm_decrypt(ctx, &tdes, 0, 0, 0, salt, 8, data, 0, out, 64),
		     USM_ECIPHER_EMPTY);
	cr_assert_eq(usm_decrypt(ctx, &aes, 0, 0, 0, salt, 8, data, 0, out, 64), USM_ECIPHER_EMPTY);
	// CFB takes any length
	cr_assert_eq(usm_decrypt(ctx, &aes, 0, 0, 0, salt, 8, data, 13, out, 64), 13);
	cr_assert_eq(usm_decrypt(ctx, &aes, 0, 0, 0, salt, 8, data, 64, out, 63), USM_ENOSPACE);
	// a key the user does not have, a user without privacy
	cr_assert_eq(usm_decrypt(ctx, &aes, 1, 0, 0, salt, 8, data, 16, out, 64), USM_EINVAL);
	struct usm_user none = {.priv = USM_PRIV_NONE};
	cr_assert_eq(usm_decrypt(ctx, &none, 0, 0, 0, salt, 8, data, 16, out, 64), USM_EINVAL);
	uint8_t s8[8];
	cr_assert_eq(usm_encrypt(ctx, &des, 0, 0, 0, data, 13, out, 15, s8), USM_ENOSPACE);
	cr_assert_eq(usm_encrypt(ctx, &des, 0, 0, 0, data, 13, out, 16, s8), 16);
}

// Encrypt and decrypt in place, every protocol and length 1..40; salts
// never repeat within a context; DES salts carry boots.
Test(usm_priv, round_trip_in_place_with_fresh_salts)
{
	uint8_t key[32];
	for (int i = 0; i < 32; i++)
		key[i] = (uint8_t)(i * 29 + 3);
	for (int p = USM_PRIV_DES; p < USM_PRIV_COUNT; p++) {
		struct usm_user u = user_with_key(p, key, usm_priv_key_len(p));
		uint8_t prev[8] = {0};
		for (size_t len = 1; len <= 40; len++) {
			uint8_t buf[48], plain[48], salt[8];
			for (size_t i = 0; i < len; i++)
				plain[i] = buf[i] = (uint8_t)(len + i);
			int n = usm_encrypt(ctx, &u, 0, 77, 1234, buf, len, buf, sizeof(buf), salt);
			cr_assert_eq(n, (int)usm_encrypted_len(p, len));
			cr_assert(memcmp(salt, prev, 8) != 0, "salt repeated");
			memcpy(prev, salt, 8);
			if (p == USM_PRIV_DES || p == USM_PRIV_3DES)
				cr_assert_arr_eq(salt, "\0\0\0\x4d", 4, "boots in the DES salt");
			// a short CFB ciphertext equals its plaintext by chance (one
			// octet: 1 in 256, with a random salt): from 4 octets, 2^-32
			if (len >= 4)
				cr_assert(memcmp(buf, plain, len) != 0);
			cr_assert_eq(usm_decrypt(ctx, &u, 0, 77, 1234, salt, 8, buf, (size_t)n, buf,
						 sizeof(buf)),
				     n);
			cr_assert_arr_eq(buf, plain, len, "%s len %zu", usm_priv_name(p), len);
		}
	}
}

// CFB decryption runs as ECB keystream in chunks: against OpenSSL's own
// CFB mode, every length across the chunk edges, in place and not.
Test(usm_priv, cfb_decryption_equals_openssl_cfb)
{
	static const char *const modes[] = {"AES-128-CFB", "AES-192-CFB", "AES-256-CFB"};
	static const enum usm_priv privs[] = {USM_PRIV_AES128, USM_PRIV_AES192, USM_PRIV_AES256};
	for (int m = 0; m < 3; m++) {
		uint8_t key[32], salt[8] = {1, 2, 3, 4, 5, 6, 7, 8}, iv[16];
		for (int i = 0; i < 32; i++)
			key[i] = (uint8_t)(m * 50 + i);
		struct usm_user u = user_with_key(privs[m], key, usm_priv_key_len(privs[m]));
		memcpy(iv, "\0\0\0\x09\0\0\x01\x02", 8);
		memcpy(iv + 8, salt, 8);
		EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, modes[m], NULL);
		EVP_CIPHER_CTX *ref = EVP_CIPHER_CTX_new();
		for (size_t len = 1; len <= 1600; len += len < 40 ? 1 : 37) {
			uint8_t plain[1600], ct[1600], out[1600];
			for (size_t i = 0; i < len; i++)
				plain[i] = (uint8_t)(i * 13 + len);
			int n1 = 0;
			cr_assert(EVP_EncryptInit_ex(ref, c, NULL, key, iv));
			cr_assert(EVP_EncryptUpdate(ref, ct, &n1, plain, (int)len));
			cr_assert_eq(usm_decrypt(ctx, &u, 0, 9, 258, salt, 8, ct, len, out, len),
				     (int)len);
			cr_assert_arr_eq(out, plain, len, "%s len %zu", modes[m], len);
			cr_assert_eq(usm_decrypt(ctx, &u, 0, 9, 258, salt, 8, ct, len, ct, len),
				     (int)len);
			cr_assert_arr_eq(ct, plain, len, "%s len %zu in place", modes[m], len);
		}
		EVP_CIPHER_CTX_free(ref);
		EVP_CIPHER_free(c);
	}
}

// Contexts keep the last key: switching users and directions re-keys.
Test(usm_priv, alternating_keys_and_directions)
{
	uint8_t ka[32] = {0xaa}, kb[32] = {0xbb}, plain[64], ct[2][64], out[64], salt[2][8];
	memset(plain, 0x30, sizeof(plain));
	for (int p = USM_PRIV_DES; p < USM_PRIV_COUNT; p++) {
		struct usm_user a = user_with_key(p, ka, usm_priv_key_len(p));
		struct usm_user b = user_with_key(p, kb, usm_priv_key_len(p));
		int n = usm_encrypt(ctx, &a, 0, 1, 2, plain, 64, ct[0], 64, salt[0]);
		cr_assert_eq(usm_encrypt(ctx, &b, 0, 1, 2, plain, 64, ct[1], 64, salt[1]), n);
		for (int i = 0; i < 6; i++) {
			struct usm_user *x = i % 2 ? &b : &a;
			cr_assert_eq(usm_decrypt(ctx, x, 0, 1, 2, salt[i % 2], 8, ct[i % 2], 64,
						 out, 64),
				     64);
			cr_assert_arr_eq(out, plain, 64, "%s round %d", usm_priv_name(p), i);
			uint8_t again[64], s2[8];
			usm_encrypt(ctx, x, 0, 1, 2, plain, 64, again, 64, s2);
		}
	}
}

// AES-128 keys stay keyed in sets of contexts: more users than contexts
// (64 remote engines: 128 of them), keys that differ only in their last
// octet (one set, told apart by the whole key), round after round of
// evictions, each message decrypting to its own plaintext, with no
// allocation when a context is re-keyed.
Test(usm_priv, aes128_keyed_contexts_keep_each_key_apart)
{
	enum { USERS = 300, LEN = 96 };
	static struct usm_user u[USERS];
	static uint8_t ct[USERS][LEN], salt[USERS][8];
	uint8_t plain[LEN], out[LEN];
	for (int i = 0; i < USERS; i++) {
		uint8_t key[16] = {0x5a, 1, 2, 3, 4, 5, 6, 7};
		if (i % 2) // pairs that share the first eight octets
			key[15] = (uint8_t)i;
		else
			memcpy(key, &i, sizeof(i));
		key[14] = (uint8_t)(i >> 1);
		u[i] = user_with_key(USM_PRIV_AES128, key, 16);
		memset(plain, i, LEN);
		cr_assert_eq(usm_encrypt(ctx, &u[i], 0, 4, 5, plain, LEN, ct[i], LEN, salt[i]), LEN);
	}
	alloc_count_start();
	long before = usm_test_allocs;
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < USERS; i++) {
			int k = round == 1 ? USERS - 1 - i : i;
			cr_assert_eq(usm_decrypt(ctx, &u[k], 0, 4, 5, salt[k], 8, ct[k], LEN, out,
						 LEN),
				     LEN);
			memset(plain, k, LEN);
			cr_assert_arr_eq(out, plain, LEN, "user %d round %d", k, round);
		}
	}
	cr_assert_eq(usm_test_allocs - before, 0, "%ld allocations", usm_test_allocs - before);
}

Test(usm_priv, decrypt_and_encrypt_do_not_allocate)
{
	alloc_count_start();
	uint8_t key[32] = {9}, msg[304], out[304], salt[8];
	memset(msg, 0x30, sizeof(msg));
	struct usm_user u[USM_PRIV_COUNT];
	for (int p = USM_PRIV_DES; p < USM_PRIV_COUNT; p++)
		u[p] = user_with_key(p, key, usm_priv_key_len(p));
	long before = usm_test_allocs;
	int bad = 0;
	for (int i = 0; i < 1000; i++) {
		struct usm_user *x = &u[USM_PRIV_DES + i % (USM_PRIV_COUNT - 1)];
		bad += usm_encrypt(ctx, x, 0, 1, 2, msg, 300, out, sizeof(out), salt) < 0;
		bad += usm_decrypt(ctx, x, 0, 1, 2, salt, 8, out, 304, msg, sizeof(msg)) < 0;
	}
	cr_assert_eq(bad, 0);
	cr_assert_eq(usm_test_allocs - before, 0, "%ld allocations in 2000 cipher calls",
		     usm_test_allocs - before);
}

struct pdu_case {
	const char *hex;
	int want; // length, or USM_EPLAINTEXT
};

Test(usm_priv, scoped_pdu_plausibility)
{
	static const struct pdu_case cases[] = {
		{"30 03 04 01 00", 5},
		{"30 03 04 01 00 00 00 00", 5},		     // CBC padding
		{"30 03 04 01 00 16*00", 5},		     // pysnmp's AES padding: 16
		{"30 03 04 01 00 17*00", USM_EPLAINTEXT},    // more than a block
		{"30 81 03 04 01 00", 6},		     // long form
		{"30 82 0003 04 01 00", 7},		     // long form, 2 octets
		{"30 84 00000003 04 01 00", USM_EPLAINTEXT}, // 4 length octets
		{"30 80 04 01 00 00 00", USM_EPLAINTEXT},    // indefinite length
		{"30 04 04 01 00", USM_EPLAINTEXT},	     // longer than the data
		{"30 00", USM_EPLAINTEXT},		     // empty
		{"30 03 02 01 00", USM_EPLAINTEXT},	     // not contextEngineID
		{"31 03 04 01 00", USM_EPLAINTEXT},	     // not a SEQUENCE
		{"30", USM_EPLAINTEXT},			     // cut
		{"30 82 01", USM_EPLAINTEXT},		     // length cut
		{"", USM_EPLAINTEXT},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t b[64];
		size_t n = unhex(cases[i].hex, b, sizeof(b));
		cr_assert_eq(usm_scoped_pdu_len(b, n), cases[i].want, "case %zu: %s", i,
			     cases[i].hex);
	}
}
