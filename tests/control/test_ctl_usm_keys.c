/* SPDX-License-Identifier: BSD-3-Clause */
// The USM key store (ctl_usm_keys.h) and hashing pool (ctl_usm_pool.h):
// a store round-trips through its file with every localisation; a
// truncated, corrupted, lying or too open file is refused with a reason; a
// changed password or protocol finds no entry; the pool covers every item
// once; kept keys rebuild the very entry localisation gives.
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <linerate/wire.h>

#include "ctl_usm_keys.h"
#include "ctl_usm_pool.h"
#include "ctl_usm_users.h"
#include "state_file_util.h"

static const uint8_t ENG1[] = {0x80, 0x00, 0x00, 0x09, 0x03, 0x00, 0xc0, 0xff, 0xee, 0x01};
static const uint8_t ENG2[] = {0x80, 0x00, 0x1f, 0x88, 0x04, 'a', 'g', 'e', 'n', 't'};

// The sample's declared engines: ENG1 and one of the longest ID, with
// boots and time at their maximum; the file's engine section is the last
// ENGINES_LEN octets: count (2), ENG1's record (23), the long one's (45).
#define LONG_OFF    (2 + 23) // in the section: the long engine's record
#define ENGINES_LEN (LONG_OFF + 45)
static const struct ctl_usm_engine SAMPLE_ENGINES[2] = {
	{.len = sizeof(ENG1), .boots = 7, .time = 100, .added = 1700000000},
	{.len = USM_ENGINE_ID_MAX,
	 .boots = USM_BOOTS_MAX,
	 .time = USM_TIME_MAX,
	 .added = 0xffffffffu},
};

static void sample_engines(struct ctl_usm_keys *k)
{
	struct ctl_usm_engine e[2];
	memcpy(e, SAMPLE_ENGINES, sizeof(e));
	memcpy(e[0].id, ENG1, sizeof(ENG1));
	for (int i = 0; i < USM_ENGINE_ID_MAX; i++)
		e[1].id[i] = (uint8_t)(0x80 + i);
	cr_assert_eq(ctl_usm_keys_set_engines(k, e, 2), 0);
}

#define path state_path

static void setup(void)
{
	state_file_setup("usm.keys");
}

static void teardown(void)
{
	state_file_teardown();
}
// A user with a password on each side: Ku hashed into cfg, fingerprint.
static void user(struct usm_user_cfg *c, const char *name, enum usm_auth a, enum usm_priv p,
		 const char *password, uint8_t fp[CTL_USM_FP_LEN])
{
	struct ctl_usm_pw pw;
	memset(c, 0, sizeof(*c));
	memset(&pw, 0, sizeof(pw));
	c->name_len = (uint8_t)strlen(name);
	memcpy(c->name, name, c->name_len);
	c->auth = (uint8_t)a;
	c->priv = (uint8_t)p;
	pw.len[0] = (uint16_t)strlen(password);
	memcpy(pw.pw[0], password, pw.len[0]);
	cr_assert_gt(usm_password_to_ku(a, password, strlen(password), c->auth_key), 0);
	if (p != USM_PRIV_NONE) {
		pw.len[1] = pw.len[0];
		memcpy(pw.pw[1], password, pw.len[1]);
		memcpy(c->priv_key, c->auth_key, usm_auth_digest_len(a));
		c->priv_key_len = (uint8_t)usm_auth_digest_len(a);
	}
	ctl_usm_fingerprint(c, &pw, fp);
}

