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

// A v2c notification of type `type`: sysUpTime.0, snmpTrapOID.0, then
// `extra` (SNMP_EVERY_TYPE_N at most) of the every-type varbinds.
static int notification(uint8_t type, uint32_t extra, const char *community, int32_t request_id)
{
	static uint8_t oid[SNMP_OID_ENC_MAX];
	struct snmp_varbind vb[2 + SNMP_EVERY_TYPE_N];
	snmp_notification_head(vb, 8640123, oid_of("1.3.6.1.6.3.1.1.5.3", oid));
	snmp_every_type(vb + 2);
	struct snmp_pdu pdu = {
		.type = type, .request_id = request_id, .vb = vb, .vb_count = 2 + extra};
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

Test(trap_fast, agrees_on_every_truncation_and_one_octet_corruption)
{
	static uint8_t bad[sizeof(wire)];
	for (uint32_t extra = 0; extra <= SNMP_EVERY_TYPE_N; extra += 5) {
		int len = notification(extra % 2 ? SNMP_PDU_INFORM : SNMP_PDU_TRAP_V2, extra,
				       "public", 1000 + (int)extra);
		for (int cut = 0; cut < len; cut++)
			cr_assert_eq(diff(wire, (size_t)cut, CAP, VB_MAX, BOTH, false, "cut"),
				     TRAP_FAST_DIFF_DECLINED, "cut at %d of %d", cut, len);
		int taken = 0, declined = 0;
		for (int at = 0; at < len; at++) {
			memcpy(bad, wire, (size_t)len);
			for (int v = 0; v < 256; v++) {
				if (v == wire[at])
					continue;
				bad[at] = (uint8_t)v;
				if (diff(bad, (size_t)len, CAP, VB_MAX, BOTH, false, "octet") ==
				    TRAP_FAST_DIFF_TAKEN)
					taken++;
				else
					declined++;
			}
		}
		// a corrupted value or name is still a trap; a corrupted header is not
		cr_assert_gt(taken, 0);
		cr_assert_gt(declined, 0);
	}
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
