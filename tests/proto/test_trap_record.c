/* SPDX-License-Identifier: BSD-3-Clause */
// Trap records: round trips for every version, PDU and varbind type, and
// malformed records (truncated, lying lengths, bad fields) refused cleanly.
#include <criterion/criterion.h>
#include <string.h>

#include <linerate/snmp_msg.h>
#include <linerate/trap_record.h>
#include <linerate/wire.h>

#include "snmp_test_util.h"
#include "trap_rec_test_util.h"

#define VB_CAP 32

static uint8_t wire[4096], rec[8192], again[8192];
static struct snmp_varbind in_vb[VB_CAP], dec_vb[VB_CAP], back_vb[VB_CAP];

static const struct trap_rec_meta meta4 = {
	.rx_ns = 1714566896123456789ull,
	.src = {.family = 4, .addr = {192, 0, 2, 10}, .port = 40001},
	.dst = {.family = 4, .addr = {192, 0, 2, 1}, .port = 162},
};
static const struct trap_rec_meta meta6 = {
	.rx_ns = 1,
	.src = {.family = 6, .addr = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x10}, .port = 1024},
	.dst = {.family = 6, .addr = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x01}, .port = 162},
};

// A v1/v2c message with pdu, encoded and decoded back into *m.
static void decoded(struct snmp_msg *m, int32_t version, const char *community,
		    const struct snmp_pdu *pdu)
{
	int len = snmp_msg_encode(wire, sizeof(wire), version, bytes_of(community), pdu);
	cr_assert_gt(len, 0, "%s", snmp_strerror(len));
	cr_assert_eq(snmp_msg_decode(m, wire, (size_t)len, dec_vb, VB_CAP), 0);
}

// A notification: sysUpTime.0, snmpTrapOID.0 (linkDown), then every type.
static uint32_t notification_vbs(uint32_t uptime)
{
	static uint8_t oid[SNMP_OID_ENC_MAX];
	snmp_notification_head(in_vb, uptime, oid_of("1.3.6.1.6.3.1.1.5.3", oid));
	snmp_every_type(in_vb + 2);
	return 2 + SNMP_EVERY_TYPE_N;
}

static int encode(const struct snmp_msg *m, const struct trap_rec_meta *meta)
{
	int len = trap_rec_encode(rec, sizeof(rec), meta, m);
	cr_assert_gt(len, 0, "%s", trap_rec_strerror(len));
	return len;
}

static void expect_same_bytes(struct snmp_bytes a, struct snmp_bytes b, const char *what)
{
	cr_assert_eq(a.len, b.len, "%s: %u octets, want %u", what, a.len, b.len);
	cr_assert(a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0, "%s differs", what);
}

// Decodes rec, checks the varbinds against want[0..n), and that the
// record re-encodes to the same octets.
static void decode_check(struct trap_rec *r, int len, const struct snmp_varbind *want, uint32_t n)
{
	cr_assert_eq(trap_rec_decode(r, rec, (size_t)len), 0);
	cr_assert_eq(r->len, (uint32_t)len);
	cr_assert_eq(r->vb_count, n);
	struct trap_rec_iter it;
	struct snmp_varbind v;
	uint32_t i = 0;
	trap_rec_vb_first(r, &it);
	while (trap_rec_vb_next(&it, &v)) {
		cr_assert_lt(i, n);
		cr_assert(snmp_varbind_equal(&v, &want[i]), "varbind %u (%s) differs", i,
			  snmp_type_name(want[i].type));
		i++;
	}
	cr_assert_eq(i, n);
	cr_assert_eq(trap_rec_reencode(r, back_vb, VB_CAP, again, sizeof(again)), len);
	cr_assert_eq(memcmp(again, rec, (size_t)len), 0);
}

static void expect_addr(const struct trap_rec_addr *a, const struct trap_rec_addr *b)
{
	cr_assert_eq(a->family, b->family);
	cr_assert_arr_eq(a->addr, b->addr, 16);
	cr_assert_eq(a->port, b->port);
}

static void expect_meta(const struct trap_rec *r, const struct trap_rec_meta *m)
{
	cr_assert_eq(r->meta.rx_ns, m->rx_ns);
	expect_addr(&r->meta.src, &m->src);
	expect_addr(&r->meta.dst, &m->dst);
}

