/* SPDX-License-Identifier: BSD-3-Clause */
// The v2c trap fast lane against the general path (trap_fast_diff.h):
// whatever the lane takes, snmp_msg_decode() + trap_rec_encode() must
// accept and turn into the very same record. Over the golden and corpus
// messages, every one-octet corruption and truncation of good traps,
// every output size and varbind limit around the needed ones; and the
// common shapes must be taken (a lane that declined everything would
// pass the rest).
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include <linerate/snmp_msg.h>
#include <linerate/trap_fast.h>

#include "dns_test_util.h"
#include "snmp_corpus_util.h"
#include "snmp_test_util.h"
#include "trap_fast_diff.h"

#define LINE_MAX_ 32768
#define CAP	  10240 // as a record slot (lr.h)
#define VB_MAX	  TRAP_FAST_DIFF_VB_MAX
#define BOTH	  (TRAP_FAST_TRAP | TRAP_FAST_INFORM)

static uint8_t wire[4096];

static enum trap_fast_diff diff(const uint8_t *w, size_t len, size_t cap, uint32_t vb_max,
				unsigned pdus, bool v6, const char *what)
{
	const char *why;
	enum trap_fast_diff d = trap_fast_diff(w, len, cap, vb_max, pdus, v6, &why);
	cr_assert_neq(d, TRAP_FAST_DIFF_MISMATCH, "%s: %s", what, why);
	return d;
}

// A notification PDU of type `type`: sysUpTime.0, snmpTrapOID.0, then
// `extra` (SNMP_EVERY_TYPE_N at most) of the every-type varbinds, into vb.
static struct snmp_pdu every_pdu(uint8_t type, uint32_t extra, int32_t request_id,
				 struct snmp_varbind vb[2 + SNMP_EVERY_TYPE_N])
{
	static uint8_t oid[SNMP_OID_ENC_MAX];
	snmp_notification_head(vb, 8640123, oid_of("1.3.6.1.6.3.1.1.5.3", oid));
	snmp_every_type(vb + 2);
	return (struct snmp_pdu){
		.type = type, .request_id = request_id, .vb = vb, .vb_count = 2 + extra};
}

// That notification as a v2c message in wire.
static int notification(uint8_t type, uint32_t extra, const char *community, int32_t request_id)
{
	struct snmp_varbind vb[2 + SNMP_EVERY_TYPE_N];
	struct snmp_pdu pdu = every_pdu(type, extra, request_id, vb);
	int len = snmp_msg_encode(wire, sizeof(wire), SNMP_V2C, bytes_of(community), &pdu);
	cr_assert_gt(len, 0, "%s", snmp_strerror(len));
	return len;
}

Test(trap_fast, takes_traps_and_informs_of_every_varbind_type)
{
	static const int32_t ids[] = {0, 1, -1, 127, 128, -129, 70000, INT32_MAX, INT32_MIN};
	for (uint32_t extra = 0; extra <= SNMP_EVERY_TYPE_N; extra++) {
		for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
			int len = notification(SNMP_PDU_TRAP_V2, extra, "public", ids[i]);
			cr_assert_eq(diff(wire, (size_t)len, CAP, VB_MAX, BOTH, i % 2, "trap"),
				     TRAP_FAST_DIFF_TAKEN, "%u extra varbinds, request-id %d",
				     extra, ids[i]);
			len = notification(SNMP_PDU_INFORM, extra, "", ids[i]);
			cr_assert_eq(diff(wire, (size_t)len, CAP, VB_MAX, BOTH, i % 2, "inform"),
				     TRAP_FAST_DIFF_TAKEN);
		}
	}
}

Test(trap_fast, declines_pdu_types_not_asked_for)
{
	int len = notification(SNMP_PDU_INFORM, 3, "public", 5);
	cr_assert_eq(diff(wire, (size_t)len, CAP, VB_MAX, TRAP_FAST_TRAP, false, "inform"),
		     TRAP_FAST_DIFF_DECLINED);
	len = notification(SNMP_PDU_TRAP_V2, 3, "public", 5);
	cr_assert_eq(diff(wire, (size_t)len, CAP, VB_MAX, TRAP_FAST_INFORM, false, "trap"),
		     TRAP_FAST_DIFF_DECLINED);
	cr_assert_eq(diff(wire, (size_t)len, CAP, VB_MAX, 0, false, "trap"),
		     TRAP_FAST_DIFF_DECLINED);
}

