/* SPDX-License-Identifier: BSD-3-Clause */
// RFC 3414 §3.2 end to end over synthetic messages: every outcome with its
// reason, in the RFC's order; compat auto; the any-engine hand-off; no
// allocation on the path. The "message" is opaque bytes here (USM never
// parses it): a header stand-in, the MAC field, the salt, the scopedPDU.
#include <errno.h>

#include "usm_test_util.h"

#define AUTH_OFF 16
#define SALT_OFF 64
#define DATA_OFF 72
#define NOW	 (1000 + 5000) // our snmpEngineTime: 5000

static const uint8_t ours[] = {0x80, 0, 0x1f, 0x88, 4, 'o', 'u', 'r', 's'};
static const uint8_t agent[] = {0x80, 0, 0x1f, 0x88, 4, 'a', 'g', 'e', 'n', 't'};
static const uint8_t other[] = {0x80, 0, 0x1f, 0x88, 4, 'o', 't', 'h', 'e', 'r'};
static const struct usm_local local = {
	.engine_id = {0x80, 0, 0x1f, 0x88, 4, 'o', 'u', 'r', 's'},
	.engine_len = sizeof(ours),
	.boots = 7,
	.time_base = 1000,
};

static struct usm_ctx *rx, *tx; // receiver's worker, sender's
static struct usm_table *table;

static void setup(void)
{
	rx = usm_ctx_new(64);
	tx = usm_ctx_new(64);
	table = usm_table_new(64, 4);
	cr_assert(rx && tx && table);
}

static void teardown(void)
{
	usm_ctx_free(rx);
	usm_ctx_free(tx);
	usm_table_free(table);
}

TestSuite(usm_process, .init = setup, .fini = teardown);

static struct usm_user_cfg cfg(const char *name, enum usm_auth a, enum usm_priv p,
			       enum usm_compat compat, const char *auth_pw, const char *priv_pw)
{
	struct usm_user_cfg c = {.auth = a, .priv = p, .compat = compat};
	c.name_len = (uint8_t)strlen(name);
	memcpy(c.name, name, c.name_len);
	if (a != USM_AUTH_NONE)
		cr_assert_gt(usm_password_to_ku(a, auth_pw, strlen(auth_pw), c.auth_key), 0);
	if (p != USM_PRIV_NONE) {
		int n = usm_password_to_ku(a, priv_pw, strlen(priv_pw), c.priv_key);
		cr_assert_gt(n, 0);
		c.priv_key_len = (uint8_t)n;
	}
	return c;
}

static struct usm_user localized(const struct usm_user_cfg *c, const uint8_t *e, size_t elen)
{
	struct usm_user u;
	cr_assert_eq(usm_user_localize(c, e, elen, &u), 0);
	return u;
}

// The receiver knows c at engine e; returns the sender's copy of it.
static struct usm_user known(const struct usm_user_cfg *c, const uint8_t *e, size_t elen)
{
	struct usm_user u = localized(c, e, elen);
	cr_assert_eq(usm_table_add(table, &u), 0);
	return u;
}

struct msg {
	uint8_t b[640];
	uint8_t pdu[200];
	size_t pdu_len;
	struct usm_in in;
};

