/* SPDX-License-Identifier: BSD-3-Clause */
// Trap records (layout in trap_record.h): written with the bounded wire
// writer, read back with the bounded wire cursor, every OID checked as the
// BER decoder checks it so a sink can print what it reads.
#include <string.h>

#include <linerate/snmp_ber.h>
#include <linerate/trap_record.h>
#include <linerate/wire.h>

static const struct {
	const char *msg;
} trap_rec_errs[] = {
#define TRAP_REC_ERR_ROW_(sym, msg) [sym - TRAP_REC_E_BASE_ - 1] = {msg},
	TRAP_REC_ERRORS(TRAP_REC_ERR_ROW_)
#undef TRAP_REC_ERR_ROW_
};

const char *trap_rec_strerror(int err)
{
	if (err > TRAP_REC_E_BASE_ && err < TRAP_REC_E_LAST_)
		return trap_rec_errs[err - TRAP_REC_E_BASE_ - 1].msg;
	return snmp_strerror(err);
}

const char *trap_rec_pdu_name(uint8_t pdu_type)
{
	switch (pdu_type) {
	case SNMP_PDU_TRAP_V1:
		return "trapv1";
	case SNMP_PDU_TRAP_V2:
		return "trap";
	case SNMP_PDU_INFORM:
		return "inform";
	default:
		return "unknown";
	}
}

const char *trap_rec_sec_level_name(uint8_t level)
{
	static const char *const names[] = {"noAuthNoPriv", "authNoPriv", "authPriv"};
	if (level >= TRAP_REC_NO_AUTH_NO_PRIV && level <= TRAP_REC_AUTH_PRIV)
		return names[level - TRAP_REC_NO_AUTH_NO_PRIV];
	return "unknown";
}

// --- writing -------------------------------------------------------------

// Unchecked writes at *p, advancing it: trap_rec_write has sized the
// whole record against the buffer first, so the per-field checks of the
// bounded writer would only repeat that one comparison.
static void put16(uint8_t **p, uint16_t v)
{
	wire_put_u16(*p, v);
	*p += 2;
}

static void put32(uint8_t **p, uint32_t v)
{
	wire_put_u32(*p, v);
	*p += 4;
}

static void put_bytes(uint8_t **p, const void *src, size_t n)
{
	if (n)
		memcpy(*p, src, n);
	*p += n;
}

static void put_addr(uint8_t **p, const struct trap_rec_addr *a)
{
	if (a->family == 4) {
		memcpy(*p, a->addr, 4);
		memset(*p + 4, 0, 12);
	} else {
		memcpy(*p, a->addr, 16);
	}
	*p += 16;
}

static void put_str(uint8_t **p, struct snmp_bytes b)
{
	put16(p, (uint16_t)b.len);
	put_bytes(p, b.ptr, b.len);
}

static bool pdu_fits_version(uint8_t pdu, uint8_t version)
{
	if (version == SNMP_V1)
		return pdu == SNMP_PDU_TRAP_V1;
	if (version == SNMP_V2C || version == SNMP_V3)
		return pdu == SNMP_PDU_TRAP_V2 || pdu == SNMP_PDU_INFORM;
	return false;
}

static bool valid_family(uint8_t f)
{
	return f == 4 || f == 6;
}

// The value octets of one varbind as the record stores them (numbers
// fixed-width big-endian into num[]).
static struct snmp_bytes vb_value(const struct snmp_varbind *v, uint8_t num[8])
{
	switch (v->type) {
	case SNMP_T_INTEGER:
	case SNMP_T_COUNTER32:
	case SNMP_T_GAUGE32:
	case SNMP_T_TIMETICKS:
	case SNMP_T_UINTEGER32:
		wire_put_u32(num, v->num.u32);
		return (struct snmp_bytes){num, 4};
	case SNMP_T_COUNTER64:
		wire_put_u32(num, (uint32_t)(v->num.u64 >> 32));
		wire_put_u32(num + 4, (uint32_t)v->num.u64);
		return (struct snmp_bytes){num, 8};
	case SNMP_T_NULL:
	case SNMP_T_NO_SUCH_OBJECT:
	case SNMP_T_NO_SUCH_INSTANCE:
	case SNMP_T_END_OF_MIB_VIEW:
		return (struct snmp_bytes){NULL, 0};
	default:
		return v->data;
	}
}