// Shapes the general path takes and the lane leaves to it.
Test(trap_fast, declines_uncommon_shapes)
{
	static const char *const shapes[] = {
		// v1 Trap-PDU
		"30{ 02 01 00 04 01 70 a4{ 06 03 2b 06 01 40 04 c0 00 02 01 02 01 00 02 01 00 "
		"43 01 05 30{ } } }",
		// GetRequest
		"30{ 02 01 01 04 01 70 a0{ 02 01 01 02 01 00 02 01 00 30{ } } }",
		// no sysUpTime.0 first
		"30{ 02 01 01 04 01 70 a7{ 02 01 01 02 01 00 02 01 00 30{ "
		"30{ 06 01 2b 05 00 } } } }",
		// the head in the wrong order
		"30{ 02 01 01 04 01 70 a7{ 02 01 01 02 01 00 02 01 00 30{ "
		"30{ 06 0a 2b 06 01 06 03 01 01 04 01 00 06 01 2b } "
		"30{ 06 08 2b 06 01 02 01 01 03 00 43 01 05 } } } }",
		// sysUpTime.0 as an INTEGER
		"30{ 02 01 01 04 01 70 a7{ 02 01 01 02 01 00 02 01 00 30{ "
		"30{ 06 08 2b 06 01 02 01 01 03 00 02 01 05 } "
		"30{ 06 0a 2b 06 01 06 03 01 01 04 01 00 06 01 2b } } } }",
		// a long-form varbind (an OCTET STRING of 200 octets)
		"30{ 02 01 01 04 01 70 a7{ 02 01 01 02 01 00 02 01 00 30{ "
		"30{ 06 08 2b 06 01 02 01 01 03 00 43 01 05 } "
		"30{ 06 0a 2b 06 01 06 03 01 01 04 01 00 06 01 2b } "
		"30{ 06 01 2b 04{ 200*61 } } } } }",
		// the version as two octets (01 padded)
		"30{ 02 02 00 01 04 01 70 a7{ 02 01 01 02 01 00 02 01 00 30{ "
		"30{ 06 08 2b 06 01 02 01 01 03 00 43 01 05 } "
		"30{ 06 0a 2b 06 01 06 03 01 01 04 01 00 06 01 2b } } } }",
	};
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		int len = tlv_hex(shapes[i], wire, sizeof(wire), NULL);
		cr_assert_gt(len, 0, "shape %zu", i);
		struct snmp_varbind vb[8];
		struct snmp_msg m;
		cr_assert_eq(snmp_msg_decode(&m, wire, (size_t)len, vb, 8), 0, "shape %zu", i);
		cr_assert_eq(diff(wire, (size_t)len, CAP, VB_MAX, BOTH, false, "shape"),
			     TRAP_FAST_DIFF_DECLINED, "shape %zu", i);
	}
}

Test(trap_fast, declines_what_the_record_slot_or_varbind_array_cannot_hold)
{
	int len = notification(SNMP_PDU_TRAP_V2, SNMP_EVERY_TYPE_N, "public", 9);
	uint32_t n = 2 + SNMP_EVERY_TYPE_N;
	int taken = 0;
	// every output size up to where the lane's bound lets it take
	for (size_t cap = 0; cap <= 100 + 2 * (size_t)len; cap++)
		taken += diff(wire, (size_t)len, cap, VB_MAX, BOTH, false, "cap") ==
			 TRAP_FAST_DIFF_TAKEN;
	cr_assert_gt(taken, 0);
	for (uint32_t vb_max = 0; vb_max <= n + 1; vb_max++)
		cr_assert_eq(diff(wire, (size_t)len, CAP, vb_max, BOTH, false, "vb_max"),
			     vb_max >= n ? TRAP_FAST_DIFF_TAKEN : TRAP_FAST_DIFF_DECLINED,
			     "vb_max %u", vb_max);
}

