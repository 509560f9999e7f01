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
