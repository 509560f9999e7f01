/* SPDX-License-Identifier: BSD-3-Clause */
// The receive glue (snmp_v3.h): every frame of the interop corpus through
// snmp_rx_process with the corpus users, our Reports and inform Responses
// compared octet for octet with the ones snmptrapd sent in the same
// exchange, each usmStats outcome with the Report it asks for, an RFC 3414
// §4 discovery against the glue, and v3 messages broken where USM looks.
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>

#include <linerate/snmp_v3.h>

#include "snmp_corpus_util.h"
#include "snmp_test_util.h"
#include "trap_fast_diff.h"

#define NOW	   1000000
#define MAX_FRAMES 400
#define OUT_MAX	   4096
#define VB_MAX	   16

// snmptrapd's engine in the informs captures: ours when we play it.
static const uint8_t trapd[] = {0x80, 0x00, 0x1f, 0x88, 0x04, 't', 'r', 'a', 'p',
				'd',  '-',  'c',  'o',	'r',  'p', 'u', 's'};
__attribute__((unused)) static const uint8_t other[] = {0x80, 0,   0x1f, 0x88, 4,
							'o',  't', 'h',	 'e',  'r'};

// --- the corpus in memory -----------------------------------------------------

struct cframe {
	struct row r; // r.v[] point into r.line
	uint8_t wire[FRAME_MAX];
	size_t len;
	uint8_t engine[USM_ENGINE_ID_MAX];
	size_t engine_len;
};

static struct cframe frames[MAX_FRAMES];
static int n_frames;
static struct usm_table *table; // every corpus user at the engine it used
static struct usm_ctx *rx_ctx, *tx_ctx;
static struct usm_local local;

static int keep_row(const struct row *r)
{
	cr_assert_lt(n_frames, MAX_FRAMES);
	struct cframe *f = &frames[n_frames++];
	memcpy(f->r.line, r->line, sizeof(r->line));
	for (int c = 0; c < C_COUNT; c++)
		f->r.v[c] = f->r.line + (r->v[c] - r->line);
	f->len = pcap_udp_payload(r->v[C_FILE], atoi(r->v[C_FRAME]), f->wire);
	f->engine_len = unhex(r->v[C_ENGINE], f->engine, sizeof(f->engine));
	return 1;
}

static bool is(const struct cframe *f, int col, const char *v)
{
	return strcmp(f->r.v[col], v) == 0;
}

// A sender's user as the corpus configured it, into t at engine e.
static void add_user(struct usm_table *t, const struct cframe *f, const char *auth_pw,
		     const char *priv_pw, const uint8_t *e, size_t elen)
{
	struct usm_user_cfg c = user_of(&f->r, auth_pw, priv_pw);
	struct usm_user u;
	cr_assert_eq(usm_user_localize(&c, e, elen, &u), 0, "%s", f->r.v[C_NAME]);
	int rc = usm_table_add(t, &u);
	cr_assert(rc == 0 || rc == -EEXIST);
}

static void setup(void)
{
	n_frames = 0;
	cr_assert_gt(each_row(keep_row), 300);
	table = usm_table_new(1024, 0);
	rx_ctx = usm_ctx_new(64);
	tx_ctx = usm_ctx_new(64);
	cr_assert(table && rx_ctx && tx_ctx);
	// the users as each sender had them: from what they sent
	for (int i = 0; i < n_frames; i++) {
		const struct cframe *f = &frames[i];
		if (is(f, C_VERSION, "3") && is(f, C_DIR, "to_manager") && f->r.v[C_NAME][0] &&
		    f->engine_len)
			add_user(table, f, f->r.v[C_AUTH_PW], f->r.v[C_PRIV_PW], f->engine,
				 f->engine_len);
	}
	memset(&local, 0, sizeof(local));
	memcpy(local.engine_id, trapd, sizeof(trapd));
	local.engine_len = sizeof(trapd);
}

static void teardown(void)
{
	usm_table_free(table);
	usm_ctx_free(rx_ctx);
	usm_ctx_free(tx_ctx);
}

TestSuite(snmp_v3, .init = setup, .fini = teardown, .timeout = 120);

// The answer snmptrapd sent to frame i, if any (the next frame).
static const struct cframe *reply_to(int i)
{
	const struct cframe *f = &frames[i], *g = &frames[i + 1];
	if (i + 1 >= n_frames || !is(f, C_DIR, "to_manager") || !is(g, C_DIR, "from_manager") ||
	    strcmp(f->r.v[C_FILE], g->r.v[C_FILE]) != 0)
		return NULL;
	return g;
}

// Our clock as snmptrapd's was when it sent g (boots and time of its own
// engine, which g carries).
static void clock_from(const struct cframe *g)
{
	local.boots = (uint32_t)strtoul(g->r.v[C_BOOTS], NULL, 10);
	local.time_base = NOW - strtoul(g->r.v[C_TIME], NULL, 10);
}

// The usmStats outcome a Report's manifest varbinds name ("OID=Counter32:N"),
// and the counter.
static enum usm_outcome report_outcome(const struct cframe *g, uint32_t *counter)
{
	const char *vbs = g->r.v[C_VARBINDS];
	for (int o = 0; o < USM_OUTCOME_COUNT; o++) {
		const char *oid = usm_outcome_oid((enum usm_outcome)o);
		size_t n = oid ? strlen(oid) : 0;
		if (n && strncmp(vbs, oid, n) == 0 && strncmp(vbs + n, "=Counter32:", 11) == 0) {
			*counter = (uint32_t)strtoul(vbs + n + 11, NULL, 10);
			return (enum usm_outcome)o;
		}
	}
	cr_assert_fail("%s frame %s: no usmStats varbind in %s", g->r.v[C_FILE], g->r.v[C_FRAME],
		       vbs);
	return USM_OK;
}

static struct snmp_rx_env env_of(const struct usm_table *t)
{
	return (struct snmp_rx_env){.usm = rx_ctx, .users = t, .local = &local};
}

static void expect_varbinds(const struct cframe *f, const struct snmp_rx *rx)
{
	static char got[8192];
	cr_assert(rx->msg.pdu_decoded);
	cr_assert_str_eq(corpus_varbinds(&rx->msg.pdu, got, sizeof(got)), f->r.v[C_VARBINDS],
			 "%s frame %s", f->r.v[C_FILE], f->r.v[C_FRAME]);
}

static void expect_same_octets(const uint8_t *ours, int len, const struct cframe *g,
			       const char *what)
{
	cr_assert_gt(len, 0, "%s to %s frame %s: %s", what, g->r.v[C_FILE], g->r.v[C_FRAME],
		     snmp_strerror_sym(len));
	char a[2 * OUT_MAX + 1], b[2 * OUT_MAX + 1];
	struct snmp_bytes x = {ours, (uint32_t)len}, y = {g->wire, (uint32_t)g->len};
	cr_assert_str_eq(hex_of(x, a), hex_of(y, b),
			 "our %s differs from snmptrapd's (%s frame %s)\n%s\n%s", what,
			 g->r.v[C_FILE], g->r.v[C_FRAME], a, b);
}

// A DES or 3DES Response: RFC 3414 §8.1.1.2 leaves the pad's value free
// and net-snmp writes the pad's length where we write zeros, so the last
// cipher block and the MAC over it differ; every other octet must not, and
// both must decrypt, through the glue, to the same scopedPDU.
static void expect_same_but_cbc_pad(const uint8_t *ours, int len, const struct cframe *g)
{
	cr_assert_eq((size_t)len, g->len);
	static uint8_t a[OUT_MAX], b[OUT_MAX], pa[OUT_MAX], pb[OUT_MAX];
	size_t mac = (size_t)atoi(g->r.v[C_AUTH_OFF]),
	       mac_len = strtoul(g->r.v[C_AUTH_LEN], NULL, 10);
	memcpy(a, ours, g->len);
	memcpy(b, g->wire, g->len);
	memset(a + mac, 0, mac_len);
	memset(b + mac, 0, mac_len);
	cr_assert_arr_eq(a, b, g->len - 8, "our Response to %s frame %s", g->r.v[C_FILE],
			 g->r.v[C_FRAME]);
	struct snmp_varbind vb[VB_MAX];
	struct snmp_rx ra, rb;
	struct snmp_rx_env env = env_of(table);
	cr_assert_eq(snmp_rx_process(&env, NOW, ours, g->len, pa, sizeof(pa), vb, VB_MAX, &ra),
		     SNMP_RX_OK);
	cr_assert_eq(snmp_rx_process(&env, NOW, g->wire, g->len, pb, sizeof(pb), vb, VB_MAX, &rb),
		     SNMP_RX_OK);
	cr_assert_eq(ra.usm.plain_len, rb.usm.plain_len);
	cr_assert_arr_eq(pa, pb, ra.usm.plain_len);
}

