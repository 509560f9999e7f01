/* SPDX-License-Identifier: BSD-3-Clause */
// Messages: v1/v2c community messages (RFC 1157 §4, RFC 1901 §3) and v3
// messages (RFC 3412 §6) with USM security parameters (RFC 3414 §2.4).
#include <string.h>

#include <linerate/snmp_msg.h>

#include "snmp_internal.h"

// An INTEGER field whose range the RFC fixes. Up to 8 octets are read so
// that an out-of-range value gets the field's own error rather than the
// generic size one (a 5-octet msgMaxSize is "absurd msgMaxSize").
static int read_ranged(struct ber_cur *c, int64_t min, int64_t max, int err, int32_t *out)
{
	uint32_t len;
	const uint8_t *p = ber_read_contents(c, BER_INTEGER, &len);
	if (!p)
		return c->err;
	if (len == 0)
		return ber_fail(c, c->elem, SNMP_E_INT_EMPTY);
	if (len > 8)
		return ber_fail(c, c->elem, SNMP_E_INT_TOO_LONG);
	uint64_t x = (p[0] & 0x80) ? UINT64_MAX : 0;
	for (uint32_t i = 0; i < len; i++)
		x = x << 8 | p[i];
	int64_t v = (int64_t)x;
	if (v < min || v > max)
		return ber_fail(c, c->elem, err);
	*out = (int32_t)v;
	return 0;
}

// An OCTET STRING holding an SnmpEngineID: empty (discovery, RFC 3414
// §4) or 5..32 octets (RFC 3411 §5).
static int read_engine_id(struct ber_cur *c, struct snmp_bytes *id)
{
	id->ptr = ber_read_contents(c, BER_OCTET_STRING, &id->len);
	if (!id->ptr)
		return c->err;
	if (id->len != 0 && (id->len < SNMP_ENGINE_ID_MIN || id->len > SNMP_ENGINE_ID_MAX))
		return ber_fail(c, c->elem, SNMP_E_ENGINE_ID_LEN);
	return 0;
}

static int read_octets(struct ber_cur *c, struct snmp_bytes *b)
{
	b->ptr = ber_read_contents(c, BER_OCTET_STRING, &b->len);
	return b->ptr ? 0 : c->err;
}

// RFC 3412 §6 HeaderData, with the §7.2 step 5 check of msgFlags.
static int read_header_data(struct ber_cur *c, struct snmp_msg *m)
{
	struct snmp_bytes flags;
	if (ber_enter(c, BER_SEQUENCE) || read_ranged(c, 0, INT32_MAX, SNMP_E_MSG_ID, &m->msg_id) ||
	    read_ranged(c, SNMP_MAX_SIZE_MIN, INT32_MAX, SNMP_E_MAX_SIZE, &m->max_size) ||
	    read_octets(c, &flags))
		return c->err;
	if (flags.len != 1) // msgFlags OCTET STRING (SIZE(1))
		return ber_fail(c, c->elem, SNMP_E_MSG_FLAGS_LEN);
	m->flags = flags.ptr[0];
	if ((m->flags & SNMP_FLAG_PRIV) && !(m->flags & SNMP_FLAG_AUTH))
		return ber_fail(c, c->elem, SNMP_E_PRIV_WITHOUT_AUTH);
	if (read_ranged(c, 1, INT32_MAX, SNMP_E_SEC_MODEL, &m->security_model))
		return c->err;
	if (m->security_model != SNMP_SEC_MODEL_USM) // §7.2 step 4
		return ber_fail(c, c->elem, SNMP_E_SEC_MODEL);
	return ber_leave(c);
}

