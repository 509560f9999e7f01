/* SPDX-License-Identifier: BSD-3-Clause */
// Whole messages. Anything dns_msg_parse accepts must iterate cleanly, its
// names and rdata must unpack, every rdata must print and read back to the
// same octets, and the builder must re-emit the message into one that
// parses to the same records.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <linerate/dns_err.h>
#include <linerate/dns_msg.h>
#include <linerate/dns_name.h>
#include <linerate/dns_rdata.h>

#include "fuzz_rdata_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_OPTS 64 // EDNS options carried over to the rebuilt message

// One record as the parser shows it, names and rdata uncompressed.
struct rec {
	uint8_t owner[DNS_NAME_MAXLEN];
	uint16_t type, rclass;
	uint32_t ttl;
	int rdlen;
	uint8_t rdata[DNS_RDATA_MAXLEN];
};

static int next_rec(const struct dns_msg *m, struct dns_rr_iter *it, struct rec *r)
{
	struct dns_rr_view rr;
	int rc = dns_rr_iter_next(it, &rr);
	if (rc != 1)
		return rc;
	size_t pos = rr.owner_off;
	if (dns_name_unpack(m->wire, m->len, DNS_HEADER_LEN, &pos, r->owner) < 0)
		__builtin_trap(); // the parser validated every name
	r->type = rr.type;
	r->rclass = rr.rclass;
	r->ttl = rr.ttl;
	r->rdlen = 0;
	if (it->section == DNS_SECTION_QUESTION || rr.type == DNS_TYPE_OPT)
		return 1;
	r->rdlen = dns_rdata_unpack(m->wire, m->len, rr.rdata_off, rr.rdlen, rr.type, r->rdata,
				    sizeof(r->rdata));
	return 1;
}

// False when the options do not all fit in opts[].
static bool rebuild_opt(struct dns_builder *b, const struct dns_msg *m)
{
	struct dns_edns_opt opts[MAX_OPTS];
	struct dns_edns_opt_iter oi;
	size_t n = 0;
	uint16_t code, len;
	const uint8_t *data;
	int rc;
	dns_edns_opt_iter_init(&oi, m);
	while ((rc = dns_edns_opt_iter_next(&oi, &code, &data, &len)) == 1) {
		if (n == MAX_OPTS)
			return false;
		opts[n++] = (struct dns_edns_opt){.code = code, .len = len, .data = data};
	}
	if (rc < 0)
		__builtin_trap(); // the parser checked the options fit
	rc = dns_builder_opt(b, m->edns.udp_size, m->edns.ext_rcode, m->edns.version, m->edns.flags, opts,
			     n);
	if (rc < 0 && rc != DNS_ENOSPACE)
		__builtin_trap();
	return rc == 0;
}

// Re-emit every record of m through the builder (original order, OPT where
// it stood). Returns the new length, or 0 when the rebuilt message would
// not fit (our compression may be weaker than the sender's) or has more
// EDNS options than we carry over.
static int rebuild(const struct dns_msg *m, uint8_t *out, size_t cap)
{
	static struct rec r;
	struct dns_builder b;
	if (dns_builder_init(&b, out, cap, cap, m->hdr.id, m->hdr.flags) != 0)
		__builtin_trap();
	for (int s = DNS_SECTION_QUESTION; s < DNS_SECTION_COUNT; s++) {
		struct dns_rr_iter it;
		int rc;
		dns_rr_iter_init(&it, m, (enum dns_section)s);
		while ((rc = next_rec(m, &it, &r)) == 1) {
			if (s == DNS_SECTION_QUESTION)
				rc = dns_builder_question(&b, r.owner, r.type, r.rclass);
			else if (r.type == DNS_TYPE_OPT) {
				if (!rebuild_opt(&b, m))
					return 0;
				continue;
			} else
				rc = dns_builder_rr(&b, (enum dns_section)s, r.owner, r.type, r.rclass, r.ttl,
						   r.rdata, (uint16_t)r.rdlen);
			if (rc == DNS_ENOSPACE)
				return 0;
			if (rc < 0)
				__builtin_trap();
		}
		if (rc < 0)
			__builtin_trap();
	}
	int len = dns_builder_finish(&b);
	if (len < DNS_HEADER_LEN)
		__builtin_trap();
	return len;
}

