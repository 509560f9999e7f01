/* SPDX-License-Identifier: BSD-3-Clause */
// Encoders: PDUs and varbinds, v1/v2c and v3 messages, and the PDUs the
// collector answers with. Everything is written backwards (see ber_wr), so
// a message is written from its last varbind to its outer SEQUENCE header.
#include <string.h>

#include <linerate/snmp_msg.h>

#include "snmp_internal.h"

// RFC 3418 (SNMPv2-MIB) and RFC 3584 §3.1 (SNMP-COMMUNITY-MIB).
const struct snmp_bytes snmp_oid_sys_uptime_0 = OID_BYTES(0x2b, 6, 1, 2, 1, 1, 3, 0);
const struct snmp_bytes snmp_oid_snmp_trap_oid_0 = OID_BYTES(0x2b, 6, 1, 6, 3, 1, 1, 4, 1, 0);
const struct snmp_bytes snmp_oid_snmp_trap_enterprise_0 =
	OID_BYTES(0x2b, 6, 1, 6, 3, 1, 1, 4, 3, 0);
const struct snmp_bytes snmp_oid_snmp_trap_address_0 = OID_BYTES(0x2b, 6, 1, 6, 3, 18, 1, 3, 0);
const struct snmp_bytes snmp_oid_snmp_trap_community_0 = OID_BYTES(0x2b, 6, 1, 6, 3, 18, 1, 4, 0);

static void wr_fail(struct ber_wr *w, int err)
{
	if (!w->err)
		w->err = err;
}

// OID contents as a decoder would check them.
static void put_oid(struct ber_wr *w, uint8_t tag, struct snmp_bytes oid)
{
	struct ber_cur c;
	if (!oid.ptr) {
		wr_fail(w, SNMP_E_OID_EMPTY);
		return;
	}
	ber_cur_init(&c, oid.ptr, oid.len);
	if (ber_check_oid(&c, oid.ptr, oid.len))
		wr_fail(w, c.err);
	else
		ber_put_octets(w, tag, oid.ptr, oid.len);
}

static void put_bytes(struct ber_wr *w, uint8_t tag, struct snmp_bytes b)
{
	if (!b.ptr && b.len)
		wr_fail(w, SNMP_E_INVAL);
	else
		ber_put_octets(w, tag, b.ptr, b.len);
}

static void put_ipaddr(struct ber_wr *w, struct snmp_bytes a)
{
	if (a.len != 4)
		wr_fail(w, SNMP_E_IPADDR_LEN);
	else
		put_bytes(w, SNMP_T_IPADDRESS, a);
}

static void put_varbind(struct ber_wr *w, const struct snmp_varbind *v)
{
	size_t mark = ber_wr_len(w);
	switch (v->type) {
	case SNMP_T_INTEGER:
		ber_put_int32(w, v->type, v->num.i32);
		break;
	case SNMP_T_COUNTER32:
	case SNMP_T_GAUGE32:
	case SNMP_T_TIMETICKS:
	case SNMP_T_UINTEGER32:
		ber_put_uint32(w, v->type, v->num.u32);
		break;
	case SNMP_T_COUNTER64:
		ber_put_uint64(w, v->type, v->num.u64);
		break;
	case SNMP_T_OID:
		put_oid(w, v->type, v->data);
		break;
	case SNMP_T_IPADDRESS:
		put_ipaddr(w, v->data);
		break;
	case SNMP_T_OCTET_STRING:
	case SNMP_T_OPAQUE:
	case SNMP_T_NSAPADDRESS:
		put_bytes(w, v->type, v->data);
		break;
	case SNMP_T_NULL:
	case SNMP_T_NO_SUCH_OBJECT:
	case SNMP_T_NO_SUCH_INSTANCE:
	case SNMP_T_END_OF_MIB_VIEW:
		ber_put_null(w, v->type);
		break;
	default:
		wr_fail(w, SNMP_E_VALUE_TAG);
	}
	put_oid(w, BER_OID, v->oid);
	ber_close(w, BER_SEQUENCE, mark);
}