// A message from `sender` at the level flags give: the scopedPDU (a real
// one in shape: SEQUENCE, contextEngineID, contextName, a PDU stand-in)
// in clear or encrypted, then the MAC over everything.
static void build(struct msg *m, const struct usm_user *sender, uint8_t flags, const uint8_t *e,
		  size_t elen, uint32_t boots, uint32_t time)
{
	memset(m, 0, sizeof(*m));
	memset(m->b, 0xa5, DATA_OFF);
	uint8_t *p = m->pdu;
	size_t body = 2 + elen + 2 + 130;
	*p++ = 0x30, *p++ = 0x81, *p++ = (uint8_t)body;
	*p++ = 0x04, *p++ = (uint8_t)elen;
	memcpy(p, e, elen), p += elen;
	*p++ = 0x04, *p++ = 0x00;
	*p++ = 0xa7, *p++ = 128;
	for (int i = 0; i < 128; i++)
		*p++ = (uint8_t)i;
	m->pdu_len = (size_t)(p - m->pdu);
	struct usm_in *in = &m->in;
	in->msg = m->b;
	in->flags = flags;
	in->engine_id = e;
	in->engine_len = elen;
	in->boots = boots;
	in->time = time;
	in->user = sender->name;
	in->user_len = sender->name_len;
	size_t mac = usm_auth_mac_len(sender->auth);
	in->auth_off = AUTH_OFF;
	in->auth_len = flags & USM_FLAG_AUTH ? mac : 0;
	memset(m->b + AUTH_OFF, 0, in->auth_len);
	in->data = m->b + DATA_OFF;
	if (flags & USM_FLAG_PRIV) {
		int n = usm_encrypt(tx, sender, 0, boots, time, m->pdu, m->pdu_len, m->b + DATA_OFF,
				    sizeof(m->b) - DATA_OFF, m->b + SALT_OFF);
		cr_assert_gt(n, 0);
		in->data_len = (size_t)n;
		in->priv_params = m->b + SALT_OFF;
		in->priv_params_len = 8;
	} else {
		memcpy(m->b + DATA_OFF, m->pdu, m->pdu_len);
		in->data_len = m->pdu_len;
	}
	in->msg_len = DATA_OFF + in->data_len;
	if (flags & USM_FLAG_AUTH)
		cr_assert_eq(usm_auth_sign(&sender->hmac, m->b, in->msg_len, AUTH_OFF, mac), 0);
}

static enum usm_outcome run(struct msg *m, struct usm_result *res)
{
	static uint8_t out[640];
	return usm_process_in(rx, table, &local, NOW, &m->in, out, sizeof(out), res);
}

static void expect(struct msg *m, enum usm_outcome o, int err)
{
	struct usm_result res;
	enum usm_outcome got = run(m, &res);
	cr_assert_eq(got, o, "outcome %s (%s), want %s", usm_outcome_name(got),
		     usm_strerror_sym(res.err), usm_outcome_name(o));
	cr_assert_eq(res.outcome, o);
	cr_assert_eq(res.err, err, "reason %s, want %s", usm_strerror_sym(res.err),
		     usm_strerror_sym(err));
}

// A message from s, and the outcome and reason it must get.
static void sent(const struct usm_user *s, uint8_t flags, const uint8_t *e, size_t elen,
		 uint32_t boots, uint32_t time, enum usm_outcome o, int err)
{
	struct msg m;
	build(&m, s, flags, e, elen, boots, time);
	expect(&m, o, err);
}

#define AUTH_PRIV (USM_FLAG_AUTH | USM_FLAG_PRIV | USM_FLAG_REPORTABLE)

Test(usm_process, every_protocol_passes_to_us_and_from_an_agent)
{
	for (int p = USM_PRIV_NONE; p < USM_PRIV_COUNT; p++) {
		char name[16];
		snprintf(name, sizeof(name), "u-%s", usm_priv_name(p));
		// SHA-1 keys are short: every extension is exercised
		struct usm_user_cfg c =
			cfg(name, USM_AUTH_SHA1, p, USM_COMPAT_AUTO, "maplesyrup", "privpass1");
		uint8_t flags = p ? AUTH_PRIV : USM_FLAG_AUTH;
		for (int side = 0; side < 2; side++) {
			const uint8_t *e = side ? agent : ours;
			size_t elen = side ? sizeof(agent) : sizeof(ours);
			struct usm_user s = known(&c, e, elen);
			struct msg m;
			build(&m, &s, flags, e, elen, side ? 40 : 7, side ? 123456 : 5000);
			// decrypted in place, into the message itself
			struct usm_result res;
			enum usm_outcome o = usm_process_in(rx, table, &local, NOW, &m.in,
							    m.b + DATA_OFF, m.in.data_len, &res);
			cr_assert_eq(o, USM_OK, "%s side %d: %s %s", name, side,
				     usm_outcome_name(o), usm_strerror_sym(res.err));
			cr_assert_eq(res.authoritative, side == 0);
			cr_assert_eq(res.user->name_len, c.name_len);
			if (p) {
				cr_assert_eq(res.plain_len, m.pdu_len);
				cr_assert_arr_eq(m.b + DATA_OFF, m.pdu, m.pdu_len);
			}
		}
	}
}