// The builder may compress a name onto an earlier one that differs only in
// letter case (RFC 1035 §4.1.4 compares names case-insensitively), so names
// are compared that way, and rdata in its RFC 4034 §6.2 canonical form.
static bool same_rec(struct rec *a, struct rec *b)
{
	if (a->type != b->type || a->rclass != b->rclass || a->ttl != b->ttl || a->rdlen != b->rdlen ||
	    !dns_name_equal(a->owner, b->owner))
		return false;
	if (a->rdlen <= 0)
		return true;
	if (dns_rdata_canonicalize(a->type, a->rdata, (size_t)a->rdlen) < 0 ||
	    dns_rdata_canonicalize(b->type, b->rdata, (size_t)b->rdlen) < 0)
		__builtin_trap(); // both unpacked and checked
	return memcmp(a->rdata, b->rdata, (size_t)a->rdlen) == 0;
}

// Both messages hold the same records in the same order.
static void compare(const struct dns_msg *a, const struct dns_msg *b)
{
	static struct rec ra, rb;
	if (a->hdr.id != b->hdr.id || a->hdr.flags != b->hdr.flags)
		__builtin_trap();
	for (int s = DNS_SECTION_QUESTION; s < DNS_SECTION_COUNT; s++) {
		struct dns_rr_iter ia, ib;
		int ka, kb;
		if (a->hdr.count[s] != b->hdr.count[s])
			__builtin_trap();
		dns_rr_iter_init(&ia, a, (enum dns_section)s);
		dns_rr_iter_init(&ib, b, (enum dns_section)s);
		while ((ka = next_rec(a, &ia, &ra)) == 1) {
			kb = next_rec(b, &ib, &rb);
			if (kb != 1 || !same_rec(&ra, &rb))
				__builtin_trap();
		}
		if (ka < 0 || next_rec(b, &ib, &rb) != 0)
			__builtin_trap();
	}
	if (a->edns.present != b->edns.present || a->edns.udp_size != b->edns.udp_size ||
	    a->edns.opts_len != b->edns.opts_len || dns_msg_rcode(a) != dns_msg_rcode(b))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[DNS_MSG_MAXLEN];
	static struct rec r;
	struct dns_msg m, m2;
	if (size > DNS_MSG_MAXLEN)
		return 0;

	// The fast path's view must agree with the full parse when both accept.
	int qrc = dns_msg_parse_question(&m2, data, size);
	if (dns_msg_parse(&m, data, size) != 0)
		return 0;
	if (qrc == 0 && (m2.qtype != m.qtype || m2.qclass != m.qclass || m2.qname_off != m.qname_off))
		__builtin_trap();

	bool unpackable = false;
	for (int s = DNS_SECTION_QUESTION; s < DNS_SECTION_COUNT; s++) {
		struct dns_rr_iter it;
		int rc;
		dns_rr_iter_init(&it, &m, (enum dns_section)s);
		while ((rc = next_rec(&m, &it, &r)) == 1) {
			if (s == DNS_SECTION_QUESTION || r.type == DNS_TYPE_OPT)
				continue;
			// The parser checks only that rdata fits its rdlength; the
			// rdata codec may still find it malformed for its type.
			if (r.rdlen < 0) {
				unpackable = true;
				continue;
			}
			fuzz_rdata_roundtrip(r.type, r.rdata, (size_t)r.rdlen);
		}
		if (rc < 0)
			__builtin_trap(); // dns_msg_parse accepted every record
	}
	if (unpackable)
		return 0;

	int len = rebuild(&m, out, sizeof(out) - 1);
	if (len <= 0)
		return 0;
	if (dns_msg_parse(&m2, out, (size_t)len) != 0)
		__builtin_trap();
	compare(&m, &m2);
	return 0;
}
