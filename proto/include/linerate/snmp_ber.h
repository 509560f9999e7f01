/* SPDX-License-Identifier: BSD-3-Clause */
// BER (X.690) as SNMP uses it: a bounded decoding cursor, a backwards
// encoder into a bounded buffer, an iterative tree check, and OBJECT
// IDENTIFIERs as BER contents, as numbers and as dotted text.
//
// Decoding rules (RFC 3417 §8 restricts SNMP to a subset of BER):
// - identifiers: one octet (the high-tag-number form is refused);
// - lengths: definite only; long form of at most 4 length octets. A long
//   form that a short one could have said (81 05) is accepted: X.690 §8.1.3
//   leaves the choice to the sender and net-snmp accepts it too;
// - INTEGER (Integer32): 1..4 contents octets, two's complement, or 5 when
//   the first only repeats the sign of the next (pyasn1, behind pysnmp,
//   writes -2^31 as ff 80 00 00 00);
//   Counter32/Gauge32/TimeTicks/UInteger32: at most 5 octets, value below
//   2^32, never negative; Counter64: at most 9 octets, below 2^64. Redundant
//   leading 00 (or FF for negative INTEGERs) within those sizes is accepted:
//   agents pad to fixed width, the value stays unambiguous, and net-snmp
//   accepts it; our encoder always writes the minimal form;
// - OBJECT IDENTIFIER: at least one octet, no sub-identifier starting with
//   0x80 (X.690 §8.19.2: a padded sub-identifier would let two encodings of
//   one OID compare different, and we compare OIDs by their octets), every
//   sub-identifier below 2^32 and at most 128 of them (RFC 2578 §3.5).
//
// The decoding cursor reads the SNMP schema field by field without any
// recursion; constructed elements are entered and left through a fixed
// stack of BER_MAX_DEPTH ends. The first failure is sticky, records its
// code and the offset of the element at fault, and every later read does
// nothing. Everything here is allocation-free and thread-compatible (one
// cursor or writer, one thread).
#ifndef LINERATE_SNMP_BER_H
#define LINERATE_SNMP_BER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linerate/snmp_err.h>

// Universal and SNMP application identifiers (RFC 3416 §3, RFC 2578 §7.1).
enum {
	BER_INTEGER = 0x02,
	BER_OCTET_STRING = 0x04,
	BER_NULL = 0x05,
	BER_OID = 0x06,
	BER_SEQUENCE = 0x30,
};

// Constructed elements one cursor may have open at once. The deepest SNMP
// structure is message > scopedPDU > PDU > varbind list > varbind (5).
#define BER_MAX_DEPTH 8
// Deepest nesting ber_walk accepts.
#define BER_WALK_MAX_DEPTH 64

#define SNMP_OID_MAX_SUBIDS 128
// Longest OID contents: the first two arcs share a sub-identifier and each
// sub-identifier takes at most 5 octets.
#define SNMP_OID_ENC_MAX ((SNMP_OID_MAX_SUBIDS - 1) * 5)
// Longest dotted text, NUL included: 128 ten-digit arcs and 127 dots.
#define SNMP_OID_TEXT_MAX (SNMP_OID_MAX_SUBIDS * 11)

struct ber_cur {
	const uint8_t *base; // offsets (err_off) count from here
	const uint8_t *pos;
	const uint8_t *end;		     // end of the innermost open element
	const uint8_t *elem;		     // identifier of the element read last
	const uint8_t *outer[BER_MAX_DEPTH]; // ends of the enclosing elements
	unsigned depth;
	int err;	  // 0 or the first SNMP_E_* met
	uint32_t err_off; // offset from base of the element at fault
};

static inline void ber_cur_init(struct ber_cur *c, const uint8_t *buf, size_t len)
{
	c->base = buf;
	c->pos = buf;
	c->end = buf + len;
	c->elem = buf;
	c->depth = 0;
	c->err = 0;
	c->err_off = 0;
}

// A cursor over p[0..len), a region inside c's buffer, whose offsets still
// count from c's base.
static inline void ber_cur_sub(struct ber_cur *sub, const struct ber_cur *c, const uint8_t *p,
			       size_t len)
{
	ber_cur_init(sub, p, len);
	sub->base = c->base;
}

static inline uint32_t ber_cur_offset(const struct ber_cur *c, const uint8_t *p)
{
	return (uint32_t)(p - c->base);
}

static inline bool ber_cur_at_end(const struct ber_cur *c)
{
	return c->err == 0 && c->pos == c->end;
}

// Records err at element `at` unless an error is already recorded; returns
// the cursor's (first) error.
static inline int ber_fail(struct ber_cur *c, const uint8_t *at, int err)
{
	if (!c->err) {
		c->err = err;
		c->err_off = (uint32_t)(at - c->base);
	}
	return c->err;
}

