/* SPDX-License-Identifier: BSD-3-Clause */
// The v2c trap fast lane (trap_fast.h): the message read once, front to
// back, each field checked by the same rule the general decoder applies
// (snmp_ber.h, pdu_decode.c) and written where trap_rec_write() would put
// it. Every check that fails declines; nothing here reports an error,
// because the general path that runs next reports it.
#include <string.h>

#include <linerate/snmp_ber.h>
#include <linerate/trap_fast.h>
#include <linerate/wire.h>

// Room a record can need beyond twice its message: the header, the five
// strings' lengths. Each part of the record is at most twice the octets it
// came from (a varbind of 6 + name + value octets becomes at most 12 +
// name + value: a one-octet Counter64 is 8 octets in the record).
#define REC_SLACK (TRAP_REC_HDR_LEN + 5 * 2)

#define HOT static inline __attribute__((always_inline))

// n octets from src to dst in fixed-size moves, for the short strings of
// a trap. A variable-length memcpy here becomes rep movs (the compiler
// sees a short bound), whose start-up costs more than such a string.
HOT void copy_short(uint8_t *dst, const uint8_t *src, size_t n)
{
	if (n >= 8) {
		for (size_t i = 0; i + 8 < n; i += 8)
			memcpy(dst + i, src + i, 8);
		memcpy(dst + n - 8, src + n - 8, 8); // the tail, overlapping
	} else if (n >= 4) {
		memcpy(dst, src, 4);
		memcpy(dst + n - 4, src + n - 4, 4);
	} else if (n) {
		dst[0] = src[0];
		dst[n / 2] = src[n / 2];
		dst[n - 1] = src[n - 1];
	}
}

static inline uint64_t load64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

#define HIGH_BITS 0x8080808080808080u

// Whether some octet of v is zero (exact as a whole, not per octet).
static inline bool has_zero(uint64_t v)
{
	return ((v - 0x0101010101010101u) & ~v & HIGH_BITS) != 0;
}

// OBJECT IDENTIFIER contents by ber_oid_check()'s rule. Names of 8 to 15
// octets whose sub-identifiers take one or two octets (interface indexes
// and the like, under 16384) are read from two overlapping words: with
// the last octet ending a sub-identifier, no 0x80 octet (which would pad
// one, X.690 §8.19.2) and no two continuation octets in a row, every
// sub-identifier is minimal, below 2^14 and there are at most 15 of them;
// anything else goes through the rule itself.
HOT bool oid_ok(const uint8_t *p, uint32_t n)
{
	if (n >= 8 && n <= 15 && p[n - 1] < 0x80) {
		uint64_t lo = load64(p), hi = load64(p + n - 8);
		uint64_t hl = lo & HIGH_BITS, hh = hi & HIGH_BITS;
		// adjacent octets, whichever way the load ordered them
		if (!has_zero(lo ^ HIGH_BITS) && !has_zero(hi ^ HIGH_BITS) && !(hl & hl << 8) &&
		    !(hh & hh << 8))
			return true;
	}
	return ber_oid_check(p, n) == 0;
}

// The BER header of an element with identifier tag at p, its contents not
// past end: definite length, short form or a long form of 1..4 octets,
// as ber_header() takes them. Returns the contents' start, or NULL.
HOT const uint8_t *header(const uint8_t *p, const uint8_t *end, uint8_t tag, uint32_t *len)
{
	if (end - p < 2 || p[0] != tag)
		return NULL;
	uint32_t l = p[1];
	p += 2;
	if (l & 0x80) {
		unsigned n = l & 0x7f;
		if (n == 0 || n > 4 || (size_t)(end - p) < n)
			return NULL;
		l = 0;
		for (unsigned i = 0; i < n; i++)
			l = l << 8 | p[i];
		p += n;
	}
	if (l > (size_t)(end - p))
		return NULL;
	*len = l;
	return p;
}

// Integer32 contents p[0..n) by ber_get_int32()'s rules, as the record's
// 4 octets big-endian at dst.
HOT bool put_int32(uint8_t *dst, const uint8_t *p, uint32_t n)
{
	if (n == 0 || n > 5)
		return false;
	if (n == 5) { // a fifth octet only as the sign of the other four
		if (p[0] != ((p[1] & 0x80) ? 0xff : 0x00))
			return false;
		p++;
		n = 4;
	}
	uint32_t x = (p[0] & 0x80) ? UINT32_MAX : 0;
	for (uint32_t i = 0; i < n; i++)
		x = x << 8 | p[i];
	wire_put_u32(dst, x);
	return true;
}