// RFC 3414 §2.4 UsmSecurityParameters inside msgSecurityParameters. Its
// own cursor keeps reads inside the OCTET STRING; running past its end is
// SNMP_E_TRUNCATED_SECPARAMS whatever length lied.
static int read_usm(struct ber_cur *c, struct snmp_msg *m)
{
	struct snmp_bytes sp;
	struct snmp_usm_params *u = &m->usm;
	int32_t boots, time;
	if (read_octets(c, &sp))
		return c->err;
	struct ber_cur s;
	ber_cur_sub(&s, c, sp.ptr, sp.len);
	if (ber_enter(&s, BER_SEQUENCE) || read_engine_id(&s, &u->engine_id) ||
	    read_ranged(&s, 0, INT32_MAX, SNMP_E_ENGINE_BOOTS, &boots) ||
	    read_ranged(&s, 0, INT32_MAX, SNMP_E_ENGINE_TIME, &time) ||
	    read_octets(&s, &u->user_name))
		goto out;
	u->boots = (uint32_t)boots;
	u->time = (uint32_t)time;
	if (u->user_name.len > SNMP_USER_NAME_MAX) {
		ber_fail(&s, s.elem, SNMP_E_USER_NAME_LEN);
		goto out;
	}
	if (read_octets(&s, &u->auth_params) || read_octets(&s, &u->priv_params) || ber_leave(&s))
		goto out;
	u->auth_params_off = ber_cur_offset(c, u->auth_params.ptr);
	if (!ber_cur_at_end(&s))
		ber_fail(&s, s.pos, SNMP_E_EXTRA);
out:
	if (!s.err)
		return 0;
	int err = s.err;
	if (err == SNMP_E_TRUNCATED || err == SNMP_E_LENGTH_PAST_END)
		err = SNMP_E_TRUNCATED_SECPARAMS;
	return ber_fail(c, c->base + s.err_off, err);
}

// RFC 3412 §6 ScopedPDU.
static int read_scoped_pdu(struct ber_cur *c, struct snmp_msg *m, struct snmp_varbind *vb,
			   uint32_t vb_cap)
{
	if (ber_enter(c, BER_SEQUENCE) || read_engine_id(c, &m->context_engine_id) ||
	    read_octets(c, &m->context_name) || snmp_pdu_read(c, m->version, &m->pdu, vb, vb_cap) ||
	    ber_leave(c))
		return c->err;
	m->pdu_decoded = true;
	return 0;
}

// msgGlobalData, msgSecurityParameters, msgData (RFC 3412 §6).
static int read_v3(struct ber_cur *c, struct snmp_msg *m, struct snmp_varbind *vb, uint32_t vb_cap)
{
	if (read_header_data(c, m) || read_usm(c, m))
		return c->err;
	bool priv = m->flags & SNMP_FLAG_PRIV;
	if (c->end - c->pos >= 1 && (c->pos[0] == BER_OCTET_STRING) != priv &&
	    (c->pos[0] == BER_OCTET_STRING || c->pos[0] == BER_SEQUENCE))
		return ber_fail(c, c->pos, SNMP_E_SCOPED_PDU_FORM);
	if (!priv)
		return read_scoped_pdu(c, m, vb, vb_cap);
	return read_octets(c, &m->encrypted); // encryptedPDU
}

int snmp_msg_decode(struct snmp_msg *m, const uint8_t *wire, size_t len, struct snmp_varbind *vb,
		    uint32_t vb_cap)
{
	struct ber_cur c;
	if (!m || !wire || (!vb && vb_cap) || len > UINT32_MAX)
		return SNMP_E_INVAL;
	memset(m, 0, sizeof(*m));
	m->wire = wire;
	m->len = (uint32_t)len;
	m->version = -1;
	ber_cur_init(&c, wire, len);
	if (ber_enter(&c, BER_SEQUENCE) || ber_read_int32(&c, BER_INTEGER, &m->version))
		goto out;
	if (m->version == SNMP_V3) {
		read_v3(&c, m, vb, vb_cap);
	} else if (m->version == SNMP_V1 || m->version == SNMP_V2C) {
		if (!read_octets(&c, &m->community) &&
		    !snmp_pdu_read(&c, m->version, &m->pdu, vb, vb_cap))
			m->pdu_decoded = true;
	} else {
		ber_fail(&c, c.elem, SNMP_E_VERSION); // RFC 3412 §7.2 step 2
	}
	if (!ber_leave(&c) && c.pos != c.end)
		ber_fail(&c, c.pos, SNMP_E_TRAILING);
out:
	m->err_off = c.err_off;
	return c.err;
}

int snmp_scoped_pdu_decode(struct snmp_msg *m, const uint8_t *plain, size_t len,
			   struct snmp_varbind *vb, uint32_t vb_cap)
{
	struct ber_cur c;
	if (!m || !plain || (!vb && vb_cap) || len > UINT32_MAX || m->version != SNMP_V3)
		return SNMP_E_INVAL;
	ber_cur_init(&c, plain, len);
	read_scoped_pdu(&c, m, vb, vb_cap);
	m->err_off = c.err_off;
	return c.err;
}