Test(usm_process, no_auth_user_passes_without_keys)
{
	struct usm_user_cfg c = cfg("public", USM_AUTH_NONE, USM_PRIV_NONE, 0, NULL, NULL);
	struct usm_user s = known(&c, agent, sizeof(agent));
	sent(&s, USM_FLAG_REPORTABLE, agent, sizeof(agent), 0, 0, USM_OK, 0);
}

// RFC 3412 §7.2 step 5
Test(usm_process, priv_without_auth_is_invalid)
{
	struct usm_user_cfg c =
		cfg("alice", USM_AUTH_SHA256, USM_PRIV_AES128, 0, "maplesyrup", "maplesyrup");
	struct usm_user s = known(&c, agent, sizeof(agent));
	struct msg m;
	build(&m, &s, AUTH_PRIV, agent, sizeof(agent), 1, 1);
	m.in.flags = USM_FLAG_PRIV;
	expect(&m, USM_INVALID_MSG, USM_EFLAGS);
}

// step 3, including discovery: empty engine ID, empty user, reportable
Test(usm_process, unknown_engine)
{
	struct usm_user_cfg c = cfg("alice", USM_AUTH_SHA256, USM_PRIV_NONE, 0, "maplesyrup", NULL);
	struct usm_user s = known(&c, agent, sizeof(agent));
	struct msg m;
	sent(&s, USM_FLAG_AUTH, other, sizeof(other), 1, 1, USM_UNKNOWN_ENGINE_IDS,
	     USM_EUNKNOWN_ENGINE);
	build(&m, &s, USM_FLAG_REPORTABLE, (const uint8_t *)"", 0, 0, 0);
	m.in.user_len = 0;
	expect(&m, USM_UNKNOWN_ENGINE_IDS, USM_EUNKNOWN_ENGINE);
	cr_assert_eq(usm_report_level(USM_UNKNOWN_ENGINE_IDS), USM_LEVEL_NOAUTH_NOPRIV);
	cr_assert_str_eq(usm_outcome_oid(USM_UNKNOWN_ENGINE_IDS), "1.3.6.1.6.3.15.1.1.4.0");
}

// step 4: the engine is known (has users, or is ours), the user is not
Test(usm_process, unknown_user)
{
	struct usm_user_cfg c = cfg("alice", USM_AUTH_MD5, USM_PRIV_NONE, 0, "maplesyrup", NULL);
	struct usm_user_cfg x = cfg("mallory", USM_AUTH_MD5, USM_PRIV_NONE, 0, "maplesyrup", NULL);
	known(&c, agent, sizeof(agent));
	struct usm_user s = localized(&x, agent, sizeof(agent));
	sent(&s, USM_FLAG_AUTH, agent, sizeof(agent), 1, 1, USM_UNKNOWN_USER_NAMES,
	     USM_EUNKNOWN_USER);
	s = localized(&x, ours, sizeof(ours));
	sent(&s, USM_FLAG_AUTH, ours, sizeof(ours), 7, 5000, USM_UNKNOWN_USER_NAMES,
	     USM_EUNKNOWN_USER);
}