// The salt snmptrapd used in g, so that our encryption of the same
// plaintext must give its octets (RFC 3826 §3.1.2.1: AES's 64-bit counter;
// RFC 3414 §8.1.1.1: DES's boots and a 32-bit counter).
static void salt_from(const struct cframe *g)
{
	const uint8_t *s = g->wire + atoi(g->r.v[C_SALT_OFF]);
	uint64_t v = 0;
	for (int k = 0; k < 8; k++)
		v = v << 8 | s[k];
	usm_ctx_set_salt(rx_ctx, v, (uint32_t)v);
}

static int counts[6]; // frames, reports equal, responses equal, encrypted equal, traps, refused

static void check_to_manager(int i, const struct snmp_rx *rx)
{
	const struct cframe *f = &frames[i], *g = reply_to(i);
	static uint8_t out[OUT_MAX];
	struct snmp_rx_env env = env_of(table);
	if (g && is(g, C_PDU, "report")) {
		uint32_t counter;
		enum usm_outcome o = report_outcome(g, &counter);
		cr_assert_eq(rx->status, SNMP_RX_REFUSED, "%s frame %s: %s, snmptrapd said %s",
			     f->r.v[C_FILE], f->r.v[C_FRAME], snmp_rx_status_name(rx->status),
			     usm_outcome_name(o));
		cr_assert_eq(rx->usm.outcome, o, "%s frame %s: %s, snmptrapd said %s",
			     f->r.v[C_FILE], f->r.v[C_FRAME], usm_outcome_name(rx->usm.outcome),
			     usm_outcome_name(o));
		cr_assert(rx->report);
		cr_assert_eq(rx->discovery, f->r.v[C_NAME][0] == '\0');
		int len = snmp_rx_report(&env, NOW, rx, counter, out, sizeof(out));
		expect_same_octets(out, len, g, "Report");
		counts[1]++;
		counts[5]++;
		return;
	}
	cr_assert_eq(rx->status, SNMP_RX_OK, "%s frame %s (%s): %s %s", f->r.v[C_FILE],
		     f->r.v[C_FRAME], f->r.v[C_NAME], usm_outcome_name(rx->usm.outcome),
		     usm_strerror_sym(rx->usm.err));
	cr_assert(!rx->report);
	expect_varbinds(f, rx);
	if (!g) { // a trap
		counts[4]++;
		return;
	}
	cr_assert(is(g, C_PDU, "response"));
	bool priv = is(g, C_LEVEL, "authPriv");
	if (priv)
		salt_from(g);
	int len = snmp_rx_inform_response(&env, NOW, rx, out, sizeof(out));
	if (priv && (is(g, C_PRIV, "des") || is(g, C_PRIV, "3des")))
		expect_same_but_cbc_pad(out, len, g);
	else
		expect_same_octets(out, len, g, "Response");
	counts[2]++;
	counts[3] += priv;
}

// Everything the corpus holds, through the glue as snmptrapd (informs,
// with its engine ID as ours) and as a trap receiver (traps from agents'
// engines): the same outcome as snmptrapd, the same varbinds as pysnmp, and
// the same octets as snmptrapd's Reports and Responses.
Test(snmp_v3, corpus_frames_as_snmptrapd_saw_them)
{
	static uint8_t plain[FRAME_MAX];
	static struct snmp_varbind vb[VB_MAX];
	for (int i = 0; i < n_frames; i++) {
		const struct cframe *f = &frames[i], *g = reply_to(i);
		struct snmp_rx rx;
		struct snmp_rx_env env = env_of(table);
		if (g && is(g, C_VERSION, "3") && g->engine_len)
			clock_from(g);
		else if (is(f, C_DIR, "from_manager") && is(f, C_VERSION, "3"))
			clock_from(f); // its own clock
		enum snmp_rx_status st = snmp_rx_process(&env, NOW, f->wire, f->len, plain,
							 sizeof(plain), vb, VB_MAX, &rx);
		counts[0]++;
		if (!is(f, C_VERSION, "3")) {
			cr_assert_eq(st, SNMP_RX_OK);
			cr_assert_eq(rx.msg.community.len, strlen(f->r.v[C_NAME]));
			cr_assert_eq(
				memcmp(rx.msg.community.ptr, f->r.v[C_NAME], rx.msg.community.len),
				0);
			expect_varbinds(f, &rx);
			static uint8_t out[OUT_MAX];
			int len = snmp_rx_inform_response(&env, NOW, &rx, out, sizeof(out));
			if (g) {
				expect_same_octets(out, len, g, "v2c Response");
				counts[2]++;
			} else {
				cr_assert_eq(len, SNMP_E_NOT_INFORM);
			}
			continue;
		}
		if (is(f, C_DIR, "to_manager")) {
			check_to_manager(i, &rx);
			continue;
		}
		// what snmptrapd sent, as our collector would take it: Responses
		// verify and decrypt; Reports are refused (a collector never
		// asked: an empty user is unknown, authNoPriv is below the
		// user's level), and never answered
		cr_assert(!rx.report);
		if (is(f, C_PDU, "response")) {
			cr_assert_eq(st, SNMP_RX_OK, "%s frame %s: %s", f->r.v[C_FILE],
				     f->r.v[C_FRAME], usm_strerror_sym(rx.usm.err));
			expect_varbinds(f, &rx);
		} else {
			cr_assert_eq(st, SNMP_RX_REFUSED);
			cr_assert_eq(rx.usm.outcome, f->r.v[C_NAME][0] ? USM_UNSUPPORTED_SEC_LEVELS
								       : USM_UNKNOWN_USER_NAMES);
		}
	}
	cr_log_info("glue: %d frames; %d Reports and %d Responses (%d encrypted) equal to "
		    "snmptrapd's; %d traps; %d refused as snmptrapd did",
		    counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]);
	cr_assert_geq(counts[1], 60); // discovery (both steps) for every inform
	cr_assert_geq(counts[2], 40);
	cr_assert_geq(counts[3], 30);
	cr_assert_geq(counts[4], 90);
}