// A store of three users, two localised for two engines each.
static struct ctl_usm_keys *sample(uint8_t fps[3][CTL_USM_FP_LEN])
{
	struct ctl_usm_keys *k = ctl_usm_keys_new();
	struct usm_user_cfg c;
	struct usm_user e;
	struct ctl_usm_local l;
	cr_assert_not_null(k);
	user(&c, "alice", USM_AUTH_SHA256, USM_PRIV_AES128, "maplesyrup", fps[0]);
	struct ctl_usm_key_user *u = ctl_usm_keys_put(k, fps[0], CTL_USM_ORIGIN_CTL, &c);
	cr_assert_not_null(u);
	cr_assert_eq(ctl_usm_localize(&c, ENG1, sizeof(ENG1), &e, &l), 0);
	cr_assert_eq(ctl_usm_key_user_keep(u, &l), 0);
	cr_assert_eq(ctl_usm_localize(&c, ENG2, sizeof(ENG2), &e, &l), 0);
	cr_assert_eq(ctl_usm_key_user_keep(u, &l), 0);
	// AES-256 in compat auto with SHA-1: two cipher keys per engine
	user(&c, "bob", USM_AUTH_SHA1, USM_PRIV_AES256, "another secret", fps[1]);
	u = ctl_usm_keys_put(k, fps[1], CTL_USM_ORIGIN_FILE, &c);
	cr_assert_eq(ctl_usm_localize(&c, ENG1, sizeof(ENG1), &e, &l), 0);
	cr_assert_eq(e.n_priv_keys, 2);
	cr_assert_eq(ctl_usm_key_user_keep(u, &l), 0);
	user(&c, "carol", USM_AUTH_MD5, USM_PRIV_NONE, "carolcarol", fps[2]);
	cr_assert_not_null(ctl_usm_keys_put(k, fps[2], CTL_USM_ORIGIN_CTL, &c));
	sample_engines(k);
	return k;
}

static void assert_same_engines(const struct ctl_usm_keys *a, const struct ctl_usm_keys *b)
{
	size_t na, nb;
	const struct ctl_usm_engine *ea = ctl_usm_keys_engines(a, &na);
	const struct ctl_usm_engine *eb = ctl_usm_keys_engines(b, &nb);
	cr_assert_eq(na, nb);
	for (size_t i = 0; i < na; i++) {
		cr_assert_eq(ea[i].len, eb[i].len, "engine %zu", i);
		cr_assert_arr_eq(ea[i].id, eb[i].id, ea[i].len, "engine %zu", i);
		cr_assert_eq(ea[i].boots, eb[i].boots, "engine %zu", i);
		cr_assert_eq(ea[i].time, eb[i].time, "engine %zu", i);
		cr_assert_eq(ea[i].added, eb[i].added, "engine %zu", i);
	}
}

TestSuite(usm_keys, .init = setup, .fini = teardown);

Test(usm_keys, round_trip_keeps_users_and_localisations)
{
	uint8_t fps[3][CTL_USM_FP_LEN];
	char err[256];
	struct ctl_usm_keys *k = sample(fps);
	cr_assert_eq(ctl_usm_keys_save(k, path, err, sizeof(err)), 0, "%s", err);
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	struct ctl_usm_keys *r = ctl_usm_keys_load(path, err, sizeof(err));
	cr_assert_not_null(r, "%s", err);
	cr_assert_eq(ctl_usm_keys_count(r), 3);
	for (int i = 0; i < 3; i++) {
		struct ctl_usm_key_user *a = ctl_usm_keys_find(k, fps[i]);
		struct ctl_usm_key_user *b = ctl_usm_keys_find(r, fps[i]);
		cr_assert_not_null(b);
		cr_assert_eq(a->origin, b->origin);
		cr_assert_eq(memcmp(&a->cfg, &b->cfg, sizeof(a->cfg)), 0);
		cr_assert_eq(a->n_local, b->n_local);
		for (uint32_t j = 0; j < a->n_local; j++)
			cr_assert_eq(memcmp(&a->local[j], &b->local[j], sizeof(a->local[j])), 0);
	}
	// kept keys give the entry localisation gives, byte for byte
	struct ctl_usm_key_user *bob = ctl_usm_keys_find(r, fps[1]);
	struct usm_user want, got;
	struct ctl_usm_local l;
	cr_assert_eq(ctl_usm_localize(&bob->cfg, ENG1, sizeof(ENG1), &want, &l), 0);
	const struct ctl_usm_local *kept = ctl_usm_key_user_local(bob, ENG1, sizeof(ENG1));
	cr_assert_not_null(kept);
	cr_assert_eq(ctl_usm_entry(&bob->cfg, kept, &got), 0);
	cr_assert_eq(memcmp(&want, &got, sizeof(want)), 0);
	cr_assert_null(ctl_usm_key_user_local(bob, ENG2, sizeof(ENG2)));
	size_t n;
	ctl_usm_keys_engines(r, &n);
	cr_assert_eq(n, 2);
	assert_same_engines(k, r);
	ctl_usm_keys_free(k);
	ctl_usm_keys_free(r);
}