// step 5, and our policy of one level per user
Test(usm_process, unsupported_levels)
{
	struct usm_user_cfg a =
		cfg("authonly", USM_AUTH_SHA224, USM_PRIV_NONE, 0, "maplesyrup", NULL);
	struct usm_user_cfg p =
		cfg("private", USM_AUTH_SHA224, USM_PRIV_AES128, 0, "maplesyrup", "maplesyrup");
	struct usm_user sa = known(&a, agent, sizeof(agent));
	struct usm_user sp = known(&p, agent, sizeof(agent));
	struct msg m;
	build(&m, &sp, AUTH_PRIV, agent, sizeof(agent), 1, 1);
	m.in.user = sa.name;
	m.in.user_len = sa.name_len;
	expect(&m, USM_UNSUPPORTED_SEC_LEVELS, USM_ELEVEL_HIGH);
	sent(&sp, USM_FLAG_AUTH, agent, sizeof(agent), 1, 1, USM_UNSUPPORTED_SEC_LEVELS,
	     USM_ELEVEL_LOW);
	sent(&sp, 0, agent, sizeof(agent), 1, 1, USM_UNSUPPORTED_SEC_LEVELS, USM_ELEVEL_LOW);
}

// step 6
Test(usm_process, wrong_digests)
{
	struct usm_user_cfg good =
		cfg("alice", USM_AUTH_SHA512, USM_PRIV_AES256, 0, "maplesyrup", "maplesyrup");
	struct usm_user_cfg bad =
		cfg("alice", USM_AUTH_SHA512, USM_PRIV_AES256, 0, "wrongpassword", "maplesyrup");
	struct usm_user s = known(&good, agent, sizeof(agent));
	struct usm_user wrong = localized(&bad, agent, sizeof(agent));
	struct msg m;
	sent(&wrong, AUTH_PRIV, agent, sizeof(agent), 1, 1, USM_WRONG_DIGESTS, USM_EDIGEST);
	build(&m, &s, AUTH_PRIV, agent, sizeof(agent), 1, 1);
	m.b[DATA_OFF + 50] ^= 0x04; // a flipped bit in the encrypted part
	expect(&m, USM_WRONG_DIGESTS, USM_EDIGEST);
	build(&m, &s, AUTH_PRIV, agent, sizeof(agent), 1, 1);
	m.in.auth_len = 47; // HMAC-SHA-512-384 is 48 octets
	expect(&m, USM_WRONG_DIGESTS, USM_EAUTH_LEN);
	m.in.auth_len = 0;
	expect(&m, USM_WRONG_DIGESTS, USM_EAUTH_LEN);
	m.in.auth_len = 48;
	m.in.auth_off = m.in.msg_len - 47;
	expect(&m, USM_WRONG_DIGESTS, USM_EAUTH_RANGE);
	// the digest is checked before the time: a forged stale message is a
	// wrong digest, not a time report that would leak our clock to it
	build(&m, &wrong, AUTH_PRIV, ours, sizeof(ours), 6, 1);
	known(&good, ours, sizeof(ours));
	expect(&m, USM_WRONG_DIGESTS, USM_EDIGEST);
}

// step 7a: to us
Test(usm_process, not_in_time_window_at_our_engine)
{
	struct usm_user_cfg c = cfg("alice", USM_AUTH_SHA256, USM_PRIV_NONE, 0, "maplesyrup", NULL);
	struct usm_user s = known(&c, ours, sizeof(ours));
	struct msg m;
	sent(&s, USM_FLAG_AUTH, ours, sizeof(ours), 7, 5150, USM_OK, 0);
	sent(&s, USM_FLAG_AUTH, ours, sizeof(ours), 7, 5151, USM_NOT_IN_TIME_WINDOWS, USM_ETIME);
	sent(&s, USM_FLAG_AUTH, ours, sizeof(ours), 8, 5000, USM_NOT_IN_TIME_WINDOWS, USM_EBOOTS);
	// time discovery (RFC 3414 §4): boots and time 0, authenticated; the
	// Report goes back authNoPriv with this user's keys
	build(&m, &s, USM_FLAG_AUTH | USM_FLAG_REPORTABLE, ours, sizeof(ours), 0, 0);
	struct usm_result res;
	cr_assert_eq(run(&m, &res), USM_NOT_IN_TIME_WINDOWS);
	cr_assert_eq(res.user->auth, USM_AUTH_SHA256);
	cr_assert_eq(usm_report_level(res.outcome), USM_LEVEL_AUTH_NOPRIV);
}