// Identifier and length of the next element (X.690 §8.1.2, §8.1.3). On
// success the cursor is at its contents, which end no later than the
// enclosing element.
static inline int ber_header(struct ber_cur *c, uint8_t *tag, uint32_t *len)
{
	const uint8_t *p = c->pos;
	*tag = 0; // defined on every path: callers read them only on success,
	*len = 0; // but the compiler cannot always see that
	if (c->err)
		return c->err;
	if (c->end - p < 2)
		return ber_fail(c, p, SNMP_E_TRUNCATED);
	c->elem = p;
	if ((p[0] & 0x1f) == 0x1f)
		return ber_fail(c, p, SNMP_E_TAG_HIGH);
	uint32_t l = p[1];
	const uint8_t *q = p + 2;
	if (l & 0x80) {
		unsigned n = l & 0x7f;
		if (n == 0)
			return ber_fail(c, p, SNMP_E_INDEFINITE_LENGTH);
		if (n > 4) // also 0xff, reserved by X.690 §8.1.3.5 c)
			return ber_fail(c, p, SNMP_E_LENGTH_TOO_LONG);
		if ((size_t)(c->end - q) < n)
			return ber_fail(c, p, SNMP_E_TRUNCATED);
		l = 0;
		for (unsigned i = 0; i < n; i++)
			l = l << 8 | q[i];
		q += n;
	}
	if (l > (size_t)(c->end - q))
		return ber_fail(c, p, SNMP_E_LENGTH_PAST_END);
	*tag = p[0];
	*len = l;
	c->pos = q;
	return 0;
}

// The next element must carry identifier `tag`.
static inline int ber_expect(struct ber_cur *c, uint8_t tag, uint32_t *len)
{
	uint8_t t;
	if (ber_header(c, &t, len))
		return c->err;
	if (t != tag)
		return ber_fail(c, c->elem, SNMP_E_TAG);
	return 0;
}

// Makes the len octets at the cursor (the contents of the element whose
// header was just read) the region reads stay in until ber_leave.
static inline int ber_push(struct ber_cur *c, uint32_t len)
{
	if (c->err)
		return c->err;
	if (c->depth == BER_MAX_DEPTH)
		return ber_fail(c, c->elem, SNMP_E_DEPTH);
	c->outer[c->depth++] = c->end;
	c->end = c->pos + len;
	return 0;
}

// Enters the next element, which must be constructed with identifier tag:
// reads stay inside its contents until ber_leave.
static inline int ber_enter(struct ber_cur *c, uint8_t tag)
{
	uint32_t len;
	if (ber_expect(c, tag, &len))
		return c->err;
	return ber_push(c, len);
}

// Leaves the innermost entered element, which must have been read whole.
static inline int ber_leave(struct ber_cur *c)
{
	if (c->err)
		return c->err;
	if (c->pos != c->end)
		return ber_fail(c, c->pos, SNMP_E_EXTRA);
	c->end = c->outer[--c->depth];
	return 0;
}

// Contents of the next element, which must carry identifier tag (any
// length, zero included).
static inline const uint8_t *ber_read_contents(struct ber_cur *c, uint8_t tag, uint32_t *len)
{
	if (ber_expect(c, tag, len))
		return NULL;
	const uint8_t *p = c->pos;
	c->pos += *len;
	return p;
}

// Value checks over contents octets p[0..len) of the element c->elem.
static inline int ber_get_int32(struct ber_cur *c, const uint8_t *p, uint32_t len, int32_t *v)
{
	if (len == 0)
		return ber_fail(c, c->elem, SNMP_E_INT_EMPTY);
	// a fifth octet only as the sign of the other four (pyasn1 0.4 writes
	// -2^31 as ff 80 00 00 00); anything longer cannot be an Integer32
	if (len > 5 || (len == 5 && p[0] != ((p[1] & 0x80) ? 0xff : 0x00)))
		return ber_fail(c, c->elem, SNMP_E_INT_TOO_LONG);
	uint32_t x = (p[0] & 0x80) ? UINT32_MAX : 0;
	for (uint32_t i = 0; i < len; i++)
		x = x << 8 | p[i];
	*v = (int32_t)x;
	return 0;
}

static inline int ber_get_uint64(struct ber_cur *c, const uint8_t *p, uint32_t len,
				 uint32_t max_len, int too_long, uint64_t *v)
{
	if (len == 0)
		return ber_fail(c, c->elem, SNMP_E_INT_EMPTY);
	if (len > max_len || (len == max_len && p[0] != 0))
		return ber_fail(c, c->elem, too_long);
	if (p[0] & 0x80)
		return ber_fail(c, c->elem, SNMP_E_UINT_NEGATIVE);
	uint64_t x = 0;
	for (uint32_t i = 0; i < len; i++)
		x = x << 8 | p[i];
	*v = x;
	return 0;
}

// Counter32, Gauge32, TimeTicks, UInteger32: 0..2^32-1 (RFC 2578 §7.1).
static inline int ber_get_uint32(struct ber_cur *c, const uint8_t *p, uint32_t len, uint32_t *v)
{
	uint64_t x = 0;
	int rc = ber_get_uint64(c, p, len, 5, SNMP_E_UINT_TOO_LONG, &x);
	*v = (uint32_t)x;
	return rc;
}