Test(usm_keys, changed_password_or_protocol_finds_no_entry)
{
	uint8_t fps[3][CTL_USM_FP_LEN], fp[CTL_USM_FP_LEN];
	struct usm_user_cfg c;
	struct ctl_usm_keys *k = sample(fps);
	user(&c, "alice", USM_AUTH_SHA256, USM_PRIV_AES128, "maplesyrup", fp);
	cr_assert_not_null(ctl_usm_keys_find(k, fp)); // the same: found
	user(&c, "alice", USM_AUTH_SHA256, USM_PRIV_AES128, "maplesyrup2", fp);
	cr_assert_null(ctl_usm_keys_find(k, fp));
	user(&c, "alice", USM_AUTH_SHA256, USM_PRIV_AES256, "maplesyrup", fp);
	cr_assert_null(ctl_usm_keys_find(k, fp));
	user(&c, "alice", USM_AUTH_SHA512, USM_PRIV_AES128, "maplesyrup", fp);
	cr_assert_null(ctl_usm_keys_find(k, fp));
	// a key of the password's octets is another secret
	struct usm_user_cfg d;
	user(&d, "carol", USM_AUTH_MD5, USM_PRIV_NONE, "carolcarol", fp);
	ctl_usm_fingerprint(&d, NULL, fp);
	cr_assert_null(ctl_usm_keys_find(k, fp));
	ctl_usm_keys_free(k);
}

Test(usm_keys, remove_keeps_the_others_findable)
{
	uint8_t fps[3][CTL_USM_FP_LEN];
	struct ctl_usm_keys *k = sample(fps);
	cr_assert(ctl_usm_keys_remove(k, fps[0]));
	cr_assert_not(ctl_usm_keys_remove(k, fps[0]));
	cr_assert_eq(ctl_usm_keys_count(k), 2);
	cr_assert_null(ctl_usm_keys_find(k, fps[0]));
	cr_assert_not_null(ctl_usm_keys_find(k, fps[1]));
	cr_assert_not_null(ctl_usm_keys_find(k, fps[2]));
	// many: the index holds through growth and removals
	uint8_t fp[CTL_USM_FP_LEN];
	struct usm_user_cfg c = ctl_usm_keys_find(k, fps[2])->cfg;
	for (unsigned i = 0; i < 500; i++) {
		memset(fp, 0, sizeof(fp));
		memcpy(fp, &i, sizeof(i));
		fp[31] = 1;
		cr_assert_not_null(ctl_usm_keys_put(k, fp, CTL_USM_ORIGIN_CTL, &c));
	}
	for (unsigned i = 0; i < 500; i += 2) {
		memset(fp, 0, sizeof(fp));
		memcpy(fp, &i, sizeof(i));
		fp[31] = 1;
		cr_assert(ctl_usm_keys_remove(k, fp));
	}
	cr_assert_eq(ctl_usm_keys_count(k), 252);
	for (unsigned i = 0; i < 500; i++) {
		memset(fp, 0, sizeof(fp));
		memcpy(fp, &i, sizeof(i));
		fp[31] = 1;
		cr_assert_eq(ctl_usm_keys_find(k, fp) != NULL, i % 2 == 1, "%u", i);
	}
	cr_assert_not_null(ctl_usm_keys_find(k, fps[1]));
	ctl_usm_keys_free(k);
}

Test(usm_keys, forget_keeps_the_configured_engine_only)
{
	uint8_t fps[3][CTL_USM_FP_LEN];
	struct ctl_usm_keys *k = sample(fps);
	struct ctl_usm_key_user *a = ctl_usm_keys_find(k, fps[0]);
	ctl_usm_key_user_forget(a); // any-engine: every localisation is learned
	cr_assert_eq(a->n_local, 0);
	ctl_usm_keys_free(k);
}

// The sample's file in memory.
static uint8_t *sample_file(size_t *len)
{
	uint8_t fps[3][CTL_USM_FP_LEN];
	char err[256];
	struct ctl_usm_keys *k = sample(fps);
	cr_assert_eq(ctl_usm_keys_save(k, path, err, sizeof(err)), 0, "%s", err);
	ctl_usm_keys_free(k);
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	uint8_t *buf = malloc((size_t)st.st_size);
	FILE *f = fopen(path, "rb");
	cr_assert_eq(fread(buf, 1, (size_t)st.st_size, f), (size_t)st.st_size);
	fclose(f);
	*len = (size_t)st.st_size;
	return buf;
}