static bool fits_u16(struct snmp_bytes b)
{
	return b.len <= TRAP_REC_STR_MAX;
}

int trap_rec_write(uint8_t *out, size_t cap, const struct trap_rec *r,
		   const struct snmp_varbind *vb, uint32_t n)
{
	if (!out || !r || (n && !vb))
		return TRAP_REC_E_INVAL;
	if (!pdu_fits_version(r->pdu_type, r->snmp_version))
		return TRAP_REC_E_PDU;
	if (!valid_family(r->meta.src.family) || !valid_family(r->meta.dst.family) ||
	    r->sec_level < TRAP_REC_NO_AUTH_NO_PRIV || r->sec_level > TRAP_REC_AUTH_PRIV)
		return TRAP_REC_E_FIELD;
	if (n > TRAP_REC_VB_MAX || !fits_u16(r->sec_name) || !fits_u16(r->context_engine_id) ||
	    !fits_u16(r->context_name) || !fits_u16(r->enterprise) || !fits_u16(r->trap_oid))
		return TRAP_REC_E_TOO_BIG;
	// sized first: every TOO_BIG before NOSPACE, as a bounded writer
	// checking field by field would find them
	size_t len = TRAP_REC_HDR_LEN + 5 * 2 + r->sec_name.len + r->context_engine_id.len +
		     r->context_name.len + r->enterprise.len + r->trap_oid.len;
	for (uint32_t i = 0; i < n; i++) {
		uint8_t num[8];
		struct snmp_bytes val = vb_value(&vb[i], num);
		if (!fits_u16(vb[i].oid) || !fits_u16(val))
			return TRAP_REC_E_TOO_BIG;
		len += 2 + vb[i].oid.len + 1 + 2 + val.len;
	}
	if (len > cap)
		return TRAP_REC_E_NOSPACE;
	if (len > INT32_MAX)
		return TRAP_REC_E_TOO_BIG;
	uint8_t *p = out;
	*p++ = TRAP_REC_VERSION;
	*p++ = r->pdu_type;
	put16(&p, r->flags);
	put32(&p, (uint32_t)len);
	put32(&p, (uint32_t)(r->meta.rx_ns >> 32));
	put32(&p, (uint32_t)r->meta.rx_ns);
	*p++ = r->snmp_version;
	*p++ = r->sec_level;
	*p++ = r->meta.src.family;
	*p++ = r->meta.dst.family;
	put_addr(&p, &r->meta.src);
	put_addr(&p, &r->meta.dst);
	put16(&p, r->meta.src.port);
	put16(&p, r->meta.dst.port);
	put32(&p, (uint32_t)r->request_id);
	put32(&p, r->uptime);
	put32(&p, (uint32_t)r->generic_trap);
	put32(&p, (uint32_t)r->specific_trap);
	put_bytes(&p, r->agent_addr, 4);
	put16(&p, (uint16_t)n);
	put16(&p, 0);
	put_str(&p, r->sec_name);
	put_str(&p, r->context_engine_id);
	put_str(&p, r->context_name);
	put_str(&p, r->enterprise);
	put_str(&p, r->trap_oid);
	for (uint32_t i = 0; i < n; i++) {
		uint8_t num[8];
		struct snmp_bytes val = vb_value(&vb[i], num);
		put_str(&p, vb[i].oid);
		*p++ = vb[i].type;
		put_str(&p, val);
	}
	return (int)len;
}

static bool is_oid(struct snmp_bytes vb_oid, struct snmp_bytes want)
{
	return vb_oid.len == want.len && memcmp(vb_oid.ptr, want.ptr, want.len) == 0;
}

