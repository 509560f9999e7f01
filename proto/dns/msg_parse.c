/* SPDX-License-Identifier: BSD-3-Clause */
// DNS message parsing (RFC 1035 §4.1): the fast path's view (header and first
// question), the validating whole-message parse, and section iteration.
#include <string.h>

#include <linerate/dns_err.h>
#include <linerate/dns_msg.h>
#include <linerate/wire.h>

#include "msg_internal.h"

#define RR_FIXED_LEN 10 // type, class, ttl, rdlength (RFC 1035 §4.1.3)
#define Q_FIXED_LEN  4	// qtype, qclass (RFC 1035 §4.1.2)

// Smallest size the entries of sections s.. could take (RFC 1035 §4.1.2,
// §4.1.3: a root name and the fixed fields). 32 bits: no overflow possible.
static uint32_t min_size_from(const struct dns_header *h, enum dns_section s)
{
	uint32_t n = 0;
	for (int i = s; i < DNS_SECTION_COUNT; i++)
		n += (uint32_t)h->count[i] *
		     (i == DNS_SECTION_QUESTION ? DNS_QUESTION_MINLEN : DNS_RR_MINLEN);
	return n;
}

// The owner name at *pos, then room for the fixed fields that follow it
// (else trunc_err); returns the name's uncompressed length.
static int read_owner(const uint8_t *wire, size_t len, size_t *pos, struct dns_rr_view *rr,
		      size_t fixed, int trunc_err)
{
	rr->owner_off = (uint16_t)*pos;
	int n = dns_name_unpack(wire, len, DNS_HEADER_LEN, pos, NULL);
	if (n >= 0 && len - *pos < fixed)
		return trunc_err;
	return n;
}

// One question at *pos: name, qtype, qclass (RFC 1035 §4.1.2).
static int read_question(const uint8_t *wire, size_t len, size_t *pos, struct dns_rr_view *q)
{
	int n = read_owner(wire, len, pos, q, Q_FIXED_LEN, DNS_ETRUNC_QUESTION);
	if (n < 0)
		return n;
	q->type = wire_get_u16(wire + *pos);
	q->rclass = wire_get_u16(wire + *pos + 2);
	q->ttl = 0;
	q->rdlen = 0;
	q->rdata_off = 0;
	*pos += Q_FIXED_LEN;
	return n;
}

// One RR at *pos: owner, fixed fields, rdata bounds (RFC 1035 §4.1.3).
static int read_rr(const uint8_t *wire, size_t len, size_t *pos, struct dns_rr_view *rr)
{
	int n = read_owner(wire, len, pos, rr, RR_FIXED_LEN, DNS_ETRUNC_RR);
	if (n < 0)
		return n;
	const uint8_t *p = wire + *pos;
	rr->type = wire_get_u16(p);
	rr->rclass = wire_get_u16(p + 2);
	rr->ttl = wire_get_u32(p + 4);
	rr->rdlen = wire_get_u16(p + 8);
	*pos += RR_FIXED_LEN;
	if (rr->rdlen > len - *pos) // RDATA is RDLENGTH octets
		return DNS_ERDLEN;
	rr->rdata_off = (uint16_t)*pos;
	*pos += rr->rdlen;
	return n;
}

// Header, count plausibility and the first question: everything the fast
// path needs. Leaves *pos after the first question.
static int parse_head(struct dns_msg *m, const uint8_t *wire, size_t len, size_t *pos)
{
	memset(m, 0, sizeof(*m));
	m->wire = wire;
	if (!wire)
		return DNS_EINVAL;
	if (len < DNS_HEADER_LEN) // RFC 1035 §4.1.1
		return DNS_ETRUNC_HEADER;
	m->hdr.id = wire_get_u16(wire);
	m->hdr.flags = wire_get_u16(wire + 2);
	for (int s = 0; s < DNS_SECTION_COUNT; s++)
		m->hdr.count[s] = wire_get_u16(wire + 4 + 2 * s);
	if (len > DNS_MSG_MAXLEN) // no transport carries more (RFC 1035 §4.2.2)
		return DNS_EINVAL;
	m->len = (uint16_t)len;
	// Reject counts that cannot fit before looping over them, so a 12-byte
	// packet claiming 65535 records costs nothing.
	if (min_size_from(&m->hdr, DNS_SECTION_QUESTION) > len - DNS_HEADER_LEN)
		return DNS_ECOUNT;

	*pos = DNS_HEADER_LEN;
	m->sec_off[DNS_SECTION_QUESTION] = DNS_HEADER_LEN;
	if (m->hdr.count[DNS_SECTION_QUESTION] == 0) {
		// Valid (RFC 7873 §5.4 cookie-only queries, NOTIFY…); no question:
		// qname_off stays 0.
		m->question_end = DNS_HEADER_LEN;
		return 0;
	}
	struct dns_rr_view q;
	int n = read_question(wire, len, pos, &q);
	if (n < 0)
		return n;
	m->qname_off = q.owner_off;
	m->qname_len = (uint8_t)n;
	m->qtype = q.type;
	m->qclass = q.rclass;
	m->question_end = (uint16_t)*pos;
	return 0;
}