Test(trap_record, v2c_trap_keeps_every_varbind_type)
{
	struct snmp_msg m;
	struct trap_rec r;
	struct snmp_pdu pdu = {.type = SNMP_PDU_TRAP_V2, .request_id = 77, .vb = in_vb};
	pdu.vb_count = notification_vbs(8640123);
	decoded(&m, SNMP_V2C, "public", &pdu);
	int len = encode(&m, &meta4);
	decode_check(&r, len, in_vb + 2, SNMP_EVERY_TYPE_N);
	expect_meta(&r, &meta4);
	cr_assert_eq(r.pdu_type, SNMP_PDU_TRAP_V2);
	cr_assert_eq(r.snmp_version, SNMP_V2C);
	cr_assert_eq(r.sec_level, TRAP_REC_NO_AUTH_NO_PRIV);
	cr_assert_eq(r.flags, TRAP_REC_F_HEAD);
	cr_assert_eq(r.request_id, 77);
	cr_assert_eq(r.uptime, 8640123);
	expect_same_bytes(r.trap_oid, in_vb[1].data, "trap oid");
	expect_same_bytes(r.sec_name, bytes_of("public"), "community");
	cr_assert_eq(r.context_engine_id.len + r.context_name.len + r.enterprise.len, 0);
}

Test(trap_record, inform_over_ipv6)
{
	struct snmp_msg m;
	struct trap_rec r;
	struct snmp_pdu pdu = {.type = SNMP_PDU_INFORM, .request_id = -5, .vb = in_vb};
	pdu.vb_count = notification_vbs(1);
	decoded(&m, SNMP_V2C, "", &pdu);
	int len = encode(&m, &meta6);
	decode_check(&r, len, in_vb + 2, SNMP_EVERY_TYPE_N);
	expect_meta(&r, &meta6);
	cr_assert_eq(r.pdu_type, SNMP_PDU_INFORM);
	cr_assert_eq(r.request_id, -5);
	cr_assert_eq(r.sec_name.len, 0);
	cr_assert_str_eq(trap_rec_pdu_name(r.pdu_type), "inform");
}

Test(trap_record, notification_without_head_keeps_all_varbinds)
{
	struct snmp_msg m;
	struct trap_rec r;
	snmp_every_type(in_vb);
	struct snmp_pdu pdu = {
		.type = SNMP_PDU_TRAP_V2, .vb = in_vb, .vb_count = SNMP_EVERY_TYPE_N};
	decoded(&m, SNMP_V2C, "public", &pdu);
	int len = encode(&m, &meta4);
	decode_check(&r, len, in_vb, SNMP_EVERY_TYPE_N);
	cr_assert_eq(r.flags, 0);
	cr_assert_eq(r.uptime, 0);
	cr_assert_eq(r.trap_oid.len, 0);
}

// A Trap-v1 with the given generic and specific trap, recorded and
// decoded into *r.
static void v1_record(struct trap_rec *r, int32_t generic, int32_t specific)
{
	struct snmp_msg m;
	static uint8_t ent[SNMP_OID_ENC_MAX];
	static const uint8_t agent[4] = {198, 51, 100, 9};
	snmp_every_type(in_vb);
	struct snmp_pdu pdu = {
		.type = SNMP_PDU_TRAP_V1,
		.enterprise = oid_of("1.3.6.1.4.1.8072.3.2.10", ent),
		.agent_addr = {agent, 4},
		.generic_trap = generic,
		.specific_trap = specific,
		.timestamp = 4242,
		.vb = in_vb,
		.vb_count = SNMP_EVERY_TYPE_N - 3, // v1 has no Counter64 and no exceptions
	};
	in_vb[10] = in_vb[11]; // UInteger32 instead of Counter64
	decoded(&m, SNMP_V1, "private", &pdu);
	decode_check(r, encode(&m, &meta4), in_vb, SNMP_EVERY_TYPE_N - 3);
}

Test(trap_record, v1_enterprise_specific_keeps_v1_fields_and_translates)
{
	struct trap_rec r;
	char text[SNMP_OID_TEXT_MAX];
	v1_record(&r, 6, 17);
	cr_assert_eq(r.pdu_type, SNMP_PDU_TRAP_V1);
	cr_assert_eq(r.snmp_version, SNMP_V1);
	cr_assert_eq(r.flags, TRAP_REC_F_HEAD);
	cr_assert_eq(r.uptime, 4242);
	cr_assert_eq(r.generic_trap, 6);
	cr_assert_eq(r.specific_trap, 17);
	cr_assert_eq(r.request_id, 0);
	cr_assert_arr_eq(r.agent_addr, ((uint8_t[]){198, 51, 100, 9}), 4);
	cr_assert_str_eq(oid_text(r.enterprise, text), "1.3.6.1.4.1.8072.3.2.10");
	cr_assert_str_eq(oid_text(r.trap_oid, text), "1.3.6.1.4.1.8072.3.2.10.0.17");
	expect_same_bytes(r.sec_name, bytes_of("private"), "community");
}