// RFC 3416 §4.2.6: the first two varbinds of an SNMPv2-Trap or
// InformRequest are sysUpTime.0 and snmpTrapOID.0.
static bool has_head(const struct snmp_pdu *p)
{
	return p->vb_count >= 2 && is_oid(p->vb[0].oid, snmp_oid_sys_uptime_0) &&
	       p->vb[0].type == SNMP_T_TIMETICKS &&
	       is_oid(p->vb[1].oid, snmp_oid_snmp_trap_oid_0) && p->vb[1].type == SNMP_T_OID;
}

int trap_rec_encode(uint8_t *out, size_t cap, const struct trap_rec_meta *meta,
		    const struct snmp_msg *m)
{
	if (!out || !meta || !m || !m->pdu_decoded)
		return TRAP_REC_E_INVAL;
	const struct snmp_pdu *p = &m->pdu;
	if (p->type != SNMP_PDU_TRAP_V1 && p->type != SNMP_PDU_TRAP_V2 &&
	    p->type != SNMP_PDU_INFORM)
		return TRAP_REC_E_PDU;
	struct trap_rec r = {
		.pdu_type = p->type,
		.meta = *meta,
		.snmp_version = (uint8_t)m->version,
		.sec_level = TRAP_REC_NO_AUTH_NO_PRIV,
		.sec_name = m->community,
		.request_id = p->request_id,
	};
	const struct snmp_varbind *vb = p->vb;
	uint32_t n = p->vb_count;
	struct snmp_trap_oid_buf oid_buf;
	if (m->version == SNMP_V3) {
		r.sec_name = m->usm.user_name;
		r.context_engine_id = m->context_engine_id;
		r.context_name = m->context_name;
		if (m->flags & SNMP_FLAG_AUTH)
			r.sec_level = (m->flags & SNMP_FLAG_PRIV) ? TRAP_REC_AUTH_PRIV
								  : TRAP_REC_AUTH_NO_PRIV;
	}
	if (p->type == SNMP_PDU_TRAP_V1) {
		if (p->agent_addr.len != 4)
			return TRAP_REC_E_INVAL;
		r.request_id = 0;
		r.uptime = p->timestamp;
		r.enterprise = p->enterprise;
		memcpy(r.agent_addr, p->agent_addr.ptr, 4);
		r.generic_trap = p->generic_trap;
		r.specific_trap = p->specific_trap;
		// a trap whose OID cannot be translated is still a trap to keep
		if (snmp_trap_v1_oid(p, &oid_buf, &r.trap_oid) == 0)
			r.flags |= TRAP_REC_F_HEAD;
	} else if (has_head(p)) {
		r.flags |= TRAP_REC_F_HEAD;
		r.uptime = vb[0].num.u32;
		r.trap_oid = vb[1].data;
		vb += 2;
		n -= 2;
	}
	return trap_rec_write(out, cap, &r, vb, n);
}

// --- reading -------------------------------------------------------------

int64_t trap_rec_peek_len(const uint8_t *buf, size_t len)
{
	if (!buf || len < 8)
		return TRAP_REC_E_TRUNCATED;
	if (buf[0] != TRAP_REC_VERSION)
		return TRAP_REC_E_FORMAT;
	return wire_get_u32(buf + 4);
}

static uint64_t get_u64(struct wire_cur *c)
{
	uint64_t hi = wire_read_u32(c);
	return hi << 32 | wire_read_u32(c);
}

static bool get_addr(struct wire_cur *c, struct trap_rec_addr *a, uint8_t family)
{
	static const uint8_t zero[12];
	a->family = family;
	wire_read_bytes(c, a->addr, 16);
	return family == 6 || (family == 4 && memcmp(a->addr + 4, zero, 12) == 0);
}

static struct snmp_bytes get_str(struct wire_cur *c)
{
	uint16_t n = wire_read_u16(c);
	const uint8_t *p = wire_read_view(c, n);
	return (struct snmp_bytes){p, p ? n : 0};
}

