/* SPDX-License-Identifier: BSD-3-Clause */
// RFC 3584 §3.1: v1 traps as SNMPv2 notification varbinds.
#include <criterion/criterion.h>
#include <string.h>

#include <linerate/snmp_msg.h>

#include "snmp_test_util.h"

static uint8_t wire[1024], ent_buf[SNMP_OID_ENC_MAX], name_buf[SNMP_OID_ENC_MAX];
static const uint8_t agent[4] = {198, 51, 100, 9};

// Encodes and decodes a Trap-v1 (community "public") with one INTEGER
// varbind named `vb_name` (NULL: no varbinds).
static void v1_trap(struct snmp_msg *m, struct snmp_varbind *back, const char *enterprise,
		    int32_t generic, int32_t specific, const char *vb_name)
{
	struct snmp_varbind vb = {.type = SNMP_T_INTEGER, .num.i32 = 2};
	struct snmp_pdu pdu = {
		.type = SNMP_PDU_TRAP_V1,
		.enterprise = oid_of(enterprise, ent_buf),
		.agent_addr = {agent, 4},
		.generic_trap = generic,
		.specific_trap = specific,
		.timestamp = 123456,
		.vb = &vb,
		.vb_count = vb_name != NULL,
	};
	if (vb_name)
		vb.oid = oid_of(vb_name, name_buf);
	int len = snmp_msg_encode(wire, sizeof(wire), SNMP_V1, bytes_of("public"), &pdu);
	cr_assert_gt(len, 0);
	cr_assert_eq(snmp_msg_decode(m, wire, (size_t)len, back, 4), 0);
}

// The translation of such a trap into out[0..8); returns the count.
static int translate(const char *enterprise, int32_t generic, int32_t specific, const char *vb_name,
		     unsigned flags, struct snmp_varbind *out)
{
	static struct snmp_msg m;
	static struct snmp_varbind back[4];
	static struct snmp_trap_oid_buf buf;
	v1_trap(&m, back, enterprise, generic, specific, vb_name);
	return snmp_trap_v1_to_v2(&m.pdu, m.community, out, 8, &buf, flags);
}

static void expect_vb(const struct snmp_varbind *v, const char *name, uint8_t type,
		      const char *value)
{
	char text[SNMP_OID_TEXT_MAX], val[SNMP_OID_TEXT_MAX];
	cr_assert_str_eq(oid_text(v->oid, text), name);
	cr_assert_eq(v->type, type, "%s: type %s", name, snmp_type_name(v->type));
	switch (type) {
	case SNMP_T_OID:
		cr_assert_str_eq(oid_text(v->data, val), value, "%s", name);
		break;
	case SNMP_T_TIMETICKS:
		snprintf(val, sizeof(val), "%u", v->num.u32);
		cr_assert_str_eq(val, value);
		break;
	case SNMP_T_INTEGER:
		snprintf(val, sizeof(val), "%d", v->num.i32);
		cr_assert_str_eq(val, value);
		break;
	case SNMP_T_IPADDRESS:
		snprintf(val, sizeof(val), "%u.%u.%u.%u", v->data.ptr[0], v->data.ptr[1],
			 v->data.ptr[2], v->data.ptr[3]);
		cr_assert_str_eq(val, value);
		break;
	default:
		cr_assert_eq(v->data.len, strlen(value));
		cr_assert_eq(memcmp(v->data.ptr, value, v->data.len), 0);
	}
}

#define ENT "1.3.6.1.4.1.8072.2.3"

Test(snmp_trap_v1, each_generic_trap_maps_under_snmp_traps)
{
	static const char *const oids[6] = {
		"1.3.6.1.6.3.1.1.5.1", "1.3.6.1.6.3.1.1.5.2", "1.3.6.1.6.3.1.1.5.3",
		"1.3.6.1.6.3.1.1.5.4", "1.3.6.1.6.3.1.1.5.5", "1.3.6.1.6.3.1.1.5.6",
	};
	for (int g = 0; g <= 5; g++) {
		struct snmp_varbind out[8];
		// specific-trap is ignored for generic traps (RFC 3584 §3.1 (3))
		int n = translate(ENT, g, 77, "1.3.6.1.2.1.2.2.1.1.2", 0, out);
		cr_assert_eq(n, 5, "generic %d: %s", g, snmp_strerror_sym(n));
		expect_vb(&out[0], "1.3.6.1.2.1.1.3.0", SNMP_T_TIMETICKS, "123456");
		expect_vb(&out[1], "1.3.6.1.6.3.1.1.4.1.0", SNMP_T_OID, oids[g]);
		expect_vb(&out[2], "1.3.6.1.2.1.2.2.1.1.2", SNMP_T_INTEGER, "2");
		expect_vb(&out[3], "1.3.6.1.6.3.18.1.3.0", SNMP_T_IPADDRESS, "198.51.100.9");
		expect_vb(&out[4], "1.3.6.1.6.3.1.1.4.3.0", SNMP_T_OID, ENT);
	}
}