Test(trap_record, v1_generic_trap_gets_its_snmpv2_oid)
{
	struct trap_rec r;
	char text[SNMP_OID_TEXT_MAX];
	v1_record(&r, 2, 0);
	cr_assert_str_eq(oid_text(r.trap_oid, text), "1.3.6.1.6.3.1.1.5.3"); // linkDown
	cr_assert_eq(r.generic_trap, 2);
}

Test(trap_record, v1_untranslatable_trap_is_still_recorded)
{
	struct trap_rec r;
	v1_record(&r, 6, -1); // RFC 3584 cannot make -1 a sub-identifier
	cr_assert_eq(r.flags, 0);
	cr_assert_eq(r.trap_oid.len, 0);
	cr_assert_eq(r.specific_trap, -1);
	cr_assert_eq(r.uptime, 4242);
}

// v3 messages as USM hands them on: header decoded, scoped PDU decrypted.
static void v3_msg(struct snmp_msg *m, uint8_t flags)
{
	static const uint8_t engine[] = {0x80, 0, 0x1f, 0x88, 0x04, 'l', 'r'};
	*m = (struct snmp_msg){
		.version = SNMP_V3,
		.flags = flags,
		.security_model = SNMP_SEC_MODEL_USM,
		.usm = {.user_name = bytes_of("opsuser")},
		.context_engine_id = {engine, sizeof(engine)},
		.context_name = bytes_of("edge-7"),
		.pdu_decoded = true,
		.pdu = {.type = SNMP_PDU_INFORM, .request_id = 9001, .vb = in_vb},
	};
	m->pdu.vb_count = notification_vbs(55);
}

Test(trap_record, v3_carries_user_level_and_context)
{
	static const struct {
		uint8_t flags, level;
	} cases[] = {
		{0, TRAP_REC_NO_AUTH_NO_PRIV},
		{SNMP_FLAG_AUTH, TRAP_REC_AUTH_NO_PRIV},
		{SNMP_FLAG_AUTH | SNMP_FLAG_PRIV | SNMP_FLAG_REPORTABLE, TRAP_REC_AUTH_PRIV},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct snmp_msg m;
		struct trap_rec r;
		v3_msg(&m, cases[i].flags);
		int len = encode(&m, &meta6);
		decode_check(&r, len, in_vb + 2, SNMP_EVERY_TYPE_N);
		cr_assert_eq(r.snmp_version, SNMP_V3);
		cr_assert_eq(r.sec_level, cases[i].level);
		expect_same_bytes(r.sec_name, bytes_of("opsuser"), "user");
		expect_same_bytes(r.context_engine_id, m.context_engine_id, "context engine");
		expect_same_bytes(r.context_name, bytes_of("edge-7"), "context name");
		cr_assert_eq(r.request_id, 9001);
		cr_assert_eq(r.uptime, 55);
	}
	cr_assert_str_eq(trap_rec_sec_level_name(TRAP_REC_AUTH_PRIV), "authPriv");
}

Test(trap_record, refuses_pdus_that_are_not_notifications)
{
	struct snmp_msg m;
	struct snmp_pdu pdu = {.type = SNMP_PDU_GET, .vb = in_vb, .vb_count = 0};
	decoded(&m, SNMP_V2C, "public", &pdu);
	cr_assert_eq(trap_rec_encode(rec, sizeof(rec), &meta4, &m), TRAP_REC_E_PDU);
	m.pdu_decoded = false;
	cr_assert_eq(trap_rec_encode(rec, sizeof(rec), &meta4, &m), TRAP_REC_E_INVAL);
	struct trap_rec_meta bad = meta4;
	bad.src.family = 5;
	pdu.type = SNMP_PDU_TRAP_V2;
	decoded(&m, SNMP_V2C, "public", &pdu);
	cr_assert_eq(trap_rec_encode(rec, sizeof(rec), &bad, &m), TRAP_REC_E_FIELD);
}