// step 7b: from an agent, replayed or from before its last reboot
Test(usm_process, not_in_time_window_from_an_agent)
{
	struct usm_user_cfg c =
		cfg("alice", USM_AUTH_MD5, USM_PRIV_DES, 0, "maplesyrup", "maplesyrup");
	struct usm_user s = known(&c, agent, sizeof(agent));
	sent(&s, AUTH_PRIV, agent, sizeof(agent), 5, 100000, USM_OK, 0);
	sent(&s, AUTH_PRIV, agent, sizeof(agent), 4, 200000, USM_NOT_IN_TIME_WINDOWS, USM_EBOOTS);
	sent(&s, AUTH_PRIV, agent, sizeof(agent), 5, 100000 - 151, USM_NOT_IN_TIME_WINDOWS,
	     USM_ETIME);
	sent(&s, AUTH_PRIV, agent, sizeof(agent), 5, 100000 - 150, USM_OK, 0);
}

// step 8
Test(usm_process, decryption_errors)
{
	struct usm_user_cfg des =
		cfg("des", USM_AUTH_SHA1, USM_PRIV_DES, 0, "maplesyrup", "maplesyrup");
	struct usm_user_cfg aes =
		cfg("aes", USM_AUTH_SHA1, USM_PRIV_AES128, 0, "maplesyrup", "maplesyrup");
	struct usm_user_cfg aes_bad = cfg("aes", USM_AUTH_SHA1, USM_PRIV_AES128, 0, "maplesyrup",
					  "not the priv password");
	struct usm_user sd = known(&des, agent, sizeof(agent));
	struct usm_user sa = known(&aes, agent, sizeof(agent));
	struct usm_user wrong = localized(&aes_bad, agent, sizeof(agent));
	struct msg m;
	// the lengths only change what USM is told, not the signed bytes
	const struct {
		const struct usm_user *s;
		size_t salt_len, data_len; // 0: as built
		int err;
	} lens[] = {
		{&sd, 7, 0, USM_EPRIV_PARAMS_LEN},
		{&sd, 8, 13, USM_ECIPHER_LEN},
		{&sd, 8, SIZE_MAX, USM_ECIPHER_EMPTY},
		// CFB: any length decrypts, only the salt length is checked
		{&sa, 9, 0, USM_EPRIV_PARAMS_LEN},
	};
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		build(&m, lens[i].s, AUTH_PRIV, agent, sizeof(agent), 1, 10 + (uint32_t)i);
		m.in.priv_params_len = lens[i].salt_len;
		if (lens[i].data_len)
			m.in.data_len = lens[i].data_len == SIZE_MAX ? 0 : lens[i].data_len;
		expect(&m, USM_DECRYPTION_ERRORS, lens[i].err);
	}
	// a wrong privacy password authenticates but decrypts to noise
	sent(&wrong, AUTH_PRIV, agent, sizeof(agent), 1, 14, USM_DECRYPTION_ERRORS, USM_EPLAINTEXT);
	// a wrong DES block decrypts to a wrong header too
	build(&m, &sd, AUTH_PRIV, agent, sizeof(agent), 1, 15);
	m.in.priv_params = m.b + 8; // another salt: another IV
	expect(&m, USM_DECRYPTION_ERRORS, USM_EPLAINTEXT);
	build(&m, &sd, AUTH_PRIV, agent, sizeof(agent), 1, 16);
	struct usm_result res;
	uint8_t small[16];
	cr_assert_eq(usm_process_in(rx, table, &local, NOW, &m.in, small, sizeof(small), &res),
		     USM_DECRYPTION_ERRORS);
	cr_assert_eq(res.err, USM_ENOSPACE);
	cr_assert_str_eq(usm_outcome_name(USM_DECRYPTION_ERRORS), "decryptionErrors");
}