static void expect_refused(const uint8_t *buf, size_t len, const char *why)
{
	char err[256] = "";
	struct ctl_usm_keys *k = ctl_usm_keys_parse(buf, len, err, sizeof(err));
	cr_assert_null(k, "accepted: %s", why);
	cr_assert_eq(errno, EINVAL);
	cr_assert_not_null(strstr(err, why), "'%s' lacks '%s'", err, why);
}

// The payload's checksum fixed after a change, so the parser itself must
// find what is wrong.
static void reseal(uint8_t *buf, size_t len)
{
	unsigned n;
	EVP_Digest(buf + CTL_USM_KEYS_HDR_LEN, len - CTL_USM_KEYS_HDR_LEN, buf + 24, &n,
		   EVP_sha256(), NULL);
}

Test(usm_keys, refuses_truncated_files_at_every_length)
{
	size_t len;
	uint8_t *buf = sample_file(&len);
	for (size_t n = 0; n < len; n++) {
		char err[256];
		struct ctl_usm_keys *k = ctl_usm_keys_parse(buf, n, err, sizeof(err));
		cr_assert_null(k, "a file cut at %zu of %zu accepted", n, len);
		cr_assert_neq(err[0], '\0');
	}
	expect_refused(buf, 20, "shorter than the header");
	expect_refused(buf, len - 1, "truncated");
	free(buf);
}

Test(usm_keys, refuses_corrupt_and_lying_files)
{
	size_t len;
	uint8_t *buf = sample_file(&len);
	uint8_t *b = malloc(len + 8);
	memcpy(b, buf, len);
	b[len / 2] ^= 0x01; // a flipped bit anywhere in the payload
	expect_refused(b, len, "checksum");
	memcpy(b, buf, len);
	b[0] = 'X';
	expect_refused(b, len, "magic");
	memcpy(b, buf, len);
	wire_put_u32(b + 8, 4);
	expect_refused(b, len, "version 4, not 3");
	memcpy(b, buf, len);
	wire_put_u32(b + 12, 1000000); // more users than the payload holds
	expect_refused(b, len, "more users");
	memcpy(b, buf, len);
	wire_put_u32(b + 12, 4); // one more user than recorded: reads past the end
	expect_refused(b, len, "user 3");
	memcpy(b, buf, len);
	wire_put_u32(b + 12, 2); // one fewer: the last user read as the engines
	expect_refused(b, len, "engines:");
	memcpy(b, buf, len);
	wire_put_u32(b + 20, (uint32_t)(len - CTL_USM_KEYS_HDR_LEN + 100)); // length lies
	expect_refused(b, len, "past the end");
	// inside a record, with a good checksum: a name of 200 octets
	memcpy(b, buf, len);
	b[CTL_USM_KEYS_HDR_LEN + CTL_USM_FP_LEN + 1] = 200;
	reseal(b, len);
	expect_refused(b, len, "user name not 1..32");
	memcpy(b, buf, len);
	b[CTL_USM_KEYS_HDR_LEN + CTL_USM_FP_LEN] = 9; // origin
	reseal(b, len);
	expect_refused(b, len, "unknown origin");
	// alice's auth protocol byte: name (5) and no engine before it
	size_t at = CTL_USM_KEYS_HDR_LEN + CTL_USM_FP_LEN + 2 + 5 + 1;
	memcpy(b, buf, len);
	b[at] = 77;
	reseal(b, len);
	expect_refused(b, len, "unknown auth");
	memcpy(b, buf, len);
	b[at] = USM_AUTH_NONE; // aes128 without auth
	reseal(b, len);
	expect_refused(b, len, "priv without auth");
	// alice's count of localisations: past what the file holds
	at += 6 + 32 + 32;
	memcpy(b, buf, len);
	wire_put_u16(b + at, 60000);
	reseal(b, len);
	expect_refused(b, len, "more localisations");
	// her first localisation's engine length
	memcpy(b, buf, len);
	b[at + 2] = 40;
	reseal(b, len);
	expect_refused(b, len, "engine ID not 5..32");
	// trailing garbage, resealed
	memcpy(b, buf, len);
	memset(b + len, 0xab, 8);
	wire_put_u32(b + 20, (uint32_t)(len + 8 - CTL_USM_KEYS_HDR_LEN));
	reseal(b, len + 8);
	expect_refused(b, len + 8, "octets after the engines");
	free(b);
	free(buf);
}