// The same frames with the scopedPDU's read deferred (env.defer_scoped,
// as the dataplane asks): an authPriv message comes back OK with its
// decrypted scopedPDU unread; snmp_rx_scoped() then reads the varbinds
// the undeferred call did, and the v3 fast lane, on that plaintext
// (DES's padding and all), writes the record the general path does.
Test(snmp_v3, deferred_scoped_pdus_read_as_undeferred_and_by_the_fast_lane)
{
	static uint8_t plain[FRAME_MAX], plain2[FRAME_MAX];
	static struct snmp_varbind vb[VB_MAX], vb2[VB_MAX];
	int deferred = 0, taken = 0;
	for (int i = 0; i < n_frames; i++) {
		const struct cframe *f = &frames[i], *g = reply_to(i);
		if (!is(f, C_VERSION, "3"))
			continue;
		if (g && g->engine_len)
			clock_from(g);
		else if (is(f, C_DIR, "from_manager"))
			clock_from(f);
		struct snmp_rx rx, now;
		struct snmp_rx_env env = env_of(table);
		enum snmp_rx_status want = snmp_rx_process(&env, NOW, f->wire, f->len, plain,
							   sizeof(plain), vb, VB_MAX, &rx);
		env.defer_scoped = true;
		enum snmp_rx_status st = snmp_rx_process(&env, NOW, f->wire, f->len, plain2,
							 sizeof(plain2), vb2, VB_MAX, &now);
		cr_assert_eq(st, want, "%s frame %s", f->r.v[C_FILE], f->r.v[C_FRAME]);
		if (st != SNMP_RX_OK || now.usm.level != USM_LEVEL_AUTH_PRIV) {
			cr_assert_eq(now.msg.pdu_decoded, rx.msg.pdu_decoded);
			continue;
		}
		cr_assert(!now.msg.pdu_decoded, "%s frame %s", f->r.v[C_FILE], f->r.v[C_FRAME]);
		deferred++;
		const char *why;
		enum trap_fast_diff d =
			trap_fast_scoped_diff(&now.msg, plain2, now.usm.plain_len, 10240, VB_MAX,
					      TRAP_FAST_TRAP | TRAP_FAST_INFORM, i % 2, &why);
		cr_assert_neq(d, TRAP_FAST_DIFF_MISMATCH, "%s frame %s: %s", f->r.v[C_FILE],
			      f->r.v[C_FRAME], why);
		taken += d == TRAP_FAST_DIFF_TAKEN;
		cr_assert_eq(snmp_rx_scoped(&now, plain2, vb2, VB_MAX), SNMP_RX_OK);
		cr_assert_eq(snmp_rx_scoped(&now, plain2, vb2, VB_MAX), SNMP_RX_OK); // once only
		cr_assert(now.msg.pdu_decoded);
		cr_assert_eq(now.msg.pdu.type, rx.msg.pdu.type);
		cr_assert_eq(now.msg.pdu.request_id, rx.msg.pdu.request_id);
		cr_assert_eq(now.msg.pdu.vb_count, rx.msg.pdu.vb_count);
		for (uint32_t k = 0; k < rx.msg.pdu.vb_count; k++)
			cr_assert(snmp_varbind_equal(&vb[k], &vb2[k]));
	}
	cr_log_info("deferred: %d authPriv frames, %d taken by the v3 lane", deferred, taken);
	cr_assert_geq(deferred, 30);
	cr_assert_gt(taken, 0);
}

// A deferred scopedPDU that does not decode: MALFORMED, in the plaintext.
Test(snmp_v3, deferred_scoped_pdu_malformed_is_reported_in_plain)
{
	static uint8_t plain[FRAME_MAX];
	static struct snmp_varbind vb[VB_MAX];
	int seen = 0;
	for (int i = 0; i < n_frames && !seen; i++) {
		const struct cframe *f = &frames[i];
		if (!is(f, C_VERSION, "3") || !is(f, C_DIR, "to_manager") || reply_to(i))
			continue;
		struct snmp_rx rx;
		struct snmp_rx_env env = env_of(table);
		env.defer_scoped = true;
		if (snmp_rx_process(&env, NOW, f->wire, f->len, plain, sizeof(plain), vb, VB_MAX,
				    &rx) != SNMP_RX_OK ||
		    rx.usm.level != USM_LEVEL_AUTH_PRIV)
			continue;
		plain[0] = 0x31; // not the SEQUENCE
		cr_assert_eq(snmp_rx_scoped(&rx, plain, vb, VB_MAX), SNMP_RX_MALFORMED);
		cr_assert_eq(rx.status, SNMP_RX_MALFORMED);
		cr_assert(rx.err_in_plain);
		cr_assert(!rx.msg.pdu_decoded);
		seen++;
	}
	cr_assert_eq(seen, 1, "no authPriv trap in the corpus");
}

// --- the same informs, made to fail: each outcome and its Report ----------------

// A table of one user (frame f's, with these passwords) at engine e.
static struct usm_table *table_of(const struct cframe *f, const char *auth_pw, const char *priv_pw,
				  const uint8_t *e, size_t elen)
{
	struct usm_table *t = usm_table_new(4, 0);
	cr_assert_not_null(t);
	add_user(t, f, auth_pw, priv_pw, e, elen);
	return t;
}

// Our Report for rx, decoded back: it answers msg (msgID, user name), from
// our engine at our boots and time, at `level`, naming outcome o with the
// counter, for the request-id the request showed (0 when it could not be
// read); when signed, with the key of user u.
static void expect_report(const struct snmp_rx_env *env, const struct snmp_rx *rx,
			  enum usm_outcome o, enum usm_level level, const struct usm_user *u)
{
	static uint8_t out[OUT_MAX];
	struct snmp_varbind vb[2];
	struct snmp_msg m;
	cr_assert(rx->report, "%s: no Report due", usm_outcome_name(o));
	int len = snmp_rx_report(env, NOW, rx, 4242, out, sizeof(out));
	cr_assert_gt(len, 0, "%s", snmp_strerror_sym(len));
	cr_assert_eq(snmp_msg_decode(&m, out, (size_t)len, vb, 2), 0);
	cr_assert_eq(m.version, SNMP_V3);
	cr_assert_eq(m.msg_id, rx->msg.msg_id);
	cr_assert_eq(m.flags, level == USM_LEVEL_AUTH_NOPRIV ? SNMP_FLAG_AUTH : 0);
	cr_assert_eq(m.usm.engine_id.len, env->local->engine_len);
	cr_assert_arr_eq(m.usm.engine_id.ptr, env->local->engine_id, env->local->engine_len);
	cr_assert_eq(m.usm.boots, env->local->boots);
	cr_assert_eq(m.usm.time, usm_local_time(env->local, NOW));
	cr_assert_eq(m.usm.user_name.len, rx->msg.usm.user_name.len);
	cr_assert_arr_eq(m.usm.user_name.ptr, rx->msg.usm.user_name.ptr, m.usm.user_name.len);
	cr_assert_eq(m.pdu.type, SNMP_PDU_REPORT);
	cr_assert_eq(m.pdu.request_id, rx->msg.pdu_decoded ? rx->msg.pdu.request_id : 0);
	cr_assert_eq(m.pdu.vb_count, 1);
	char oid[SNMP_OID_TEXT_MAX];
	cr_assert_str_eq(oid_text(vb[0].oid, oid), usm_outcome_oid(o));
	cr_assert_eq(vb[0].type, SNMP_T_COUNTER32);
	cr_assert_eq(vb[0].num.u32, 4242);
	if (level == USM_LEVEL_AUTH_NOPRIV) {
		cr_assert_eq(usm_auth_verify(&u->hmac, out, (size_t)len, m.usm.auth_params_off,
					     m.usm.auth_params.len),
			     0, "the Report's HMAC");
		out[len - 1] ^= 1; // and the HMAC does cover it
		cr_assert_eq(usm_auth_verify(&u->hmac, out, (size_t)len, m.usm.auth_params_off,
					     m.usm.auth_params.len),
			     USM_EDIGEST);
	}
}

static enum snmp_rx_status run(const struct snmp_rx_env *env, const uint8_t *wire, size_t len,
			       struct snmp_rx *rx)
{
	static uint8_t plain[FRAME_MAX];
	static struct snmp_varbind vb[VB_MAX];
	return snmp_rx_process(env, NOW, wire, len, plain, sizeof(plain), vb, VB_MAX, rx);
}

static int n_outcomes[USM_OUTCOME_COUNT];

static void expect_refused(const struct snmp_rx_env *env, const uint8_t *wire, size_t len,
			   enum usm_outcome o, int err, const struct usm_user *u)
{
	struct snmp_rx rx;
	cr_assert_eq(run(env, wire, len, &rx), SNMP_RX_REFUSED, "want %s, got %s",
		     usm_outcome_name(o), snmp_rx_status_name(rx.status));
	cr_assert_eq(rx.usm.outcome, o, "want %s, got %s (%s)", usm_outcome_name(o),
		     usm_outcome_name(rx.usm.outcome), usm_strerror_sym(rx.usm.err));
	cr_assert_eq(rx.usm.err, err, "want %s, got %s", usm_strerror_sym(err),
		     usm_strerror_sym(rx.usm.err));
	expect_report(env, &rx, o, usm_report_level(o), u);
	n_outcomes[o]++;
}

