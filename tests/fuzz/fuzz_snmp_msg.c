/* SPDX-License-Identifier: BSD-3-Clause */
// SNMP messages. Anything snmp_msg_decode accepts must be well-formed BER
// to the independent ber_walk, its OIDs must print and read back to the
// same octets, and our encoder must re-emit it as a message that decodes
// to the same structure (v3 auth parameters copied to the offset the
// encoder reports, as USM would write them). Trap-v1s must translate
// (RFC 3584 §3.1) into varbinds that encode as an SNMPv2-Trap; encrypted
// spans are fed to the plaintext scoped PDU decoder. Whatever the trap
// fast lane takes, v2c messages and (the input, or an encrypted span, as
// a decrypted scopedPDU) v3 ones, the general path must take and record
// in the very same octets (trap_fast_diff.h).
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <linerate/snmp_ber.h>
#include <linerate/snmp_msg.h>

#include "../proto/snmp_test_util.h"
#include "../proto/trap_fast_diff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define VB_CAP	 64
#define MSG_MAX	 65535 // a UDP payload
#define AUTH_MAX 64    // what the encoder writes as a placeholder
#define REC_CAP	 10240 // a worker's record slot (lr.h)

static bool same(struct snmp_bytes a, struct snmp_bytes b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static void check_oid(struct snmp_bytes oid)
{
	static char text[SNMP_OID_TEXT_MAX];
	static uint8_t back[SNMP_OID_ENC_MAX];
	int t = snmp_oid_to_text(oid.ptr, oid.len, text, sizeof(text));
	if (t <= 0)
		__builtin_trap(); // the decoder checked it
	int n = snmp_oid_from_text(text, (size_t)t, back, sizeof(back));
	if (n != (int)oid.len || memcmp(back, oid.ptr, oid.len) != 0)
		__builtin_trap();
}

static void check_pdu_oids(const struct snmp_pdu *p)
{
	if (p->type == SNMP_PDU_TRAP_V1)
		check_oid(p->enterprise);
	for (uint32_t i = 0; i < p->vb_count; i++) {
		check_oid(p->vb[i].oid);
		if (p->vb[i].type == SNMP_T_OID)
			check_oid(p->vb[i].data);
	}
}

static void compare_pdu(const struct snmp_pdu *a, const struct snmp_pdu *b)
{
	if (a->type != b->type || a->request_id != b->request_id ||
	    a->error_status != b->error_status || a->error_index != b->error_index ||
	    !same(a->enterprise, b->enterprise) || !same(a->agent_addr, b->agent_addr) ||
	    a->generic_trap != b->generic_trap || a->specific_trap != b->specific_trap ||
	    a->timestamp != b->timestamp || a->vb_count != b->vb_count)
		__builtin_trap();
	for (uint32_t i = 0; i < a->vb_count; i++) {
		if (!snmp_varbind_equal(&a->vb[i], &b->vb[i]))
			__builtin_trap();
	}
}

static void compare(const struct snmp_msg *a, const struct snmp_msg *b)
{
	if (a->version != b->version || !same(a->community, b->community) ||
	    a->msg_id != b->msg_id || a->max_size != b->max_size || a->flags != b->flags ||
	    a->security_model != b->security_model || !same(a->usm.engine_id, b->usm.engine_id) ||
	    a->usm.boots != b->usm.boots || a->usm.time != b->usm.time ||
	    !same(a->usm.user_name, b->usm.user_name) ||
	    !same(a->usm.auth_params, b->usm.auth_params) ||
	    !same(a->usm.priv_params, b->usm.priv_params) ||
	    !same(a->context_engine_id, b->context_engine_id) ||
	    !same(a->context_name, b->context_name) || !same(a->encrypted, b->encrypted) ||
	    a->pdu_decoded != b->pdu_decoded)
		__builtin_trap();
	if (a->pdu_decoded)
		compare_pdu(&a->pdu, &b->pdu);
}

// Our octets for m; 0 when a field is one the encoder does not write
// (auth parameters longer than any HMAC).
static int reencode(const struct snmp_msg *m, uint8_t *out, size_t cap)
{
	uint32_t off;
	if (m->usm.auth_params.len > AUTH_MAX)
		return 0;
	int n = snmp_reencode(m, out, cap, &off);
	if (n > 0 && m->usm.auth_params.len)
		memcpy(out + off, m->usm.auth_params.ptr, m->usm.auth_params.len);
	return n;
}

static void translate(const struct snmp_msg *m)
{
	static struct snmp_varbind out[VB_CAP + 3], back[VB_CAP + 3];
	static struct snmp_trap_oid_buf buf;
	static uint8_t wire[MSG_MAX + 1024];
	int n = snmp_trap_v1_to_v2(&m->pdu, m->community, out, VB_CAP + 3, &buf,
				   SNMP_V1V2_COMMUNITY);
	if (n == SNMP_E_OID_TOO_LONG || n == SNMP_E_SPECIFIC_TRAP)
		return;
	if (n < 2)
		__builtin_trap();
	check_oid(out[1].data);
	struct snmp_pdu v2 = {.type = SNMP_PDU_TRAP_V2, .vb = out, .vb_count = (uint32_t)n};
	int len = snmp_msg_encode(wire, sizeof(wire), SNMP_V2C, m->community, &v2);
	struct snmp_msg m2;
	if (len <= 0 || snmp_msg_decode(&m2, wire, (size_t)len, back, VB_CAP + 3) != 0)
		__builtin_trap();
	compare_pdu(&v2, &m2.pdu);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct snmp_varbind vb[VB_CAP], vb2[VB_CAP];
	static uint8_t out[MSG_MAX];
	struct snmp_msg m, m2;
	if (size > MSG_MAX)
		return 0;
	const char *why;
	if (trap_fast_diff(data, size, REC_CAP, VB_CAP, TRAP_FAST_TRAP | TRAP_FAST_INFORM, size & 1,
			   &why) == TRAP_FAST_DIFF_MISMATCH)
		__builtin_trap();
	static const uint8_t levels[3] = {0, SNMP_FLAG_AUTH, SNMP_FLAG_AUTH | SNMP_FLAG_PRIV};
	const struct snmp_msg head = {.version = SNMP_V3,
				      .flags = levels[size % 3],
				      .usm.user_name = {(const uint8_t *)"fuzz-user", 9}};
	if (trap_fast_scoped_diff(&head, data, size, REC_CAP, VB_CAP,
				  TRAP_FAST_TRAP | TRAP_FAST_INFORM, size & 2,
				  &why) == TRAP_FAST_DIFF_MISMATCH)
		__builtin_trap();
	int walked = ber_walk(data, size, BER_WALK_MAX_DEPTH, NULL);
	int rc = snmp_msg_decode(&m, data, size, vb, VB_CAP);
	if (rc != 0) {
		if (rc >= 0 || m.err_off > size)
			__builtin_trap();
		return 0;
	}
	if (walked <= 0)
		__builtin_trap(); // the schema decoder accepted what the walk refuses
	if (m.pdu_decoded)
		check_pdu_oids(&m.pdu);
	if (m.version == SNMP_V3 && m.usm.auth_params.len &&
	    (m.usm.auth_params_off + m.usm.auth_params.len > size ||
	     data + m.usm.auth_params_off != m.usm.auth_params.ptr))
		__builtin_trap();
	if (m.encrypted.len) { // as if USM had decrypted it to these octets
		struct snmp_msg p = m;
		if (snmp_scoped_pdu_decode(&p, m.encrypted.ptr, m.encrypted.len, vb2, VB_CAP) == 0)
			check_pdu_oids(&p.pdu);
		if (trap_fast_scoped_diff(&m, m.encrypted.ptr, m.encrypted.len, REC_CAP, VB_CAP,
					  TRAP_FAST_TRAP, false, &why) == TRAP_FAST_DIFF_MISMATCH)
			__builtin_trap();
	}
	if (m.pdu_decoded && m.pdu.type == SNMP_PDU_TRAP_V1)
		translate(&m);

	int len = reencode(&m, out, sizeof(out));
	if (len == 0)
		return 0;
	if (len < 0 || (size_t)len > size) // minimal encodings never grow
		__builtin_trap();
	if (snmp_msg_decode(&m2, out, (size_t)len, vb2, VB_CAP) != 0)
		__builtin_trap();
	compare(&m, &m2);
	return 0;
}
