/* SPDX-License-Identifier: BSD-3-Clause */
// BER: the OID contents check, the iterative tree walk and the backwards
// writer (the cursor's hot reads are inline in snmp_ber.h).
#include <string.h>

#include <linerate/snmp_ber.h>

// Eight octets without their top bit: eight one-octet sub-identifiers.
static bool eight_short(const uint8_t *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return (w & 0x8080808080808080u) == 0;
}

// One pass. Most sub-identifiers of real OIDs are one octet (below 128),
// taken eight at a time when they come in eights. The count's limit is
// checked before any other fault can be reported and at the end: as it
// only grows, the fault reported is still the first met in octet order.
static inline __attribute__((always_inline)) int oid_check(const uint8_t *p, uint32_t len)
{
	if (len == 0) // X.690 §8.19.2: at least one sub-identifier
		return SNMP_E_OID_EMPTY;
	// the first sub-identifier holds two arcs (X.690 §8.19.4): counting
	// from one, each completed sub-identifier adds one
	unsigned subids = 1;
	uint32_t i = 0;
	while (i < len) {
		if (len - i >= 8 && eight_short(p + i)) {
			subids += 8;
			i += 8;
			continue;
		}
		uint8_t b = p[i++];
		if (b < 0x80) {
			subids++;
			continue;
		}
		if (subids > SNMP_OID_MAX_SUBIDS) // RFC 2578 §3.5
			return SNMP_E_OID_TOO_LONG;
		if (b == 0x80) // X.690 §8.19.2: no padding octet
			return SNMP_E_OID_NONMINIMAL;
		uint32_t v = b & 0x7f;
		do {
			if (i == len)
				return SNMP_E_OID_TRUNCATED;
			if (v > UINT32_MAX >> 7) // RFC 2578 §7.1.3: sub-ids fit 32 bits
				return SNMP_E_OID_SUBID_OVERFLOW;
			b = p[i++];
			v = v << 7 | (b & 0x7f);
		} while (b & 0x80);
		subids++;
	}
	if (subids > SNMP_OID_MAX_SUBIDS)
		return SNMP_E_OID_TOO_LONG;
	return 0;
}

int ber_check_oid(struct ber_cur *c, const uint8_t *p, uint32_t len)
{
	int rc = oid_check(p, len);
	return rc ? ber_fail(c, c->elem, rc) : 0;
}

int ber_oid_check(const uint8_t *p, uint32_t len)
{
	return oid_check(p, len);
}

int ber_walk(const uint8_t *buf, size_t len, unsigned max_depth, size_t *err_off)
{
	struct ber_cur c;
	const uint8_t *ends[BER_WALK_MAX_DEPTH];
	unsigned depth = 0;
	int elements = 0;
	if (!buf || max_depth > BER_WALK_MAX_DEPTH)
		return SNMP_E_INVAL;
	ber_cur_init(&c, buf, len);
	// Each turn reads one header (at least 2 octets) or closes one level:
	// the loop is bounded by the input's length.
	for (;;) {
		while (c.pos == c.end && depth > 0)
			c.end = ends[--depth];
		if (c.pos == c.end)
			break;
		uint8_t tag;
		uint32_t l;
		if (ber_header(&c, &tag, &l))
			break;
		elements++;
		if (!(tag & 0x20)) {
			c.pos += l;
			continue;
		}
		if (depth == max_depth) {
			ber_fail(&c, c.elem, SNMP_E_DEPTH);
			break;
		}
		ends[depth++] = c.end;
		c.end = c.pos + l;
	}
	if (c.err) {
		if (err_off)
			*err_off = c.err_off;
		return c.err;
	}
	return elements;
}

void ber_wr_init(struct ber_wr *w, uint8_t *buf, size_t cap)
{
	w->start = buf;
	w->end = buf + cap;
	w->pos = w->end;
	w->err = buf ? 0 : SNMP_E_INVAL;
}

// Room for n more octets in front of pos.
static uint8_t *wr_room(struct ber_wr *w, size_t n)
{
	if (w->err)
		return NULL;
	if ((size_t)(w->pos - w->start) < n) {
		w->err = SNMP_E_NOSPACE;
		return NULL;
	}
	w->pos -= n;
	return w->pos;
}

void ber_put_raw(struct ber_wr *w, const void *p, size_t n)
{
	uint8_t *d = wr_room(w, n);
	if (d && n)
		memcpy(d, p, n);
}

// Definite length, short form below 128, else the shortest long form
// (X.690 §10.1 for DER; any BER reader takes it).
void ber_put_header(struct ber_wr *w, uint8_t tag, size_t len)
{
	uint8_t h[6];
	size_t n = 0;
	if (len > UINT32_MAX) {
		if (!w->err)
			w->err = SNMP_E_NOSPACE;
		return;
	}
	if (len < 0x80) {
		h[5] = (uint8_t)len;
		n = 1;
	} else {
		for (size_t l = len; l; l >>= 8)
			h[5 - n++] = (uint8_t)l;
		h[5 - n] = (uint8_t)(0x80 | n);
		n++;
	}
	h[5 - n] = tag;
	n++;
	ber_put_raw(w, h + 6 - n, n);
}

void ber_close(struct ber_wr *w, uint8_t tag, size_t mark)
{
	ber_put_header(w, tag, ber_wr_len(w) - mark);
}

// Minimal two's complement (X.690 §8.3.2) of v in at most 9 octets: the
// unsigned types get a leading 00 when their top bit is set.
static void put_integer(struct ber_wr *w, uint8_t tag, uint64_t v, bool is_signed)
{
	uint8_t b[9];
	size_t n = 0;
	do {
		b[8 - n++] = (uint8_t)v;
		v = is_signed ? (uint64_t)((int64_t)v >> 8) : v >> 8;
	} while (n < 9 && !(is_signed ? (v == 0 && !(b[9 - n] & 0x80)) ||
						(v == UINT64_MAX && (b[9 - n] & 0x80))
				      : v == 0 && !(b[9 - n] & 0x80)));
	ber_put_raw(w, b + 9 - n, n);
	ber_put_header(w, tag, n);
}

void ber_put_int32(struct ber_wr *w, uint8_t tag, int32_t v)
{
	put_integer(w, tag, (uint64_t)(int64_t)v, true);
}

void ber_put_uint32(struct ber_wr *w, uint8_t tag, uint32_t v)
{
	put_integer(w, tag, v, false);
}

void ber_put_uint64(struct ber_wr *w, uint8_t tag, uint64_t v)
{
	put_integer(w, tag, v, false);
}

void ber_put_octets(struct ber_wr *w, uint8_t tag, const void *p, size_t n)
{
	ber_put_raw(w, p, n);
	ber_put_header(w, tag, n);
}

void ber_put_null(struct ber_wr *w, uint8_t tag)
{
	ber_put_header(w, tag, 0);
}

int ber_wr_finish(struct ber_wr *w)
{
	if (w->err)
		return w->err;
	size_t n = ber_wr_len(w);
	if (n > INT32_MAX)
		return SNMP_E_NOSPACE;
	memmove(w->start, w->pos, n);
	w->pos = w->start;
	w->end = w->start + n;
	return (int)n;
}
