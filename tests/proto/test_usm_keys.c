/* SPDX-License-Identifier: BSD-3-Clause */
// Key localisation: the RFC 3414 A.3 vectors as printed in the RFC, then
// every hash and every privacy key extension against pysnmp's answers
// (tests/data/gen_usm_vectors.py).
#include "usm_test_util.h"

static const uint8_t rfc_engine[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

static void assert_hex(const uint8_t *got, size_t len, const char *want_hex)
{
	uint8_t want[USM_DIGEST_MAX * 2];
	size_t n = unhex(want_hex, want, sizeof(want));
	cr_assert_eq(len, n, "length %zu, want %zu", len, n);
	cr_assert_arr_eq(got, want, n);
}

// RFC 3414 A.3.1 (MD5) and A.3.2 (SHA), the octets as the RFC prints them
Test(usm_keys, rfc3414_a3_vectors)
{
	static const struct {
		enum usm_auth a;
		const char *ku, *kul;
	} rfc[] = {
		{USM_AUTH_MD5, "9f af 32 83 88 4e 92 83 4e bc 98 47 d8 ed d9 63",
		 "52 6f 5e ed 9f cc e2 6f 89 64 c2 93 07 87 d8 2b"},
		{USM_AUTH_SHA1, "9f b5 cc 03 81 49 7b 37 93 52 89 39 ff 78 8d 5d 79 14 52 11",
		 "66 95 fe bc 92 88 e3 62 82 23 5f c7 15 1f 12 84 97 b3 8f 3f"},
	};
	for (size_t i = 0; i < 2; i++) {
		uint8_t ku[USM_DIGEST_MAX], kul[USM_DIGEST_MAX];
		int n = usm_password_to_ku(rfc[i].a, "maplesyrup", 10, ku);
		cr_assert_eq(n, (int)usm_auth_digest_len(rfc[i].a));
		assert_hex(ku, (size_t)n, rfc[i].ku);
		cr_assert_eq(usm_localize_key(rfc[i].a, ku, rfc_engine, 12, kul), n);
		assert_hex(kul, (size_t)n, rfc[i].kul);
	}
}

// draft-reeder-snmpv3-usm-3desede, appendix: the MD5 "maplesyrup" key
// extended to 32 octets for 3DES
Test(usm_keys, reeder_3des_md5_vector)
{
	uint8_t ku[USM_DIGEST_MAX], kul[USM_DIGEST_MAX], key[USM_PRIV_KEY_MAX];
	usm_password_to_ku(USM_AUTH_MD5, "maplesyrup", 10, ku);
	usm_localize_key(USM_AUTH_MD5, ku, rfc_engine, 12, kul);
	cr_assert_eq(usm_priv_key_extend(USM_AUTH_MD5, USM_PRIV_3DES, USM_EXT_BLUMENTHAL, kul,
					 rfc_engine, 12, key),
		     32, "3DES extends by Reeder whatever ext says");
	assert_hex(key, 32, "526f5eed9fcce26f8964c2930787d82b79eff44a90650ee0a3a40abfac5acc12");
}

static void check_ku(const struct vec_row *r)
{
	enum usm_auth a = auth_named(r->f[1]);
	uint8_t ku[USM_DIGEST_MAX];
	int n = usm_password_to_ku(a, r->f[2], strlen(r->f[2]), ku);
	cr_assert_eq(n, (int)usm_auth_digest_len(a), "%s: %s", r->f[1], usm_strerror(n));
	assert_hex(ku, (size_t)n, r->f[3]);
}

Test(usm_keys, ku_for_every_hash_matches_pysnmp)
{
	cr_assert_eq(vec_each("ku", check_ku), 12);
}

static void check_kul(const struct vec_row *r)
{
	enum usm_auth a = auth_named(r->f[1]);
	uint8_t ku[USM_DIGEST_MAX], kul[USM_DIGEST_MAX], engine[USM_ENGINE_ID_MAX];
	size_t elen = unhex(r->f[3], engine, sizeof(engine));
	usm_password_to_ku(a, r->f[2], strlen(r->f[2]), ku);
	int n = usm_localize_key(a, ku, engine, elen, kul);
	cr_assert_eq(n, (int)usm_auth_digest_len(a));
	assert_hex(kul, (size_t)n, r->f[4]);
}

Test(usm_keys, kul_for_every_hash_matches_pysnmp)
{
	cr_assert_eq(vec_each("kul", check_kul), 24);
}

// priv keys through usm_user_localize, as the table builds them: Ku from
// the password, then localise and extend in the variant the row names
static void check_privkey(const struct vec_row *r)
{
	enum usm_auth a = auth_named(r->f[1]);
	enum usm_priv p = priv_named(r->f[2]);
	bool reeder = strcmp(r->f[3], "reeder") == 0;
	struct usm_user_cfg c = {.name = "u", .name_len = 1, .auth = a, .priv = p};
	c.compat = reeder ? USM_COMPAT_REEDER : USM_COMPAT_BLUMENTHAL;
	uint8_t engine[USM_ENGINE_ID_MAX], want[USM_PRIV_KEY_MAX];
	size_t elen = unhex(r->f[5], engine, sizeof(engine));
	size_t wlen = unhex(r->f[6], want, sizeof(want));
	cr_assert_eq(wlen, usm_priv_key_len(p));
	cr_assert_gt(usm_password_to_ku(a, "maplesyrup", 10, c.auth_key), 0);
	int n = usm_password_to_ku(a, r->f[4], strlen(r->f[4]), c.priv_key);
	cr_assert_gt(n, 0);
	c.priv_key_len = (uint8_t)n;
	struct usm_user u;
	cr_assert_eq(usm_user_localize(&c, engine, elen, &u), 0);
	cr_assert_eq(u.n_priv_keys, 1);
	cr_assert_arr_eq(u.priv_key[0], want, wlen, "%s %s %s", r->f[1], r->f[2], r->f[3]);
}

Test(usm_keys, priv_keys_and_both_aes_extensions_match_pysnmp)
{
	// 6 hashes × 7 (protocol, variant) × 2 engines
	cr_assert_eq(vec_each("privkey", check_privkey), 84);
}

Test(usm_keys, short_password_refused)
{
	uint8_t ku[USM_DIGEST_MAX];
	cr_assert_eq(usm_password_to_ku(USM_AUTH_SHA256, "1234567", 7, ku), USM_EPASSWORD_SHORT);
	cr_assert_eq(usm_password_to_ku(USM_AUTH_SHA256, "", 0, ku), USM_EPASSWORD_SHORT);
	cr_assert_eq(usm_password_to_ku(USM_AUTH_SHA256, "12345678", 8, ku), 32);
	char long_pw[USM_PASSWORD_MAX + 2];
	memset(long_pw, 'x', sizeof(long_pw));
	cr_assert_eq(usm_password_to_ku(USM_AUTH_MD5, long_pw, USM_PASSWORD_MAX, ku), 16);
	cr_assert_eq(usm_password_to_ku(USM_AUTH_MD5, long_pw, USM_PASSWORD_MAX + 1, ku),
		     USM_EPASSWORD_LONG);
	cr_assert_eq(usm_password_to_ku(USM_AUTH_NONE, "maplesyrup", 10, ku), USM_EAUTH_PROTO);
	cr_assert_eq(usm_password_to_ku(USM_AUTH_COUNT, "maplesyrup", 10, ku), USM_EAUTH_PROTO);
}

Test(usm_keys, localize_checks_engine_length)
{
	uint8_t ku[USM_DIGEST_MAX] = {0}, kul[USM_DIGEST_MAX], e[33] = {0x80};
	cr_assert_eq(usm_localize_key(USM_AUTH_SHA1, ku, e, 4, kul), USM_EENGINE_LEN);
	cr_assert_eq(usm_localize_key(USM_AUTH_SHA1, ku, e, 33, kul), USM_EENGINE_LEN);
	cr_assert_eq(usm_localize_key(USM_AUTH_SHA1, ku, e, 5, kul), 20);
	cr_assert_eq(usm_localize_key(USM_AUTH_SHA1, ku, e, 32, kul), 20);
}

Test(usm_keys, priv_extend_refuses_what_has_no_key)
{
	uint8_t kul[USM_DIGEST_MAX] = {1}, key[USM_PRIV_KEY_MAX];
	cr_assert_eq(usm_priv_key_extend(USM_AUTH_NONE, USM_PRIV_AES128, USM_EXT_BLUMENTHAL, kul,
					 rfc_engine, 12, key),
		     USM_EPRIV_NO_AUTH);
	cr_assert_eq(usm_priv_key_extend(USM_AUTH_MD5, USM_PRIV_NONE, USM_EXT_BLUMENTHAL, kul,
					 rfc_engine, 12, key),
		     USM_EPRIV_PROTO);
	cr_assert_eq(usm_priv_key_extend(USM_AUTH_MD5, USM_PRIV_AES256, USM_EXT_COUNT, kul,
					 rfc_engine, 12, key),
		     USM_EINVAL);
}

// compat auto keeps both variants where they differ, Blumenthal first, and
// one key where the localised key is long enough for both to agree
Test(usm_keys, compat_auto_keeps_the_variants_that_differ)
{
	static const struct {
		enum usm_auth a;
		enum usm_priv p;
		int keys;
	} cases[] = {
		{USM_AUTH_MD5, USM_PRIV_AES192, 2},    {USM_AUTH_SHA1, USM_PRIV_AES256, 2},
		{USM_AUTH_SHA224, USM_PRIV_AES192, 1}, {USM_AUTH_SHA224, USM_PRIV_AES256, 2},
		{USM_AUTH_SHA256, USM_PRIV_AES256, 1}, {USM_AUTH_SHA512, USM_PRIV_AES256, 1},
		{USM_AUTH_MD5, USM_PRIV_AES192C, 1},   {USM_AUTH_SHA1, USM_PRIV_AES128, 1},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct usm_user_cfg c = {.name = "u",
					 .name_len = 1,
					 .auth = cases[i].a,
					 .priv = cases[i].p,
					 .compat = USM_COMPAT_AUTO};
		size_t dl = usm_auth_digest_len(cases[i].a);
		memset(c.auth_key, 0x11, dl);
		memset(c.priv_key, 0x22, dl);
		c.priv_key_len = (uint8_t)dl;
		struct usm_user u;
		cr_assert_eq(usm_user_localize(&c, rfc_engine, 12, &u), 0);
		cr_assert_eq(u.n_priv_keys, cases[i].keys, "case %zu", i);
		if (u.n_priv_keys == 2) {
			cr_assert_eq(u.priv_ext[0], USM_EXT_BLUMENTHAL);
			cr_assert_eq(u.priv_ext[1], USM_EXT_REEDER);
		}
	}
}
