/* SPDX-License-Identifier: BSD-3-Clause */
// Rdata presentation format, field by field, and the RFC 3597 generic form.
// The text is what dnspython 2.3 prints for the types it knows (so zone
// files and tools agree byte for byte); see linerate/dns_rdata.h.
#include <string.h>

#include <linerate/dns_err.h>
#include <linerate/dns_name.h>
#include <linerate/dns_rdata.h>

#include "rdata_impl.h"

// dnspython's word sizes: 32 characters for base64 and generic hex, 128 for
// digests and fingerprints.
#define B64_CHUNK     32
#define HEX_CHUNK     128
#define GENERIC_CHUNK 32

static void put_generic(struct dns_txt_out *o, const uint8_t *rd, size_t len)
{
	dns_txt_puts(o, "\\# ");
	dns_txt_put_u64(o, len);
	if (len) {
		dns_txt_putc(o, ' ');
		dns_txt_put_hex(o, rd, len, GENERIC_CHUNK);
	}
}

int dns_rdata_to_generic(const uint8_t *rdata, size_t len, char *out, size_t cap)
{
	struct dns_txt_out o;
	if (!rdata && len)
		return DNS_EINVAL;
	if (len > DNS_RDATA_MAXLEN)
		return DNS_ERDATA_LEN;
	dns_txt_out_init(&o, out, cap);
	put_generic(&o, rdata, len);
	return dns_txt_out_finish(&o);
}

static void put_eui(struct dns_txt_out *o, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			dns_txt_putc(o, '-');
		dns_txt_put_hex(o, p + i, 1, 0);
	}
}