// The sender uses one variant; what each compat mode on our side makes
// of it, and the Response encrypted back with the key that worked.
Test(usm_process, compat_modes_for_aes192_and_aes256)
{
	static const struct {
		enum usm_priv sender;
		enum usm_compat ours;
		enum usm_outcome want;
		int key;
	} cases[] = {
		{USM_PRIV_AES192, USM_COMPAT_AUTO, USM_OK, 0},
		{USM_PRIV_AES192C, USM_COMPAT_AUTO, USM_OK, 1},
		{USM_PRIV_AES256, USM_COMPAT_AUTO, USM_OK, 0},
		{USM_PRIV_AES256C, USM_COMPAT_AUTO, USM_OK, 1},
		{USM_PRIV_AES192, USM_COMPAT_BLUMENTHAL, USM_OK, 0},
		{USM_PRIV_AES192C, USM_COMPAT_BLUMENTHAL, USM_DECRYPTION_ERRORS, 0},
		{USM_PRIV_AES256C, USM_COMPAT_REEDER, USM_OK, 0},
		{USM_PRIV_AES256, USM_COMPAT_REEDER, USM_DECRYPTION_ERRORS, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char name[8];
		snprintf(name, sizeof(name), "c%zu", i);
		bool is256 =
			cases[i].sender == USM_PRIV_AES256 || cases[i].sender == USM_PRIV_AES256C;
		struct usm_user_cfg mine =
			cfg(name, USM_AUTH_MD5, is256 ? USM_PRIV_AES256 : USM_PRIV_AES192,
			    cases[i].ours, "maplesyrup", "maplesyrup");
		struct usm_user_cfg theirs =
			cfg(name, USM_AUTH_MD5, cases[i].sender, 0, "maplesyrup", "maplesyrup");
		known(&mine, ours, sizeof(ours));
		struct usm_user s = localized(&theirs, ours, sizeof(ours));
		struct msg m;
		build(&m, &s, AUTH_PRIV, ours, sizeof(ours), 7, 5000);
		struct usm_result res;
		uint8_t out[640];
		enum usm_outcome o =
			usm_process_in(rx, table, &local, NOW, &m.in, out, sizeof(out), &res);
		cr_assert_eq(o, cases[i].want, "case %zu: %s", i, usm_outcome_name(o));
		if (o != USM_OK)
			continue;
		cr_assert_eq(res.priv_key, cases[i].key, "case %zu", i);
		cr_assert_arr_eq(out, m.pdu, m.pdu_len);
		// the Response: our key that worked, their key decrypts it
		uint8_t ct[256], back[256], salt[8];
		int n = usm_encrypt(rx, res.user, res.priv_key, 7, 5000, m.pdu, m.pdu_len, ct,
				    sizeof(ct), salt);
		cr_assert_eq(
			usm_decrypt(tx, &s, 0, 7, 5000, salt, 8, ct, (size_t)n, back, sizeof(back)),
			n);
		cr_assert_arr_eq(back, m.pdu, m.pdu_len);
	}
}

// A user configured for any engine: the worker hands the message over;
// the control plane localises for that engine, checks, adds; the next
// message passes on the worker.
Test(usm_process, any_engine_user_is_localised_by_the_control_plane)
{
	struct usm_user_cfg c =
		cfg("roamer", USM_AUTH_SHA256, USM_PRIV_AES128, 0, "maplesyrup", "maplesyrup");
	cr_assert_eq(usm_table_add_any(table, &c), 0);
	struct usm_user s = localized(&c, other, sizeof(other));
	sent(&s, USM_FLAG_AUTH, other, sizeof(other), 3, 30, USM_UNSUPPORTED_SEC_LEVELS,
	     USM_ELEVEL_LOW);
	sent(&s, AUTH_PRIV, other, 4, 3, 30, USM_UNKNOWN_ENGINE_IDS, USM_EUNKNOWN_ENGINE);
	struct msg m, forged;
	build(&m, &s, AUTH_PRIV, other, sizeof(other), 3, 30);
	expect(&m, USM_PENDING_KEY, 0);
	// the control plane's side: localise, check the message, then add; a
	// forged message (another password) gets no entry
	struct usm_user_cfg x =
		cfg("roamer", USM_AUTH_SHA256, USM_PRIV_AES128, 0, "forgery!", "maplesyrup");
	struct usm_user xs = localized(&x, other, sizeof(other)), u;
	build(&forged, &xs, AUTH_PRIV, other, sizeof(other), 3, 30);
	cr_assert_eq(usm_user_localize(&c, other, sizeof(other), &u), 0);
	cr_assert_eq(usm_auth_verify(&u.hmac, forged.b, forged.in.msg_len, AUTH_OFF, 24),
		     USM_EDIGEST);
	cr_assert_eq(usm_auth_verify(&u.hmac, m.b, m.in.msg_len, AUTH_OFF, 24), 0);
	cr_assert_eq(usm_table_add(table, &u), 0);
	sent(&s, AUTH_PRIV, other, sizeof(other), 3, 31, USM_OK, 0);
	cr_assert_eq(usm_table_add(table, &u), -EEXIST);
}

Test(usm_process, usmstats_registry)
{
	static const char *const names[] = {"unsupportedSecLevels", "notInTimeWindows",
					    "unknownUserNames",	    "unknownEngineIDs",
					    "wrongDigests",	    "decryptionErrors"};
	for (int o = USM_UNSUPPORTED_SEC_LEVELS; o <= USM_DECRYPTION_ERRORS; o++) {
		char oid[32];
		snprintf(oid, sizeof(oid), "1.3.6.1.6.3.15.1.1.%d.0", o);
		cr_assert_str_eq(usm_outcome_oid(o), oid);
		cr_assert_str_eq(usm_outcome_name(o), names[o - 1]);
		cr_assert_eq(usm_report_level(o), o == USM_NOT_IN_TIME_WINDOWS
							  ? USM_LEVEL_AUTH_NOPRIV
							  : USM_LEVEL_NOAUTH_NOPRIV);
	}
	cr_assert_null(usm_outcome_oid(USM_OK));
	cr_assert_null(usm_outcome_oid(USM_PENDING_KEY));
	cr_assert_str_eq(usm_outcome_name(USM_OUTCOME_COUNT), "?");
	cr_assert_str_eq(usm_strerror(USM_EDIGEST), "HMAC does not match (RFC 3414 §3.2 step 6)");
	cr_assert_str_eq(usm_strerror_sym(USM_ECRYPTO), "USM_ECRYPTO");
	cr_assert_str_eq(usm_strerror_sym(-ENOSPC), "UNKNOWN");
	cr_assert_eq(usm_auth_from_name("sha384"), USM_AUTH_SHA384);
	cr_assert_eq(usm_priv_from_name("aes256c"), USM_PRIV_AES256C);
	cr_assert_eq(usm_compat_from_name("reeder"), USM_COMPAT_REEDER);
	cr_assert_eq(usm_priv_from_name("aes"), -1);
	cr_assert_eq(usm_level_from_flags(USM_FLAG_PRIV), -1);
}

Test(usm_process, the_fast_path_does_not_allocate)
{
	struct usm_user_cfg c = cfg("fast", USM_AUTH_SHA256, USM_PRIV_AES192, USM_COMPAT_AUTO,
				    "maplesyrup", "maplesyrup");
	struct usm_user_cfg r =
		cfg("fast", USM_AUTH_SHA256, USM_PRIV_AES192C, 0, "maplesyrup", "maplesyrup");
	known(&c, agent, sizeof(agent));
	struct usm_user s = localized(&r, agent, sizeof(agent));
	static struct msg m[8];
	for (int i = 0; i < 8; i++)
		build(&m[i], &s, AUTH_PRIV, agent, sizeof(agent), 2, (uint32_t)(100 + i));
	alloc_count_start();
	long before = usm_test_allocs;
	int bad = 0;
	uint8_t out[640];
	for (int i = 0; i < 1000; i++) {
		struct usm_result res;
		bad += usm_process_in(rx, table, &local, NOW, &m[i % 8].in, out, sizeof(out),
				      &res) != USM_OK;
	}
	cr_assert_eq(bad, 0);
	cr_assert_eq(usm_test_allocs - before, 0, "%ld allocations in 1000 messages",
		     usm_test_allocs - before);
}