Test(trap_record, every_short_buffer_gets_nospace)
{
	struct snmp_msg m;
	struct snmp_pdu pdu = {.type = SNMP_PDU_TRAP_V2, .vb = in_vb};
	pdu.vb_count = notification_vbs(3);
	decoded(&m, SNMP_V2C, "public", &pdu);
	int len = encode(&m, &meta4);
	for (int cap = 0; cap < len; cap++) {
		uint8_t *small = malloc((size_t)cap + 1); // ASan sees any overrun
		cr_assert_eq(trap_rec_encode(small, (size_t)cap, &meta4, &m), TRAP_REC_E_NOSPACE,
			     "cap %d", cap);
		free(small);
	}
}

// --- malformed records ----------------------------------------------------

// A valid v2c trap record in rec; returns its length.
static int valid_record(void)
{
	struct snmp_msg m;
	struct snmp_pdu pdu = {.type = SNMP_PDU_TRAP_V2, .vb = in_vb};
	pdu.vb_count = notification_vbs(3);
	decoded(&m, SNMP_V2C, "public", &pdu);
	return encode(&m, &meta4);
}

Test(trap_record, every_truncation_is_refused)
{
	struct trap_rec r;
	int len = valid_record();
	for (int n = 0; n < len; n++) {
		uint8_t *cut = malloc((size_t)n + 1);
		memcpy(cut, rec, (size_t)n);
		int rc = trap_rec_decode(&r, cut, (size_t)n);
		cr_assert(rc == TRAP_REC_E_TRUNCATED || rc == TRAP_REC_E_LENGTH, "len %d: %s", n,
			  trap_rec_strerror(rc));
		free(cut);
	}
}

// The record with its length field saying len, and the buffer as long.
static int decode_with_length(uint32_t stated, size_t buf_len)
{
	struct trap_rec r;
	wire_put_u32(rec + 4, stated);
	return trap_rec_decode(&r, rec, buf_len);
}

Test(trap_record, lying_record_lengths_are_refused)
{
	int len = valid_record();
	cr_assert_eq(decode_with_length((uint32_t)len + 1, (size_t)len), TRAP_REC_E_LENGTH);
	cr_assert_eq(decode_with_length(UINT32_MAX, (size_t)len), TRAP_REC_E_LENGTH);
	cr_assert_eq(decode_with_length(TRAP_REC_HDR_LEN - 1, (size_t)len), TRAP_REC_E_LENGTH);
	cr_assert_eq(decode_with_length(0, (size_t)len), TRAP_REC_E_LENGTH);
	// shorter than the contents: the strings or varbinds run past it
	cr_assert_eq(decode_with_length((uint32_t)len - 1, (size_t)len), TRAP_REC_E_TRUNCATED);
	// octets after the last varbind, inside the record
	rec[len] = 0;
	cr_assert_eq(decode_with_length((uint32_t)len + 1, (size_t)len + 1), TRAP_REC_E_EXTRA);
	// bytes after the record are the caller's business
	cr_assert_eq(decode_with_length((uint32_t)len, (size_t)len + 1), 0);
}

// Offsets of the fields after the header: the community's length first.
#define OFF_STRINGS TRAP_REC_HDR_LEN

Test(trap_record, lying_inner_lengths_are_refused)
{
	struct trap_rec r;
	int len = valid_record();
	wire_put_u16(rec + OFF_STRINGS, 0xffff); // community runs past the end
	cr_assert_eq(trap_rec_decode(&r, rec, (size_t)len), TRAP_REC_E_TRUNCATED);
	len = valid_record();
	wire_put_u16(rec + 76, SNMP_EVERY_TYPE_N + 1); // one varbind more than there is
	cr_assert_eq(trap_rec_decode(&r, rec, (size_t)len), TRAP_REC_E_TRUNCATED);
	len = valid_record();
	wire_put_u16(rec + 76, SNMP_EVERY_TYPE_N - 1); // one less: the last is extra
	cr_assert_eq(trap_rec_decode(&r, rec, (size_t)len), TRAP_REC_E_EXTRA);
	len = valid_record();
	wire_put_u16(rec + 76, 0xffff); // cannot fit in what is left
	cr_assert_eq(trap_rec_decode(&r, rec, (size_t)len), TRAP_REC_E_TRUNCATED);
}

// Sets one header octet to v and expects code.
static void expect_field(size_t off, uint8_t v, int code)
{
	struct trap_rec r;
	int len = valid_record();
	rec[off] = v;
	int rc = trap_rec_decode(&r, rec, (size_t)len);
	cr_assert_eq(rc, code, "octet %zu = %#x: %s", off, v, trap_rec_strerror(rc));
}

