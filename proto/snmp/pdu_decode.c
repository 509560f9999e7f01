/* SPDX-License-Identifier: BSD-3-Clause */
// PDUs and varbinds (RFC 1157 §4.1, RFC 3416 §3): the request/response
// shape shared by every PDU but the v1 trap, the Trap-v1 shape, and the
// varbind list with every value type SNMP defines.
#include <string.h>

#include <linerate/snmp_msg.h>

#include "snmp_internal.h"

bool snmp_pdu_allowed(int32_t version, uint8_t type)
{
	switch (type) {
	case SNMP_PDU_GET:
	case SNMP_PDU_GETNEXT:
	case SNMP_PDU_RESPONSE:
	case SNMP_PDU_SET:
		return true;
	case SNMP_PDU_TRAP_V1: // RFC 1157 only; RFC 3416 dropped it
		return version == SNMP_V1;
	case SNMP_PDU_GETBULK: // RFC 3416 PDUs, absent from RFC 1157
	case SNMP_PDU_INFORM:
	case SNMP_PDU_TRAP_V2:
	case SNMP_PDU_REPORT:
		return version != SNMP_V1;
	default:
		return false;
	}
}

// A VarBind's value: one of the RFC 3416 §3 types (the exceptions are
// NULL-valued, RFC 3416 §3 "noSuchObject [0] IMPLICIT NULL"), tag t and
// contents p[0..len), its header at c->elem.
static int read_value(struct ber_cur *c, struct snmp_varbind *v, uint8_t t, const uint8_t *p,
		      uint32_t len)
{
	v->type = t;
	v->num.u64 = 0;
	v->data.ptr = NULL;
	v->data.len = 0;
	switch (t) {
	case SNMP_T_INTEGER:
		return ber_get_int32(c, p, len, &v->num.i32);
	case SNMP_T_COUNTER32:
	case SNMP_T_GAUGE32:
	case SNMP_T_TIMETICKS:
	case SNMP_T_UINTEGER32:
		return ber_get_uint32(c, p, len, &v->num.u32);
	case SNMP_T_COUNTER64:
		return ber_get_counter64(c, p, len, &v->num.u64);
	case SNMP_T_OID:
		if (ber_check_oid(c, p, len))
			return c->err;
		goto span;
	case SNMP_T_IPADDRESS: // RFC 2578 §7.1.5: OCTET STRING (SIZE (4))
		if (len != 4)
			return ber_fail(c, c->elem, SNMP_E_IPADDR_LEN);
		goto span;
	case SNMP_T_OCTET_STRING:
	case SNMP_T_OPAQUE:
	case SNMP_T_NSAPADDRESS:
	span:
		v->data.ptr = p;
		v->data.len = len;
		return 0;
	case SNMP_T_NULL:
	case SNMP_T_NO_SUCH_OBJECT:
	case SNMP_T_NO_SUCH_INSTANCE:
	case SNMP_T_END_OF_MIB_VIEW:
		if (len != 0)
			return ber_fail(c, c->elem, SNMP_E_NULL_LEN);
		return 0;
	default:
		return ber_fail(c, c->elem, SNMP_E_VALUE_TAG);
	}
}

// One VarBind: SEQUENCE { name OBJECT IDENTIFIER, value }.
//
// The shape nearly every varbind has, short-form lengths and the value
// ending exactly where the SEQUENCE does, is read from its four headers
// at once: the same checks as the element-by-element path below, which
// takes everything else (and so reports every fault of an odd shape).
static int read_varbind(struct ber_cur *c, struct snmp_varbind *v)
{
	const uint8_t *s = c->pos;
	size_t left = (size_t)(c->end - s);
	if (!c->err && c->depth < BER_MAX_DEPTH && left >= 4 && s[0] == BER_SEQUENCE &&
	    s[1] < 0x80 && s[1] + 2u <= left && s[2] == BER_OID && s[3] < 0x80) {
		const uint8_t *end = s + 2 + s[1];
		const uint8_t *h = s + 4 + s[3]; // the value's header
		if (end - h >= 2 && (h[0] & 0x1f) != 0x1f && h[1] < 0x80 && h + 2 + h[1] == end) {
			c->elem = s + 2;
			v->oid.ptr = s + 4;
			v->oid.len = s[3];
			if (ber_check_oid(c, s + 4, s[3]))
				return c->err;
			c->elem = h;
			c->pos = end;
			return read_value(c, v, h[0], h + 2, h[1]);
		}
	}
	uint8_t t;
	uint32_t len;
	if (ber_enter(c, BER_SEQUENCE) || ber_read_oid(c, &v->oid.ptr, &v->oid.len) ||
	    ber_header(c, &t, &len))
		return c->err;
	const uint8_t *p = c->pos;
	c->pos += len;
	if (read_value(c, v, t, p, len))
		return c->err;
	return ber_leave(c);
}