// The payload length set to end at len, and the checksum fixed.
static void reseal_len(uint8_t *buf, size_t len)
{
	wire_put_u32(buf + 20, (uint32_t)(len - CTL_USM_KEYS_HDR_LEN));
	reseal(buf, len);
}

// Cut anywhere in the engine section (the checksum good): refused, and
// where a record is cut past the count's room check, "truncated" at the
// record's offset, in each field of the long engine.
Test(usm_keys, refuses_an_engine_section_cut_anywhere)
{
	static const struct {
		size_t cut; // octets of the section kept
		const char *why;
	} cases[] = {
		{0, "engines: truncated count"},
		{1, "engines: truncated count"},
		{2, "engines: more than the rest of the file holds"},
		{LONG_OFF + 1, "engines: more than the rest"},
		{LONG_OFF + 1 + 20, "engine 1: truncated record"},	// its ID
		{LONG_OFF + 1 + 32 + 2, "engine 1: truncated record"},	// boots
		{LONG_OFF + 1 + 32 + 6, "engine 1: truncated record"},	// time
		{LONG_OFF + 1 + 32 + 11, "engine 1: truncated record"}, // added
	};
	size_t len;
	char err[256], at[64];
	uint8_t *buf = sample_file(&len);
	uint8_t *b = malloc(len);
	size_t s = len - ENGINES_LEN;
	for (size_t cut = s; cut < len; cut++) {
		memcpy(b, buf, len);
		reseal_len(b, cut);
		cr_assert_null(ctl_usm_keys_parse(b, cut, err, sizeof(err)), "cut at %zu", cut - s);
		cr_assert_not_null(strstr(err, "engine"), "cut at %zu: %s", cut - s, err);
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(b, buf, len);
		reseal_len(b, s + cases[i].cut);
		expect_refused(b, s + cases[i].cut, cases[i].why);
	}
	memcpy(b, buf, len);
	reseal_len(b, len - 1);
	cr_assert_null(ctl_usm_keys_parse(b, len - 1, err, sizeof(err)));
	snprintf(at, sizeof(at), "offset %zu: engine 1", s + LONG_OFF);
	cr_assert_not_null(strstr(err, at), "'%s' lacks '%s'", err, at);
	free(b);
	free(buf);
}

// Lying counts, bad engine IDs, boots or time out of range, an ID twice,
// garbage after the engines, a flipped bit: each refused with its reason.
Test(usm_keys, refuses_lying_or_bad_engine_records)
{
	static const struct {
		uint16_t n;
		const char *why;
	} counts[] = {
		{3, "engine 2: truncated record"}, // one more than present
		{1, "octets after the engines"},   // one fewer
		{4, "engines: more than the rest of the file holds"},
		{CTL_USM_ENGINES_MAX + 1, "engines: 4097, more than 4096"},
		{65535, "engines: 65535, more than 4096"},
	};
	static const uint8_t bad_len[] = {0, 4, 33, 255};
	size_t len;
	char at[64];
	uint8_t *buf = sample_file(&len);
	uint8_t *b = malloc(len + 8);
	size_t s = len - ENGINES_LEN;
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		memcpy(b, buf, len);
		wire_put_u16(b + s, counts[i].n);
		reseal(b, len);
		expect_refused(b, len, counts[i].why);
	}
	for (size_t i = 0; i < sizeof(bad_len); i++) {
		memcpy(b, buf, len);
		b[s + 2] = bad_len[i];
		reseal(b, len);
		expect_refused(b, len, "engine 0: engine ID not 5..32 octets");
		memcpy(b, buf, len);
		b[s + LONG_OFF] = bad_len[i];
		reseal(b, len);
		expect_refused(b, len, "engine 1: engine ID not 5..32 octets");
	}
	for (int fill = 0; fill <= 0xff; fill += 0xff) {
		memcpy(b, buf, len);
		memset(b + s + 3, fill, sizeof(ENG1));
		reseal(b, len);
		expect_refused(b, len, "engine 0: engine ID all zeros or all 0xff");
	}
	for (size_t field = 0; field < 2; field++) { // boots, time
		memcpy(b, buf, len);
		wire_put_u32(b + s + 3 + sizeof(ENG1) + 4 * field, USM_BOOTS_MAX + 1);
		reseal(b, len);
		expect_refused(b, len, "engine 0: boots or time over 2147483647");
	}
	// ENG1 twice: the long engine's record replaced by the first's
	memcpy(b, buf, s + LONG_OFF);
	memcpy(b + s + LONG_OFF, buf + s + 2, LONG_OFF - 2);
	reseal_len(b, s + 2 * LONG_OFF - 2);
	expect_refused(b, s + 2 * LONG_OFF - 2, "engine 1: the same engine ID");
	snprintf(at, sizeof(at), "offset %zu:", s + LONG_OFF);
	expect_refused(b, s + 2 * LONG_OFF - 2, at);
	memcpy(b, buf, len);
	memset(b + len, 0x42, 8);
	reseal_len(b, len + 8);
	expect_refused(b, len + 8, "octets after the engines");
	memcpy(b, buf, len);
	b[len - 1] ^= 0x01; // added's low bit, the checksum not fixed
	expect_refused(b, len, "checksum does not match");
	free(b);
	free(buf);
}