void snmp_pdu_write(struct ber_wr *w, const struct snmp_pdu *pdu)
{
	if (pdu->type < SNMP_PDU_GET || pdu->type > SNMP_PDU_REPORT) {
		wr_fail(w, SNMP_E_PDU_TYPE);
		return;
	}
	if (!pdu->vb && pdu->vb_count) {
		wr_fail(w, SNMP_E_INVAL);
		return;
	}
	size_t mark = ber_wr_len(w);
	for (uint32_t i = pdu->vb_count; i-- > 0 && !w->err;)
		put_varbind(w, &pdu->vb[i]);
	ber_close(w, BER_SEQUENCE, mark);
	if (pdu->type == SNMP_PDU_TRAP_V1) { // RFC 1157 §4.1.6
		if (pdu->generic_trap < 0 || pdu->generic_trap > 6)
			wr_fail(w, SNMP_E_GENERIC_TRAP);
		ber_put_uint32(w, SNMP_T_TIMETICKS, pdu->timestamp);
		ber_put_int32(w, BER_INTEGER, pdu->specific_trap);
		ber_put_int32(w, BER_INTEGER, pdu->generic_trap);
		put_ipaddr(w, pdu->agent_addr);
		put_oid(w, BER_OID, pdu->enterprise);
	} else {
		ber_put_int32(w, BER_INTEGER, pdu->error_index);
		ber_put_int32(w, BER_INTEGER, pdu->error_status);
		ber_put_int32(w, BER_INTEGER, pdu->request_id);
	}
	ber_close(w, pdu->type, mark);
}

int snmp_msg_encode(uint8_t *out, size_t cap, int32_t version, struct snmp_bytes community,
		    const struct snmp_pdu *pdu)
{
	struct ber_wr w;
	if (!pdu)
		return SNMP_E_INVAL;
	if (version != SNMP_V1 && version != SNMP_V2C)
		return SNMP_E_VERSION;
	if (!snmp_pdu_allowed(version, pdu->type))
		return SNMP_E_PDU_VERSION;
	ber_wr_init(&w, out, cap);
	snmp_pdu_write(&w, pdu);
	put_bytes(&w, BER_OCTET_STRING, community);
	ber_put_int32(&w, BER_INTEGER, version);
	ber_close(&w, BER_SEQUENCE, 0);
	return ber_wr_finish(&w);
}

static bool engine_id_ok(struct snmp_bytes id)
{
	return id.len == 0 || (id.len >= SNMP_ENGINE_ID_MIN && id.len <= SNMP_ENGINE_ID_MAX);
}

// ScopedPDU ::= SEQUENCE { contextEngineID, contextName, data }
void snmp_scoped_pdu_write(struct ber_wr *w, struct snmp_bytes ctx_engine_id,
			   struct snmp_bytes ctx_name, const struct snmp_pdu *pdu)
{
	size_t mark = ber_wr_len(w);
	if (!snmp_pdu_allowed(SNMP_V3, pdu->type))
		wr_fail(w, SNMP_E_PDU_VERSION);
	if (!engine_id_ok(ctx_engine_id))
		wr_fail(w, SNMP_E_ENGINE_ID_LEN);
	snmp_pdu_write(w, pdu);
	put_bytes(w, BER_OCTET_STRING, ctx_name);
	put_bytes(w, BER_OCTET_STRING, ctx_engine_id);
	ber_close(w, BER_SEQUENCE, mark);
}

int snmp_scoped_pdu_encode(uint8_t *out, size_t cap, struct snmp_bytes context_engine_id,
			   struct snmp_bytes context_name, const struct snmp_pdu *pdu)
{
	struct ber_wr w;
	if (!pdu)
		return SNMP_E_INVAL;
	ber_wr_init(&w, out, cap);
	snmp_scoped_pdu_write(&w, context_engine_id, context_name, pdu);
	return ber_wr_finish(&w);
}