// One field's value; the rdata has been validated.
static void field_to_text(uint16_t type, const uint8_t *rd, size_t len,
			  const struct dns_field_view *v, struct dns_txt_out *o)
{
	const uint8_t *p = rd + v->off;
	char buf[16];
	const char *s;
	switch (v->kind) {
	case DNS_FIELD_NAME:
		dns_txt_put_name(o, p);
		break;
	case DNS_FIELD_U8:
	case DNS_FIELD_PROTOCOL:
	case DNS_FIELD_ALGORITHM:
		dns_txt_put_u64(o, p[0]);
		break;
	case DNS_FIELD_U16:
		dns_txt_put_u64(o, wire_get_u16(p));
		break;
	case DNS_FIELD_U32:
	case DNS_FIELD_TTL:
		dns_txt_put_u64(o, wire_get_u32(p));
		break;
	case DNS_FIELD_U48:
		dns_txt_put_u64(o, ((uint64_t)wire_get_u16(p) << 32) | wire_get_u32(p + 2));
		break;
	case DNS_FIELD_TYPE:
		dns_txt_puts(o, dns_type_to_text(wire_get_u16(p), buf));
		break;
	case DNS_FIELD_TIME:
		dns_txt_put_time(o, wire_get_u32(p));
		break;
	case DNS_FIELD_IPV4:
		dns_txt_put_ipv4(o, p);
		break;
	case DNS_FIELD_IPV6:
		dns_txt_put_ipv6(o, p);
		break;
	case DNS_FIELD_STRING:
	case DNS_FIELD_STRING_OPT:
		// An absent ISDN subaddress prints as nothing, a present empty one
		// as "" (dnspython drops both, so its text does not round-trip).
		if (v->len > 0)
			dns_txt_put_charstr(o, p + 1, p[0], true);
		break;
	case DNS_FIELD_STRINGS:
		for (size_t i = 0; i < v->len; i += 1U + p[i]) {
			if (i)
				dns_txt_putc(o, ' ');
			dns_txt_put_charstr(o, p + i + 1, p[i], true);
		}
		break;
	case DNS_FIELD_STRING_REST:
		dns_txt_put_charstr(o, p, v->len, true);
		break;
	case DNS_FIELD_TAG:
	case DNS_FIELD_FLOAT:
		dns_txt_put_charstr(o, p + 1, p[0], false);
		break;
	case DNS_FIELD_BASE64:
	case DNS_FIELD_BASE64_OPT:
		// SIG and KEY (RFC 2535) are unknown to dnspython; Knot and ldns
		// print them in one word, and so do we.
		dns_txt_put_base64(o, p, v->len,
				   type == DNS_TYPE_SIG || type == DNS_TYPE_KEY ? 0 : B64_CHUNK);
		break;
	case DNS_FIELD_BASE64_FLAT:
		dns_txt_put_base64(o, p, v->len, 0);
		break;
	case DNS_FIELD_BLOB16:
		dns_txt_put_base64(o, p + 2, v->len - 2U, 0);
		break;
	case DNS_FIELD_BLOB16_LEN:
		// RFC 8945 §4.2 has no text form; this is dnspython's: "len base64"
		dns_txt_put_u64(o, v->len - 2U);
		if (v->len > 2) {
			dns_txt_putc(o, ' ');
			dns_txt_put_base64(o, p + 2, v->len - 2U, 0);
		}
		break;
	case DNS_FIELD_HEX:
		dns_txt_put_hex(o, p, v->len, HEX_CHUNK);
		break;
	case DNS_FIELD_SALT:
		// RFC 5155 §3.3: "-" for an empty salt
		if (p[0] == 0)
			dns_txt_putc(o, '-');
		else
			dns_txt_put_hex(o, p + 1, p[0], 0);
		break;
	case DNS_FIELD_HASH32:
		dns_txt_put_base32hex(o, p + 1, p[0]);
		break;
	case DNS_FIELD_BITMAP:
		dns_bitmap_to_text(p, v->len, o);
		break;
	case DNS_FIELD_NXT_BITMAP:
		dns_nxt_bitmap_to_text(p, v->len, o);
		break;
	case DNS_FIELD_SERVICES:
		dns_services_to_text(p, v->len, o);
		break;
	case DNS_FIELD_EUI48:
	case DNS_FIELD_EUI64:
		put_eui(o, p, v->len);
		break;
	case DNS_FIELD_NSAP:
		dns_txt_puts(o, "0x");
		dns_txt_put_hex(o, p, v->len, 0);
		break;
	case DNS_FIELD_ATMA:
		// BIND's form: AESA as hex, E.164 as "+digits"
		if (p[0] == 0) {
			dns_txt_put_hex(o, p + 1, v->len - 1U, 0);
		} else {
			dns_txt_putc(o, '+');
			dns_txt_put(o, (const char *)p + 1, v->len - 1U);
		}
		break;
	case DNS_FIELD_CERT_TYPE:
		s = dns_cert_type_mnemonic(wire_get_u16(p));
		if (s)
			dns_txt_puts(o, s);
		else
			dns_txt_put_u64(o, wire_get_u16(p));
		break;
	case DNS_FIELD_ALG_NAME:
		s = dns_alg_mnemonic(p[0]);
		if (s)
			dns_txt_puts(o, s);
		else
			dns_txt_put_u64(o, p[0]);
		break;
	case DNS_FIELD_RCODE:
		// RFC 8945 §3 reuses 16 as BADSIG inside TSIG; the field has 16
		// bits, an rcode only 12, so larger values print as numbers.
		if (wire_get_u16(p) == DNS_RCODE_BADSIG)
			dns_txt_puts(o, "BADSIG");
		else if (wire_get_u16(p) > 4095)
			dns_txt_put_u64(o, wire_get_u16(p));
		else
			dns_txt_puts(o, dns_rcode_to_text(wire_get_u16(p), buf));
		break;
	case DNS_FIELD_GATEWAY:
		if (v->len == 0)
			dns_txt_putc(o, '.');
		else if (rd[1] == 1)
			dns_txt_put_ipv4(o, p);
		else if (rd[1] == 2)
			dns_txt_put_ipv6(o, p);
		else
			dns_txt_put_name(o, p);
		break;
	case DNS_FIELD_OPAQUE:
		put_generic(o, p, v->len);
		break;
	case DNS_FIELD_SPECIAL:
		dns_special_to_text(type, rd, len, o);
		break;
	default:
		break;
	}
}