// With no users, and a full list: the engines come back as they were;
// one over the bound is refused and the list stays.
Test(usm_keys, engines_round_trip_without_users_up_to_the_bound)
{
	char err[256];
	size_t n;
	struct ctl_usm_keys *k = ctl_usm_keys_new(), *r;
	cr_assert_not_null(k);
	sample_engines(k);
	cr_assert_eq(ctl_usm_keys_save(k, path, err, sizeof(err)), 0, "%s", err);
	r = ctl_usm_keys_load(path, err, sizeof(err));
	cr_assert_not_null(r, "%s", err);
	cr_assert_eq(ctl_usm_keys_count(r), 0);
	ctl_usm_keys_engines(r, &n);
	cr_assert_eq(n, 2);
	assert_same_engines(k, r);
	ctl_usm_keys_free(r);
	struct ctl_usm_engine *v = calloc(CTL_USM_ENGINES_MAX + 1, sizeof(*v));
	for (uint32_t i = 0; i <= CTL_USM_ENGINES_MAX; i++) {
		const uint8_t id[] = {0x80, 0x00, 0x00, 0x09, 0x03, (uint8_t)(i >> 8), (uint8_t)i};
		memcpy(v[i].id, id, sizeof(id));
		v[i].len = sizeof(id);
		v[i].boots = i;
		v[i].time = 2 * i;
		v[i].added = 1700000000 + i;
	}
	cr_assert_eq(ctl_usm_keys_set_engines(k, v, CTL_USM_ENGINES_MAX), 0);
	cr_assert_eq(ctl_usm_keys_set_engines(k, v, CTL_USM_ENGINES_MAX + 1), -E2BIG);
	cr_assert_eq(ctl_usm_keys_save(k, path, err, sizeof(err)), 0, "%s", err);
	r = ctl_usm_keys_load(path, err, sizeof(err));
	cr_assert_not_null(r, "%s", err);
	ctl_usm_keys_engines(r, &n);
	cr_assert_eq(n, CTL_USM_ENGINES_MAX);
	assert_same_engines(k, r);
	ctl_usm_keys_free(r);
	// none: an empty section, read back as none
	cr_assert_eq(ctl_usm_keys_set_engines(k, NULL, 0), 0);
	cr_assert_eq(ctl_usm_keys_save(k, path, err, sizeof(err)), 0, "%s", err);
	r = ctl_usm_keys_load(path, err, sizeof(err));
	cr_assert_not_null(r, "%s", err);
	ctl_usm_keys_engines(r, &n);
	cr_assert_eq(n, 0);
	ctl_usm_keys_free(r);
	free(v);
	ctl_usm_keys_free(k);
}

// What the loader would refuse is not taken, so a save never writes a file
// that does not load; the list stays as it was.
Test(usm_keys, set_engines_refuses_what_the_loader_would)
{
	struct ctl_usm_keys *k = ctl_usm_keys_new();
	struct ctl_usm_engine e[2];
	size_t n;
	cr_assert_not_null(k);
	sample_engines(k);
	for (int c = 0; c < 6; c++) {
		memcpy(e, ctl_usm_keys_engines(k, &n), sizeof(e));
		switch (c) {
		case 0:
			e[1].len = 4;
			break;
		case 1:
			e[1].len = 33;
			break;
		case 2:
			memset(e[0].id, 0, e[0].len);
			break;
		case 3:
			e[0].boots = USM_BOOTS_MAX + 1;
			break;
		case 4:
			e[0].time = USM_TIME_MAX + 1;
			break;
		default:
			e[1] = e[0];
			break; // the same ID twice
		}
		cr_assert_eq(ctl_usm_keys_set_engines(k, e, 2), -EINVAL, "case %d", c);
		const struct ctl_usm_engine *now = ctl_usm_keys_engines(k, &n);
		cr_assert_eq(n, 2);
		cr_assert_eq(now[1].len, USM_ENGINE_ID_MAX, "case %d", c);
		cr_assert_arr_eq(now[0].id, ENG1, sizeof(ENG1), "case %d", c);
		cr_assert_eq(now[0].boots, 7);
	}
	ctl_usm_keys_free(k);
}