// Unsigned contents by ber_get_uint64()'s rules: at most max octets, the
// max-th only as a leading zero, never negative.
HOT bool get_unsigned(const uint8_t *p, uint32_t n, uint32_t max, uint64_t *v)
{
	if (n == 0 || n > max || (n == max && p[0] != 0) || (p[0] & 0x80))
		return false;
	uint64_t x = 0;
	for (uint32_t i = 0; i < n; i++)
		x = x << 8 | p[i];
	*v = x;
	return true;
}

// One varbind at s, of the shape pdu_decode.c's read_varbind() reads from
// its four headers at once (short-form lengths, the value ending where
// the SEQUENCE does): its name's length at s[3], name at s + 4, the
// value's header at *h. Returns the next varbind's start, or NULL.
HOT const uint8_t *varbind(const uint8_t *s, const uint8_t *end, const uint8_t **h)
{
	if (end - s < 4 || s[0] != BER_SEQUENCE || s[1] >= 0x80 || s[1] + 2 > end - s ||
	    s[2] != BER_OID || s[3] >= 0x80)
		return NULL;
	const uint8_t *vend = s + 2 + s[1];
	const uint8_t *v = s + 4 + s[3];
	if (vend - v < 2 || v[1] >= 0x80 || v + 2 + v[1] != vend)
		return NULL;
	*h = v;
	return vend;
}

// The name of the varbind at s is want, of 8 to 16 octets.
HOT bool is_oid(const uint8_t *s, struct snmp_bytes want)
{
	const uint8_t *p = s + 4;
	uint32_t n = want.len;
	return s[3] == n && load64(p) == load64(want.ptr) &&
	       load64(p + n - 8) == load64(want.ptr + n - 8);
}

// An address as the record keeps it: IPv4 in the first 4 of 16 octets.
HOT void put_addr(uint8_t *dst, const struct trap_rec_addr *a)
{
	if (a->family == 4) {
		memcpy(dst, a->addr, 4);
		memset(dst + 4, 0, 12);
	} else {
		memcpy(dst, a->addr, 16);
	}
}

// What the record keeps of the message around its PDU.
struct head {
	uint8_t version;
	uint8_t level; // TRAP_REC_*_PRIV
	struct snmp_bytes sec_name, ctx_engine_id, ctx_name;
};

// The record's header but for its length, varbind count, request-id and
// uptime: what trap_rec_write() puts there for an SNMPv2 notification.
// Field by field, every octet written once (zeroing it all first becomes a
// rep stosb, slower than the header's own stores).
HOT void put_header(uint8_t *out, uint8_t type, const struct trap_rec_meta *meta,
		    const struct head *hd)
{
	out[0] = TRAP_REC_VERSION;
	out[1] = type;
	wire_put_u16(out + 2, TRAP_REC_F_HEAD);
	wire_put_u32(out + 8, (uint32_t)(meta->rx_ns >> 32));
	wire_put_u32(out + 12, (uint32_t)meta->rx_ns);
	out[16] = hd->version;
	out[17] = hd->level;
	out[18] = meta->src.family;
	out[19] = meta->dst.family;
	put_addr(out + 20, &meta->src);
	put_addr(out + 36, &meta->dst);
	wire_put_u16(out + 52, meta->src.port);
	wire_put_u16(out + 54, meta->dst.port);
	// generic-trap, specific-trap, agent-addr (Trap-v1 only), the varbind
	// count (written last) and the zero
	memset(out + 64, 0, 16);
}