// Every authenticated inform of the corpus that snmptrapd accepted: with a
// wrong password, at an engine we do not know, late, with a bit flipped,
// under another name, with a wrong privacy password.
Test(snmp_v3, every_failure_has_its_outcome_and_report)
{
	static uint8_t w[FRAME_MAX];
	for (int i = 0; i < n_frames; i++) {
		const struct cframe *f = &frames[i], *g = reply_to(i);
		if (!g || !is(g, C_PDU, "response") || !is(f, C_VERSION, "3") || !f->r.v[C_AUTH][0])
			continue;
		clock_from(g);
		const char *apw = f->r.v[C_AUTH_PW], *ppw = f->r.v[C_PRIV_PW];
		struct usm_table *good = table_of(f, apw, ppw, trapd, sizeof(trapd));
		struct snmp_rx_env env = env_of(good);
		const struct usm_user *u =
			usm_table_find(good, trapd, sizeof(trapd), (const uint8_t *)f->r.v[C_NAME],
				       strlen(f->r.v[C_NAME]));
		struct snmp_rx rx;
		cr_assert_eq(run(&env, f->wire, f->len, &rx), SNMP_RX_OK);

		struct usm_table *t = table_of(f, "wrong-password", ppw, trapd, sizeof(trapd));
		env.users = t;
		expect_refused(&env, f->wire, f->len, USM_WRONG_DIGESTS, USM_EDIGEST, NULL);
		usm_table_free(t);

		// we are "other", and know the user there only
		t = table_of(f, apw, ppw, other, sizeof(other));
		struct usm_local saved = local;
		memcpy(local.engine_id, other, sizeof(other));
		local.engine_len = sizeof(other);
		env.users = t;
		expect_refused(&env, f->wire, f->len, USM_UNKNOWN_ENGINE_IDS, USM_EUNKNOWN_ENGINE,
			       NULL);
		local = saved;
		usm_table_free(t);
		env.users = good;

		// our clock 151 s ahead of what the sender believes; the Report
		// is signed with the user's key
		local.time_base -= 151;
		expect_refused(&env, f->wire, f->len, USM_NOT_IN_TIME_WINDOWS, USM_ETIME, u);
		local.time_base += 151;

		memcpy(w, f->wire, f->len);
		w[f->len - 1] ^= 0x01; // in the last varbind, or the ciphertext
		expect_refused(&env, w, f->len, USM_WRONG_DIGESTS, USM_EDIGEST, NULL);

		// another user name of the same length ("ni-md5-des" → "ni-md5-deT")
		memcpy(w, f->wire, f->len);
		size_t name_end =
			(size_t)(memmem(w, f->len, f->r.v[C_NAME], strlen(f->r.v[C_NAME])) -
				 (void *)w) +
			strlen(f->r.v[C_NAME]);
		w[name_end - 1] = 'T';
		expect_refused(&env, w, f->len, USM_UNKNOWN_USER_NAMES, USM_EUNKNOWN_USER, NULL);

		if (f->r.v[C_PRIV][0]) {
			t = table_of(f, apw, "wrong-priv-password", trapd, sizeof(trapd));
			env.users = t;
			expect_refused(&env, f->wire, f->len, USM_DECRYPTION_ERRORS, USM_EPLAINTEXT,
				       NULL);
			usm_table_free(t);
			// and an authNoPriv user sent authPriv: a level it has no keys for
			struct cframe as_auth = *f;
			as_auth.r.v[C_PRIV] = "";
			t = table_of(&as_auth, apw, ppw, trapd, sizeof(trapd));
			env.users = t;
			expect_refused(&env, f->wire, f->len, USM_UNSUPPORTED_SEC_LEVELS,
				       USM_ELEVEL_HIGH, NULL);
			usm_table_free(t);
		}
		usm_table_free(good);
	}
	cr_log_info("outcomes with a Report: %d wrongDigests, %d unknownEngineIDs, %d "
		    "notInTimeWindows, %d unknownUserNames, %d decryptionErrors, %d "
		    "unsupportedSecLevels",
		    n_outcomes[USM_WRONG_DIGESTS], n_outcomes[USM_UNKNOWN_ENGINE_IDS],
		    n_outcomes[USM_NOT_IN_TIME_WINDOWS], n_outcomes[USM_UNKNOWN_USER_NAMES],
		    n_outcomes[USM_DECRYPTION_ERRORS], n_outcomes[USM_UNSUPPORTED_SEC_LEVELS]);
	cr_assert_geq(n_outcomes[USM_DECRYPTION_ERRORS], 40);
	cr_assert_geq(n_outcomes[USM_NOT_IN_TIME_WINDOWS], 50);
}

// A bit flipped anywhere in an authPriv inform is never accepted: the
// decoder refuses the BER it breaks, USM the rest. Where it lands decides
// which, and the places that must give each are asserted.
Test(snmp_v3, flipped_bits_never_pass)
{
	static uint8_t w[FRAME_MAX];
	int n_malformed = 0, n_refused = 0;
	for (int i = 0; i < n_frames; i++) {
		const struct cframe *f = &frames[i], *g = reply_to(i);
		if (!g || !is(g, C_PDU, "response") || !is(g, C_LEVEL, "authPriv"))
			continue;
		clock_from(g);
		struct snmp_rx_env env = env_of(table);
		size_t mac = (size_t)atoi(f->r.v[C_AUTH_OFF]);
		size_t data = (size_t)atoi(f->r.v[C_DATA_OFF]);
		for (size_t p = 0; p < f->len; p++) {
			struct snmp_rx rx;
			memcpy(w, f->wire, f->len);
			w[p] ^= 0x01;
			enum snmp_rx_status st = run(&env, w, f->len, &rx);
			cr_assert(st == SNMP_RX_MALFORMED || st == SNMP_RX_REFUSED,
				  "%s frame %s: flip at %zu gave %s", f->r.v[C_FILE],
				  f->r.v[C_FRAME], p, snmp_rx_status_name(st));
			n_malformed += st == SNMP_RX_MALFORMED;
			n_refused += st == SNMP_RX_REFUSED;
			if (p == 0) // 30 → 31: not a SEQUENCE
				cr_assert_eq(rx.err, SNMP_E_TAG);
			if (p >= mac && p < mac + strtoul(f->r.v[C_AUTH_LEN], NULL, 10))
				cr_assert_eq(rx.usm.err, USM_EDIGEST);
			if (p >= data)
				cr_assert_eq(rx.usm.outcome, USM_WRONG_DIGESTS);
		}
		break; // one message covers every place
	}
	cr_assert_gt(n_malformed, 10);
	cr_assert_gt(n_refused, 150);
}

// --- a sender of our own: what an agent's USM puts on the wire -----------------

struct send {
	const struct usm_user *u; // keys (authNoPriv, authPriv)
	uint8_t flags;		  // SNMP_FLAG_*
	int32_t msg_id, max_size;
	struct snmp_bytes engine;
	uint32_t boots, time;
	const char *user;
	int auth_len;		 // msgAuthenticationParameters; -1: the protocol's MAC
	int salt_len;		 // msgPrivacyParameters; -1: 8
	struct snmp_bytes raw;	 // authPriv: sent as the encryptedPDU instead
	struct snmp_bytes plain; // authPriv: encrypted instead of the scopedPDU
	uint32_t plain_cut;	 // authPriv: encrypt only this much of it (0: all)
};

// The message a sender would make of pdu: scopedPDU (context: the target
// engine), encrypted and signed as s says. Returns its length.
static size_t build(const struct send *s, const struct snmp_pdu *pdu, uint8_t *out, size_t cap)
{
	static uint8_t plain[OUT_MAX], enc[OUT_MAX];
	uint8_t salt[16] = {0};
	int n = snmp_scoped_pdu_encode(plain, sizeof(plain), s->engine, (struct snmp_bytes){0},
				       pdu);
	cr_assert_gt(n, 0);
	struct snmp_bytes data = {plain, (uint32_t)n};
	if (s->plain.ptr)
		data = s->plain;
	if (s->plain_cut)
		data.len = s->plain_cut;
	size_t mac = s->u ? usm_auth_mac_len(s->u->auth) : 0;
	struct snmp_v3_out h = {
		.msg_id = s->msg_id,
		.max_size = s->max_size ? s->max_size : 1500,
		.flags = s->flags,
		.engine_id = s->engine,
		.boots = s->boots,
		.time = s->time,
		.user_name = bytes_of(s->user),
		.auth_params_len = (uint32_t)(s->auth_len >= 0 ? (size_t)s->auth_len : mac),
	};
	if (s->flags & SNMP_FLAG_PRIV) {
		if (!s->raw.ptr) {
			int c = usm_encrypt(tx_ctx, s->u, 0, s->boots, s->time, data.ptr, data.len,
					    enc, sizeof(enc), salt);
			cr_assert_gt(c, 0, "%s", usm_strerror_sym(c));
			data = (struct snmp_bytes){enc, (uint32_t)c};
		}
		if (s->raw.ptr)
			data = s->raw;
		h.priv_params =
			(struct snmp_bytes){salt, (uint32_t)(s->salt_len >= 0 ? s->salt_len : 8)};
	}
	uint32_t auth_off;
	int len = snmp_v3_msg_encode(out, cap, &h, data, &auth_off);
	cr_assert_gt(len, 0, "%s", snmp_strerror_sym(len));
	if ((s->flags & SNMP_FLAG_AUTH) && h.auth_params_len == mac)
		cr_assert_eq(usm_auth_sign(&s->u->hmac, out, (size_t)len, auth_off, mac), 0);
	return (size_t)len;
}