Test(usm_keys, refuses_a_file_others_may_read)
{
	size_t len;
	char err[256];
	free(sample_file(&len));
	cr_assert_eq(chmod(path, 0644), 0);
	cr_assert_null(ctl_usm_keys_load(path, err, sizeof(err)));
	cr_assert_eq(errno, EPERM);
	cr_assert_not_null(strstr(err, "0644"), "%s", err);
	cr_assert_not_null(strstr(err, "0600"), "%s", err);
	// saving again writes it 0600
	struct ctl_usm_keys *k = ctl_usm_keys_new();
	cr_assert_eq(ctl_usm_keys_save(k, path, err, sizeof(err)), 0, "%s", err);
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	ctl_usm_keys_free(k);
	k = ctl_usm_keys_load(path, err, sizeof(err));
	cr_assert_not_null(k, "%s", err);
	cr_assert_eq(ctl_usm_keys_count(k), 0);
	ctl_usm_keys_free(k);
}

Test(usm_keys, missing_file_is_enoent)
{
	char err[256];
	cr_assert_null(ctl_usm_keys_load(path, err, sizeof(err)));
	cr_assert_eq(errno, ENOENT);
}

// Key IDs are keyed by the store's secret: eight hex digits, the same
// after a save and load, another store's differ, and not SHA-256 of the
// key (which would let whoever lists users test password guesses).
Test(usm_keys, key_id_is_keyed_by_the_store_and_kept_across_restarts)
{
	char a[CTL_USM_KEY_ID_LEN + 1], b[CTL_USM_KEY_ID_LEN + 1], c[CTL_USM_KEY_ID_LEN + 1];
	char err[256];
	const uint8_t *key = (const uint8_t *)"abc";
	struct ctl_usm_keys *k1 = ctl_usm_keys_new(), *k2 = ctl_usm_keys_new();
	cr_assert(k1 && k2);
	ctl_usm_key_id(k1, key, 3, a);
	ctl_usm_key_id(k2, key, 3, b);
	cr_assert_eq(strlen(a), CTL_USM_KEY_ID_LEN);
	cr_assert_eq(strspn(a, "0123456789abcdef"), CTL_USM_KEY_ID_LEN, "%s", a);
	cr_assert_str_neq(a, "ba7816bf", "SHA-256(\"abc\") shown");
	cr_assert_str_neq(a, b, "two stores' secrets give one ID");
	ctl_usm_key_id(k1, (const uint8_t *)"abd", 3, c);
	cr_assert_str_neq(a, c);
	cr_assert_eq(ctl_usm_keys_save(k1, path, err, sizeof(err)), 0, "%s", err);
	struct ctl_usm_keys *k3 = ctl_usm_keys_load(path, err, sizeof(err));
	cr_assert_not_null(k3, "%s", err);
	ctl_usm_key_id(k3, key, 3, c);
	cr_assert_str_eq(a, c, "the ID changed across a save and load");
	ctl_usm_keys_free(k1);
	ctl_usm_keys_free(k2);
	ctl_usm_keys_free(k3);
}

// The sample's file as version 2 (no engines) or 1 (no engines, no ID
// secret), sealed as those versions were.
static uint8_t *old_file(uint32_t version, size_t *len)
{
	uint8_t *buf = sample_file(len);
	size_t hlen = version == 1 ? CTL_USM_KEYS_HDR_V1 : CTL_USM_KEYS_HDR_LEN;
	size_t plen = *len - ENGINES_LEN - CTL_USM_KEYS_HDR_LEN;
	unsigned n;
	memmove(buf + hlen, buf + CTL_USM_KEYS_HDR_LEN, plen);
	wire_put_u32(buf + 8, version);
	wire_put_u32(buf + 20, (uint32_t)plen);
	EVP_Digest(buf + hlen, plen, buf + 24, &n, EVP_sha256(), NULL);
	*len = hlen + plen;
	return buf;
}