// One varbind's value of identifier t, contents v[0..n), as the record
// stores it at w (u16 length, octets); the type octet is already there.
// Returns the octets written, or 0 for a value the general decoder would
// refuse (RFC 3416 §3 types, pdu_decode.c's read_value()).
HOT size_t put_value(uint8_t *w, uint8_t t, const uint8_t *v, uint32_t n)
{
	uint64_t x;
	switch (t) {
	case SNMP_T_INTEGER:
		wire_put_u16(w, 4);
		return put_int32(w + 2, v, n) ? 6 : 0;
	case SNMP_T_COUNTER32:
	case SNMP_T_GAUGE32:
	case SNMP_T_TIMETICKS:
	case SNMP_T_UINTEGER32:
		if (!get_unsigned(v, n, 5, &x))
			return 0;
		wire_put_u16(w, 4);
		wire_put_u32(w + 2, (uint32_t)x);
		return 6;
	case SNMP_T_COUNTER64:
		if (!get_unsigned(v, n, 9, &x))
			return 0;
		wire_put_u16(w, 8);
		wire_put_u32(w + 2, (uint32_t)(x >> 32));
		wire_put_u32(w + 6, (uint32_t)x);
		return 10;
	case SNMP_T_OID:
		if (!oid_ok(v, n))
			return 0;
		break;
	case SNMP_T_IPADDRESS: // RFC 2578 §7.1.5: OCTET STRING (SIZE (4))
		if (n != 4)
			return 0;
		break;
	case SNMP_T_OCTET_STRING:
	case SNMP_T_OPAQUE:
	case SNMP_T_NSAPADDRESS:
		break;
	case SNMP_T_NULL:
	case SNMP_T_NO_SUCH_OBJECT:
	case SNMP_T_NO_SUCH_INSTANCE:
	case SNMP_T_END_OF_MIB_VIEW:
		if (n != 0)
			return 0;
		wire_put_u16(w, 0);
		return 2;
	default:
		return 0;
	}
	// the span types: the value's own length octet (short form) and
	// contents, behind the u16's high octet
	w[0] = 0;
	copy_short(w + 1, v - 1, 1 + n);
	return 2 + n;
}

// A u16 length and the string.
HOT uint8_t *put_str(uint8_t *w, struct snmp_bytes b)
{
	wire_put_u16(w, (uint16_t)b.len);
	copy_short(w + 2, b.ptr, b.len);
	return w + 2 + b.len;
}

// Whether a record of a message of len octets, of which the record keeps
// extra octets more than once (v3's user name, from outside the scoped
// PDU), surely fits out[0..cap), the meta being sound: every string and
// the varbind count then fit the record's u16s too.
HOT bool fits(const uint8_t *out, size_t cap, const struct trap_rec_meta *meta, size_t len,
	      size_t extra)
{
	return out && meta && len <= UINT16_MAX && extra <= UINT16_MAX && cap >= REC_SLACK &&
	       len + extra <= (cap - REC_SLACK) / 2 &&
	       (meta->src.family == 4 || meta->src.family == 6) &&
	       (meta->dst.family == 4 || meta->dst.family == 6);
}

// The PDU at p, ending at end (RFC 3416 §3), of the message hd describes:
// its record at out. Returns the record's length, or 0 to decline.
HOT int take_pdu(uint8_t *out, const struct trap_rec_meta *meta, const struct head *hd,
		 const uint8_t *p, const uint8_t *end, uint32_t vb_max, unsigned pdus,
		 uint8_t *pdu_type)
{
	uint32_t l;
	uint8_t type = end - p >= 1 ? p[0] : 0;
	if (!((type == SNMP_PDU_TRAP_V2 && (pdus & TRAP_FAST_TRAP)) ||
	      (type == SNMP_PDU_INFORM && (pdus & TRAP_FAST_INFORM))))
		return 0;
	p = header(p, end, type, &l);
	if (!p || p + l != end)
		return 0;
	put_header(out, type, meta, hd);
	// request-id into the record; error-status and error-index checked
	const uint8_t *q = header(p, end, BER_INTEGER, &l);
	if (!q || !put_int32(out + 56, q, l))
		return 0;
	uint8_t scratch[4];
	for (int i = 0; i < 2; i++) {
		q = header(q + l, end, BER_INTEGER, &l);
		if (!q || !put_int32(scratch, q, l))
			return 0;
	}
	// the varbind list, the rest of the PDU
	p = header(q + l, end, BER_SEQUENCE, &l);
	if (!p || p + l != end)
		return 0;
	// RFC 3416 §4.2.6: sysUpTime.0 (TimeTicks) and snmpTrapOID.0 (OID)
	// first, into the header (TRAP_REC_F_HEAD); anything else declines
	const uint8_t *h0, *h1, *s = p;
	uint64_t uptime;
	if (vb_max < 2 || !(p = varbind(s, end, &h0)) || !is_oid(s, snmp_oid_sys_uptime_0) ||
	    h0[0] != SNMP_T_TIMETICKS || !get_unsigned(h0 + 2, h0[1], 5, &uptime))
		return 0;
	s = p;
	if (!(p = varbind(s, end, &h1)) || !is_oid(s, snmp_oid_snmp_trap_oid_0) ||
	    h1[0] != SNMP_T_OID || !oid_ok(h1 + 2, h1[1]))
		return 0;
	wire_put_u32(out + 60, (uint32_t)uptime);
	// security name, contextEngineID, contextName, enterprise (empty: not
	// a Trap-v1), snmpTrapOID.0's value
	uint8_t *w = put_str(out + TRAP_REC_HDR_LEN, hd->sec_name);
	w = put_str(w, hd->ctx_engine_id);
	w = put_str(w, hd->ctx_name);
	memset(w, 0, 3);
	copy_short(w + 3, h1 + 1, 1 + h1[1]);
	w += 4 + h1[1];
	// the other varbinds: u16 name length, name, type, u16 value length,
	// value. Each takes at least 6 octets of the message: bounded by it.
	uint32_t n = 2;
	while (p < end) {
		const uint8_t *h;
		s = p;
		if (++n > vb_max || !(p = varbind(s, end, &h)) || !oid_ok(s + 4, s[3]))
			return 0;
		// u16 name length, name and type: the message's name length
		// octet (short form), name and value identifier, in a row
		w[0] = 0;
		copy_short(w + 1, s + 3, 2 + s[3]);
		w += 3 + s[3];
		size_t k = put_value(w, h[0], h + 2, h[1]);
		if (!k)
			return 0;
		w += k;
	}
	size_t rec_len = (size_t)(w - out);
	wire_put_u32(out + 4, (uint32_t)rec_len);
	wire_put_u16(out + 76, (uint16_t)(n - 2));
	*pdu_type = type;
	return (int)rec_len;
}