// Counter64: 0..2^64-1 (RFC 2578 §7.1.10).
static inline int ber_get_counter64(struct ber_cur *c, const uint8_t *p, uint32_t len, uint64_t *v)
{
	return ber_get_uint64(c, p, len, 9, SNMP_E_U64_TOO_LONG, v);
}

// OBJECT IDENTIFIER contents (X.690 §8.19, RFC 2578 §3.5): see the rules
// at the top. Returns 0 or the error, recorded at c->elem.
int ber_check_oid(struct ber_cur *c, const uint8_t *p, uint32_t len);
// The same check without a cursor: 0 or the SNMP_E_* code.
int ber_oid_check(const uint8_t *p, uint32_t len);

// Reads an element with identifier tag as a signed 32-bit value.
static inline int ber_read_int32(struct ber_cur *c, uint8_t tag, int32_t *v)
{
	uint32_t len;
	const uint8_t *p = ber_read_contents(c, tag, &len);
	return p ? ber_get_int32(c, p, len, v) : c->err;
}

static inline int ber_read_uint32(struct ber_cur *c, uint8_t tag, uint32_t *v)
{
	uint32_t len;
	const uint8_t *p = ber_read_contents(c, tag, &len);
	return p ? ber_get_uint32(c, p, len, v) : c->err;
}

static inline int ber_read_oid(struct ber_cur *c, const uint8_t **oid, uint32_t *len)
{
	const uint8_t *p = ber_read_contents(c, BER_OID, len);
	if (!p)
		return c->err;
	*oid = p;
	return ber_check_oid(c, p, *len);
}

// Checks that buf[0..len) is a run of complete BER elements, descending
// into constructed ones (bit 0x20) with an explicit stack, never recursion:
// at most max_depth (<= BER_WALK_MAX_DEPTH) levels. The same identifier and
// length rules as the cursor. For structure that no schema fixes (a tool
// dumping unknown BER) and as an independent check of what the SNMP
// decoder accepts. Returns the number of elements, or an error with
// *err_off (may be NULL) set to the offending element's offset.
int ber_walk(const uint8_t *buf, size_t len, unsigned max_depth, size_t *err_off);

// Backwards writer: elements are written last octet first, from the end of
// the buffer towards its start, so every length is known when its header
// is written (a constructed element is closed after its contents). One
// pass, exact lengths, no length pre-computation and no moving of
// contents; ber_wr_finish moves the finished message to the buffer's start
// once. Errors are sticky: after SNMP_E_NOSPACE writes do nothing.
struct ber_wr {
	uint8_t *start;
	uint8_t *pos; // first written octet; the output is [pos, end)
	uint8_t *end;
	int err;
};

void ber_wr_init(struct ber_wr *w, uint8_t *buf, size_t cap);

// Octets written so far; a constructed element remembers this value
// before writing its contents and passes it to ber_close.
static inline size_t ber_wr_len(const struct ber_wr *w)
{
	return (size_t)(w->end - w->pos);
}

void ber_put_raw(struct ber_wr *w, const void *p, size_t n);
void ber_put_header(struct ber_wr *w, uint8_t tag, size_t len);
// Closes the constructed element whose contents began at mark.
void ber_close(struct ber_wr *w, uint8_t tag, size_t mark);
void ber_put_int32(struct ber_wr *w, uint8_t tag, int32_t v);
void ber_put_uint32(struct ber_wr *w, uint8_t tag, uint32_t v);
void ber_put_uint64(struct ber_wr *w, uint8_t tag, uint64_t v);
void ber_put_octets(struct ber_wr *w, uint8_t tag, const void *p, size_t n);
void ber_put_null(struct ber_wr *w, uint8_t tag);

// Moves the output to the start of the buffer; returns its length, or the
// writer's error.
int ber_wr_finish(struct ber_wr *w);

// OBJECT IDENTIFIER contents <-> arcs <-> dotted text ("1.3.6.1.2.1.1.3.0",
// a leading dot accepted on input). Return the count of arcs, octets or
// characters (text is NUL-terminated, the NUL not counted), or an error:
// SNMP_E_NOSPACE when out is too small, the decoder's OID codes for bad
// contents, SNMP_E_OID_ARCS / SNMP_E_OID_SUBID_OVERFLOW / SNMP_E_OID_TEXT
// for arcs and text that name no OID.
int snmp_oid_decode(const uint8_t *enc, size_t len, uint32_t *arcs, size_t cap);
int snmp_oid_encode(const uint32_t *arcs, size_t n, uint8_t *out, size_t cap);
int snmp_oid_to_text(const uint8_t *enc, size_t len, char *out, size_t cap);
int snmp_oid_from_text(const char *text, size_t len, uint8_t *out, size_t cap);

#endif
