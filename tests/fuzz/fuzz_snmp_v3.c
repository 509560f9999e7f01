/* SPDX-License-Identifier: BSD-3-Clause */
// The receive glue (snmp_v3.h) whole: snmp_rx_process over any datagram
// with the interop corpus's users (every prefix × auth × priv of
// tests/data/gen_snmp_corpus.py, at the engine its sender used), then the
// Report or inform Response it asks for, each decoded back; a Response is
// also taken through the glue as its requester would, and must pass.
//
// Input: one control octet, then the datagram.
//   bit 0  our engine is snmptrapd's (the corpus informs' receiver), else
//          an engine no message names
//   bit 1  our clock set from the message (its boots and time), so that
//          corpus informs pass timeliness
//   bit 2  a plaintext buffer of half the datagram (decryption must refuse)
//   bit 3  no users table (decode only)
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linerate/snmp_v3.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW	1000000
#define VB_MAX	256
#define BUF	65536
#define OUT_MAX (BUF + 1024)

static const uint8_t trapd[] = {0x80, 0x00, 0x1f, 0x88, 0x04, 't', 'r', 'a', 'p',
				'd',  '-',  'c',  'o',	'r',  'p', 'u', 's'};
static const uint8_t nobody[] = {0x80, 0, 0x1f, 0x88, 4, 'n', 'o', 'b', 'o', 'd', 'y'};
static const uint8_t agent[] = {0x80, 0, 0, 0x09, 0x03, 0x02, 0x42, 0xc0, 0, 0x02, 0x01};
static const uint8_t pysnmp[] = {0x80, 0,   0x4f, 0xb8, 0x05, 'p', 'y', 's', 'n',
				 'm',  'p', '-',  'a',	'g',  'e', 'n', 't'};
// the corpus's senders: user name prefix, and the engine their users are at
static const struct {
	const char *prefix;
	const uint8_t *engine;
	size_t len;
} senders[] = {
	{"ns", agent, sizeof(agent)},	// net-snmp's traps
	{"py", pysnmp, sizeof(pysnmp)}, // pysnmp's traps
	{"ni", trapd, sizeof(trapd)},	// informs to snmptrapd
	{"pi", trapd, sizeof(trapd)},
};

static struct usm_table *table;

static void die(const char *what)
{
	fprintf(stderr, "fuzz_snmp_v3 setup: %s\n", what);
	abort();
}

// Ku of the corpus passwords, per hash.
static void ku(enum usm_auth a, const char *pw, uint8_t *out)
{
	static uint8_t cache[2][USM_AUTH_COUNT][USM_DIGEST_MAX];
	static bool done[2][USM_AUTH_COUNT];
	int which = pw[11] == 'p'; // "maplesyrup-priv"
	if (!done[which][a]) {
		if (usm_password_to_ku(a, pw, strlen(pw), cache[which][a]) <= 0)
			die("password");
		done[which][a] = true;
	}
	memcpy(out, cache[which][a], USM_DIGEST_MAX);
}

static void setup(void)
{
	table = usm_table_new(1024, 0);
	if (!table)
		die("table");
	for (size_t s = 0; s < sizeof(senders) / sizeof(senders[0]); s++) {
		const uint8_t *e = senders[s].engine;
		size_t elen = senders[s].len;
		for (int a = USM_AUTH_NONE; a < USM_AUTH_COUNT; a++) {
			for (int p = USM_PRIV_NONE; p < USM_PRIV_COUNT; p++) {
				if (a == USM_AUTH_NONE && p != USM_PRIV_NONE)
					continue;
				struct usm_user_cfg c = {.auth = (uint8_t)a,
							 .priv = (uint8_t)p,
							 .compat = USM_COMPAT_AUTO};
				c.name_len = (uint8_t)snprintf((char *)c.name, sizeof(c.name),
							       "%s-%s-%s", senders[s].prefix,
							       usm_auth_name(a), usm_priv_name(p));
				if (a != USM_AUTH_NONE)
					ku(a, "maplesyrup-auth", c.auth_key);
				if (p != USM_PRIV_NONE) {
					ku(a, "maplesyrup-priv", c.priv_key);
					c.priv_key_len = (uint8_t)usm_auth_digest_len(a);
				}
				struct usm_user u;
				if (usm_user_localize(&c, e, elen, &u) || usm_table_add(table, &u))
					die("user");
			}
		}
	}
}

