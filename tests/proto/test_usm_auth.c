/* SPDX-License-Identifier: BSD-3-Clause */
// HMAC-MD5-96 … HMAC-SHA-512-384: pysnmp's MACs, OpenSSL's one-shot HMAC as
// a second reference, the failure codes, and no allocation per packet.
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "usm_test_util.h"

static void check_hmac(const struct vec_row *r)
{
	enum usm_auth a = auth_named(r->f[1]);
	uint8_t kul[USM_DIGEST_MAX], msg[2048], mac[USM_MAC_MAX];
	size_t klen = unhex(r->f[2], kul, sizeof(kul));
	size_t len = unhex(r->f[3], msg, sizeof(msg));
	size_t off = strtoul(r->f[4], NULL, 10);
	size_t mlen = unhex(r->f[5], mac, sizeof(mac));
	cr_assert_eq(mlen, usm_auth_mac_len(a));
	struct usm_hmac_key k;
	cr_assert_eq(usm_hmac_key_init(&k, a, kul, klen), 0);
	// signing the message with zeros in the field gives pysnmp's MAC ...
	cr_assert_eq(usm_auth_sign(&k, msg, len, off, mlen), 0);
	cr_assert_arr_eq(msg + off, mac, mlen, "%s: %zu octets", r->f[1], len);
	// ... which verifies in place, and fails with any bit of it flipped
	cr_assert_eq(usm_auth_verify(&k, msg, len, off, mlen), 0);
	msg[off + mlen - 1] ^= 0x01;
	cr_assert_eq(usm_auth_verify(&k, msg, len, off, mlen), USM_EDIGEST);
}

Test(usm_auth, every_hmac_matches_pysnmp)
{
	cr_assert_eq(vec_each("hmac", check_hmac), 24);
}

static const EVP_MD *evp_of(enum usm_auth a)
{
	const EVP_MD *md[USM_AUTH_COUNT] = {
		[USM_AUTH_MD5] = EVP_md5(),	  [USM_AUTH_SHA1] = EVP_sha1(),
		[USM_AUTH_SHA224] = EVP_sha224(), [USM_AUTH_SHA256] = EVP_sha256(),
		[USM_AUTH_SHA384] = EVP_sha384(), [USM_AUTH_SHA512] = EVP_sha512(),
	};
	return md[a];
}

// Random keys, lengths and field positions, against HMAC() over a copy of
// the message with the field zeroed: the three-span hashing must equal it,
// for messages shorter than a block, across block edges, and long ones.
Test(usm_auth, three_spans_equal_openssl_hmac_over_a_zeroed_copy)
{
	static const size_t lens[] = {0, 1, 55, 56, 63, 64, 65, 111, 112, 127, 128, 129, 300, 1472};
	for (int a = USM_AUTH_MD5; a < USM_AUTH_COUNT; a++) {
		size_t dl = usm_auth_digest_len(a), ml = usm_auth_mac_len(a);
		for (size_t li = 0; li < sizeof(lens) / sizeof(lens[0]); li++) {
			uint8_t kul[USM_DIGEST_MAX], msg[1600], zeroed[1600], ref[EVP_MAX_MD_SIZE];
			size_t len = lens[li] + ml;
			RAND_bytes(kul, (int)dl);
			RAND_bytes(msg, (int)len);
			size_t off = len == ml ? 0 : (size_t)msg[0] * 7 % (len - ml);
			memcpy(zeroed, msg, len);
			memset(zeroed + off, 0, ml);
			unsigned rl = 0;
			HMAC(evp_of(a), kul, (int)dl, zeroed, len, ref, &rl);
			struct usm_hmac_key k;
			cr_assert_eq(usm_hmac_key_init(&k, a, kul, dl), 0);
			memcpy(msg + off, ref, ml);
			cr_assert_eq(usm_auth_verify(&k, msg, len, off, ml), 0,
				     "%s len %zu off %zu", usm_auth_name(a), len, off);
			// a bit outside the field (or in it, when the field is all)
			msg[off + ml < len ? len - 1 : 0] ^= 0x80;
			cr_assert_eq(usm_auth_verify(&k, msg, len, off, ml), USM_EDIGEST);
		}
	}
}