Test(snmp_trap_v1, enterprise_specific_is_enterprise_0_specific)
{
	static const struct {
		int32_t specific;
		const char *oid;
	} cases[] = {
		{0, ENT ".0.0"},
		{17, ENT ".0.17"},
		{128, ENT ".0.128"},
		{INT32_MAX, ENT ".0.2147483647"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct snmp_varbind out[8];
		cr_assert_eq(translate(ENT, 6, cases[i].specific, NULL, 0, out), 4);
		expect_vb(&out[1], "1.3.6.1.6.3.1.1.4.1.0", SNMP_T_OID, cases[i].oid);
		expect_vb(&out[2], "1.3.6.1.6.3.18.1.3.0", SNMP_T_IPADDRESS, "198.51.100.9");
		expect_vb(&out[3], "1.3.6.1.6.3.1.1.4.3.0", SNMP_T_OID, ENT);
	}
}

Test(snmp_trap_v1, community_only_when_asked)
{
	struct snmp_varbind out[8];
	cr_assert_eq(translate(ENT, 6, 1, NULL, SNMP_V1V2_COMMUNITY, out), 5);
	expect_vb(&out[2], "1.3.6.1.6.3.18.1.3.0", SNMP_T_IPADDRESS, "198.51.100.9");
	expect_vb(&out[3], "1.3.6.1.6.3.18.1.4.0", SNMP_T_OCTET_STRING, "public");
	expect_vb(&out[4], "1.3.6.1.6.3.1.1.4.3.0", SNMP_T_OID, ENT);
}

// RFC 3584 §3.1 (4): "if these ... do not already exist".
Test(snmp_trap_v1, existing_proxy_varbinds_are_not_repeated)
{
	struct snmp_varbind out[8];
	cr_assert_eq(translate(ENT, 0, 0, "1.3.6.1.6.3.18.1.3.0", 0, out), 4);
	expect_vb(&out[2], "1.3.6.1.6.3.18.1.3.0", SNMP_T_INTEGER, "2"); // the trap's own
	expect_vb(&out[3], "1.3.6.1.6.3.1.1.4.3.0", SNMP_T_OID, ENT);
	cr_assert_eq(translate(ENT, 0, 0, "1.3.6.1.6.3.1.1.4.3.0", 0, out), 4);
	expect_vb(&out[3], "1.3.6.1.6.3.18.1.3.0", SNMP_T_IPADDRESS, "198.51.100.9");
}

Test(snmp_trap_v1, translation_refuses_what_cannot_be_expressed)
{
	struct snmp_msg m;
	struct snmp_varbind back[4], out[8];
	struct snmp_trap_oid_buf buf;
	v1_trap(&m, back, ENT, 6, -1, NULL);
	cr_assert_eq(snmp_trap_v1_to_v2(&m.pdu, m.community, out, 8, &buf, 0),
		     SNMP_E_SPECIFIC_TRAP);
	v1_trap(&m, back, ENT, 6, 1, "1.3.6.1.2.1.1.5.0");
	cr_assert_eq(snmp_trap_v1_to_v2(&m.pdu, m.community, out, 4, &buf, 0),
		     SNMP_E_TOO_MANY_VARBINDS);
	cr_assert_eq(snmp_trap_v1_to_v2(&m.pdu, m.community, out, 5, &buf, 0), 5);
	// an enterprise of 127 sub-identifiers leaves no room for ".0.specific"
	char long_ent[SNMP_OID_TEXT_MAX] = "1.3";
	for (int i = 2; i < 127; i++)
		strcat(long_ent, ".1");
	cr_assert_eq(translate(long_ent, 6, 1, NULL, 0, out), SNMP_E_OID_TOO_LONG);
	cr_assert_eq(translate(long_ent, 2, 0, NULL, 0, out), 4); // generic traps do not grow it
	m.pdu.type = SNMP_PDU_TRAP_V2;
	cr_assert_eq(snmp_trap_v1_to_v2(&m.pdu, m.community, out, 8, &buf, 0), SNMP_E_INVAL);
}

// The translation is a notification our encoder sends and decoder reads.
Test(snmp_trap_v1, translated_varbinds_encode_as_a_v2_trap)
{
	struct snmp_msg m, m2;
	struct snmp_varbind back[4], out[8], back2[8];
	struct snmp_trap_oid_buf buf;
	v1_trap(&m, back, ENT, 6, 300, "1.3.6.1.2.1.1.5.0");
	int n = snmp_trap_v1_to_v2(&m.pdu, m.community, out, 8, &buf, SNMP_V1V2_COMMUNITY);
	struct snmp_pdu v2 = {.type = SNMP_PDU_TRAP_V2, .vb = out, .vb_count = (uint32_t)n};
	static uint8_t w2[1024];
	int len = snmp_msg_encode(w2, sizeof(w2), SNMP_V2C, m.community, &v2);
	cr_assert_gt(len, 0);
	cr_assert_eq(snmp_msg_decode(&m2, w2, (size_t)len, back2, 8), 0);
	cr_assert_eq(m2.pdu.vb_count, 6);
	expect_vb(&m2.pdu.vb[1], "1.3.6.1.6.3.1.1.4.1.0", SNMP_T_OID, ENT ".0.300");
}
