/* SPDX-License-Identifier: BSD-3-Clause */
// DNS message builder: header, questions, RRs and RRsets written all or
// nothing within a size limit, names compressed (RFC 1035 §4.1.4), OPT last
// with its space reserved ahead.
#include <string.h>

#include <linerate/dns_err.h>
#include <linerate/dns_msg.h>
#include <linerate/dns_rdata.h>
#include <linerate/wire.h>

#include "msg_internal.h"

#define DNS_PTR_MAX 0x3fff // RFC 1035 §4.1.4: a pointer holds a 14-bit offset

static inline uint8_t lower(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') ? (uint8_t)(c | 0x20) : c;
}

static void write_counts(struct dns_builder *b)
{
	for (int s = 0; s < DNS_SECTION_COUNT; s++)
		wire_put_u16(b->buf + 4 + 2 * s, b->count[s]);
}

// Whether the name this builder wrote at buf[off] (with its own pointers,
// which always lead backwards to names it wrote) equals name. Letter case is
// ignored as in every name comparison (RFC 4343 §3), so an answer's owner
// points at the question's name and carries its case back to the client.
static bool written_name_equal(const uint8_t *buf, size_t off, const uint8_t *name)
{
	for (;;) {
		uint8_t c = buf[off];
		if ((c & 0xc0) == 0xc0) {
			off = ((size_t)(c & 0x3f) << 8) | buf[off + 1];
			continue;
		}
		if (c != *name)
			return false;
		if (c == 0)
			return true;
		for (uint8_t i = 1; i <= c; i++)
			if (lower(buf[off + i]) != lower(name[i]))
				return false;
		off += c + 1u;
		name += c + 1u;
	}
}

// Offset of a written name equal to name, or -1.
static int comp_find(const struct dns_builder *b, const uint8_t *name)
{
	for (int i = 0; i < b->ncomp; i++)
		if (written_name_equal(b->buf, b->comp_off[i], name))
			return b->comp_off[i];
	return -1;
}

// Write name with its longest suffix already in the message replaced by a
// pointer, and remember the new suffixes it adds. The root alone is never
// worth a pointer (one octet against two).
static void put_name(struct dns_builder *b, struct wire_wr *w, const uint8_t *name)
{
	size_t lit = 0; // octets written as labels, before the pointer or root
	int ptr = -1;
	for (; name[lit]; lit += name[lit] + 1u)
		if ((ptr = comp_find(b, name + lit)) >= 0)
			break;
	size_t at = wire_wr_len(w);
	wire_write_bytes(w, name, lit);
	if (ptr >= 0)
		wire_write_u16(w, (uint16_t)(0xc000 | ptr));
	else
		wire_write_u8(w, 0);
	if (w->err)
		return;
	for (size_t k = 0; k < lit && b->ncomp < DNS_COMP_MAX; k += name[k] + 1u) {
		if (at + k > DNS_PTR_MAX)
			break;
		b->comp_off[b->ncomp++] = (uint16_t)(at + k);
	}
}

// A cursor over buf[len, end): end is the limit less the reservation for
// RRs, the full limit for the OPT that reservation was for.
static void builder_wr(const struct dns_builder *b, struct wire_wr *w, bool use_reserved)
{
	size_t end = b->limit - (use_reserved ? 0 : b->reserved);
	wire_wr_init(w, b->buf, end);
	w->pos += b->len;
}

// Commit what w wrote into section s, or undo it all.
static int builder_commit(struct dns_builder *b, const struct wire_wr *w,
			  const struct dns_builder_mark *mk, enum dns_section s)
{
	if (w->err) {
		dns_builder_rollback(b, mk);
		return DNS_ENOSPACE;
	}
	b->len = (uint16_t)wire_wr_len(w);
	b->section = s;
	b->count[s]++;
	write_counts(b);
	return 0;
}

int dns_builder_init(struct dns_builder *b, uint8_t *buf, size_t cap, size_t limit, uint16_t id,
		     uint16_t flags)
{
	if (!b || !buf)
		return DNS_EINVAL;
	if (cap < DNS_HEADER_LEN)
		return DNS_ENOSPACE;
	if (limit < DNS_HEADER_LEN)
		return DNS_EINVAL;
	memset(b, 0, sizeof(*b));
	b->buf = buf;
	b->cap = (uint16_t)(cap > DNS_MSG_MAXLEN ? DNS_MSG_MAXLEN : cap);
	b->limit = (uint16_t)(limit > b->cap ? b->cap : limit);
	b->len = DNS_HEADER_LEN;
	b->section = DNS_SECTION_QUESTION;
	wire_put_u16(buf, id);
	wire_put_u16(buf + 2, flags);
	write_counts(b);
	return 0;
}

void dns_builder_set_flags(struct dns_builder *b, uint16_t flags)
{
	wire_put_u16(b->buf + 2, flags);
}

int dns_builder_reserve(struct dns_builder *b, uint16_t n)
{
	if ((size_t)b->len + n > b->limit)
		return DNS_ENOSPACE;
	b->reserved = n;
	return 0;
}

void dns_builder_mark(const struct dns_builder *b, struct dns_builder_mark *mk)
{
	mk->len = b->len;
	memcpy(mk->count, b->count, sizeof(mk->count));
	mk->section = b->section;
	mk->ncomp = b->ncomp;
}

void dns_builder_rollback(struct dns_builder *b, const struct dns_builder_mark *mk)
{
	b->len = mk->len;
	memcpy(b->count, mk->count, sizeof(b->count));
	b->section = mk->section;
	b->ncomp = mk->ncomp;
	write_counts(b);
}