int snmp_v3_write_head(struct ber_wr *w, const struct snmp_v3_out *h, uint32_t *auth_off)
{
	if (h->msg_id < 0)
		wr_fail(w, SNMP_E_MSG_ID);
	if (h->max_size < SNMP_MAX_SIZE_MIN)
		wr_fail(w, SNMP_E_MAX_SIZE);
	if ((h->flags & SNMP_FLAG_PRIV) && !(h->flags & SNMP_FLAG_AUTH))
		wr_fail(w, SNMP_E_PRIV_WITHOUT_AUTH);
	if (!engine_id_ok(h->engine_id))
		wr_fail(w, SNMP_E_ENGINE_ID_LEN);
	if (h->boots > INT32_MAX)
		wr_fail(w, SNMP_E_ENGINE_BOOTS);
	if (h->time > INT32_MAX)
		wr_fail(w, SNMP_E_ENGINE_TIME);
	if (h->user_name.len > SNMP_USER_NAME_MAX)
		wr_fail(w, SNMP_E_USER_NAME_LEN);
	if (h->auth_params_len > 64) // longest HMAC truncation is 48 (RFC 7860)
		wr_fail(w, SNMP_E_INVAL);
	// msgSecurityParameters: OCTET STRING holding UsmSecurityParameters
	size_t sp_mark = ber_wr_len(w);
	put_bytes(w, BER_OCTET_STRING, h->priv_params);
	static const uint8_t zeros[64];
	size_t auth_end = ber_wr_len(w);
	ber_put_octets(w, BER_OCTET_STRING, zeros, h->auth_params_len);
	put_bytes(w, BER_OCTET_STRING, h->user_name);
	ber_put_int32(w, BER_INTEGER, (int32_t)h->time);
	ber_put_int32(w, BER_INTEGER, (int32_t)h->boots);
	put_bytes(w, BER_OCTET_STRING, h->engine_id);
	ber_close(w, BER_SEQUENCE, sp_mark);
	ber_close(w, BER_OCTET_STRING, sp_mark);
	// HeaderData
	size_t hd_mark = ber_wr_len(w);
	ber_put_int32(w, BER_INTEGER, SNMP_SEC_MODEL_USM);
	ber_put_octets(w, BER_OCTET_STRING, &h->flags, 1);
	ber_put_int32(w, BER_INTEGER, h->max_size);
	ber_put_int32(w, BER_INTEGER, h->msg_id);
	ber_close(w, BER_SEQUENCE, hd_mark);
	ber_put_int32(w, BER_INTEGER, SNMP_V3);
	ber_close(w, BER_SEQUENCE, 0);
	int len = ber_wr_finish(w);
	if (len >= 0 && auth_off)
		*auth_off = (uint32_t)((size_t)len - auth_end - h->auth_params_len);
	return len;
}

int snmp_v3_msg_encode(uint8_t *out, size_t cap, const struct snmp_v3_out *h,
		       struct snmp_bytes msg_data, uint32_t *auth_params_off)
{
	struct ber_wr w;
	if (!h || (!msg_data.ptr && msg_data.len))
		return SNMP_E_INVAL;
	ber_wr_init(&w, out, cap);
	if (h->flags & SNMP_FLAG_PRIV)
		ber_put_octets(&w, BER_OCTET_STRING, msg_data.ptr, msg_data.len);
	else if (msg_data.len == 0 || msg_data.ptr[0] != BER_SEQUENCE)
		return SNMP_E_SCOPED_PDU_FORM;
	else
		ber_put_raw(&w, msg_data.ptr, msg_data.len);
	return snmp_v3_write_head(&w, h, auth_params_off);
}

int snmp_v3_msg_encode_pdu(uint8_t *out, size_t cap, const struct snmp_v3_out *h,
			   struct snmp_bytes context_engine_id, struct snmp_bytes context_name,
			   const struct snmp_pdu *pdu, uint32_t *auth_params_off)
{
	struct ber_wr w;
	if (!h || !pdu)
		return SNMP_E_INVAL;
	if (h->flags & SNMP_FLAG_PRIV)
		return SNMP_E_SCOPED_PDU_FORM;
	ber_wr_init(&w, out, cap);
	snmp_scoped_pdu_write(&w, context_engine_id, context_name, pdu);
	return snmp_v3_write_head(&w, h, auth_params_off);
}

void snmp_pdu_response_to(struct snmp_pdu *resp, const struct snmp_pdu *req)
{
	memset(resp, 0, sizeof(*resp));
	resp->type = SNMP_PDU_RESPONSE;
	resp->request_id = req->request_id;
	resp->vb = req->vb;
	resp->vb_count = req->vb_count;
}

void snmp_pdu_report(struct snmp_pdu *pdu, struct snmp_varbind *vb, int32_t request_id,
		     struct snmp_bytes stats_oid, uint32_t counter)
{
	memset(pdu, 0, sizeof(*pdu));
	pdu->type = SNMP_PDU_REPORT;
	pdu->request_id = request_id;
	*vb = (struct snmp_varbind){.oid = stats_oid, .type = SNMP_T_COUNTER32};
	vb->num.u64 = 0; // the whole union defined, not only the member used
	vb->num.u32 = counter;
	pdu->vb = vb;
	pdu->vb_count = 1;
}

void snmp_notification_head(struct snmp_varbind vb[2], uint32_t uptime, struct snmp_bytes trap_oid)
{
	vb[0] = (struct snmp_varbind){.oid = snmp_oid_sys_uptime_0, .type = SNMP_T_TIMETICKS};
	vb[0].num.u64 = 0; // the whole union defined, not only the member used
	vb[0].num.u32 = uptime;
	vb[1] = (struct snmp_varbind){
		.oid = snmp_oid_snmp_trap_oid_0, .type = SNMP_T_OID, .data = trap_oid};
}