// RFC 1157 §4.1.6 Trap-PDU fields before the varbinds.
static int read_trap_v1(struct ber_cur *c, struct snmp_pdu *pdu)
{
	uint32_t len;
	if (ber_read_oid(c, &pdu->enterprise.ptr, &pdu->enterprise.len))
		return c->err;
	pdu->agent_addr.ptr = ber_read_contents(c, SNMP_T_IPADDRESS, &len);
	if (!pdu->agent_addr.ptr)
		return c->err;
	if (len != 4) // NetworkAddress ::= CHOICE { internet IpAddress }
		return ber_fail(c, c->elem, SNMP_E_IPADDR_LEN);
	pdu->agent_addr.len = len;
	if (ber_read_int32(c, BER_INTEGER, &pdu->generic_trap))
		return c->err;
	if (pdu->generic_trap < 0 || pdu->generic_trap > 6) // coldStart(0)..enterpriseSpecific(6)
		return ber_fail(c, c->elem, SNMP_E_GENERIC_TRAP);
	if (ber_read_int32(c, BER_INTEGER, &pdu->specific_trap))
		return c->err;
	return ber_read_uint32(c, SNMP_T_TIMETICKS, &pdu->timestamp);
}

int snmp_pdu_read(struct ber_cur *c, int32_t version, struct snmp_pdu *pdu, struct snmp_varbind *vb,
		  uint32_t vb_cap)
{
	uint8_t tag;
	uint32_t len;
	memset(pdu, 0, sizeof(*pdu));
	pdu->vb = vb;
	if (ber_header(c, &tag, &len))
		return c->err;
	if (tag < SNMP_PDU_GET || tag > SNMP_PDU_REPORT)
		return ber_fail(c, c->elem, SNMP_E_PDU_TYPE);
	if (!snmp_pdu_allowed(version, tag))
		return ber_fail(c, c->elem, SNMP_E_PDU_VERSION);
	pdu->type = tag;
	if (ber_push(c, len))
		return c->err;
	if (tag == SNMP_PDU_TRAP_V1) {
		if (read_trap_v1(c, pdu))
			return c->err;
	} else if (ber_read_int32(c, BER_INTEGER, &pdu->request_id) ||
		   ber_read_int32(c, BER_INTEGER, &pdu->error_status) ||
		   ber_read_int32(c, BER_INTEGER, &pdu->error_index)) {
		return c->err;
	}
	if (ber_enter(c, BER_SEQUENCE))
		return c->err;
	// Each varbind takes at least 7 octets, so the loop is bounded by the
	// list's length as well as by the caller's array.
	while (c->pos < c->end) {
		if (pdu->vb_count == vb_cap)
			return ber_fail(c, c->pos, SNMP_E_TOO_MANY_VARBINDS);
		if (read_varbind(c, &vb[pdu->vb_count]))
			return c->err;
		pdu->vb_count++;
	}
	if (ber_leave(c))
		return c->err;
	return ber_leave(c);
}

int snmp_pdu_decode(struct snmp_pdu *pdu, int32_t version, const uint8_t *buf, size_t len,
		    struct snmp_varbind *vb, uint32_t vb_cap, uint32_t *err_off)
{
	struct ber_cur c;
	if (!pdu || !buf || (!vb && vb_cap) || len > UINT32_MAX)
		return SNMP_E_INVAL;
	ber_cur_init(&c, buf, len);
	if (snmp_pdu_read(&c, version, pdu, vb, vb_cap)) {
		if (err_off)
			*err_off = c.err_off;
		return c.err;
	}
	return (int)(c.pos - buf);
}

static bool same_bytes(struct snmp_bytes a, struct snmp_bytes b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

bool snmp_varbind_equal(const struct snmp_varbind *a, const struct snmp_varbind *b)
{
	if (a->type != b->type || !same_bytes(a->oid, b->oid))
		return false;
	switch (a->type) {
	case SNMP_T_INTEGER:
		return a->num.i32 == b->num.i32;
	case SNMP_T_COUNTER32:
	case SNMP_T_GAUGE32:
	case SNMP_T_TIMETICKS:
	case SNMP_T_UINTEGER32:
		return a->num.u32 == b->num.u32;
	case SNMP_T_COUNTER64:
		return a->num.u64 == b->num.u64;
	default:
		return same_bytes(a->data, b->data);
	}
}

const char *snmp_pdu_type_name(uint8_t type)
{
	static const char *const names[] = {
		"get",	   "getnext", "response", "set",    "trap-v1",
		"getbulk", "inform",  "trap-v2",  "report",
	};
	if (type >= SNMP_PDU_GET && type <= SNMP_PDU_REPORT)
		return names[type - SNMP_PDU_GET];
	return "unknown";
}

const char *snmp_type_name(uint8_t type)
{
	switch (type) {
	case SNMP_T_INTEGER:
		return "integer";
	case SNMP_T_OCTET_STRING:
		return "octet-string";
	case SNMP_T_NULL:
		return "null";
	case SNMP_T_OID:
		return "oid";
	case SNMP_T_IPADDRESS:
		return "ipaddress";
	case SNMP_T_COUNTER32:
		return "counter32";
	case SNMP_T_GAUGE32:
		return "gauge32";
	case SNMP_T_TIMETICKS:
		return "timeticks";
	case SNMP_T_OPAQUE:
		return "opaque";
	case SNMP_T_NSAPADDRESS:
		return "nsapaddress";
	case SNMP_T_COUNTER64:
		return "counter64";
	case SNMP_T_UINTEGER32:
		return "uinteger32";
	case SNMP_T_NO_SUCH_OBJECT:
		return "no-such-object";
	case SNMP_T_NO_SUCH_INSTANCE:
		return "no-such-instance";
	case SNMP_T_END_OF_MIB_VIEW:
		return "end-of-mib-view";
	default:
		return "unknown";
	}
}
