/* SPDX-License-Identifier: BSD-3-Clause */
// Malformed SNMP messages: each case must fail with its own code, blaming
// the element marked '^' in its text (see tlv_hex), under ASan/UBSan.
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <linerate/snmp_ber.h>
#include <linerate/snmp_err.h>
#include <linerate/snmp_msg.h>

#include "snmp_test_util.h"

// Pieces of a v2c trap: community "public", sysUpTime.0 = TimeTicks 5.
#define PUBLIC	   "04 06 7075626c6963 "
#define UPTIME	   "06 08 2b06010201010300 "
#define VB_OK	   "30{ " UPTIME "43 01 05 } "
#define V2C(pdu)   "30{ 02 01 01 " PUBLIC pdu " } "
#define TRAP2(vbs) V2C("a7{ 02 01 2a 02 01 00 02 01 00 30{ " vbs " } }")
#define VB(value)  TRAP2("30{ " UPTIME value " }")
// Trap-v1 fields after the enterprise: agent, generic, specific, time-stamp.
#define V1(fields) "30{ 02 01 00 " PUBLIC "a4{ 06 03 2b0601 " fields " 30{ } } } "
// v3: header fields, USM fields, msgData.
#define V3(hdr, usm, data) "30{ 02 01 03 30{ " hdr " } 04{ 30{ " usm " } } " data " } "
#define HDR(flags)	   "02 01 01 02 02 05dc 04 01 " flags " 02 01 03 "
#define USM		   "04 05 8000000001 02 01 01 02 01 02 04 01 61 04 00 04 00 "
#define SCOPED		   "30{ 04 00 04 00 a7{ 02 01 01 02 01 00 02 01 00 30{ } } } "

struct bad_msg {
	char name[40];
	char hex[600];
	int err;
	uint32_t vb_cap; // 0: the default of 8
};