Test(usm_auth, field_of_the_wrong_length_or_place_is_refused)
{
	uint8_t kul[32] = {1}, msg[100] = {0};
	struct usm_hmac_key k;
	cr_assert_eq(usm_hmac_key_init(&k, USM_AUTH_SHA256, kul, 32), 0);
	// RFC 7860 §4.2.2 step 1: 24 octets for HMAC-SHA-256-192
	cr_assert_eq(usm_auth_verify(&k, msg, 100, 10, 12), USM_EAUTH_LEN);
	cr_assert_eq(usm_auth_verify(&k, msg, 100, 10, 0), USM_EAUTH_LEN);
	cr_assert_eq(usm_auth_verify(&k, msg, 100, 10, 32), USM_EAUTH_LEN);
	cr_assert_eq(usm_auth_verify(&k, msg, 100, 77, 24), USM_EAUTH_RANGE);
	cr_assert_eq(usm_auth_verify(&k, msg, 100, SIZE_MAX - 3, 24), USM_EAUTH_RANGE);
	cr_assert_eq(usm_auth_verify(&k, msg, 0, 0, 24), USM_EAUTH_RANGE);
	cr_assert_eq(usm_auth_verify(&k, msg, 100, 76, 24), USM_EDIGEST);
	cr_assert_eq(usm_auth_sign(&k, msg, 100, 77, 24), USM_EAUTH_RANGE);
	cr_assert_eq(usm_auth_sign(&k, msg, 100, 76, 24), 0);
	cr_assert_eq(usm_auth_verify(&k, msg, 100, 76, 24), 0);
}

Test(usm_auth, key_of_the_wrong_length_or_protocol_is_refused)
{
	uint8_t kul[64] = {0};
	struct usm_hmac_key k;
	cr_assert_eq(usm_hmac_key_init(&k, USM_AUTH_NONE, kul, 0), USM_EAUTH_PROTO);
	cr_assert_eq(usm_hmac_key_init(&k, USM_AUTH_COUNT, kul, 16), USM_EAUTH_PROTO);
	cr_assert_eq(usm_hmac_key_init(&k, USM_AUTH_MD5, kul, 20), USM_EKEY_LEN);
	cr_assert_eq(usm_hmac_key_init(&k, USM_AUTH_SHA512, kul, 48), USM_EKEY_LEN);
	// a zeroed state is no protocol: verify refuses rather than hashing
	memset(&k, 0, sizeof(k));
	cr_assert_eq(usm_auth_verify(&k, kul, 64, 0, 12), USM_EAUTH_PROTO);
}

// Why usm_auth.c does not use EVP: copying a saved EVP digest state
// allocates in OpenSSL 3.0. Were this ever to stop being true, the
// low-level API could go.
Test(usm_auth, evp_digest_copy_allocates)
{
	alloc_count_start();
	EVP_MD_CTX *a = EVP_MD_CTX_new(), *b = EVP_MD_CTX_new();
	cr_assert(EVP_DigestInit_ex(a, EVP_sha256(), NULL));
	cr_assert(EVP_MD_CTX_copy_ex(b, a));
	long before = usm_test_allocs;
	for (int i = 0; i < 10; i++)
		cr_assert(EVP_MD_CTX_copy_ex(b, a));
	cr_log_info("EVP_MD_CTX_copy_ex: %ld allocations in 10 copies", usm_test_allocs - before);
	cr_assert_gt(usm_test_allocs - before, 0);
	EVP_MD_CTX_free(a);
	EVP_MD_CTX_free(b);
}

Test(usm_auth, verify_and_sign_do_not_allocate)
{
	alloc_count_start();
	uint8_t kul[USM_DIGEST_MAX] = {7}, msg[300];
	memset(msg, 0x5a, sizeof(msg));
	struct usm_hmac_key k[USM_AUTH_COUNT];
	for (int a = USM_AUTH_MD5; a < USM_AUTH_COUNT; a++)
		cr_assert_eq(usm_hmac_key_init(&k[a], a, kul, usm_auth_digest_len(a)), 0);
	long before = usm_test_allocs;
	int bad = 0;
	for (int i = 0; i < 1000; i++) {
		int a = USM_AUTH_MD5 + i % (USM_AUTH_COUNT - 1);
		size_t ml = usm_auth_mac_len(a);
		bad += usm_auth_sign(&k[a], msg, sizeof(msg), 40, ml) != 0;
		bad += usm_auth_verify(&k[a], msg, sizeof(msg), 40, ml) != 0;
	}
	cr_assert_eq(bad, 0);
	cr_assert_eq(usm_test_allocs - before, 0, "%ld allocations in 2000 MACs",
		     usm_test_allocs - before);
}