int trap_fast_v2c(uint8_t *out, size_t cap, const struct trap_rec_meta *meta, const uint8_t *wire,
		  size_t len, uint32_t vb_max, unsigned pdus, struct trap_fast_v2c *res)
{
	if (!wire || !res || !fits(out, cap, meta, len, 0))
		return 0;
	const uint8_t *end = wire + len;
	uint32_t l;
	// RFC 1901 §3: SEQUENCE { version 1, community, data }, nothing after
	const uint8_t *p = header(wire, end, BER_SEQUENCE, &l);
	if (!p || p + l != end || end - p < 3 || p[0] != BER_INTEGER || p[1] != 1 ||
	    p[2] != SNMP_V2C)
		return 0;
	const uint8_t *community = header(p + 3, end, BER_OCTET_STRING, &l);
	if (!community)
		return 0;
	struct head hd = {
		.version = SNMP_V2C, .level = TRAP_REC_NO_AUTH_NO_PRIV, .sec_name = {community, l}};
	res->community = hd.sec_name;
	return take_pdu(out, meta, &hd, community + l, end, vb_max, pdus, &res->pdu_type);
}

int trap_fast_scoped(uint8_t *out, size_t cap, const struct trap_rec_meta *meta,
		     const struct snmp_msg *m, const uint8_t *plain, size_t len, uint32_t vb_max,
		     unsigned pdus, uint8_t *pdu_type)
{
	if (!m || m->version != SNMP_V3 || !plain || !pdu_type ||
	    !fits(out, cap, meta, len, m->usm.user_name.len))
		return 0;
	uint32_t l;
	// RFC 3412 §6 ScopedPDU: SEQUENCE { contextEngineID, contextName,
	// data }; what follows it (a cipher's padding) is not looked at
	const uint8_t *end = plain + len;
	const uint8_t *p = header(plain, end, BER_SEQUENCE, &l);
	if (!p)
		return 0;
	end = p + l;
	const uint8_t *engine = header(p, end, BER_OCTET_STRING, &l);
	if (!engine || (l != 0 && (l < SNMP_ENGINE_ID_MIN || l > SNMP_ENGINE_ID_MAX)))
		return 0;
	struct head hd = {.version = SNMP_V3,
			  .level = !(m->flags & SNMP_FLAG_AUTH)	  ? TRAP_REC_NO_AUTH_NO_PRIV
				   : !(m->flags & SNMP_FLAG_PRIV) ? TRAP_REC_AUTH_NO_PRIV
								  : TRAP_REC_AUTH_PRIV,
			  .sec_name = m->usm.user_name,
			  .ctx_engine_id = {engine, l}};
	const uint8_t *name = header(engine + l, end, BER_OCTET_STRING, &l);
	if (!name)
		return 0;
	hd.ctx_name = (struct snmp_bytes){name, l};
	return take_pdu(out, meta, &hd, name + l, end, vb_max, pdus, pdu_type);
}