ParameterizedTestParameters(snmp_malformed, each_fault_has_its_own_code)
{
	static struct bad_msg cases[] = {
		// BER framing (X.690 §8.1)
		{"empty", "^", SNMP_E_TRUNCATED},
		{"outer_not_sequence", "^31{ 02 01 01 }", SNMP_E_TAG},
		{"outer_indefinite", "^30 80 02 01 01 04 00 00 00", SNMP_E_INDEFINITE_LENGTH},
		{"outer_length_past_end", "^30 20 02 01 01", SNMP_E_LENGTH_PAST_END},
		{"length_of_length_5", "^30 85 0000000003 020101", SNMP_E_LENGTH_TOO_LONG},
		{"length_octets_cut", "^30 82 01", SNMP_E_TRUNCATED},
		{"high_tag_number", "30{ ^1f 01 01 }", SNMP_E_TAG_HIGH},
		{"trailing_garbage", TRAP2(VB_OK) "^00 00", SNMP_E_TRAILING},
		{"element_after_pdu", V2C("a7{ 02 01 2a 02 01 00 02 01 00 30{ } } ^05 00"),
		 SNMP_E_EXTRA},
		// version and community (RFC 1157 §4, RFC 3412 §7.2 step 2)
		{"version_10_octets", "30{ ^02 0a ffffffffffffffffffff 04 00 }",
		 SNMP_E_INT_TOO_LONG},
		{"version_empty", "30{ ^02 00 04 00 }", SNMP_E_INT_EMPTY},
		{"version_2", "30{ ^02 01 02 " PUBLIC "a7{ } }", SNMP_E_VERSION},
		{"community_wrong_tag", "30{ 02 01 01 ^02 01 00 a7{ } }", SNMP_E_TAG},
		// PDUs (RFC 3416 §3, RFC 1157 §4.1)
		{"pdu_type_unknown", V2C("^a9{ 02 01 01 02 01 00 02 01 00 30{ } }"),
		 SNMP_E_PDU_TYPE},
		{"trap_v1_in_v2c", V2C("^a4{ 06 03 2b0601 }"), SNMP_E_PDU_VERSION},
		{"getbulk_in_v1",
		 "30{ 02 01 00 " PUBLIC "^a5{ 02 01 01 02 01 00 02 01 00 30{ } } }",
		 SNMP_E_PDU_VERSION},
		{"request_id_out_of_range", V2C("a7{ ^02 05 0080000000 02 01 00 02 01 00 30{ } }"),
		 SNMP_E_INT_TOO_LONG},
		{"varbind_list_wrong_tag", V2C("a7{ 02 01 2a 02 01 00 02 01 00 ^31{ } }"),
		 SNMP_E_TAG},
		{"pdu_length_lies", V2C("^a7 40 02 01 2a 02 01 00 02 01 00 30 00"),
		 SNMP_E_LENGTH_PAST_END},
		{"varbind_length_lies", TRAP2("^30 7f " UPTIME "43 01 05"), SNMP_E_LENGTH_PAST_END},
		{"varbind_extra_field", TRAP2("30{ " UPTIME "43 01 05 ^05 00 }"), SNMP_E_EXTRA},
		{"too_many_varbinds", TRAP2(VB_OK VB_OK "^" VB_OK), SNMP_E_TOO_MANY_VARBINDS, 2},
		// varbind names (X.690 §8.19, RFC 2578 §3.5)
		{"oid_empty", TRAP2("30{ ^06 00 05 00 }"), SNMP_E_OID_EMPTY},
		{"oid_subid_overflow", TRAP2("30{ ^06 07 2b 9080808000 01 05 00 }"),
		 SNMP_E_OID_SUBID_OVERFLOW},
		{"oid_padded_subid", TRAP2("30{ ^06 03 2b 8001 05 00 }"), SNMP_E_OID_NONMINIMAL},
		{"oid_cut_in_subid", TRAP2("30{ ^06 02 2b 86 05 00 }"), SNMP_E_OID_TRUNCATED},
		{"oid_129_subids", TRAP2("30{ ^06{ 2b 127*01 } 05 00 }"), SNMP_E_OID_TOO_LONG},
		// values (RFC 3416 §3, RFC 2578 §7.1)
		{"value_unknown_tag", VB("^48 01 00"), SNMP_E_VALUE_TAG},
		{"value_constructed_string", VB("^24{ 04 01 61 }"), SNMP_E_VALUE_TAG},
		{"value_integer_10_octets", VB("^02 0a 01020304050607080900"), SNMP_E_INT_TOO_LONG},
		{"value_null_with_contents", VB("^05 01 00"), SNMP_E_NULL_LEN},
		{"value_exception_with_contents", VB("^81 01 00"), SNMP_E_NULL_LEN},
		{"value_ipaddress_16_octets", VB("^40 10 20010db8000000000000000000000001"),
		 SNMP_E_IPADDR_LEN},
		{"value_counter32_negative", VB("^41 01 ff"), SNMP_E_UINT_NEGATIVE},
		{"value_counter32_2_pow_32", VB("^41 05 0100000000"), SNMP_E_UINT_TOO_LONG},
		{"value_counter64_10_octets", VB("^46 0a 00ffffffffffffffffff"),
		 SNMP_E_U64_TOO_LONG},
		{"value_timeticks_empty", VB("^43 00"), SNMP_E_INT_EMPTY},
		{"value_oid_overflow", VB("^06 06 2b ffffffff7f"), SNMP_E_OID_SUBID_OVERFLOW},
		// Trap-v1 (RFC 1157 §4.1.6)
		{"trap_v1_generic_7", V1("40 04 c0000201 ^02 01 07 02 01 00 43 01 00"),
		 SNMP_E_GENERIC_TRAP},
		{"trap_v1_agent_ipv6",
		 V1("^40 10 20010db8000000000000000000000001 02 01 00 02 01 00 43 01 00"),
		 SNMP_E_IPADDR_LEN},
		{"trap_v1_timestamp_integer", V1("40 04 c0000201 02 01 00 02 01 00 ^02 01 00"),
		 SNMP_E_TAG},
		// v3 header (RFC 3412 §6, §7.2)
		{"v3_max_size_483", V3("02 01 01 ^02 02 01e3 04 01 04 02 01 03", USM, SCOPED),
		 SNMP_E_MAX_SIZE},
		{"v3_max_size_2_pow_32",
		 V3("02 01 01 ^02 05 0100000000 04 01 04 02 01 03", USM, SCOPED), SNMP_E_MAX_SIZE},
		{"v3_max_size_negative", V3("02 01 01 ^02 01 ff 04 01 04 02 01 03", USM, SCOPED),
		 SNMP_E_MAX_SIZE},
		{"v3_msg_id_negative", V3("^02 01 80 02 02 05dc 04 01 04 02 01 03", USM, SCOPED),
		 SNMP_E_MSG_ID},
		{"v3_flags_two_octets", V3("02 01 01 02 02 05dc ^04 02 0400 02 01 03", USM, SCOPED),
		 SNMP_E_MSG_FLAGS_LEN},
		{"v3_flags_empty", V3("02 01 01 02 02 05dc ^04 00 02 01 03", USM, SCOPED),
		 SNMP_E_MSG_FLAGS_LEN},
		{"v3_priv_without_auth", V3("02 01 01 02 02 05dc ^04 01 02 02 01 03", USM, SCOPED),
		 SNMP_E_PRIV_WITHOUT_AUTH},
		{"v3_security_model_2", V3("02 01 01 02 02 05dc 04 01 04 ^02 01 02", USM, SCOPED),
		 SNMP_E_SEC_MODEL},
		{"v3_header_indefinite", "30{ 02 01 03 ^30 80 02 01 01 00 00 }",
		 SNMP_E_INDEFINITE_LENGTH},
		// USM security parameters (RFC 3414 §2.4)
		{"v3_secparams_inner_length_lies",
		 "30{ 02 01 03 30{ " HDR("04") " } 04{ ^30 40 04 00 } " SCOPED " }",
		 SNMP_E_TRUNCATED_SECPARAMS},
		{"v3_secparams_cut",
		 "30{ 02 01 03 30{ " HDR("04") " } 04{ 30{ 04 05 8000000001 ^} } " SCOPED " }",
		 SNMP_E_TRUNCATED_SECPARAMS},
		{"v3_secparams_cut_in_header",
		 "30{ 02 01 03 30{ " HDR("04") " } 04{ ^30 } " SCOPED " }",
		 SNMP_E_TRUNCATED_SECPARAMS},
		{"v3_engine_id_3_octets",
		 V3(HDR("04"), "^04 03 800000 02 01 01 02 01 02 04 00 04 00 04 00", SCOPED),
		 SNMP_E_ENGINE_ID_LEN},
		{"v3_boots_negative",
		 V3(HDR("04"), "04 00 ^02 01 ff 02 01 02 04 00 04 00 04 00", SCOPED),
		 SNMP_E_ENGINE_BOOTS},
		{"v3_time_2_pow_31",
		 V3(HDR("04"), "04 00 02 01 00 ^02 05 0080000000 04 00 04 00 04 00", SCOPED),
		 SNMP_E_ENGINE_TIME},
		{"v3_user_33_octets",
		 V3(HDR("04"), "04 00 02 01 00 02 01 00 ^04 21 33*61 04 00 04 00", SCOPED),
		 SNMP_E_USER_NAME_LEN},
		{"v3_secparams_trailing",
		 "30{ 02 01 03 30{ " HDR("04") " } 04{ 30{ " USM " } ^00 } " SCOPED " }",
		 SNMP_E_EXTRA},
		// msgData (RFC 3412 §6: plaintext or encryptedPDU by privFlag)
		{"v3_priv_flag_plaintext", V3(HDR("03"), USM, "^" SCOPED), SNMP_E_SCOPED_PDU_FORM},
		{"v3_encrypted_without_priv", V3(HDR("01"), USM, "^04 04 deadbeef"),
		 SNMP_E_SCOPED_PDU_FORM},
		{"v3_context_engine_id_4", V3(HDR("04"), USM, "30{ ^04 04 80000001 04 00 a7{ } }"),
		 SNMP_E_ENGINE_ID_LEN},
		{"v3_trap_v1_in_scoped_pdu", V3(HDR("04"), USM, "30{ 04 00 04 00 ^a4{ } }"),
		 SNMP_E_PDU_VERSION},
	};
	return cr_make_param_array(struct bad_msg, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_msg *c, snmp_malformed, each_fault_has_its_own_code)
{
	static uint8_t wire[4096];
	uint32_t mark = UINT32_MAX;
	int len = tlv_hex(c->hex, wire, sizeof(wire), &mark);
	cr_assert_geq(len, 0, "%s: bad test hex", c->name);
	cr_assert_neq(mark, UINT32_MAX, "%s: no ^ mark", c->name);
	struct snmp_varbind vb[8];
	struct snmp_msg m;
	uint32_t cap = c->vb_cap ? c->vb_cap : 8;
	int rc = snmp_msg_decode(&m, wire, (size_t)len, vb, cap);
	cr_assert_eq(rc, c->err, "%s: got %s, want %s", c->name, snmp_strerror_sym(rc),
		     snmp_strerror_sym(c->err));
	cr_assert_eq(m.err_off, mark, "%s: blamed offset %u, want %u", c->name, m.err_off, mark);
}

// The shapes the cases break decode when intact, so each case fails for
// the fault it names and not for a mistake in its surroundings.
Test(snmp_malformed, intact_shapes_decode)
{
	static const char *const ok[] = {
		TRAP2(VB_OK),
		TRAP2(VB_OK VB_OK),
		V1("40 04 c0000201 02 01 06 02 01 07 43 01 00"),
		V3(HDR("04"), USM, SCOPED),
		V3(HDR("07"), USM, "04 04 deadbeef"),
		V3(HDR("04"), "04 00 02 01 00 02 04 7fffffff 04 20 32*61 04 00 04 00", SCOPED),
		V3("02 04 7fffffff 02 04 7fffffff 04 01 04 02 01 03", USM, SCOPED),
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		static uint8_t wire[4096];
		struct snmp_varbind vb[2];
		struct snmp_msg m;
		int len = tlv_hex(ok[i], wire, sizeof(wire), NULL);
		cr_assert_geq(len, 0);
		int rc = snmp_msg_decode(&m, wire, (size_t)len, vb, 2);
		cr_expect_eq(rc, 0, "shape %zu: %s at %u", i, snmp_strerror_sym(rc), m.err_off);
	}
}

// Writes depth nested SEQUENCEs (4-octet headers) holding `inner` octets.
static size_t nest(uint8_t *p, unsigned depth, size_t inner)
{
	for (unsigned i = 0; i < depth; i++) {
		size_t rest = (size_t)(depth - 1 - i) * 4 + inner;
		p[4 * i] = BER_SEQUENCE;
		p[4 * i + 1] = 0x82;
		p[4 * i + 2] = (uint8_t)(rest >> 8);
		p[4 * i + 3] = (uint8_t)rest;
	}
	return (size_t)depth * 4 + inner;
}

// 1000-deep nesting costs one failed tag check, never 1000 stack frames:
// the decoder follows the SNMP schema, which has no place for it, and the
// generic walk stops at its depth bound.
Test(snmp_malformed, thousand_deep_nesting)
{
	static uint8_t wire[8192];
	struct snmp_varbind vb[4];
	struct snmp_msg m;
	uint32_t at = 0;

	// as a whole message: the version INTEGER is expected at depth 1
	size_t n = nest(wire, 1000, 0);
	cr_assert_eq(snmp_msg_decode(&m, wire, n, vb, 4), SNMP_E_TAG);
	cr_assert_eq(m.err_off, 4);
	size_t off = 0;
	cr_assert_eq(ber_walk(wire, n, BER_WALK_MAX_DEPTH, &off), SNMP_E_DEPTH);
	cr_assert_eq(off, 4 * BER_WALK_MAX_DEPTH);

	// as a varbind value, inside an otherwise good trap
	static uint8_t deep[4000];
	size_t dn = nest(deep, 1000, 0);
	char hex[8192 * 2];
	size_t h = 0;
	for (size_t i = 0; i < dn; i++)
		h += (size_t)sprintf(hex + h, "%02x", deep[i]);
	static char text[20000];
	snprintf(text, sizeof(text), TRAP2("30{ " UPTIME "^%s }"), hex);
	int len = tlv_hex(text, wire, sizeof(wire), &at);
	cr_assert_gt(len, 0);
	cr_assert_eq(snmp_msg_decode(&m, wire, (size_t)len, vb, 4), SNMP_E_VALUE_TAG);
	cr_assert_eq(m.err_off, at);
	cr_assert_eq(ber_walk(wire, (size_t)len, BER_WALK_MAX_DEPTH, &off), SNMP_E_DEPTH);
}

// Each truncation of a good v3 message fails cleanly (no read past the
// end under ASan), and never as success.
Test(snmp_malformed, every_truncation_fails)
{
	static uint8_t wire[512];
	struct snmp_varbind vb[4];
	struct snmp_msg m;
	int len = tlv_hex(
		V3(HDR("05"), "04 05 8000000001 02 01 01 02 01 02 04 01 61 04 0c 12*00 04 00",
		   "30{ 04 05 8000000001 04 00 a7{ 02 01 01 02 01 00 02 01 00 30{ " VB_OK " } } }"),
		wire, sizeof(wire), NULL);
	cr_assert_gt(len, 0);
	cr_assert_eq(snmp_msg_decode(&m, wire, (size_t)len, vb, 4), 0);
	for (int cut = 0; cut < len; cut++) {
		uint8_t *copy = malloc((size_t)cut + 1); // exact size: ASan sees any overread
		memcpy(copy, wire, (size_t)cut);
		int rc = snmp_msg_decode(&m, copy, (size_t)cut, vb, 4);
		cr_expect_lt(rc, 0, "cut at %d decoded", cut);
		cr_expect_leq(m.err_off, (uint32_t)cut);
		free(copy);
	}
}