// Valid rdata whose field text would read back as other bytes; it prints in
// the generic form, which RFC 3597 §5 allows for every type. A WKS bitmap may
// legally end in zero octets (RFC 1035 §3.4.2 sets no rule), but a port list
// cannot say how many. A LOC size or precision of mantissa 0 is zero whatever
// its exponent (RFC 1876 §2), and "0.00m" reads back with exponent 0. An
// empty TKEY key prints as nothing, so other data after it would be read as
// the key.
static bool text_inexact(uint16_t type, const uint8_t *rd, size_t len)
{
	bool empty_blob = false;
	if (type == DNS_TYPE_LOC) {
		for (int i = 1; i <= 3; i++)
			if ((rd[i] >> 4) == 0 && (rd[i] & 0x0f) != 0)
				return true;
		return false;
	}
	int nf = dns_type_field_count(type);
	for (int i = 0; i < nf; i++) {
		struct dns_field_view v;
		dns_rdata_field(type, rd, len, i, &v);
		if (v.kind == DNS_FIELD_BLOB16) {
			if (empty_blob && v.len > 2)
				return true;
			empty_blob = empty_blob || v.len == 2;
		}
		if (v.kind != DNS_FIELD_SERVICES)
			continue;
		// the text form writes no trailing zero octet
		if (v.len > 0 && rd[v.off + v.len - 1] == 0)
			return true;
	}
	return false;
}

int dns_rdata_to_text(uint16_t type, const uint8_t *rdata, size_t len, char *out, size_t cap)
{
	struct dns_txt_out o;
	if (!rdata && len)
		return DNS_EINVAL;
	dns_txt_out_init(&o, out, cap);
	if (dns_rdata_check(type, rdata, len) < 0 || text_inexact(type, rdata, len)) {
		if (len > DNS_RDATA_MAXLEN)
			return DNS_ERDATA_LEN;
		put_generic(&o, rdata, len);
		return dns_txt_out_finish(&o);
	}
	int nf = dns_type_field_count(type);
	for (int i = 0; i < nf; i++) {
		struct dns_field_view v;
		dns_rdata_field(type, rdata, len, i, &v);
		size_t mark = o.len;
		if (i)
			dns_txt_putc(&o, ' ');
		size_t start = o.len;
		field_to_text(type, rdata, len, &v, &o);
		// An empty field (no bitmap, absent subaddress) takes no separator.
		if (!o.err && o.len == start)
			o.len = mark;
	}
	return dns_txt_out_finish(&o);
}

int dns_rdata_field_to_text(uint16_t type, const uint8_t *rdata, size_t len, int idx, char *out,
			    size_t cap)
{
	struct dns_field_view v;
	struct dns_txt_out o;
	int rc = dns_rdata_field(type, rdata, len, idx, &v);
	if (rc < 0)
		return rc;
	dns_txt_out_init(&o, out, cap);
	field_to_text(type, rdata, len, &v, &o);
	return dns_txt_out_finish(&o);
}

// ---- presentation → wire ----

// Hex or base64 in every remaining token (they may be split by blanks).
static int rest_decode(struct dns_txt_lex *l, struct wire_wr *w, bool b64, bool need)
{
	struct dns_txt_dec d = {0};
	struct dns_txt_tok t;
	int rc, ntok = 0;
	while ((rc = dns_txt_lex_next(l, &t)) > 0) {
		rc = b64 ? dns_txt_b64_feed(&d, &t, w) : dns_txt_hex_feed(&d, &t, w);
		if (rc < 0)
			return rc;
		ntok++;
	}
	if (rc < 0)
		return rc;
	if (need && ntok == 0)
		return DNS_EMISSING;
	return b64 ? dns_txt_b64_finish(&d) : dns_txt_hex_finish(&d);
}