// Versions 1 (no ID secret: read with a new one) and 2 are still read,
// with no engines; and an engine section after their users is garbage.
Test(usm_keys, reads_version_1_and_2_files_with_no_engines)
{
	size_t len;
	char err[256];
	for (uint32_t v = 1; v <= 2; v++) {
		uint8_t *buf = old_file(v, &len);
		struct ctl_usm_keys *k = ctl_usm_keys_parse(buf, len, err, sizeof(err));
		cr_assert_not_null(k, "version %u: %s", v, err);
		cr_assert_eq(ctl_usm_keys_count(k), 3);
		size_t n = 99;
		ctl_usm_keys_engines(k, &n);
		cr_assert_eq(n, 0, "version %u: %zu engines", v, n);
		ctl_usm_keys_free(k);
		free(buf);
	}
	uint8_t *buf = sample_file(&len);
	wire_put_u32(buf + 8, 2);
	expect_refused(buf, len, "octets after the last user");
	free(buf);
	// a version 2 file cut inside its header's secret: refused
	buf = old_file(2, &len);
	expect_refused(buf, CTL_USM_KEYS_HDR_V1 + 8, "shorter than the header");
	free(buf);
}

static void count_item(void *ctx, size_t i)
{
	atomic_uint *seen = ctx;
	atomic_fetch_add(&seen[i], 1);
}

Test(usm_pool, every_item_once_run_after_run)
{
	struct ctl_usm_pool *p = ctl_usm_pool_new(2);
	cr_assert_not_null(p);
	cr_assert_eq(ctl_usm_pool_threads(p), 2);
	static atomic_uint seen[1000];
	for (int run = 0; run < 50; run++) {
		size_t n = 1 + (size_t)run * 19;
		for (size_t i = 0; i < n; i++)
			atomic_store(&seen[i], 0);
		ctl_usm_pool_run(p, n, count_item, seen);
		for (size_t i = 0; i < n; i++)
			cr_assert_eq(atomic_load(&seen[i]), 1, "run %d item %zu", run, i);
	}
	ctl_usm_pool_free(p);
	cr_assert_null(ctl_usm_pool_new(CTL_USM_POOL_THREADS_MAX + 1));
	ctl_usm_pool_free(NULL);
}

// A users file loaded keeping passwords: no Ku yet, the passwords kept,
// and the fingerprint the same as one made from the password directly.
Test(usm_keys, users_file_keeps_passwords_when_asked)
{
	static const char text[] = "users:\n"
				   "  - {name: alice, auth: sha256, auth_password: maplesyrup,"
				   " priv: aes128, priv_password: maplesyrup}\n";
	char err[512];
	struct ctl_usm_users *u = ctl_usm_users_load_pw(NULL, text, strlen(text), err, sizeof(err));
	cr_assert_not_null(u, "%s", err);
	cr_assert_not_null(u->pw);
	cr_assert_eq(u->pw[0].len[0], 10);
	cr_assert_arr_eq(u->pw[0].pw[1], "maplesyrup", 10);
	uint8_t zero[USM_DIGEST_MAX] = {0};
	cr_assert_arr_eq(u->users[0].auth_key, zero, sizeof(zero));
	uint8_t a[CTL_USM_FP_LEN], b[CTL_USM_FP_LEN];
	struct usm_user_cfg c;
	ctl_usm_fingerprint(&u->users[0], u->pw, a);
	user(&c, "alice", USM_AUTH_SHA256, USM_PRIV_AES128, "maplesyrup", b);
	cr_assert_arr_eq(a, b, sizeof(a));
	ctl_usm_users_forget_pw(u);
	cr_assert_null(u->pw);
	ctl_usm_users_free(u);
}

// No users file is an empty list (the daemon's file users all leave).
Test(usm_keys, an_empty_users_list_loads_keeping_passwords)
{
	static const char text[] = "users: []\n";
	char err[512];
	struct ctl_usm_users *u = ctl_usm_users_load_pw(NULL, text, strlen(text), err, sizeof(err));
	cr_assert_not_null(u, "%s", err);
	cr_assert_eq(u->n, 0);
	ctl_usm_users_free(u);
}