Test(trap_fast, agrees_on_the_golden_messages)
{
	FILE *f = fopen(SNMP_GOLDEN_TSV, "r");
	cr_assert_not_null(f, "cannot open %s", SNMP_GOLDEN_TSV);
	static char line[LINE_MAX_];
	static uint8_t msg[8192];
	int rows = 0, taken = 0;
	char *name, *hex, *facts;
	int row;
	while ((row = snmp_golden_row(f, line, sizeof(line), &name, &hex, &facts)) != 0) {
		cr_assert_eq(row, 1, "a golden row without its three columns");
		int len = hex_decode(hex, msg, sizeof(msg));
		cr_assert_gt(len, 0, "%s: bad hex", name);
		taken += diff(msg, (size_t)len, CAP, VB_MAX, BOTH, false, name) ==
			 TRAP_FAST_DIFF_TAKEN;
		rows++;
	}
	fclose(f);
	cr_assert_geq(rows, 23);
	cr_assert_gt(taken, 0, "no golden v2c notification taken");
}

static int corpus_row(const struct row *r)
{
	static uint8_t msg[FRAME_MAX];
	size_t len = pcap_udp_payload(r->v[C_FILE], atoi(r->v[C_FRAME]), msg);
	return diff(msg, len, CAP, VB_MAX, BOTH, false, r->v[C_FILE]) == TRAP_FAST_DIFF_TAKEN;
}

Test(trap_fast, agrees_on_the_interop_corpus)
{
	// net-snmp's and pysnmp's v2c traps and informs among them
	cr_assert_gt(each_row(corpus_row), 0, "no corpus v2c notification taken");
}

// --- the v3 lane: scopedPDUs as USM leaves them -------------------------------

static uint8_t plain[4096];

static const uint8_t ctx_engine[] = {0x80, 0x00, 0x1f, 0x88, 0x80, 0x51,
				     0x52, 0x53, 0x54, 0x55, 0x56, 0x57};

// A v3 message as snmp_msg_decode() leaves an authPriv one (or, with other
// flags, the header of one at that level): header and USM parameters.
static struct snmp_msg v3_head(uint8_t flags, const char *user)
{
	return (struct snmp_msg){
		.version = SNMP_V3, .flags = flags, .usm.user_name = bytes_of(user)};
}

static enum trap_fast_diff sdiff(const struct snmp_msg *head, const uint8_t *p, size_t len,
				 size_t cap, uint32_t vb_max, unsigned pdus, bool v6,
				 const char *what)
{
	const char *why;
	enum trap_fast_diff d = trap_fast_scoped_diff(head, p, len, cap, vb_max, pdus, v6, &why);
	cr_assert_neq(d, TRAP_FAST_DIFF_MISMATCH, "%s: %s", what, why);
	return d;
}

// The same notification as a scopedPDU in plain, with the
// context engine ID's first engine_len octets and context name ctx_name.
static int scoped(uint8_t type, uint32_t extra, size_t engine_len, const char *ctx_name,
		  int32_t request_id)
{
	struct snmp_varbind vb[2 + SNMP_EVERY_TYPE_N];
	struct snmp_pdu pdu = every_pdu(type, extra, request_id, vb);
	int len = snmp_scoped_pdu_encode(plain, sizeof(plain),
					 (struct snmp_bytes){ctx_engine, (uint32_t)engine_len},
					 bytes_of(ctx_name), &pdu);
	cr_assert_gt(len, 0, "%s", snmp_strerror(len));
	return len;
}