// An InformRequest with nvb varbinds (the notification head, then strings).
static struct snmp_pdu inform(int32_t request_id, struct snmp_varbind *vb, uint32_t nvb)
{
	static uint8_t trap_oid[SNMP_OID_ENC_MAX], name[SNMP_OID_ENC_MAX];
	snmp_notification_head(vb, 12345, oid_of("1.3.6.1.6.3.1.1.5.4", trap_oid));
	for (uint32_t i = 2; i < nvb; i++)
		vb[i] = (struct snmp_varbind){
			.oid = oid_of("1.3.6.1.4.1.8072.9999.1.0", name),
			.type = SNMP_T_OCTET_STRING,
			.data = bytes_of("a varbind of forty octets, give or take")};
	return (struct snmp_pdu){
		.type = SNMP_PDU_INFORM, .request_id = request_id, .vb = vb, .vb_count = nvb};
}

// A user of ours (sha256 + aes128, "maplesyrup" passwords) at engine e.
static struct usm_user our_user(const char *name, enum usm_auth a, enum usm_priv p,
				const uint8_t *e, size_t elen)
{
	struct usm_user_cfg c = {.auth = (uint8_t)a, .priv = (uint8_t)p};
	c.name_len = (uint8_t)strlen(name);
	memcpy(c.name, name, c.name_len);
	if (a != USM_AUTH_NONE)
		memcpy(c.auth_key, ku_of(a, "maplesyrup"), usm_auth_digest_len(a));
	if (p != USM_PRIV_NONE) {
		c.priv_key_len = (uint8_t)usm_auth_digest_len(a);
		memcpy(c.priv_key, ku_of(a, "maplesyrup"), c.priv_key_len);
	}
	struct usm_user u;
	cr_assert_eq(usm_user_localize(&c, e, elen, &u), 0);
	return u;
}

// RFC 3414 §4 against the glue, as net-snmp and pysnmp run it before an
// inform: a probe (no engine, no user, noAuthNoPriv, reportable) learns
// our engine ID from an unknownEngineIDs Report; the inform then sent with
// boots and time 0 learns them from an authenticated notInTimeWindows
// Report; the inform sent again is accepted and answered with a Response
// the sender verifies and decrypts.
Test(snmp_v3, discovery_then_time_sync_then_inform)
{
	static uint8_t wire[OUT_MAX], out[OUT_MAX], plain[OUT_MAX];
	struct usm_table *t = usm_table_new(4, 0);
	struct usm_user u =
		our_user("alice", USM_AUTH_SHA256, USM_PRIV_AES128, trapd, sizeof(trapd));
	cr_assert_eq(usm_table_add(t, &u), 0);
	local.boots = 7;
	local.time_base = NOW - 5000;
	struct snmp_rx_env env = env_of(t);
	struct snmp_varbind vb[4], rvb[4];
	struct snmp_rx rx;
	struct snmp_msg m;

	// 1. the probe: an empty Get
	struct snmp_pdu get = {.type = SNMP_PDU_GET, .request_id = 901};
	struct send probe = {.flags = SNMP_FLAG_REPORTABLE, .msg_id = 1, .user = "", .auth_len = 0};
	size_t len = build(&probe, &get, wire, sizeof(wire));
	cr_assert_eq(run(&env, wire, len, &rx), SNMP_RX_REFUSED);
	cr_assert_eq(rx.usm.outcome, USM_UNKNOWN_ENGINE_IDS);
	cr_assert(rx.discovery && rx.report);
	int n = snmp_rx_report(&env, NOW, &rx, 1, out, sizeof(out));
	cr_assert_eq(snmp_msg_decode(&m, out, (size_t)n, rvb, 4), 0);
	cr_assert_eq(m.flags, 0);
	cr_assert_eq(m.msg_id, 1);
	cr_assert_eq(m.pdu.request_id, 901);
	cr_assert_arr_eq(m.usm.engine_id.ptr, trapd, sizeof(trapd));
	cr_assert_arr_eq(m.context_engine_id.ptr, trapd, sizeof(trapd));
	struct snmp_bytes learned = m.usm.engine_id;
	uint8_t engine[USM_ENGINE_ID_MAX];
	memcpy(engine, learned.ptr, learned.len);

	// 2. the inform, at the learned engine with boots and time unknown (0)
	struct snmp_pdu inf = inform(902, vb, 3);
	struct send s = {.u = &u,
			 .flags = SNMP_FLAG_AUTH | SNMP_FLAG_PRIV | SNMP_FLAG_REPORTABLE,
			 .msg_id = 2,
			 .engine = {engine, learned.len},
			 .user = "alice",
			 .auth_len = -1,
			 .salt_len = -1};
	len = build(&s, &inf, wire, sizeof(wire));
	cr_assert_eq(run(&env, wire, len, &rx), SNMP_RX_REFUSED);
	cr_assert_eq(rx.usm.outcome, USM_NOT_IN_TIME_WINDOWS);
	cr_assert_eq(rx.usm.err, USM_EBOOTS);
	cr_assert(!rx.discovery && rx.report);
	n = snmp_rx_report(&env, NOW, &rx, 1, out, sizeof(out));
	cr_assert_eq(snmp_msg_decode(&m, out, (size_t)n, rvb, 4), 0);
	cr_assert_eq(m.flags, SNMP_FLAG_AUTH);
	cr_assert_eq(m.pdu.request_id, 0, "the inform was encrypted: its request-id unread");
	cr_assert_eq(usm_auth_verify(&u.hmac, out, (size_t)n, m.usm.auth_params_off,
				     m.usm.auth_params.len),
		     0);
	cr_assert_eq(m.usm.boots, 7);
	cr_assert_eq(m.usm.time, 5000);

	// 3. again with the Report's boots and time (a little later)
	s.msg_id = 3, s.boots = m.usm.boots, s.time = m.usm.time + 2;
	len = build(&s, &inf, wire, sizeof(wire));
	cr_assert_eq(run(&env, wire, len, &rx), SNMP_RX_OK, "%s", usm_strerror_sym(rx.usm.err));
	cr_assert(!rx.report);
	cr_assert_eq(rx.msg.pdu.request_id, 902);
	n = snmp_rx_inform_response(&env, NOW, &rx, out, sizeof(out));
	cr_assert_gt(n, 0);

	// 4. the sender checks the Response: its engine (not ours) knows alice
	// at ours; the Response verifies, decrypts and echoes the varbinds
	struct usm_local sender = {.engine_id = {0x80, 0, 0x1f, 0x88, 4, 's', 'e', 'n', 'd'},
				   .engine_len = 9};
	struct snmp_rx_env senv = {.usm = tx_ctx, .users = t, .local = &sender};
	struct snmp_rx resp;
	cr_assert_eq(
		snmp_rx_process(&senv, NOW, out, (size_t)n, plain, sizeof(plain), rvb, 4, &resp),
		SNMP_RX_OK, "%s", usm_strerror_sym(resp.usm.err));
	cr_assert(!resp.usm.authoritative);
	cr_assert_eq(resp.msg.flags, SNMP_FLAG_AUTH | SNMP_FLAG_PRIV, "same level, not reportable");
	cr_assert_eq(resp.msg.msg_id, 3);
	cr_assert_eq(resp.msg.pdu.type, SNMP_PDU_RESPONSE);
	cr_assert_eq(resp.msg.pdu.request_id, 902);
	cr_assert_eq(resp.msg.pdu.vb_count, 3);
	for (int i = 0; i < 3; i++)
		cr_assert(snmp_varbind_equal(&resp.msg.pdu.vb[i], &vb[i]));
	usm_table_free(t);
}