// One token of hex or base64.
static int tok_decode(const struct dns_txt_tok *t, struct wire_wr *w, bool b64)
{
	struct dns_txt_dec d = {0};
	int rc = b64 ? dns_txt_b64_feed(&d, t, w) : dns_txt_hex_feed(&d, t, w);
	if (rc < 0)
		return rc;
	return b64 ? dns_txt_b64_finish(&d) : dns_txt_hex_finish(&d);
}

static int put_charstr(const struct dns_txt_tok *t, struct wire_wr *w)
{
	uint8_t s[255];
	int n = dns_txt_tok_unescape(t, s, sizeof(s));
	if (n < 0)
		return n;
	wire_write_u8(w, (uint8_t)n);
	wire_write_bytes(w, s, (size_t)n);
	return dns_txt_wr_err(w);
}

static int put_number(const struct dns_txt_tok *t, struct wire_wr *w, int size)
{
	static const uint64_t max[] = {0,	   UINT8_MAX, UINT16_MAX,	0,
				       UINT32_MAX, 0,	      0xffffffffffffULL};
	uint64_t v;
	int rc = dns_txt_tok_uint(t, max[size], &v);
	if (rc < 0)
		return rc;
	if (size == 1)
		wire_write_u8(w, (uint8_t)v);
	else if (size == 2)
		wire_write_u16(w, (uint16_t)v);
	else if (size == 4)
		wire_write_u32(w, (uint32_t)v);
	else
		wire_write_u48(w, v);
	return dns_txt_wr_err(w);
}

static int put_name(const struct dns_txt_tok *t, const uint8_t *origin, struct wire_wr *w)
{
	uint8_t name[DNS_NAME_MAXLEN];
	int n = dns_name_from_text(t->p, t->n, origin, name);
	if (n < 0)
		return n;
	wire_write_bytes(w, name, (size_t)n);
	return dns_txt_wr_err(w);
}

static int read_eui(const struct dns_txt_tok *t, struct wire_wr *w, size_t octets)
{
	// RFC 7043 §3.2/§4.2: exactly xx-xx-…, hex pairs joined by hyphens
	if (t->quoted || t->n != octets * 3 - 1)
		return DNS_EHEX;
	for (size_t i = 0; i < octets; i++) {
		struct dns_txt_tok pair = {t->p + 3 * i, 2, t->off, false};
		if (i + 1 < octets && t->p[3 * i + 2] != '-')
			return DNS_EHEX;
		int rc = tok_decode(&pair, w, false);
		if (rc < 0)
			return rc;
	}
	return 0;
}

// Hex digits with dots anywhere between them (RFC 1706 §5 NSAP, ATMA AESA).
static int dotted_hex(const char *p, size_t n, struct wire_wr *w)
{
	struct dns_txt_dec d = {0};
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '.')
			continue;
		struct dns_txt_tok c = {p + i, 1, 0, false};
		int rc = dns_txt_hex_feed(&d, &c, w);
		if (rc < 0)
			return rc;
	}
	return dns_txt_hex_finish(&d);
}

static int put_nsap(const struct dns_txt_tok *t, struct wire_wr *w)
{
	// RFC 1706 §5: "0x" then hex digits
	if (t->quoted || t->n < 3 || t->p[0] != '0' || (t->p[1] != 'x' && t->p[1] != 'X'))
		return DNS_EHEX;
	return dotted_hex(t->p + 2, t->n - 2, w);
}

static int put_atma(const struct dns_txt_tok *t, struct wire_wr *w)
{
	if (t->quoted || t->n == 0)
		return DNS_EADDR;
	if (t->p[0] == '+') {
		if (t->n < 2)
			return DNS_EADDR;
		for (size_t i = 1; i < t->n; i++)
			if (t->p[i] < '0' || t->p[i] > '9')
				return DNS_EADDR;
		wire_write_u8(w, 1);
		wire_write_bytes(w, t->p + 1, t->n - 1);
		return dns_txt_wr_err(w);
	}
	size_t start = wire_wr_len(w);
	wire_write_u8(w, 0);
	int rc = dotted_hex(t->p, t->n, w);
	if (rc == DNS_ENOSPACE)
		return rc;
	return rc < 0 || wire_wr_len(w) - start != 21 ? DNS_EADDR : 0;
}