int dns_msg_parse_question(struct dns_msg *m, const uint8_t *wire, size_t len)
{
	size_t pos;
	return parse_head(m, wire, len, &pos);
}

// Section-position rules of the meta records in one RR.
static int check_rr(struct dns_msg *m, enum dns_section s, uint16_t i, int owner_len,
		    const struct dns_rr_view *rr)
{
	const uint8_t *wire = m->wire;
	bool last_additional = s == DNS_SECTION_ADDITIONAL && i + 1 == m->hdr.count[s];
	switch (rr->type) {
	case DNS_TYPE_OPT:
		// RFC 6891 §6.1.1: only in the additional section, at most once,
		// owner the root.
		if (s != DNS_SECTION_ADDITIONAL)
			return DNS_EOPT_SECTION;
		if (m->edns.present)
			return DNS_EOPT_DUP;
		if (owner_len != 1)
			return DNS_EOPT_OWNER;
		return dns_edns_parse_opt(&m->edns, wire, rr->owner_off, rr->rclass, rr->ttl,
					  rr->rdata_off, rr->rdlen, !(m->hdr.flags & DNS_FLAG_QR));
	case DNS_TYPE_TSIG:
		// RFC 8945 §5.1: the last record of the additional section.
		if (!last_additional)
			return DNS_ETSIG_POS;
		m->tsig_off = rr->owner_off;
		return 0;
	default: {
		// Names in the rdata of the RFC 1035 types may be compressed
		// (RFC 3597 §4): check them now so no reader meets a bad pointer.
		int rc = dns_rdata_names_walk(rr->type, wire, rr->rdata_off, rr->rdlen, true, NULL);
		return rc < 0 ? rc : 0;
	}
	}
}

int dns_msg_parse(struct dns_msg *m, const uint8_t *wire, size_t len)
{
	size_t pos;
	int rc = parse_head(m, wire, len, &pos);
	if (rc < 0)
		return rc;

	struct dns_rr_view rr;
	for (uint16_t i = 1; i < m->hdr.count[DNS_SECTION_QUESTION]; i++) {
		rc = read_question(wire, len, &pos, &rr);
		if (rc < 0)
			return rc;
	}
	for (int s = DNS_SECTION_ANSWER; s < DNS_SECTION_COUNT; s++) {
		m->sec_off[s] = (uint16_t)pos;
		if (min_size_from(&m->hdr, s) > len - pos)
			return DNS_ECOUNT;
		for (uint16_t i = 0; i < m->hdr.count[s]; i++) {
			int n = read_rr(wire, len, &pos, &rr);
			if (n < 0)
				return n;
			rc = check_rr(m, s, i, n, &rr);
			if (rc < 0)
				return rc;
		}
	}
	if (pos != len) // RFC 1035 §4.1: the message is the five sections, no more
		return DNS_ETRAILING;
	return 0;
}

void dns_rr_iter_init(struct dns_rr_iter *it, const struct dns_msg *m, enum dns_section s)
{
	it->msg = m;
	it->section = s;
	it->left = m->hdr.count[s];
	it->pos = m->sec_off[s];
}

int dns_rr_iter_next(struct dns_rr_iter *it, struct dns_rr_view *rr)
{
	if (it->left == 0)
		return 0;
	// Offset 0 is the header: the section was never located (the message
	// came from dns_msg_parse_question, or its parse failed before it).
	if (it->pos < DNS_HEADER_LEN)
		return DNS_EINVAL;
	const struct dns_msg *m = it->msg;
	size_t pos = it->pos;
	int rc = it->section == DNS_SECTION_QUESTION ? read_question(m->wire, m->len, &pos, rr)
						     : read_rr(m->wire, m->len, &pos, rr);
	if (rc < 0)
		return rc;
	rr->section = it->section;
	it->pos = (uint16_t)pos;
	it->left--;
	return 1;
}
