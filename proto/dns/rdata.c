/* SPDX-License-Identifier: BSD-3-Clause */
// Rdata on the wire: the schema walk behind validation, decompression, the
// field view and canonical form. See linerate/dns_rdata.h.
#include <string.h>

#include <linerate/dns_err.h>
#include <linerate/dns_name.h>
#include <linerate/dns_rdata.h>

#include "rdata_impl.h"

static const struct dns_rdata_field unknown_field = {"RDATA", DNS_FIELD_OPAQUE};

static const struct dns_rdata_field *schema(uint16_t type, int *n)
{
	const struct dns_type_desc *d = dns_type_lookup(type);
	if (!d) {
		*n = 1;
		return &unknown_field;
	}
	*n = d->nfields;
	return d->fields;
}

static bool alnum(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// GPOS (RFC 1712 §3): a real number as text, optional sign, one optional
// decimal point, at least one digit.
static bool float_string(const uint8_t *p, size_t n)
{
	size_t i = 0, digits = 0, dots = 0;
	if (n > 0 && (p[0] == '-' || p[0] == '+'))
		i = 1;
	for (; i < n; i++) {
		if (p[i] == '.')
			dots++;
		else if (p[i] >= '0' && p[i] <= '9')
			digits++;
		else
			return false;
	}
	return digits > 0 && dots <= 1;
}

// One <character-string> at rd[off]: its total length or an error.
static int charstr_extent(const uint8_t *rd, size_t len, size_t off)
{
	if (off >= len)
		return DNS_ERDATA_SHORT;
	if (off + 1 + rd[off] > len)
		return DNS_ERDATA_SHORT;
	return 1 + rd[off];
}

static int fixed_size(enum dns_field_kind k)
{
	switch (k) {
	case DNS_FIELD_U8:
	case DNS_FIELD_PROTOCOL:
	case DNS_FIELD_ALGORITHM:
	case DNS_FIELD_ALG_NAME:
		return 1;
	case DNS_FIELD_U16:
	case DNS_FIELD_TYPE:
	case DNS_FIELD_CERT_TYPE:
	case DNS_FIELD_RCODE:
		return 2;
	case DNS_FIELD_U32:
	case DNS_FIELD_TTL:
	case DNS_FIELD_TIME:
	case DNS_FIELD_IPV4:
		return 4;
	case DNS_FIELD_U48:
	case DNS_FIELD_EUI48:
		return 6;
	case DNS_FIELD_EUI64:
		return 8;
	case DNS_FIELD_IPV6:
		return 16;
	default:
		return 0;
	}
}

int dns_rdata_field_extent(uint16_t type, enum dns_field_kind k, const uint8_t *rd, size_t len,
			   size_t off)
{
	size_t rest = len - off;
	int fs = fixed_size(k);
	int n;
	if (fs)
		return rest < (size_t)fs ? DNS_ERDATA_SHORT : fs;
	switch (k) {
	case DNS_FIELD_NAME: {
		size_t pos = off;
		n = dns_name_unpack_flat(rd, len, &pos, NULL);
		if (n == DNS_ETRUNC_NAME) // RFC 1035 §3.3: the name is part of the rdata
			return DNS_ERDATA_SHORT;
		return n < 0 ? n : (int)(pos - off);
	}
	case DNS_FIELD_STRING:
		return charstr_extent(rd, len, off);
	case DNS_FIELD_STRING_OPT:
		return rest == 0 ? 0 : charstr_extent(rd, len, off);
	case DNS_FIELD_TAG:
	case DNS_FIELD_FLOAT:
		n = charstr_extent(rd, len, off);
		if (n < 0)
			return n;
		if (k == DNS_FIELD_FLOAT && !float_string(rd + off + 1, rd[off]))
			return DNS_ERDATA_FIELD;
		if (k == DNS_FIELD_TAG) {
			// RFC 8659 §4.1: tag of 1..15 (we allow 255) letters and digits
			if (rd[off] == 0)
				return DNS_ERDATA_FIELD;
			for (size_t i = 1; i <= rd[off]; i++)
				if (!alnum(rd[off + i]))
					return DNS_ERDATA_FIELD;
		}
		return n;
	case DNS_FIELD_STRINGS: {
		// RFC 1035 §3.3.14: one or more <character-string>s
		size_t p = off;
		if (rest == 0)
			return DNS_ERDATA_SHORT;
		while (p < len) {
			n = charstr_extent(rd, len, p);
			if (n < 0)
				return n;
			p += (size_t)n;
		}
		return (int)(p - off);
	}
	case DNS_FIELD_BASE64:
	case DNS_FIELD_BASE64_FLAT:
	case DNS_FIELD_HEX:
	case DNS_FIELD_NSAP:
		return rest == 0 ? DNS_ERDATA_SHORT : (int)rest;
	case DNS_FIELD_STRING_REST:
		// RFC 7553 §4.4: a URI target is never empty (a CAA value may be)
		if (rest == 0 && type == DNS_TYPE_URI)
			return DNS_ERDATA_SHORT;
		return (int)rest;
	case DNS_FIELD_BASE64_OPT:
	case DNS_FIELD_OPAQUE:
	case DNS_FIELD_SERVICES:
		return (int)rest;
	case DNS_FIELD_BLOB16:
	case DNS_FIELD_BLOB16_LEN:
		if (rest < 2 || rest - 2 < wire_get_u16(rd + off))
			return DNS_ERDATA_SHORT;
		return 2 + wire_get_u16(rd + off);
	case DNS_FIELD_SALT:
		return charstr_extent(rd, len, off);
	case DNS_FIELD_HASH32:
		n = charstr_extent(rd, len, off);
		// RFC 5155 §3.2: the hash is at least one octet
		return n == 1 ? DNS_ERDATA_FIELD : n;
	case DNS_FIELD_BITMAP:
		n = dns_bitmap_check(rd + off, rest);
		return n < 0 ? n : (int)rest;
	case DNS_FIELD_NXT_BITMAP:
		n = dns_nxt_bitmap_check(rd + off, rest);
		return n < 0 ? n : (int)rest;
	case DNS_FIELD_ATMA:
		// ATM Forum af-saa-0069: format 0 (AESA, 20 octets) or 1 (E.164 digits)
		if (rest < 2)
			return DNS_ERDATA_SHORT;
		if (rd[off] == 0)
			return rest == 21 ? (int)rest : DNS_ERDATA_FIELD;
		if (rd[off] != 1)
			return DNS_ERDATA_FIELD;
		for (size_t i = 1; i < rest; i++)
			if (rd[off + i] < '0' || rd[off + i] > '9')
				return DNS_ERDATA_FIELD;
		return (int)rest;
	case DNS_FIELD_GATEWAY: {
		// RFC 4025 §2.3–2.5: form chosen by the gateway type (octet 1)
		size_t pos = off;
		switch (rd[1]) {
		case 0:
			return 0;
		case 1:
			return rest < 4 ? DNS_ERDATA_SHORT : 4;
		case 2:
			return rest < 16 ? DNS_ERDATA_SHORT : 16;
		case 3:
			n = dns_name_unpack_flat(rd, len, &pos, NULL);
			if (n == DNS_ETRUNC_NAME)
				return DNS_ERDATA_SHORT;
			return n < 0 ? n : (int)(pos - off);
		default:
			return DNS_ERDATA_FIELD;
		}
	}
	case DNS_FIELD_SPECIAL:
		n = dns_special_check(type, rd, len);
		return n < 0 ? n : (int)rest;
	default:
		return DNS_EINVAL;
	}
}

// Walk the fields of rd up to and including index stop (or all, stop < 0),
// filling views. Returns the number of fields walked or an error.
static int walk(uint16_t type, const uint8_t *rd, size_t len, int stop, struct dns_field_view *v)
{
	int nf;
	const struct dns_rdata_field *f = schema(type, &nf);
	size_t off = 0;
	if (len > DNS_RDATA_MAXLEN)
		return DNS_ERDATA_LEN;
	for (int i = 0; i < nf; i++) {
		int n = dns_rdata_field_extent(type, f[i].kind, rd, len, off);
		if (n < 0)
			return n;
		if (i == stop) {
			v->name = f[i].name;
			v->kind = f[i].kind;
			v->off = (uint16_t)off;
			v->len = (uint16_t)n;
		}
		off += (size_t)n;
	}
	if (off != len) // RFC 3597 §4: rdata is exactly its fields
		return DNS_ERDATA_LONG;
	return nf;
}

int dns_rdata_check(uint16_t type, const uint8_t *rdata, size_t len)
{
	if (!rdata && len)
		return DNS_EINVAL;
	int rc = walk(type, rdata, len, -1, NULL);
	return rc < 0 ? rc : 0;
}

int dns_rdata_unpack(const uint8_t *msg, size_t msglen, size_t off, uint16_t rdlen, uint16_t type,
		     uint8_t *out, size_t cap)
{
	if (!msg || !out || off > msglen)
		return DNS_EINVAL;
	if (msglen - off < rdlen)
		return DNS_ERDLEN;
	const struct dns_type_desc *d = dns_type_lookup(type);
	size_t end = off + rdlen;
	size_t o = 0;
	if (!d || !(d->flags & DNS_TF_DECOMPRESS)) {
		// Nothing to expand: the names of these types are never compressed,
		// and the flat check below turns a pointer into DNS_EPTR_FORBIDDEN.
		if (cap < rdlen)
			return DNS_ENOSPACE;
		if (rdlen)
			memcpy(out, msg + off, rdlen);
		o = rdlen;
	} else {
		size_t pos = off;
		for (int i = 0; i < d->nfields; i++) {
			if (d->fields[i].kind == DNS_FIELD_NAME) {
				uint8_t name[DNS_NAME_MAXLEN];
				// RFC 3597 §4: decompress the names of the types it lists
				int n = dns_name_unpack(msg, msglen, 12, &pos, name);
				if (n == DNS_ETRUNC_NAME || (n >= 0 && pos > end))
					return DNS_ERDATA_SHORT;
				if (n < 0)
					return n;
				if (cap - o < (size_t)n)
					return DNS_ENOSPACE;
				memcpy(out + o, name, (size_t)n);
				o += (size_t)n;
				continue;
			}
			int n = dns_rdata_field_extent(type, d->fields[i].kind, msg + off, rdlen,
						       pos - off);
			if (n < 0)
				return n;
			if (cap - o < (size_t)n)
				return DNS_ENOSPACE;
			memcpy(out + o, msg + pos, (size_t)n);
			o += (size_t)n;
			pos += (size_t)n;
		}
		if (pos != end)
			return DNS_ERDATA_LONG;
	}
	int rc = dns_rdata_check(type, out, o);
	return rc < 0 ? rc : (int)o;
}

int dns_rdata_field(uint16_t type, const uint8_t *rdata, size_t len, int idx,
		    struct dns_field_view *f)
{
	if (!f || (!rdata && len) || idx < 0 || idx >= dns_type_field_count(type))
		return DNS_EINVAL;
	int rc = walk(type, rdata, len, idx, f);
	return rc < 0 ? rc : 0;
}

int dns_rdata_field_by_name(uint16_t type, const uint8_t *rdata, size_t len, const char *name,
			    struct dns_field_view *f)
{
	int idx = dns_type_field_index(type, name);
	if (idx < 0)
		return idx;
	int rc = dns_rdata_field(type, rdata, len, idx, f);
	return rc < 0 ? rc : idx;
}

int dns_rdata_canonicalize(uint16_t type, uint8_t *rdata, size_t len)
{
	const struct dns_type_desc *d = dns_type_lookup(type);
	int rc = dns_rdata_check(type, rdata, len);
	if (rc < 0)
		return rc;
	// RFC 4034 §6.2 item 3 as corrected by RFC 6840 §5.1 (NSEC left out)
	if (!d || !(d->flags & DNS_TF_CANON_LOWER))
		return 0;
	for (int i = 0; i < d->nfields; i++) {
		struct dns_field_view v = {0};
		if (d->fields[i].kind == DNS_FIELD_SPECIAL) {
			dns_special_canonicalize(type, rdata, len);
		} else if (d->fields[i].kind == DNS_FIELD_NAME) {
			// checked above, so the walk reaches the field; never
			// lower what it did not find
			int w = walk(type, rdata, len, i, &v);
			if (w < 0)
				return w;
			dns_name_to_lower(rdata + v.off);
		}
	}
	return 0;
}