// OID contents by the BER decoder's rules; empty only where allowed.
static bool oid_ok(struct snmp_bytes b, bool may_be_empty)
{
	if (b.len == 0)
		return may_be_empty;
	struct ber_cur c;
	ber_cur_init(&c, b.ptr, b.len);
	return ber_check_oid(&c, b.ptr, b.len) == 0;
}

// One varbind at the cursor, checked; the value decoded into vb.
static int read_vb(struct wire_cur *c, struct snmp_varbind *vb)
{
	vb->oid = get_str(c);
	vb->type = wire_read_u8(c);
	struct snmp_bytes val = get_str(c);
	if (c->err)
		return TRAP_REC_E_TRUNCATED;
	if (!oid_ok(vb->oid, false))
		return TRAP_REC_E_OID;
	vb->num.u64 = 0;
	vb->data = (struct snmp_bytes){NULL, 0};
	uint32_t want;
	switch (vb->type) {
	case SNMP_T_INTEGER:
	case SNMP_T_COUNTER32:
	case SNMP_T_GAUGE32:
	case SNMP_T_TIMETICKS:
	case SNMP_T_UINTEGER32:
		if (val.len != 4)
			return TRAP_REC_E_VALUE;
		vb->num.u32 = wire_get_u32(val.ptr);
		return 0;
	case SNMP_T_COUNTER64:
		if (val.len != 8)
			return TRAP_REC_E_VALUE;
		vb->num.u64 = (uint64_t)wire_get_u32(val.ptr) << 32 | wire_get_u32(val.ptr + 4);
		return 0;
	case SNMP_T_NULL:
	case SNMP_T_NO_SUCH_OBJECT:
	case SNMP_T_NO_SUCH_INSTANCE:
	case SNMP_T_END_OF_MIB_VIEW:
		want = 0;
		break;
	case SNMP_T_IPADDRESS:
		want = 4;
		break;
	case SNMP_T_OID:
		if (!oid_ok(val, false))
			return TRAP_REC_E_OID;
		want = val.len;
		break;
	case SNMP_T_OCTET_STRING:
	case SNMP_T_OPAQUE:
	case SNMP_T_NSAPADDRESS:
		want = val.len;
		break;
	default:
		return TRAP_REC_E_VALUE;
	}
	if (val.len != want)
		return TRAP_REC_E_VALUE;
	vb->data = val;
	return 0;
}

static int read_header(struct trap_rec *r, struct wire_cur *c)
{
	uint8_t fam_src, fam_dst;
	wire_cur_skip(c, 1); // format version, checked by the caller
	r->pdu_type = wire_read_u8(c);
	r->flags = wire_read_u16(c);
	r->len = wire_read_u32(c);
	r->meta.rx_ns = get_u64(c);
	r->snmp_version = wire_read_u8(c);
	r->sec_level = wire_read_u8(c);
	fam_src = wire_read_u8(c);
	fam_dst = wire_read_u8(c);
	bool addrs_ok = get_addr(c, &r->meta.src, fam_src);
	addrs_ok &= get_addr(c, &r->meta.dst, fam_dst);
	r->meta.src.port = wire_read_u16(c);
	r->meta.dst.port = wire_read_u16(c);
	r->request_id = (int32_t)wire_read_u32(c);
	r->uptime = wire_read_u32(c);
	r->generic_trap = (int32_t)wire_read_u32(c);
	r->specific_trap = (int32_t)wire_read_u32(c);
	wire_read_bytes(c, r->agent_addr, 4);
	r->vb_count = wire_read_u16(c);
	uint16_t zero = wire_read_u16(c);
	if (c->err)
		return TRAP_REC_E_TRUNCATED;
	bool v3 = r->snmp_version == SNMP_V3;
	if (!addrs_ok || zero != 0 || (r->flags & ~TRAP_REC_F_ALL) ||
	    !pdu_fits_version(r->pdu_type, r->snmp_version) ||
	    r->sec_level < TRAP_REC_NO_AUTH_NO_PRIV || r->sec_level > TRAP_REC_AUTH_PRIV ||
	    (!v3 && r->sec_level != TRAP_REC_NO_AUTH_NO_PRIV))
		return TRAP_REC_E_FIELD;
	return 0;
}