Test(trap_fast, v3_takes_scoped_traps_and_informs_at_every_level)
{
	static const uint8_t levels[] = {0, SNMP_FLAG_AUTH, SNMP_FLAG_AUTH | SNMP_FLAG_PRIV,
					 SNMP_FLAG_AUTH | SNMP_FLAG_PRIV | SNMP_FLAG_REPORTABLE};
	static const char *const users[] = {"", "u", "operator-with-a-long-name-32-oct"};
	static const char *const ctx_names[] = {"", "bridge1"};
	for (uint32_t extra = 0; extra <= SNMP_EVERY_TYPE_N; extra += 3) {
		for (size_t l = 0; l < sizeof(levels); l++) {
			struct snmp_msg head = v3_head(levels[l], users[l % 3]);
			size_t engine_len = l % 2 ? sizeof(ctx_engine) : 0;
			int len = scoped(SNMP_PDU_TRAP_V2, extra, engine_len, ctx_names[l % 2],
					 -7 * (int)l);
			cr_assert_eq(
				sdiff(&head, plain, (size_t)len, CAP, VB_MAX, BOTH, l % 2, "trap"),
				TRAP_FAST_DIFF_TAKEN, "%u extra, level %zu", extra, l);
			len = scoped(SNMP_PDU_INFORM, extra, 5, ctx_names[(l + 1) % 2], 77);
			cr_assert_eq(sdiff(&head, plain, (size_t)len, CAP, VB_MAX, BOTH, false,
					   "inform"),
				     TRAP_FAST_DIFF_TAKEN);
			cr_assert_eq(sdiff(&head, plain, (size_t)len, CAP, VB_MAX, TRAP_FAST_TRAP,
					   false, "inform"),
				     TRAP_FAST_DIFF_DECLINED);
		}
	}
}

Test(trap_fast, v3_reads_past_padding_but_not_into_it)
{
	// DES-CBC pads the plaintext to 8 octets: what follows the SEQUENCE
	// is not looked at, by either path
	struct snmp_msg head = v3_head(SNMP_FLAG_AUTH | SNMP_FLAG_PRIV, "des-user");
	int len = scoped(SNMP_PDU_TRAP_V2, 4, sizeof(ctx_engine), "", 3);
	for (int pad = 1; pad < 8; pad++) {
		memset(plain + len, 0xa5, (size_t)pad);
		cr_assert_eq(sdiff(&head, plain, (size_t)(len + pad), CAP, VB_MAX, BOTH, false,
				   "padded"),
			     TRAP_FAST_DIFF_TAKEN, "%d octets of padding", pad);
	}
}

// A scopedPDU with a context engine ID of n octets, which the encoder
// would refuse outside 5..32.
static int scoped_engine(size_t n)
{
	char hex[512];
	snprintf(hex, sizeof(hex),
		 "30{ 04{ %zu*80 } 04 00 a7{ 02 01 01 02 01 00 02 01 00 30{ "
		 "30{ 06 08 2b 06 01 02 01 01 03 00 43 01 05 } "
		 "30{ 06 0a 2b 06 01 06 03 01 01 04 01 00 06 01 2b } } } }",
		 n);
	int len = tlv_hex(hex, plain, sizeof(plain), NULL);
	cr_assert_gt(len, 0, "%zu", n);
	return len;
}

Test(trap_fast, v3_declines_context_engine_ids_of_the_wrong_length)
{
	struct snmp_msg head = v3_head(SNMP_FLAG_AUTH | SNMP_FLAG_PRIV, "u");
	for (size_t n = 0; n <= SNMP_ENGINE_ID_MAX + 2; n++) {
		int len = scoped_engine(n);
		bool good = n == 0 || (n >= SNMP_ENGINE_ID_MIN && n <= SNMP_ENGINE_ID_MAX);
		cr_assert_eq(sdiff(&head, plain, (size_t)len, CAP, VB_MAX, BOTH, false, "engine"),
			     good ? TRAP_FAST_DIFF_TAKEN : TRAP_FAST_DIFF_DECLINED,
			     "engine ID of %zu octets", n);
		struct snmp_msg m = head;
		struct snmp_varbind vb[4];
		cr_assert_eq(snmp_scoped_pdu_decode(&m, plain, (size_t)len, vb, 4) == 0, good);
	}
}