int dns_builder_question(struct dns_builder *b, const uint8_t *name, uint16_t qtype,
			 uint16_t qclass)
{
	if (!b || !name || b->section != DNS_SECTION_QUESTION)
		return DNS_EINVAL;
	struct dns_builder_mark mk;
	struct wire_wr w;
	dns_builder_mark(b, &mk);
	builder_wr(b, &w, false);
	put_name(b, &w, name);
	wire_write_u16(&w, qtype);
	wire_write_u16(&w, qclass);
	return builder_commit(b, &w, &mk, DNS_SECTION_QUESTION);
}

// Owner, type, class, TTL and a zero RDLENGTH; returns where RDLENGTH is.
static size_t put_rr_head(struct dns_builder *b, struct wire_wr *w, const uint8_t *owner,
			  uint16_t type, uint16_t rclass, uint32_t ttl)
{
	put_name(b, w, owner);
	wire_write_u16(w, type);
	wire_write_u16(w, rclass);
	wire_write_u32(w, ttl);
	size_t at = wire_wr_len(w);
	wire_write_u16(w, 0);
	return at;
}

// RDLENGTH counts what was written after it (RFC 1035 §4.1.3).
static void patch_rdlen(struct wire_wr *w, size_t at)
{
	if (!w->err)
		wire_put_u16(w->start + at, (uint16_t)(wire_wr_len(w) - at - 2));
}

static bool rr_section_ok(const struct dns_builder *b, enum dns_section s)
{
	return s > DNS_SECTION_QUESTION && s < DNS_SECTION_COUNT && s >= b->section;
}

int dns_builder_rr(struct dns_builder *b, enum dns_section s, const uint8_t *owner, uint16_t type,
		   uint16_t rclass, uint32_t ttl, const uint8_t *rdata, uint16_t rdlen)
{
	if (!b || !owner || (!rdata && rdlen) || !rr_section_ok(b, s))
		return DNS_EINVAL;
	// Only the RFC 1035 types' rdata names are compressed (RFC 3597 §4); a
	// malformed one is refused rather than sent.
	uint16_t offs[DNS_RDATA_MAXNAMES];
	int nnames = dns_rdata_compressible_names(type, rdata, rdlen, offs);
	if (nnames < 0)
		return nnames;

	struct dns_builder_mark mk;
	struct wire_wr w;
	dns_builder_mark(b, &mk);
	builder_wr(b, &w, false);
	size_t rdlen_at = put_rr_head(b, &w, owner, type, rclass, ttl);
	size_t done = 0;
	for (int i = 0; i < nnames; i++) {
		wire_write_bytes(&w, rdata + done, offs[i] - done);
		put_name(b, &w, rdata + offs[i]);
		done = offs[i] + dns_name_length(rdata + offs[i]);
	}
	wire_write_bytes(&w, rdata + done, rdlen - done);
	patch_rdlen(&w, rdlen_at);
	return builder_commit(b, &w, &mk, s);
}

int dns_builder_rrset(struct dns_builder *b, enum dns_section s, const uint8_t *owner,
		      uint16_t type, uint16_t rclass, uint32_t ttl, const uint8_t *const *rdata,
		      const uint16_t *rdlen, size_t n)
{
	if (!b || (n && (!rdata || !rdlen)))
		return DNS_EINVAL;
	struct dns_builder_mark mk;
	dns_builder_mark(b, &mk);
	for (size_t i = 0; i < n; i++) {
		int rc = dns_builder_rr(b, s, owner, type, rclass, ttl, rdata[i], rdlen[i]);
		if (rc < 0) {
			dns_builder_rollback(b, &mk);
			return rc;
		}
	}
	return 0;
}

int dns_builder_opt(struct dns_builder *b, uint16_t udp_size, uint8_t ext_rcode, uint8_t version,
		    uint16_t flags, const struct dns_edns_opt *opts, size_t nopts)
{
	if (!b || (nopts && !opts) || !rr_section_ok(b, DNS_SECTION_ADDITIONAL))
		return DNS_EINVAL;
	size_t optlen = 0;
	for (size_t i = 0; i < nopts; i++) {
		if (opts[i].len && !opts[i].data)
			return DNS_EINVAL;
		optlen += 4 + (size_t)opts[i].len;
	}
	if (optlen > DNS_RDATA_MAXLEN)
		return DNS_EINVAL;

	struct dns_builder_mark mk;
	struct wire_wr w;
	dns_builder_mark(b, &mk);
	// The reservation was held for this record: write into it.
	builder_wr(b, &w, true);
	// RFC 6891 §6.1.2: root owner, CLASS = payload size, TTL = extended
	// rcode, version, DO and Z; §6.1.3.
	uint32_t ttl = (uint32_t)ext_rcode << 24 | (uint32_t)version << 16 | flags;
	static const uint8_t root[1];
	size_t rdlen_at = put_rr_head(b, &w, root, DNS_TYPE_OPT, udp_size, ttl);
	for (size_t i = 0; i < nopts; i++) {
		wire_write_u16(&w, opts[i].code);
		wire_write_u16(&w, opts[i].len);
		wire_write_bytes(&w, opts[i].data, opts[i].len);
	}
	patch_rdlen(&w, rdlen_at);
	int rc = builder_commit(b, &w, &mk, DNS_SECTION_ADDITIONAL);
	if (rc == 0)
		b->reserved = 0;
	return rc;
}

int dns_builder_finish(struct dns_builder *b)
{
	write_counts(b);
	return b->len;
}