// The v1-only fields are zero outside Trap-v1, and contexts exist only in
// v3, so one record has one meaning (and re-encodes to the same octets).
static int check_fields(const struct trap_rec *r)
{
	static const uint8_t zero4[4];
	bool v1 = r->pdu_type == SNMP_PDU_TRAP_V1;
	if (!v1 && (r->generic_trap || r->specific_trap || r->enterprise.len ||
		    memcmp(r->agent_addr, zero4, 4) != 0))
		return TRAP_REC_E_FIELD;
	if (v1 && (r->request_id || r->generic_trap < 0 || r->generic_trap > 6))
		return TRAP_REC_E_FIELD;
	if (r->snmp_version != SNMP_V3 && (r->context_engine_id.len || r->context_name.len))
		return TRAP_REC_E_FIELD;
	// Trap-v1: the time-stamp is always there, the flag says whether the
	// OID could be translated
	bool head = r->flags & TRAP_REC_F_HEAD;
	if (!head && (r->trap_oid.len || (!v1 && r->uptime)))
		return TRAP_REC_E_FIELD;
	if (!oid_ok(r->enterprise, !v1) || !oid_ok(r->trap_oid, !head))
		return TRAP_REC_E_OID;
	return 0;
}

int trap_rec_decode(struct trap_rec *r, const uint8_t *buf, size_t len)
{
	if (!r || !buf)
		return TRAP_REC_E_INVAL;
	int64_t rec_len = trap_rec_peek_len(buf, len);
	if (rec_len < 0)
		return (int)rec_len;
	if (rec_len < TRAP_REC_HDR_LEN || (uint64_t)rec_len > len)
		return len < TRAP_REC_HDR_LEN ? TRAP_REC_E_TRUNCATED : TRAP_REC_E_LENGTH;
	struct wire_cur c;
	wire_cur_init(&c, buf, (size_t)rec_len);
	int rc = read_header(r, &c);
	if (rc)
		return rc;
	r->sec_name = get_str(&c);
	r->context_engine_id = get_str(&c);
	r->context_name = get_str(&c);
	r->enterprise = get_str(&c);
	r->trap_oid = get_str(&c);
	if (c.err)
		return TRAP_REC_E_TRUNCATED;
	rc = check_fields(r);
	if (rc)
		return rc;
	r->vbs.ptr = c.pos;
	// every varbind takes at least 5 octets: refuse counts that cannot fit
	if ((uint64_t)r->vb_count * 5 > wire_cur_left(&c))
		return TRAP_REC_E_TRUNCATED;
	for (uint32_t i = 0; i < r->vb_count; i++) {
		struct snmp_varbind vb;
		rc = read_vb(&c, &vb);
		if (rc)
			return rc;
	}
	if (wire_cur_left(&c) != 0)
		return TRAP_REC_E_EXTRA;
	r->vbs.len = (uint32_t)(c.pos - r->vbs.ptr);
	return 0;
}

void trap_rec_vb_first(const struct trap_rec *r, struct trap_rec_iter *it)
{
	it->pos = r->vbs.ptr;
	it->end = r->vbs.ptr + r->vbs.len;
	it->left = r->vb_count;
}

bool trap_rec_vb_next(struct trap_rec_iter *it, struct snmp_varbind *vb)
{
	if (it->left == 0)
		return false;
	struct wire_cur c;
	wire_cur_init(&c, it->pos, (size_t)(it->end - it->pos));
	if (read_vb(&c, vb) != 0) { // only for a record decode refused
		it->left = 0;
		return false;
	}
	it->pos = c.pos;
	it->left--;
	return true;
}