static int put_blob16(const struct dns_txt_tok *t, struct wire_wr *w)
{
	uint8_t *lenp = w->pos;
	wire_write_u16(w, 0);
	if (w->err)
		return DNS_ENOSPACE;
	size_t start = wire_wr_len(w);
	int rc = tok_decode(t, w, true);
	if (rc < 0)
		return rc;
	wire_put_u16(lenp, (uint16_t)(wire_wr_len(w) - start));
	return 0;
}

// One field from text. l is positioned at the field's first token.
static int field_from_text(uint16_t type, enum dns_field_kind k, struct dns_txt_lex *l,
			   const uint8_t *origin, struct wire_wr *w)
{
	struct dns_txt_tok t;
	uint64_t v;
	uint32_t u;
	uint16_t u16;
	uint8_t u8, addr[16];
	int rc;

	// Kinds that read a variable number of tokens.
	switch (k) {
	case DNS_FIELD_STRINGS: {
		int ntok = 0;
		while ((rc = dns_txt_lex_next(l, &t)) > 0) {
			rc = put_charstr(&t, w);
			if (rc < 0)
				return rc;
			ntok++;
		}
		return rc < 0 ? rc : ntok ? 0 : DNS_EMISSING;
	}
	case DNS_FIELD_STRING_OPT:
		rc = dns_txt_lex_next(l, &t);
		return rc <= 0 ? rc : put_charstr(&t, w);
	case DNS_FIELD_BASE64:
	case DNS_FIELD_BASE64_FLAT:
		return rest_decode(l, w, true, true);
	case DNS_FIELD_BASE64_OPT:
		return rest_decode(l, w, true, false);
	case DNS_FIELD_HEX:
		return rest_decode(l, w, false, true);
	case DNS_FIELD_BITMAP:
		return dns_bitmap_from_text(l, w);
	case DNS_FIELD_NXT_BITMAP:
		return dns_nxt_bitmap_from_text(l, w);
	case DNS_FIELD_SERVICES:
		return dns_services_from_text(l, w);
	case DNS_FIELD_SPECIAL:
		return dns_special_from_text(type, l, origin, w);
	case DNS_FIELD_OPAQUE:
		return DNS_ENOTYPE;
	case DNS_FIELD_BLOB16:
		// TKEY other data is optional (dnspython leaves it out when empty)
		rc = dns_txt_lex_next(l, &t);
		if (rc == 0) {
			wire_write_u16(w, 0);
			return dns_txt_wr_err(w);
		}
		return rc < 0 ? rc : put_blob16(&t, w);
	case DNS_FIELD_BLOB16_LEN:
		rc = dns_txt_lex_need(l, &t);
		if (rc < 0 || (rc = dns_txt_tok_uint(&t, UINT16_MAX, &v)) < 0)
			return rc;
		if (v == 0) {
			wire_write_u16(w, 0);
			return dns_txt_wr_err(w);
		}
		rc = dns_txt_lex_need(l, &t);
		if (rc < 0)
			return rc;
		{
			size_t start = wire_wr_len(w) + 2;
			rc = put_blob16(&t, w);
			if (rc < 0)
				return rc;
			if (wire_wr_len(w) - start != v) // the length must agree with the data
				return DNS_ESYNTAX;
		}
		return 0;
	default:
		break;
	}

	// Kinds that read exactly one token.
	rc = dns_txt_lex_need(l, &t);
	if (rc < 0)
		return rc;
	switch (k) {
	case DNS_FIELD_NAME:
		return put_name(&t, origin, w);
	case DNS_FIELD_U8:
		return put_number(&t, w, 1);
	case DNS_FIELD_U16:
		return put_number(&t, w, 2);
	case DNS_FIELD_U32:
		return put_number(&t, w, 4);
	case DNS_FIELD_U48:
		return put_number(&t, w, 6);
	case DNS_FIELD_TTL:
		rc = dns_txt_tok_ttl(&t, &u);
		wire_write_u32(w, u);
		break;
	case DNS_FIELD_TIME:
		rc = dns_txt_tok_time(&t, &u);
		wire_write_u32(w, u);
		break;
	case DNS_FIELD_PROTOCOL:
		// RFC 1010 numbers; dnspython also takes the two names WKS needs
		if (dns_txt_tok_is(&t, "tcp"))
			v = 6;
		else if (dns_txt_tok_is(&t, "udp"))
			v = 17;
		else if ((rc = dns_txt_tok_uint(&t, UINT8_MAX, &v)) < 0)
			return rc;
		wire_write_u8(w, (uint8_t)v);
		break;
	case DNS_FIELD_TYPE:
		u16 = 0;
		rc = t.quoted ? DNS_ETYPE : dns_type_from_text(t.p, t.n, &u16);
		wire_write_u16(w, u16);
		break;
	case DNS_FIELD_IPV4:
		rc = dns_txt_tok_ipv4(&t, addr);
		wire_write_bytes(w, addr, 4);
		break;
	case DNS_FIELD_IPV6:
		rc = dns_txt_tok_ipv6(&t, addr);
		wire_write_bytes(w, addr, 16);
		break;
	case DNS_FIELD_STRING:
		return put_charstr(&t, w);
	case DNS_FIELD_TAG:
	case DNS_FIELD_FLOAT: {
		size_t start = wire_wr_len(w);
		rc = put_charstr(&t, w);
		if (rc < 0)
			return rc;
		rc = dns_rdata_field_extent(type, k, w->start, wire_wr_len(w), start);
		return rc < 0 ? rc : 0;
	}
	case DNS_FIELD_STRING_REST: {
		// One string up to 65535 octets; unescaped straight into the rdata.
		rc = dns_txt_tok_unescape(&t, w->pos, wire_wr_left(w));
		if (rc == DNS_ESTRING_LEN)
			return DNS_ENOSPACE;
		if (rc < 0)
			return rc;
		if (rc == 0 && type == DNS_TYPE_URI) // RFC 7553 §4.4
			return DNS_ERDATA_FIELD;
		w->pos += rc;
		return 0;
	}
	case DNS_FIELD_SALT: {
		if (dns_txt_tok_is(&t, "-")) {
			wire_write_u8(w, 0);
			break;
		}
		uint8_t *lenp = w->pos;
		wire_write_u8(w, 0);
		size_t start = wire_wr_len(w);
		rc = tok_decode(&t, w, false);
		if (rc < 0)
			return rc;
		if (wire_wr_len(w) - start > 255)
			return DNS_ESTRING_LEN;
		*lenp = (uint8_t)(wire_wr_len(w) - start);
		break;
	}
	case DNS_FIELD_HASH32: {
		uint8_t h[255];
		rc = dns_txt_tok_base32hex(&t, h, sizeof(h));
		if (rc == 0)
			rc = DNS_EBASE32; // RFC 5155 §3.2: at least one octet
		if (rc < 0)
			return rc;
		wire_write_u8(w, (uint8_t)rc);
		wire_write_bytes(w, h, (size_t)rc);
		rc = 0;
		break;
	}
	case DNS_FIELD_EUI48:
		return read_eui(&t, w, 6);
	case DNS_FIELD_EUI64:
		return read_eui(&t, w, 8);
	case DNS_FIELD_NSAP:
		return put_nsap(&t, w);
	case DNS_FIELD_ATMA:
		return put_atma(&t, w);
	case DNS_FIELD_CERT_TYPE:
		rc = dns_cert_type_from_text(&t, &u16);
		wire_write_u16(w, u16);
		break;
	case DNS_FIELD_ALGORITHM:
	case DNS_FIELD_ALG_NAME:
		rc = dns_alg_from_text(&t, &u8);
		wire_write_u8(w, u8);
		break;
	case DNS_FIELD_RCODE:
		if (dns_txt_tok_uint(&t, UINT16_MAX, &v) == 0)
			u16 = (uint16_t)v;
		else if (t.quoted || dns_rcode_from_text(t.p, t.n, &u16) < 0)
			return DNS_ENUMBER;
		wire_write_u16(w, u16);
		break;
	case DNS_FIELD_GATEWAY:
		// RFC 4025 §3.1: "." for no gateway; otherwise by gateway type
		switch (w->start[1]) {
		case 0:
			return dns_txt_tok_is(&t, ".") ? 0 : DNS_ESYNTAX;
		case 1:
			rc = dns_txt_tok_ipv4(&t, addr);
			wire_write_bytes(w, addr, 4);
			break;
		case 2:
			rc = dns_txt_tok_ipv6(&t, addr);
			wire_write_bytes(w, addr, 16);
			break;
		case 3:
			return put_name(&t, origin, w);
		default:
			return DNS_ERDATA_FIELD;
		}
		break;
	default:
		return DNS_EINVAL;
	}
	if (rc < 0)
		return rc;
	return dns_txt_wr_err(w);
}