// A Response at every level and privacy protocol, checked by the sender's
// side of the glue (HMAC with the user's key, decryption) and directly.
Test(snmp_v3, inform_responses_at_every_level)
{
	static uint8_t wire[OUT_MAX], out[OUT_MAX], plain[OUT_MAX];
	local.boots = 3;
	local.time_base = NOW - 100;
	int done = 0;
	for (int p = USM_PRIV_NONE; p < USM_PRIV_COUNT; p++) {
		for (int a = p == USM_PRIV_NONE ? USM_AUTH_NONE : USM_AUTH_MD5; a < USM_AUTH_COUNT;
		     a++) {
			struct usm_table *t = usm_table_new(4, 0);
			struct usm_user u = our_user("bob", (enum usm_auth)a, (enum usm_priv)p,
						     trapd, sizeof(trapd));
			cr_assert_eq(usm_table_add(t, &u), 0);
			struct snmp_rx_env env = env_of(t);
			struct snmp_varbind vb[4], rvb[4];
			struct snmp_pdu inf = inform(77 + a, vb, 4);
			uint8_t flags = (uint8_t)(SNMP_FLAG_REPORTABLE | (a ? SNMP_FLAG_AUTH : 0) |
						  (p ? SNMP_FLAG_PRIV : 0));
			struct send s = {.u = a ? &u : NULL,
					 .flags = flags,
					 .msg_id = 5,
					 .engine = {trapd, sizeof(trapd)},
					 .boots = 3,
					 .time = 100,
					 .user = "bob",
					 .auth_len = -1,
					 .salt_len = -1};
			size_t len = build(&s, &inf, wire, sizeof(wire));
			struct snmp_rx rx, resp;
			cr_assert_eq(run(&env, wire, len, &rx), SNMP_RX_OK, "%s/%s: %s",
				     usm_auth_name(a), usm_priv_name(p),
				     usm_strerror_sym(rx.usm.err));
			int n = snmp_rx_inform_response(&env, NOW, &rx, out, sizeof(out));
			cr_assert_gt(n, 0);
			struct usm_local sender = {.engine_id = {0x80, 0, 0, 9, 4, 'x', 'y'},
						   .engine_len = 7};
			struct snmp_rx_env senv = {.usm = tx_ctx, .users = t, .local = &sender};
			cr_assert_eq(snmp_rx_process(&senv, NOW, out, (size_t)n, plain,
						     sizeof(plain), rvb, 4, &resp),
				     SNMP_RX_OK, "%s/%s: %s", usm_auth_name(a), usm_priv_name(p),
				     usm_strerror_sym(resp.usm.err));
			cr_assert_eq(resp.msg.flags, flags & ~SNMP_FLAG_REPORTABLE);
			cr_assert_eq(resp.msg.pdu.request_id, 77 + a);
			cr_assert_eq(resp.msg.pdu.vb_count, 4);
			cr_assert(snmp_varbind_equal(&resp.msg.pdu.vb[3], &vb[3]));
			if (a) { // the MAC itself, without the glue
				cr_assert_eq(usm_auth_verify(&u.hmac, out, (size_t)n,
							     resp.msg.usm.auth_params_off,
							     resp.msg.usm.auth_params.len),
					     0);
				cr_assert_eq(resp.msg.usm.auth_params.len, usm_auth_mac_len(a));
			}
			if (p) {
				cr_assert_eq(resp.msg.usm.priv_params.len, USM_SALT_LEN);
				int k = usm_decrypt(tx_ctx, &u, 0, resp.msg.usm.boots,
						    resp.msg.usm.time, resp.msg.usm.priv_params.ptr,
						    8, resp.msg.encrypted.ptr,
						    resp.msg.encrypted.len, plain, sizeof(plain));
				cr_assert_eq((size_t)k, usm_encrypted_len(p, resp.usm.plain_len));
				cr_assert_eq(usm_scoped_pdu_len(plain, (size_t)k),
					     (int)resp.usm.plain_len);
			}
			done++;
			usm_table_free(t);
		}
	}
	cr_assert_eq(done, 1 + 6 + 6 * 7);
}

// A Response that would not fit the requester's msgMaxSize is a tooBig
// one without varbinds (RFC 3416 §4.2.7); v3 informs to another engine get
// none; only informs get one.
Test(snmp_v3, responses_too_big_not_ours_not_informs)
{
	static uint8_t wire[OUT_MAX], out[OUT_MAX];
	local.boots = 3;
	local.time_base = NOW - 100;
	struct usm_table *t = usm_table_new(4, 0);
	struct usm_user u = our_user("carol", USM_AUTH_SHA1, USM_PRIV_DES, trapd, sizeof(trapd));
	cr_assert_eq(usm_table_add(t, &u), 0);
	struct usm_user at_other =
		our_user("carol", USM_AUTH_SHA1, USM_PRIV_DES, other, sizeof(other));
	cr_assert_eq(usm_table_add(t, &at_other), 0);
	struct snmp_rx_env env = env_of(t);
	struct snmp_varbind vb[16], rvb[16];
	struct snmp_pdu inf = inform(11, vb, 16); // about 800 octets
	struct send s = {.u = &u,
			 .flags = SNMP_FLAG_AUTH | SNMP_FLAG_PRIV | SNMP_FLAG_REPORTABLE,
			 .msg_id = 5,
			 .max_size = 484,
			 .engine = {trapd, sizeof(trapd)},
			 .boots = 3,
			 .time = 100,
			 .user = "carol",
			 .auth_len = -1,
			 .salt_len = -1};
	size_t len = build(&s, &inf, wire, sizeof(wire));
	struct snmp_rx rx;
	cr_assert_eq(run(&env, wire, len, &rx), SNMP_RX_OK);
	int n = snmp_rx_inform_response(&env, NOW, &rx, out, sizeof(out));
	cr_assert(n > 0 && n <= 484, "%d", n);
	struct snmp_rx_env senv = {.usm = tx_ctx, .users = t, .local = NULL};
	struct snmp_rx resp;
	static uint8_t plain[OUT_MAX];
	cr_assert_eq(
		snmp_rx_process(&senv, NOW, out, (size_t)n, plain, sizeof(plain), rvb, 16, &resp),
		SNMP_RX_OK);
	cr_assert_eq(resp.msg.pdu.error_status, 1); // tooBig
	cr_assert_eq(resp.msg.pdu.vb_count, 0);
	cr_assert_eq(snmp_rx_inform_response(&env, NOW, &rx, out, 100), SNMP_E_NOSPACE);

	// the same inform addressed to "other", where carol is known too
	s.engine = (struct snmp_bytes){other, sizeof(other)};
	s.u = &at_other;
	len = build(&s, &inf, wire, sizeof(wire));
	cr_assert_eq(run(&env, wire, len, &rx), SNMP_RX_OK);
	cr_assert(!rx.usm.authoritative);
	cr_assert_eq(snmp_rx_inform_response(&env, NOW, &rx, out, sizeof(out)), SNMP_E_NOT_OURS);
	cr_assert_eq(snmp_rx_report(&env, NOW, &rx, 1, out, sizeof(out)), SNMP_E_NO_REPORT);

	// a trap is no inform
	inf.type = SNMP_PDU_TRAP_V2;
	s.engine = (struct snmp_bytes){trapd, sizeof(trapd)};
	s.u = &u;
	len = build(&s, &inf, wire, sizeof(wire));
	cr_assert_eq(run(&env, wire, len, &rx), SNMP_RX_OK);
	cr_assert_eq(snmp_rx_inform_response(&env, NOW, &rx, out, sizeof(out)), SNMP_E_NOT_INFORM);
	usm_table_free(t);
}

// --- malformed v3, through the glue ---------------------------------------------