Test(trap_record, bad_header_fields_are_refused)
{
	expect_field(0, 0, TRAP_REC_E_FORMAT);
	expect_field(0, 2, TRAP_REC_E_FORMAT);
	expect_field(1, SNMP_PDU_GET, TRAP_REC_E_FIELD);
	expect_field(1, SNMP_PDU_TRAP_V1, TRAP_REC_E_FIELD);	// not in a v2c message
	expect_field(3, 0x02, TRAP_REC_E_FIELD);		// unknown flag
	expect_field(16, 2, TRAP_REC_E_FIELD);			// SNMP version 2
	expect_field(17, 0, TRAP_REC_E_FIELD);			// security level 0
	expect_field(17, TRAP_REC_AUTH_PRIV, TRAP_REC_E_FIELD); // authPriv in v2c
	expect_field(18, 5, TRAP_REC_E_FIELD);			// address family
	expect_field(25, 1, TRAP_REC_E_FIELD);			// IPv4 padding not zero
	expect_field(64 + 3, 1, TRAP_REC_E_FIELD);		// generic-trap outside v1
	expect_field(72, 1, TRAP_REC_E_FIELD);			// agent-addr outside v1
	expect_field(79, 1, TRAP_REC_E_FIELD);			// reserved octet
}

// The offset of varbind i's type octet in rec.
static size_t vb_type_off(unsigned i)
{
	struct trap_rec r;
	cr_assert_eq(trap_rec_decode(&r, rec, sizeof(rec)), 0);
	size_t off = (size_t)(r.vbs.ptr - rec);
	for (unsigned k = 0;; k++) {
		off += 2 + wire_get_u16(rec + off);
		if (k == i)
			return off;
		off += 1;
		off += 2 + wire_get_u16(rec + off);
	}
}

Test(trap_record, bad_varbinds_are_refused)
{
	int len = valid_record();
	size_t t_int = vb_type_off(0);				 // INTEGER, 4 octets
	expect_field(t_int, SNMP_T_COUNTER64, TRAP_REC_E_VALUE); // 4 octets for Counter64
	expect_field(t_int, SNMP_T_NULL, TRAP_REC_E_VALUE);	 // 4 octets for NULL
	expect_field(t_int, SNMP_T_IPADDRESS, 0);		 // 4 octets make an IpAddress
	expect_field(t_int, 0x30, TRAP_REC_E_VALUE);		 // no such type
	// a name whose first sub-identifier is padded (0x80): BER forbids it
	len = valid_record();
	struct trap_rec r;
	size_t name = vb_type_off(0) - 10;
	rec[name] = 0x80;
	cr_assert_eq(trap_rec_decode(&r, rec, (size_t)len), TRAP_REC_E_OID);
	// an OID value that is not one
	len = valid_record();
	size_t t_oid = vb_type_off(3);
	rec[t_oid + 3] = 0x80;
	cr_assert_eq(trap_rec_decode(&r, rec, (size_t)len), TRAP_REC_E_OID);
}

// Every single-bit change of a valid record decodes cleanly or is refused,
// and whatever decodes re-encodes to exactly its own octets.
Test(trap_record, bit_flips_never_crash_and_decoded_records_are_canonical)
{
	int len = valid_record();
	static uint8_t orig[8192];
	memcpy(orig, rec, (size_t)len);
	unsigned accepted = 0;
	for (int bit = 0; bit < len * 8; bit++) {
		struct trap_rec r;
		memcpy(rec, orig, (size_t)len);
		rec[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		if (trap_rec_decode(&r, rec, (size_t)len) != 0)
			continue;
		accepted++;
		int n = trap_rec_reencode(&r, back_vb, VB_CAP, again, sizeof(again));
		cr_assert_eq(n, (int)r.len, "bit %d", bit);
		cr_assert_eq(memcmp(again, rec, r.len), 0, "bit %d", bit);
	}
	cr_assert_gt(accepted, 0); // flips inside values and addresses stay valid
}

Test(trap_record, strerror_names_every_code)
{
	cr_assert_str_eq(trap_rec_strerror(TRAP_REC_E_EXTRA),
			 "octets after the last varbind inside the record");
	cr_assert_str_eq(trap_rec_strerror(SNMP_E_TRUNCATED), snmp_strerror(SNMP_E_TRUNCATED));
	for (int e = TRAP_REC_E_BASE_ + 1; e < TRAP_REC_E_LAST_; e++)
		cr_assert_str_neq(trap_rec_strerror(e), "unknown error");
}