// RFC 3597 §5: "\# length hex…".
static int generic_from_text(struct dns_txt_lex *l, struct wire_wr *w)
{
	struct dns_txt_tok t;
	uint64_t len;
	int rc = dns_txt_lex_need(l, &t);
	if (rc < 0)
		return rc;
	if (t.quoted || dns_txt_tok_uint(&t, DNS_RDATA_MAXLEN, &len) < 0)
		return DNS_EGENERIC;
	rc = rest_decode(l, w, false, false);
	if (rc < 0)
		return rc == DNS_EHEX ? DNS_EGENERIC : rc;
	if (wire_wr_len(w) != len) {
		l->tok_off = t.off;
		return DNS_EGENERIC;
	}
	return 0;
}

int dns_rdata_from_text(uint16_t type, const char *s, size_t n, const uint8_t *origin, uint8_t *out,
			size_t cap, size_t *err_off)
{
	struct dns_txt_lex l, peek;
	struct dns_txt_tok t;
	struct wire_wr w;
	int rc;
	if ((!s && n) || !out)
		return DNS_EINVAL;
	dns_txt_lex_init(&l, s, n);
	wire_wr_init(&w, out, cap < DNS_RDATA_MAXLEN ? cap : DNS_RDATA_MAXLEN);

	peek = l;
	if (dns_txt_lex_next(&peek, &t) > 0 && !t.quoted && t.n == 2 && t.p[0] == '\\' &&
	    t.p[1] == '#') {
		l = peek;
		rc = generic_from_text(&l, &w);
		if (rc == 0) {
			// RFC 3597 §5: the generic form of a known type must be valid rdata
			rc = dns_rdata_check(type, out, wire_wr_len(&w));
			if (rc < 0)
				l.tok_off = t.off;
		}
	} else {
		int nf;
		const struct dns_type_desc *d = dns_type_lookup(type);
		nf = d ? d->nfields : 0;
		rc = d ? 0 : DNS_ENOTYPE; // unknown types only in RFC 3597 form
		for (int i = 0; i < nf && rc == 0; i++)
			rc = field_from_text(type, d->fields[i].kind, &l, origin, &w);
		if (rc == 0 && dns_txt_lex_next(&l, &t) != 0)
			rc = DNS_EEXTRA;
		if (rc == 0)
			rc = dns_rdata_check(type, out, wire_wr_len(&w));
	}
	if (rc == WIRE_ENOSPACE || (rc == 0 && w.err))
		rc = DNS_ENOSPACE;
	if (rc < 0) {
		if (err_off)
			*err_off = l.tok_off;
		return rc;
	}
	return (int)wire_wr_len(&w);
}