enum bad_kind {
	BAD_HEX,	  // the hex as it stands
	BAD_AUTH_LEN,	  // msgAuthenticationParameters of arg octets
	BAD_SALT_LEN,	  // msgPrivacyParameters of arg octets, signed
	BAD_CIPHER_LEN,	  // arg octets of ciphertext, signed
	BAD_GARBAGE,	  // 32 octets of ciphertext that decrypt to nothing, signed
	BAD_PLAIN_PDU,	  // the hex as the plaintext, encrypted and signed
	BAD_PLAIN_SHORT,  // a good message, plaintext buffer of arg octets
	BAD_BOOTS,	  // a good message with boots 1 ahead of ours
	BAD_TRAP_NO_USER, // a reportable SNMPv2-Trap from an unknown user
	BAD_VARBINDS,	  // a good message with more varbinds than the array
};

struct bad_v3 {
	char name[40];
	enum bad_kind kind;
	int arg;
	char user[16]; // md5des or sha256aes
	char hex[300];
	enum snmp_rx_status status;
	int err; // SNMP_E_* (MALFORMED) or USM_E* (REFUSED)
	enum usm_outcome outcome;
	bool report;
};

// Pieces of v3 messages (see test_snmp_malformed.c).
#define V3(hdr, usm, data) "30{ 02 01 03 30{ " hdr " } 04{ 30{ " usm " } } " data " } "
#define HDR(flags)	   "02 01 01 02 02 05dc 04 01 " flags " 02 01 03 "
#define USM_NOAUTH	   "04 05 8000000001 02 01 01 02 01 02 04 01 61 04 00 04 00 "
#define SCOPED		   "30{ 04 00 04 00 a6{ 02 01 01 02 01 00 02 01 00 30{ } } } "