// A Report or Response we built must be a message our decoder reads.
static void decodes_back(const uint8_t *out, int n, uint8_t pdu_type)
{
	static struct snmp_varbind vb[VB_MAX];
	struct snmp_msg m;
	if (n <= 0 || snmp_msg_decode(&m, out, (size_t)n, vb, VB_MAX))
		__builtin_trap();
	if (m.pdu_decoded && m.pdu.type != pdu_type)
		__builtin_trap();
}

// The requester's view of our Response: its engine is not ours, it knows
// the user at ours, its engine cache is fresh. It must accept it whole.
static void requester_accepts(const uint8_t *out, int n, const struct snmp_rx *req)
{
	static uint8_t plain[OUT_MAX];
	static struct snmp_varbind vb[VB_MAX];
	struct usm_ctx *ctx = usm_ctx_new(4);
	if (!ctx)
		abort();
	struct snmp_rx_env env = {.usm = ctx, .users = table, .local = NULL};
	struct snmp_rx rx;
	enum snmp_rx_status st =
		snmp_rx_process(&env, NOW, out, (size_t)n, plain, sizeof(plain), vb, VB_MAX, &rx);
	usm_ctx_free(ctx);
	if (st != SNMP_RX_OK || rx.msg.pdu.type != SNMP_PDU_RESPONSE ||
	    rx.msg.pdu.request_id != req->msg.pdu.request_id || rx.msg.msg_id != req->msg.msg_id)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t wire[BUF], plain[BUF], out[OUT_MAX];
	static struct snmp_varbind vb[VB_MAX];
	if (!table)
		setup();
	if (size < 1 || size - 1 > sizeof(wire))
		return 0;
	uint8_t ctl = data[0];
	size_t len = size - 1;
	memcpy(wire, data + 1, len); // exact copy: the glue never writes the message
	struct usm_local local = {.boots = 1, .time_base = NOW - 1000};
	const uint8_t *e = ctl & 1 ? trapd : nobody;
	size_t elen = ctl & 1 ? sizeof(trapd) : sizeof(nobody);
	memcpy(local.engine_id, e, elen);
	local.engine_len = (uint8_t)elen;
	struct snmp_msg peek;
	if (ctl & 2 && snmp_msg_decode(&peek, wire, len, vb, VB_MAX) == 0 &&
	    peek.version == SNMP_V3) {
		local.boots = peek.usm.boots;
		local.time_base = NOW - peek.usm.time;
	}
	// a fresh worker context per input: the remote engine cache must not
	// make one input's outcome depend on the ones before
	struct usm_ctx *ctx = usm_ctx_new(16);
	if (!ctx)
		abort();
	struct snmp_rx_env env = {.usm = ctx, .users = ctl & 8 ? NULL : table, .local = &local};
	size_t cap = ctl & 4 ? len / 2 : sizeof(plain);
	struct snmp_rx rx;
	enum snmp_rx_status st = snmp_rx_process(&env, NOW, wire, len, plain, cap, vb, VB_MAX, &rx);
	if (st != rx.status || (st == SNMP_RX_MALFORMED) != (rx.err < 0) ||
	    (st == SNMP_RX_OK && !rx.msg.pdu_decoded) || (rx.report && st != SNMP_RX_REFUSED) ||
	    (st == SNMP_RX_REFUSED && (rx.usm.outcome == USM_OK || rx.usm.err == 0)))
		__builtin_trap();
	int n = snmp_rx_report(&env, NOW, &rx, 1, out, sizeof(out));
	if (rx.report) {
		decodes_back(out, n, SNMP_PDU_REPORT);
		// notInTimeWindows goes signed with the user's key for us
		if (rx.usm.outcome == USM_NOT_IN_TIME_WINDOWS) {
			struct snmp_msg m;
			static struct snmp_varbind one[2];
			snmp_msg_decode(&m, out, (size_t)n, one, 2);
			if (usm_auth_verify(&rx.usm.user->hmac, out, (size_t)n,
					    m.usm.auth_params_off, m.usm.auth_params.len))
				__builtin_trap();
		}
	} else if (n != SNMP_E_NO_REPORT) {
		__builtin_trap();
	}
	n = snmp_rx_inform_response(&env, NOW, &rx, out, sizeof(out));
	bool inform = st == SNMP_RX_OK && rx.msg.pdu.type == SNMP_PDU_INFORM;
	if (inform && rx.msg.version == SNMP_V3 && rx.usm.authoritative) {
		decodes_back(out, n, SNMP_PDU_RESPONSE);
		requester_accepts(out, n, &rx);
	} else if (inform && rx.msg.version != SNMP_V3) {
		decodes_back(out, n, SNMP_PDU_RESPONSE);
	} else if (n >= 0) {
		__builtin_trap();
	}
	usm_ctx_free(ctx);
	return 0;
}