Test(trap_fast, v3_declines_what_the_record_slot_or_varbind_array_cannot_hold)
{
	struct snmp_msg head = v3_head(SNMP_FLAG_AUTH | SNMP_FLAG_PRIV, "a-user");
	int len = scoped(SNMP_PDU_TRAP_V2, SNMP_EVERY_TYPE_N, sizeof(ctx_engine), "c", 9);
	uint32_t n = 2 + SNMP_EVERY_TYPE_N;
	int taken = 0;
	for (size_t cap = 0; cap <= 200 + 2 * (size_t)len; cap++)
		taken += sdiff(&head, plain, (size_t)len, cap, VB_MAX, BOTH, false, "cap") ==
			 TRAP_FAST_DIFF_TAKEN;
	cr_assert_gt(taken, 0);
	for (uint32_t vb_max = 0; vb_max <= n + 1; vb_max++)
		cr_assert_eq(sdiff(&head, plain, (size_t)len, CAP, vb_max, BOTH, false, "vb_max"),
			     vb_max >= n ? TRAP_FAST_DIFF_TAKEN : TRAP_FAST_DIFF_DECLINED,
			     "vb_max %u", vb_max);
	// not a v3 message
	struct snmp_msg v2 = head;
	v2.version = SNMP_V2C;
	uint8_t type;
	cr_assert_eq(trap_fast_scoped(plain + len, CAP, trap_fast_diff_meta(false), &v2, plain,
				      (size_t)len, VB_MAX, BOTH, &type),
		     0);
}

// Every truncation of good[0..len) declined, every one-octet corruption
// agreed on, by the v2c lane (head NULL) or the v3 one (good a scopedPDU
// of head); some corruptions taken (a changed value or name is still a
// trap), some declined (a changed header is not).
static void corrupt_each(const struct snmp_msg *head, const uint8_t *good, int len)
{
	static uint8_t bad[sizeof(wire)];
	for (int cut = 0; cut < len; cut++) {
		enum trap_fast_diff d =
			head ? sdiff(head, good, (size_t)cut, CAP, VB_MAX, BOTH, false, "cut")
			     : diff(good, (size_t)cut, CAP, VB_MAX, BOTH, false, "cut");
		cr_assert_eq(d, TRAP_FAST_DIFF_DECLINED, "cut at %d of %d", cut, len);
	}
	int taken = 0, declined = 0;
	for (int at = 0; at < len; at++) {
		memcpy(bad, good, (size_t)len);
		for (int v = 0; v < 256; v++) {
			if (v == good[at])
				continue;
			bad[at] = (uint8_t)v;
			enum trap_fast_diff d =
				head ? sdiff(head, bad, (size_t)len, CAP, VB_MAX, BOTH, false,
					     "octet")
				     : diff(bad, (size_t)len, CAP, VB_MAX, BOTH, false, "octet");
			taken += d == TRAP_FAST_DIFF_TAKEN;
			declined += d != TRAP_FAST_DIFF_TAKEN;
		}
	}
	cr_assert_gt(taken, 0);
	cr_assert_gt(declined, 0);
}

Test(trap_fast, agrees_on_every_truncation_and_one_octet_corruption)
{
	for (uint32_t extra = 0; extra <= SNMP_EVERY_TYPE_N; extra += 5) {
		int len = notification(extra % 2 ? SNMP_PDU_INFORM : SNMP_PDU_TRAP_V2, extra,
				       "public", 1000 + (int)extra);
		corrupt_each(NULL, wire, len);
	}
}

Test(trap_fast, v3_agrees_on_every_truncation_and_one_octet_corruption)
{
	struct snmp_msg head = v3_head(SNMP_FLAG_AUTH | SNMP_FLAG_PRIV, "corrupt");
	for (uint32_t extra = 0; extra <= SNMP_EVERY_TYPE_N; extra += 5) {
		int len = scoped(extra % 2 ? SNMP_PDU_INFORM : SNMP_PDU_TRAP_V2, extra,
				 sizeof(ctx_engine), extra % 2 ? "ctx" : "", 1000 + (int)extra);
		corrupt_each(&head, plain, len);
	}
}