ParameterizedTestParameters(snmp_v3, malformed_v3_each_has_its_own_error)
{
	static struct bad_v3 cases[] = {
		// msgSecurityParameters (RFC 3414 §2.4) and HeaderData (RFC 3412 §6)
		{"secparams_inner_length_lies", BAD_HEX, 0, "",
		 "30{ 02 01 03 30{ " HDR("04") " } 04{ 30 40 04 00 } " SCOPED " }",
		 SNMP_RX_MALFORMED, SNMP_E_TRUNCATED_SECPARAMS},
		{"secparams_cut_after_engine", BAD_HEX, 0, "",
		 "30{ 02 01 03 30{ " HDR("04") " } 04{ 30{ 04 05 8000000001 } } " SCOPED " }",
		 SNMP_RX_MALFORMED, SNMP_E_TRUNCATED_SECPARAMS},
		{"secparams_cut_in_user_name", BAD_HEX, 0, "",
		 "30{ 02 01 03 30{ " HDR(
			 "04") " } 04{ 30{ 04 00 02 01 00 02 01 00 04 05 6162 } } " SCOPED " }",
		 SNMP_RX_MALFORMED, SNMP_E_TRUNCATED_SECPARAMS},
		{"max_size_2_pow_32", BAD_HEX, 0, "",
		 V3("02 01 01 02 05 0100000000 04 01 04 02 01 03", USM_NOAUTH, SCOPED),
		 SNMP_RX_MALFORMED, SNMP_E_MAX_SIZE},
		{"max_size_483", BAD_HEX, 0, "",
		 V3("02 01 01 02 02 01e3 04 01 04 02 01 03", USM_NOAUTH, SCOPED), SNMP_RX_MALFORMED,
		 SNMP_E_MAX_SIZE},
		{"priv_without_auth", BAD_HEX, 0, "",
		 V3(HDR("06"), USM_NOAUTH, "04 08 0001020304050607"), SNMP_RX_MALFORMED,
		 SNMP_E_PRIV_WITHOUT_AUTH},
		{"security_model_2", BAD_HEX, 0, "",
		 V3("02 01 01 02 02 05dc 04 01 04 02 01 02", USM_NOAUTH, SCOPED), SNMP_RX_MALFORMED,
		 SNMP_E_SEC_MODEL},
		{"trailing_after_message", BAD_HEX, 0, "",
		 V3(HDR("04"), USM_NOAUTH, SCOPED) "00 00", SNMP_RX_MALFORMED, SNMP_E_TRAILING},
		// msgAuthenticationParameters (RFC 3414 §6.3.2, RFC 7860 §4.2.2)
		{"auth_params_11_for_md5", BAD_AUTH_LEN, 11, "md5des", "", SNMP_RX_REFUSED,
		 USM_EAUTH_LEN, USM_WRONG_DIGESTS, true},
		{"auth_params_12_for_sha256", BAD_AUTH_LEN, 12, "sha256aes", "", SNMP_RX_REFUSED,
		 USM_EAUTH_LEN, USM_WRONG_DIGESTS, true},
		{"auth_params_empty", BAD_AUTH_LEN, 0, "sha256aes", "", SNMP_RX_REFUSED,
		 USM_EAUTH_LEN, USM_WRONG_DIGESTS, true},
		// msgPrivacyParameters and the encryptedPDU (RFC 3414 §8.3.2, RFC 3826 §3.3.2)
		{"priv_params_7", BAD_SALT_LEN, 7, "sha256aes", "", SNMP_RX_REFUSED,
		 USM_EPRIV_PARAMS_LEN, USM_DECRYPTION_ERRORS, true},
		{"priv_params_16_des", BAD_SALT_LEN, 16, "md5des", "", SNMP_RX_REFUSED,
		 USM_EPRIV_PARAMS_LEN, USM_DECRYPTION_ERRORS, true},
		{"des_ciphertext_13", BAD_CIPHER_LEN, 13, "md5des", "", SNMP_RX_REFUSED,
		 USM_ECIPHER_LEN, USM_DECRYPTION_ERRORS, true},
		{"ciphertext_empty", BAD_CIPHER_LEN, 0, "sha256aes", "", SNMP_RX_REFUSED,
		 USM_ECIPHER_EMPTY, USM_DECRYPTION_ERRORS, true},
		{"ciphertext_garbage", BAD_GARBAGE, 0, "sha256aes", "", SNMP_RX_REFUSED,
		 USM_EPLAINTEXT, USM_DECRYPTION_ERRORS, true},
		{"plaintext_buffer_short", BAD_PLAIN_SHORT, 20, "sha256aes", "", SNMP_RX_REFUSED,
		 USM_ENOSPACE, USM_DECRYPTION_ERRORS, true},
		// the decrypted scopedPDU (RFC 3412 §6.8, RFC 3416 §3)
		{"plain_pdu_type_unknown", BAD_PLAIN_PDU, 0, "sha256aes",
		 "30{ 04 00 04 00 a9{ 02 01 01 02 01 00 02 01 00 30{ } } }", SNMP_RX_MALFORMED,
		 SNMP_E_PDU_TYPE},
		{"plain_context_engine_3", BAD_PLAIN_PDU, 0, "md5des",
		 "30{ 04 03 800001 04 00 a6{ 02 01 01 02 01 00 02 01 00 30{ } } }",
		 SNMP_RX_MALFORMED, SNMP_E_ENGINE_ID_LEN},
		{"plain_too_many_varbinds", BAD_VARBINDS, 0, "sha256aes", "", SNMP_RX_MALFORMED,
		 SNMP_E_TOO_MANY_VARBINDS},
		// timeliness (RFC 3414 §3.2 step 7a) and who gets a Report
		{"boots_ahead_of_ours", BAD_BOOTS, 0, "md5des", "", SNMP_RX_REFUSED, USM_EBOOTS,
		 USM_NOT_IN_TIME_WINDOWS, true},
		{"reportable_trap_unknown_user", BAD_TRAP_NO_USER, 0, "sha256aes", "",
		 SNMP_RX_REFUSED, USM_EUNKNOWN_USER, USM_UNKNOWN_USER_NAMES, false},
	};
	return cr_make_param_array(struct bad_v3, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_v3 *c, snmp_v3, malformed_v3_each_has_its_own_error)
{
	static uint8_t wire[OUT_MAX], plain[OUT_MAX], text[OUT_MAX], out[OUT_MAX];
	local.boots = 3;
	local.time_base = NOW - 100;
	struct usm_table *t = usm_table_new(4, 0);
	struct usm_user md5des =
		our_user("md5des", USM_AUTH_MD5, USM_PRIV_DES, trapd, sizeof(trapd));
	struct usm_user sha =
		our_user("sha256aes", USM_AUTH_SHA256, USM_PRIV_AES128, trapd, sizeof(trapd));
	cr_assert_eq(usm_table_add(t, &md5des), 0);
	cr_assert_eq(usm_table_add(t, &sha), 0);
	struct snmp_varbind vb[6];
	struct snmp_pdu inf = inform(99, vb, 6);
	struct send s = {.u = strcmp(c->user, "md5des") == 0 ? &md5des : &sha,
			 .flags = SNMP_FLAG_AUTH | SNMP_FLAG_PRIV | SNMP_FLAG_REPORTABLE,
			 .msg_id = 8,
			 .engine = {trapd, sizeof(trapd)},
			 .boots = 3,
			 .time = 100,
			 .user = c->user,
			 .auth_len = -1,
			 .salt_len = -1};
	size_t cap = sizeof(plain);
	uint32_t vb_cap = VB_MAX;
	int n = 0;
	static const uint8_t garbage[32] = {0x5a, 0x5a, 0x5a};
	switch (c->kind) {
	case BAD_HEX:
		n = tlv_hex(c->hex, wire, sizeof(wire), NULL);
		cr_assert_gt(n, 0, "%s: bad test hex", c->name);
		break;
	case BAD_AUTH_LEN:
		s.auth_len = c->arg;
		break;
	case BAD_SALT_LEN:
		s.salt_len = c->arg;
		break;
	case BAD_CIPHER_LEN:
		s.raw = (struct snmp_bytes){garbage, (uint32_t)c->arg};
		s.raw.ptr = garbage; // an empty span still stands for the ciphertext
		break;
	case BAD_GARBAGE:
		s.raw = (struct snmp_bytes){garbage, sizeof(garbage)};
		break;
	case BAD_PLAIN_PDU:
		n = tlv_hex(c->hex, text, sizeof(text), NULL);
		cr_assert_gt(n, 0);
		s.plain = (struct snmp_bytes){text, (uint32_t)n};
		n = 0;
		break;
	case BAD_PLAIN_SHORT:
		cap = (size_t)c->arg;
		break;
	case BAD_BOOTS:
		s.boots = 4;
		break;
	case BAD_TRAP_NO_USER:
		inf.type = SNMP_PDU_TRAP_V2;
		s.flags = SNMP_FLAG_REPORTABLE;
		s.u = NULL;
		s.user = "nobody";
		break;
	case BAD_VARBINDS:
		vb_cap = 5;
		break;
	}
	size_t len = n ? (size_t)n : build(&s, &inf, wire, sizeof(wire));
	struct snmp_rx_env env = env_of(t);
	struct snmp_rx rx;
	enum snmp_rx_status st = snmp_rx_process(&env, NOW, wire, len, plain, cap, vb, vb_cap, &rx);
	cr_assert_eq(st, c->status, "%s: %s (%s / %s)", c->name, snmp_rx_status_name(st),
		     snmp_strerror_sym(rx.err), usm_strerror_sym(rx.usm.err));
	if (st == SNMP_RX_MALFORMED) {
		cr_assert_eq(rx.err, c->err, "%s: %s", c->name, snmp_strerror_sym(rx.err));
		cr_assert_eq(rx.err_in_plain, c->kind == BAD_PLAIN_PDU || c->kind == BAD_VARBINDS);
		cr_assert(!rx.report);
	} else {
		cr_assert_eq(rx.usm.outcome, c->outcome, "%s: %s", c->name,
			     usm_outcome_name(rx.usm.outcome));
		cr_assert_eq(rx.usm.err, c->err, "%s: %s", c->name, usm_strerror_sym(rx.usm.err));
		cr_assert_eq(rx.report, c->report, "%s", c->name);
	}
	int r = snmp_rx_report(&env, NOW, &rx, 1, out, sizeof(out));
	if (rx.report)
		cr_assert_gt(r, 0, "%s: %s", c->name, snmp_strerror_sym(r));
	else
		cr_assert_eq(r, SNMP_E_NO_REPORT);
	cr_assert_eq(snmp_rx_inform_response(&env, NOW, &rx, out, sizeof(out)), SNMP_E_NOT_INFORM);
	usm_table_free(t);
}

// A worker's path allocates nothing: processing, Reports and Responses for
// every inform exchange of the corpus (contexts keyed once beforehand).
Test(snmp_v3, no_allocation_per_message)
{
	static uint8_t plain[FRAME_MAX], out[OUT_MAX];
	static struct snmp_varbind vb[VB_MAX];
	struct snmp_rx_env env = env_of(table);
	for (int pass = 0; pass < 2; pass++) {
		long before = usm_test_allocs;
		if (pass == 1)
			alloc_count_start();
		int answered = 0;
		for (int i = 0; i < n_frames; i++) {
			const struct cframe *g = reply_to(i);
			if (!g || !is(&frames[i], C_VERSION, "3"))
				continue;
			clock_from(g);
			struct snmp_rx rx;
			snmp_rx_process(&env, NOW, frames[i].wire, frames[i].len, plain,
					sizeof(plain), vb, VB_MAX, &rx);
			int n = rx.report
					? snmp_rx_report(&env, NOW, &rx, 1, out, sizeof(out))
					: snmp_rx_inform_response(&env, NOW, &rx, out, sizeof(out));
			cr_assert_gt(n, 0);
			answered++;
		}
		cr_assert_gt(answered, 100);
		if (pass == 1)
			cr_assert_eq(usm_test_allocs, before, "%ld allocations",
				     usm_test_allocs - before);
	}
}

// Bad arguments are a refusal like any other, and an rx reused from a
// refused message keeps nothing of it.
Test(snmp_v3, bad_arguments_and_reused_results)
{
	static uint8_t plain[FRAME_MAX];
	struct snmp_varbind vb[VB_MAX];
	struct snmp_rx rx;
	struct snmp_rx_env env = env_of(table);
	memset(&rx, 0x5a, sizeof(rx));
	cr_assert_eq(snmp_rx_process(NULL, NOW, frames[0].wire, frames[0].len, plain, sizeof(plain),
				     vb, VB_MAX, &rx),
		     SNMP_RX_MALFORMED);
	cr_assert_eq(rx.err, SNMP_E_INVAL);
	cr_assert(!rx.report && !rx.discovery && !rx.msg.pdu_decoded && rx.msg.len == 0);
	struct snmp_rx_env no_ctx = {.users = table, .local = &local};
	cr_assert_eq(snmp_rx_process(&no_ctx, NOW, frames[0].wire, frames[0].len, plain,
				     sizeof(plain), vb, VB_MAX, &rx),
		     SNMP_RX_MALFORMED);
	cr_assert_eq(snmp_rx_process(&env, NOW, NULL, 10, plain, sizeof(plain), vb, VB_MAX, &rx),
		     SNMP_RX_MALFORMED);
	cr_assert_eq(rx.err, SNMP_E_INVAL);
	// a discovery probe (refused, Report due), then a v2c trap in the same rx
	for (int i = 0; i < n_frames; i++) {
		if (!is(&frames[i], C_PDU, "get"))
			continue;
		cr_assert_eq(run(&env, frames[i].wire, frames[i].len, &rx), SNMP_RX_REFUSED);
		cr_assert(rx.report && rx.discovery);
		break;
	}
	cr_assert_eq(run(&env, frames[1].wire, frames[1].len, &rx), SNMP_RX_OK);
	cr_assert(!rx.report && !rx.discovery && rx.err == 0 && !rx.err_in_plain);
	cr_assert_eq(rx.usm.outcome, USM_OK);
	cr_assert_null(rx.usm.user);
	cr_assert_eq(snmp_rx_report(&env, NOW, &rx, 1, plain, sizeof(plain)), SNMP_E_NO_REPORT);
	cr_assert_eq(snmp_rx_report(NULL, NOW, &rx, 1, plain, sizeof(plain)), SNMP_E_NO_REPORT);
	cr_assert_eq(snmp_rx_inform_response(NULL, NOW, &rx, plain, sizeof(plain)),
		     SNMP_E_NOT_INFORM);
	cr_assert_str_eq(snmp_rx_status_name(SNMP_RX_PENDING_KEY), "pending-key");
	cr_assert_str_eq(snmp_rx_status_name(SNMP_RX_STATUS_COUNT), "?");
	cr_assert_str_eq(snmp_strerror_sym(USM_EDIGEST), "USM_EDIGEST");
}
