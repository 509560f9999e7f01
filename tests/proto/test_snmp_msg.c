/* SPDX-License-Identifier: BSD-3-Clause */
// SNMP messages through our own encoder and decoder: every PDU type and
// varbind type round trips, the v3 pieces USM glues together (auth
// placeholder offset, encrypted span, plaintext scoped PDU) line up, the
// collector's answers are what RFC 3416 and RFC 3412 ask, and v1 traps
// translate as RFC 3584 §3.1 says.
#include <criterion/criterion.h>
#include <string.h>

#include <linerate/snmp_msg.h>

#include "snmp_test_util.h"

#define VB_CAP 32

static uint8_t oidbuf[32][SNMP_OID_ENC_MAX];
static const uint8_t ip4[4] = {192, 0, 2, 77};

static bool same_bytes(struct snmp_bytes a, struct snmp_bytes b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static void assert_same_pdu(const struct snmp_pdu *a, const struct snmp_pdu *b)
{
	cr_assert_eq(a->type, b->type);
	cr_assert_eq(a->vb_count, b->vb_count);
	if (a->type == SNMP_PDU_TRAP_V1) {
		cr_assert(same_bytes(a->enterprise, b->enterprise));
		cr_assert(same_bytes(a->agent_addr, b->agent_addr));
		cr_assert_eq(a->generic_trap, b->generic_trap);
		cr_assert_eq(a->specific_trap, b->specific_trap);
		cr_assert_eq(a->timestamp, b->timestamp);
	} else {
		cr_assert_eq(a->request_id, b->request_id);
		cr_assert_eq(a->error_status, b->error_status);
		cr_assert_eq(a->error_index, b->error_index);
	}
	for (uint32_t i = 0; i < a->vb_count; i++) {
		cr_assert(snmp_varbind_equal(&a->vb[i], &b->vb[i]), "varbind %u (%s)", i,
			  snmp_type_name(a->vb[i].type));
	}
}

static void fill_pdu(struct snmp_pdu *p, uint8_t type, struct snmp_varbind *vb, uint32_t n)
{
	*p = (struct snmp_pdu){.type = type,
			       .request_id = -77,
			       .error_status = 5,
			       .error_index = 2,
			       .vb = vb,
			       .vb_count = n};
	if (type == SNMP_PDU_TRAP_V1) {
		p->enterprise = oid_of("1.3.6.1.4.1.8072.2.3", oidbuf[21]);
		p->agent_addr = (struct snmp_bytes){ip4, 4};
		p->generic_trap = 6;
		p->specific_trap = 99;
		p->timestamp = 4711;
	}
}

Test(snmp_msg, every_pdu_and_varbind_type_round_trips_in_every_version)
{
	static const int32_t versions[] = {SNMP_V1, SNMP_V2C, SNMP_V3};
	struct snmp_varbind vb[VB_CAP], back[VB_CAP];
	uint32_t n = snmp_every_type(vb);
	int done = 0;
	for (size_t v = 0; v < 3; v++) {
		for (uint8_t t = SNMP_PDU_GET; t <= SNMP_PDU_REPORT; t++) {
			if (!snmp_pdu_allowed(versions[v], t))
				continue;
			struct snmp_pdu pdu;
			fill_pdu(&pdu, t, vb, n);
			static uint8_t wire[2048];
			int len;
			uint8_t engine[5] = {0x80, 0, 0, 0, 1};
			struct snmp_v3_out h = {.msg_id = 9,
						.max_size = 1500,
						.flags = SNMP_FLAG_REPORTABLE,
						.engine_id = {engine, 5},
						.user_name = bytes_of("u")};
			if (versions[v] == SNMP_V3)
				len = snmp_v3_msg_encode_pdu(wire, sizeof(wire), &h, h.engine_id,
							     bytes_of("ctx"), &pdu, NULL);
			else
				len = snmp_msg_encode(wire, sizeof(wire), versions[v],
						      bytes_of("public"), &pdu);
			cr_assert_gt(len, 0, "%s v%d: %s", snmp_pdu_type_name(t), versions[v],
				     snmp_strerror_sym(len));
			struct snmp_msg m;
			int rc = snmp_msg_decode(&m, wire, (size_t)len, back, VB_CAP);
			cr_assert_eq(rc, 0, "%s v%d: %s at %u", snmp_pdu_type_name(t), versions[v],
				     snmp_strerror_sym(rc), m.err_off);
			cr_assert_eq(m.version, versions[v]);
			cr_assert(m.pdu_decoded);
			assert_same_pdu(&pdu, &m.pdu);
			// every smaller buffer is refused whole
			for (int cap = 0; cap < len; cap += 7) {
				static uint8_t small[2048];
				int r = versions[v] == SNMP_V3
						? snmp_v3_msg_encode_pdu(
							  small, (size_t)cap, &h, h.engine_id,
							  bytes_of("ctx"), &pdu, NULL)
						: snmp_msg_encode(small, (size_t)cap, versions[v],
								  bytes_of("public"), &pdu);
				cr_assert_eq(r, SNMP_E_NOSPACE);
			}
			done++;
		}
	}
	cr_assert_eq(done, 5 + 8 + 8);
}

Test(snmp_msg, encoders_refuse_what_decoders_refuse)
{
	uint8_t wire[512];
	struct snmp_varbind vb[1];
	struct snmp_pdu pdu;
	fill_pdu(&pdu, SNMP_PDU_TRAP_V1, vb, 0);
	cr_assert_eq(snmp_msg_encode(wire, sizeof(wire), SNMP_V2C, bytes_of("p"), &pdu),
		     SNMP_E_PDU_VERSION);
	fill_pdu(&pdu, SNMP_PDU_GETBULK, vb, 0);
	cr_assert_eq(snmp_msg_encode(wire, sizeof(wire), SNMP_V1, bytes_of("p"), &pdu),
		     SNMP_E_PDU_VERSION);
	cr_assert_eq(snmp_msg_encode(wire, sizeof(wire), 2, bytes_of("p"), &pdu), SNMP_E_VERSION);
	vb[0] = (struct snmp_varbind){.oid = oid_of("1.3.6", oidbuf[0]),
				      .type = SNMP_T_IPADDRESS,
				      .data = bytes_of("abc")};
	fill_pdu(&pdu, SNMP_PDU_TRAP_V2, vb, 1);
	cr_assert_eq(snmp_msg_encode(wire, sizeof(wire), SNMP_V2C, bytes_of("p"), &pdu),
		     SNMP_E_IPADDR_LEN);
	vb[0] = (struct snmp_varbind){.oid = {(const uint8_t *)"\x2b\x80\x01", 3},
				      .type = SNMP_T_NULL};
	cr_assert_eq(snmp_msg_encode(wire, sizeof(wire), SNMP_V2C, bytes_of("p"), &pdu),
		     SNMP_E_OID_NONMINIMAL);
	vb[0] = (struct snmp_varbind){.oid = oid_of("1.3.6", oidbuf[0]), .type = 0x48};
	cr_assert_eq(snmp_msg_encode(wire, sizeof(wire), SNMP_V2C, bytes_of("p"), &pdu),
		     SNMP_E_VALUE_TAG);
	struct snmp_v3_out h = {.msg_id = 1, .max_size = 483};
	fill_pdu(&pdu, SNMP_PDU_TRAP_V2, vb, 0);
	cr_assert_eq(snmp_v3_msg_encode_pdu(wire, sizeof(wire), &h, h.engine_id, h.user_name, &pdu,
					    NULL),
		     SNMP_E_MAX_SIZE);
	h.max_size = 484;
	h.flags = SNMP_FLAG_PRIV;
	cr_assert_eq(snmp_v3_msg_encode(wire, sizeof(wire), &h, bytes_of("x"), NULL),
		     SNMP_E_PRIV_WITHOUT_AUTH);
	h.flags = 0;
	h.engine_id = bytes_of("abc");
	cr_assert_eq(snmp_v3_msg_encode_pdu(wire, sizeof(wire), &h, h.user_name, h.user_name, &pdu,
					    NULL),
		     SNMP_E_ENGINE_ID_LEN);
}

static const uint8_t engine_id[12] = {0x80, 0x00, 0x00, 0x09, 0x03, 0x00,
				      0xc0, 0xff, 0xee, 0x00, 0x00, 0x01};

// What USM does with a v3 message: zero the auth parameters at their
// offset, compute over the whole message, write the digest there.
Test(snmp_msg, v3_auth_placeholder_offset_is_where_usm_writes)
{
	struct snmp_varbind vb[2], back[4];
	struct snmp_pdu pdu;
	snmp_notification_head(vb, 500, oid_of("1.3.6.1.6.3.1.1.5.4", oidbuf[1]));
	fill_pdu(&pdu, SNMP_PDU_TRAP_V2, vb, 2);
	struct snmp_v3_out h = {
		.msg_id = 77,
		.max_size = 65507,
		.flags = SNMP_FLAG_AUTH,
		.engine_id = {engine_id, 12},
		.boots = 3,
		.time = 1000,
		.user_name = bytes_of("alice"),
		.auth_params_len = 24,
	};
	uint8_t wire[512];
	uint32_t off = 0;
	int len = snmp_v3_msg_encode_pdu(wire, sizeof(wire), &h, h.engine_id, bytes_of(""), &pdu,
					 &off);
	cr_assert_gt(len, 0);
	for (uint32_t i = 0; i < 24; i++)
		wire[off + i] = (uint8_t)(0xd0 + i); // the "digest"
	struct snmp_msg m;
	cr_assert_eq(snmp_msg_decode(&m, wire, (size_t)len, back, 4), 0);
	cr_assert_eq(m.usm.auth_params_off, off);
	cr_assert_eq(m.usm.auth_params.len, 24);
	cr_assert_eq(m.usm.auth_params.ptr, wire + off);
	cr_assert_eq(m.usm.auth_params.ptr[23], 0xd0 + 23);
	cr_assert_eq(m.flags, SNMP_FLAG_AUTH);
	cr_assert_eq(m.usm.boots, 3);
	cr_assert_eq(m.usm.time, 1000);
	cr_assert(same_bytes(m.usm.user_name, bytes_of("alice")));
	cr_assert(same_bytes(m.usm.engine_id, h.engine_id));
	assert_same_pdu(&pdu, &m.pdu);

	// the copying variant writes the same octets
	uint8_t scoped[256], wire2[512];
	int sl = snmp_scoped_pdu_encode(scoped, sizeof(scoped), h.engine_id, bytes_of(""), &pdu);
	cr_assert_gt(sl, 0);
	uint32_t off2 = 0;
	int len2 = snmp_v3_msg_encode(wire2, sizeof(wire2), &h,
				      (struct snmp_bytes){scoped, (uint32_t)sl}, &off2);
	cr_assert_eq(len2, len);
	cr_assert_eq(off2, off);
	memcpy(wire2 + off, wire + off, 24);
	cr_assert_eq(memcmp(wire, wire2, (size_t)len), 0);
}

// authPriv: the encrypted span goes to USM; the plaintext it returns
// (here the scoped PDU itself, plus DES-style padding) decodes into the
// same message.
Test(snmp_msg, v3_encrypted_span_and_plaintext_scoped_pdu)
{
	struct snmp_varbind vb[VB_CAP], back[VB_CAP];
	struct snmp_pdu pdu;
	fill_pdu(&pdu, SNMP_PDU_INFORM, vb, snmp_every_type(vb));
	uint8_t plain[1024];
	int pl = snmp_scoped_pdu_encode(plain, sizeof(plain), (struct snmp_bytes){engine_id, 12},
					bytes_of("ctx"), &pdu);
	cr_assert_gt(pl, 0);
	uint8_t cipher[1024];
	for (int i = 0; i < pl; i++)
		cipher[i] = plain[i] ^ 0x5a; // stands in for the cipher
	uint8_t salt[8] = {0, 0, 0, 1, 0, 0, 0, 2};
	struct snmp_v3_out h = {
		.msg_id = 1,
		.max_size = 1500,
		.flags = SNMP_FLAG_AUTH | SNMP_FLAG_PRIV | SNMP_FLAG_REPORTABLE,
		.engine_id = {engine_id, 12},
		.user_name = bytes_of("bob"),
		.auth_params_len = 12,
		.priv_params = {salt, 8},
	};
	uint8_t wire[2048];
	int len = snmp_v3_msg_encode(wire, sizeof(wire), &h,
				     (struct snmp_bytes){cipher, (uint32_t)pl}, NULL);
	cr_assert_gt(len, 0);
	struct snmp_msg m;
	cr_assert_eq(snmp_msg_decode(&m, wire, (size_t)len, back, VB_CAP), 0);
	cr_assert_not(m.pdu_decoded);
	cr_assert_eq(m.encrypted.len, (uint32_t)pl);
	cr_assert_eq(memcmp(m.encrypted.ptr, cipher, (size_t)pl), 0);
	cr_assert(same_bytes(m.usm.priv_params, h.priv_params));
	for (int i = 0; i < pl; i++)
		plain[i] = m.encrypted.ptr[i] ^ 0x5a;
	memset(plain + pl, 0x07, 7); // padding after the scoped PDU is ignored
	cr_assert_eq(snmp_scoped_pdu_decode(&m, plain, (size_t)pl + 7, back, VB_CAP), 0);
	cr_assert(m.pdu_decoded);
	cr_assert(same_bytes(m.context_name, bytes_of("ctx")));
	assert_same_pdu(&pdu, &m.pdu);
	// a wrong key gives garbage, which fails with an offset in plain
	plain[0] ^= 0x01;
	cr_assert_eq(snmp_scoped_pdu_decode(&m, plain, (size_t)pl, back, VB_CAP), SNMP_E_TAG);
	cr_assert_eq(m.err_off, 0);
	struct snmp_msg v2 = {.version = SNMP_V2C};
	cr_assert_eq(snmp_scoped_pdu_decode(&v2, plain, (size_t)pl, back, VB_CAP), SNMP_E_INVAL);
}

Test(snmp_msg, inform_response_echoes_request_id_and_varbinds)
{
	struct snmp_varbind vb[VB_CAP], in[VB_CAP], out[VB_CAP];
	struct snmp_pdu inform;
	uint32_t n = snmp_every_type(vb + 2);
	snmp_notification_head(vb, 42, oid_of("1.3.6.1.4.1.8072.2.3.0.1", oidbuf[22]));
	fill_pdu(&inform, SNMP_PDU_INFORM, vb, n + 2);
	inform.request_id = 0x7eadbeef;
	inform.error_status = inform.error_index = 0;
	uint8_t req[2048], resp[2048];
	int rl = snmp_msg_encode(req, sizeof(req), SNMP_V2C, bytes_of("public"), &inform);
	struct snmp_msg m, r;
	cr_assert_eq(snmp_msg_decode(&m, req, (size_t)rl, in, VB_CAP), 0);
	struct snmp_pdu answer;
	snmp_pdu_response_to(&answer, &m.pdu);
	int al = snmp_msg_encode(resp, sizeof(resp), m.version, m.community, &answer);
	cr_assert_gt(al, 0);
	cr_assert_eq(al, rl); // one octet of PDU tag differs, nothing else
	cr_assert_eq(snmp_msg_decode(&r, resp, (size_t)al, out, VB_CAP), 0);
	cr_assert_eq(r.pdu.type, SNMP_PDU_RESPONSE);
	cr_assert_eq(r.pdu.request_id, 0x7eadbeef);
	cr_assert_eq(r.pdu.error_status, 0);
	cr_assert_eq(r.pdu.error_index, 0);
	inform.type = SNMP_PDU_RESPONSE;
	assert_same_pdu(&inform, &r.pdu);
}

Test(snmp_msg, report_carries_one_usm_stats_counter)
{
	struct snmp_varbind vb, back[2];
	struct snmp_pdu rep;
	uint8_t oid[SNMP_OID_ENC_MAX];
	snmp_pdu_report(&rep, &vb, 0x4321, oid_of("1.3.6.1.6.3.15.1.1.4.0", oid), 17);
	struct snmp_v3_out h = {.msg_id = 0x1234,
				.max_size = 65507,
				.engine_id = {engine_id, 12},
				.boots = 1,
				.time = 99};
	uint8_t wire[256];
	int len = snmp_v3_msg_encode_pdu(wire, sizeof(wire), &h, h.engine_id, bytes_of(""), &rep,
					 NULL);
	cr_assert_gt(len, 0);
	struct snmp_msg m;
	cr_assert_eq(snmp_msg_decode(&m, wire, (size_t)len, back, 2), 0);
	cr_assert_eq(m.pdu.type, SNMP_PDU_REPORT);
	cr_assert_eq(m.pdu.request_id, 0x4321);
	cr_assert_eq(m.pdu.vb_count, 1);
	char text[SNMP_OID_TEXT_MAX];
	cr_assert_str_eq(oid_text(m.pdu.vb[0].oid, text), "1.3.6.1.6.3.15.1.1.4.0");
	cr_assert_eq(m.pdu.vb[0].type, SNMP_T_COUNTER32);
	cr_assert_eq(m.pdu.vb[0].num.u32, 17);
	cr_assert_eq(m.msg_id, 0x1234);
	cr_assert_eq(m.flags, 0);
}

Test(snmp_msg, varbind_array_bound_is_exact)
{
	struct snmp_varbind vb[VB_CAP], back[VB_CAP];
	struct snmp_pdu pdu;
	uint32_t n = snmp_every_type(vb);
	fill_pdu(&pdu, SNMP_PDU_TRAP_V2, vb, n);
	uint8_t wire[1024];
	int len = snmp_msg_encode(wire, sizeof(wire), SNMP_V2C, bytes_of("c"), &pdu);
	struct snmp_msg m;
	cr_assert_eq(snmp_msg_decode(&m, wire, (size_t)len, back, n), 0);
	cr_assert_eq(snmp_msg_decode(&m, wire, (size_t)len, back, n - 1), SNMP_E_TOO_MANY_VARBINDS);
	cr_assert_eq(m.pdu.vb_count, n - 1);
	cr_assert_eq(snmp_msg_decode(&m, wire, (size_t)len, NULL, 0), SNMP_E_TOO_MANY_VARBINDS);
}

Test(snmp_msg, pdu_decodes_alone_and_names_are_known)
{
	uint8_t buf[64];
	uint32_t at = 0;
	int n = tlv_hex("a7{ 02 01 05 02 01 00 02 01 00 30{ 30{ 06 02 2b06 05 00 } } } 99", buf,
			sizeof(buf), NULL);
	struct snmp_pdu pdu;
	struct snmp_varbind vb[1];
	cr_assert_eq(snmp_pdu_decode(&pdu, SNMP_V2C, buf, (size_t)n, vb, 1, &at), n - 1);
	cr_assert_eq(pdu.request_id, 5);
	cr_assert_eq(snmp_pdu_decode(&pdu, SNMP_V1, buf, (size_t)n, vb, 1, &at),
		     SNMP_E_PDU_VERSION);
	cr_assert_eq(at, 0);
	cr_assert_str_eq(snmp_pdu_type_name(SNMP_PDU_TRAP_V1), "trap-v1");
	cr_assert_str_eq(snmp_pdu_type_name(0x30), "unknown");
	cr_assert_str_eq(snmp_type_name(SNMP_T_END_OF_MIB_VIEW), "end-of-mib-view");
	cr_assert_str_eq(snmp_type_name(0x48), "unknown");
}

Test(snmp_msg, varbind_equality_reads_the_member_the_type_uses)
{
	uint8_t o[SNMP_OID_ENC_MAX], o2[SNMP_OID_ENC_MAX];
	struct snmp_varbind a = {.oid = oid_of("1.3.6.1", o), .type = SNMP_T_TIMETICKS};
	struct snmp_varbind b = a;
	a.num.u64 = 0xffffffff00000005ull; // bits outside u32 do not count
	b.num.u64 = 0;
	b.num.u32 = a.num.u32;
	cr_assert(snmp_varbind_equal(&a, &b));
	b.num.u32++;
	cr_assert_not(snmp_varbind_equal(&a, &b));
	a.type = b.type = SNMP_T_COUNTER64;
	cr_assert_not(snmp_varbind_equal(&a, &b));
	a.type = b.type = SNMP_T_OCTET_STRING;
	a.data = bytes_of("x");
	b.data = bytes_of("x");
	cr_assert(snmp_varbind_equal(&a, &b));
	b.data = bytes_of("y");
	cr_assert_not(snmp_varbind_equal(&a, &b));
	b = a;
	b.oid = oid_of("1.3.6.2", o2);
	cr_assert_not(snmp_varbind_equal(&a, &b));
}
