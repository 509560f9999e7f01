/* SPDX-License-Identifier: BSD-3-Clause */
// DNS messages: a validating parser that records where everything is and
// lets callers iterate sections without allocating, a builder that writes
// names with compression, whole RRsets and OPT within a size limit, and
// EDNS0 (RFC 6891) with the options NSID, COOKIE, PADDING, CLIENT-SUBNET.
// All functions are allocation-free; a parsed message or a builder is owned
// by one thread at a time.
#ifndef LINERATE_DNS_MSG_H
#define LINERATE_DNS_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns_name.h"
#include "dns_types.h"

#define DNS_HEADER_LEN 12
#define DNS_MSG_MAXLEN 65535
#define DNS_RR_MINLEN 11    // root owner + type + class + ttl + rdlength
#define DNS_QUESTION_MINLEN 5

enum dns_section {
	DNS_SECTION_QUESTION,
	DNS_SECTION_ANSWER,
	DNS_SECTION_AUTHORITY,
	DNS_SECTION_ADDITIONAL,
	DNS_SECTION_COUNT,
};

struct dns_header {
	uint16_t id;
	uint16_t flags;            // QR, opcode, AA TC RD RA Z AD CD, rcode (enum dns_flag)
	uint16_t count[DNS_SECTION_COUNT];
};

enum dns_edns_option_code {
	DNS_EDNS_NSID = 3,
	DNS_EDNS_CLIENT_SUBNET = 8,
	DNS_EDNS_COOKIE = 10,
	DNS_EDNS_TCP_KEEPALIVE = 11,
	DNS_EDNS_PADDING = 12,
	DNS_EDNS_EDE = 15,
};

#define DNS_EDNS_DO 0x8000
#define DNS_COOKIE_CLIENT_LEN 8
#define DNS_COOKIE_SERVER_MIN 8
#define DNS_COOKIE_SERVER_MAX 32

// RFC 7873 §4: whether a COOKIE option of len octets is well formed (a
// client cookie of 8, maybe followed by a server cookie of 8 to 32).
static inline bool dns_cookie_len_ok(uint16_t len)
{
	return len == DNS_COOKIE_CLIENT_LEN ||
	       (len >= DNS_COOKIE_CLIENT_LEN + DNS_COOKIE_SERVER_MIN &&
		len <= DNS_COOKIE_CLIENT_LEN + DNS_COOKIE_SERVER_MAX);
}

struct dns_ecs {
	uint16_t family;           // 1 IPv4, 2 IPv6 (RFC 7871 §6)
	uint8_t source_prefix;
	uint8_t scope_prefix;
	uint8_t addr[16];          // the significant octets, rest zero
};

// The OPT record of a message, as parsed. Option payloads are views into
// the message; options not known here are kept as views and reachable with
// dns_edns_opt_iter_next(). Known options are validated wherever they occur
// (COOKIE: RFC 7873 §4 lengths; CLIENT-SUBNET: RFC 7871 §6, scope 0 in a
// query and at most the family's length in a response); the fields below
// describe the first occurrence of each.
struct dns_edns {
	bool present;
	uint16_t udp_size;         // requestor's payload size (class field)
	uint8_t ext_rcode;         // upper 8 bits of the 12-bit rcode (TTL bits 24..31)
	uint8_t version;           // TTL bits 16..23
	uint16_t flags;            // TTL bits 0..15; DNS_EDNS_DO
	uint16_t rr_off;           // offset of the OPT RR (its owner) in the message
	uint16_t opts_off;         // offset of the options (the OPT rdata)
	uint16_t opts_len;
	// well-known options (first occurrence)
	bool has_nsid;             // NSID requested (empty) or given
	const uint8_t *nsid;
	uint16_t nsid_len;
	bool has_cookie;
	const uint8_t *cookie;     // client cookie (8) + server cookie (0 or 8..32)
	uint8_t cookie_len;
	bool has_padding;
	uint16_t padding_len;
	bool has_ecs;
	struct dns_ecs ecs;
	uint16_t unknown_count;    // options not listed above
};

// A parsed message: header, the question, where each section starts, OPT.
struct dns_msg {
	const uint8_t *wire;
	uint16_t len;
	struct dns_header hdr;
	uint16_t sec_off[DNS_SECTION_COUNT];  // offset of each section's first entry
	// the first question (the only one in any message a server answers)
	uint16_t qname_off;        // offset of the (possibly compressed) qname
	uint8_t qname_len;         // uncompressed length
	uint16_t qtype;
	uint16_t qclass;
	uint16_t question_end;     // offset just after the first question
	struct dns_edns edns;
	uint16_t tsig_off;         // offset of a TSIG RR, 0 when none
};

// Parse and validate a whole message: header; every question and RR with
// names decompressed under dns_name_unpack's rules; rdlengths inside the
// message; counts that could fit (count × minimum size ≤ bytes left); at most
// one OPT, only in the additional section, with the root owner and options
// that fit its rdata; TSIG last; no trailing bytes. The names inside the
// rdata of the RFC 1035 types (those dns_rdata_compressible_names() lists, the
// only ones a sender may compress) are decompressed and checked too
// (DNS_ERDATA_SHORT / DNS_ERDATA_LONG when they do not fill the rdata
// exactly); other rdata is left to dns_rdata_unpack(). Returns 0 or the first
// error found (its own code per condition, see dns_err.h); DNS_EINVAL for len
// over 65535. On error m->hdr is still valid when len ≥ 12, so a server can
// answer FORMERR.
int dns_msg_parse(struct dns_msg *m, const uint8_t *wire, size_t len);

// Parse only the header and the first question (the fast path's view of a
// query); does not look past the question. Same error codes (the count
// plausibility check included). QDCOUNT 0 is valid: no question, qname_off 0.
// sec_off[] of the RR sections stays 0, and iterating them is DNS_EINVAL.
int dns_msg_parse_question(struct dns_msg *m, const uint8_t *wire, size_t len);

// A record as seen by the iterator. Names and rdata are offsets into the
// message; use dns_name_unpack / dns_rdata_unpack to copy them out.
struct dns_rr_view {
	enum dns_section section;
	uint16_t owner_off;
	uint16_t type;
	uint16_t rclass;
	uint32_t ttl;
	uint16_t rdlen;
	uint16_t rdata_off;
};

struct dns_rr_iter {
	const struct dns_msg *msg;
	enum dns_section section;
	uint16_t left;             // records left in the section
	uint16_t pos;
};

// Iterate one section of a message dns_msg_parse() accepted. The question
// section yields entries with ttl, rdlen and rdata_off zero (qclass in
// rclass). A section the parse did not locate yields DNS_EINVAL.
void dns_rr_iter_init(struct dns_rr_iter *it, const struct dns_msg *m, enum dns_section s);
// 1 and *rr filled, 0 at the end of the section, or a negative error.
int dns_rr_iter_next(struct dns_rr_iter *it, struct dns_rr_view *rr);

// EDNS options of a parsed message, all of them, in order.
struct dns_edns_opt_iter {
	const uint8_t *pos;
	const uint8_t *end;
};
void dns_edns_opt_iter_init(struct dns_edns_opt_iter *it, const struct dns_msg *m);
// 1 with code/data/len, 0 at the end, or DNS_EOPT_OPTION.
int dns_edns_opt_iter_next(struct dns_edns_opt_iter *it, uint16_t *code, const uint8_t **data, uint16_t *len);

// The full 12-bit rcode of a parsed message (header rcode + OPT extension).
uint16_t dns_msg_rcode(const struct dns_msg *m);

// ---------------------------------------------------------------------------
// Builder.

#define DNS_COMP_MAX 64   // names remembered for compression per message

struct dns_builder {
	uint8_t *buf;
	uint16_t cap;              // bytes in buf
	uint16_t limit;            // most bytes the message may have (≤ cap)
	uint16_t len;              // bytes written
	uint16_t reserved;         // bytes held back for an OPT written later
	uint16_t count[DNS_SECTION_COUNT];
	enum dns_section section;  // sections are written in order
	uint8_t ncomp;
	uint16_t comp_off[DNS_COMP_MAX]; // offsets of names (suffixes) usable as pointer targets
};

// Start a message in buf (cap bytes) that may grow to at most limit bytes
// (e.g. the client's EDNS payload size, 512 without EDNS; RFC 6891 §6.2.5's
// floor of 512 is the caller's). Writes the header with the given id and
// flags, counts zero. cap is clamped to 65535 and limit to cap. Returns 0,
// DNS_EINVAL (NULL, limit < 12) or DNS_ENOSPACE (cap < 12).
//
// Every call below either succeeds or leaves the message (buf[0, len), the
// header counts included, which are kept current) as it was; bytes past len
// are scratch. Names are compressed case-insensitively (RFC 4343), so an
// answer's owner points at the question's name and echoes its case. Pointer
// targets are the suffixes of question names, owners and compressible rdata
// names this builder wrote below offset 0x4000 (the first DNS_COMP_MAX).
int dns_builder_init(struct dns_builder *b, uint8_t *buf, size_t cap, size_t limit, uint16_t id,
		     uint16_t flags);

// Set header flags (QR, AA, TC, rcode low 4 bits…) at any time.
void dns_builder_set_flags(struct dns_builder *b, uint16_t flags);

// Hold back n bytes of the limit (for the OPT record added at the end), or
// give them back with n = 0. DNS_ENOSPACE when len + n passes the limit.
int dns_builder_reserve(struct dns_builder *b, uint16_t n);

// Question; the name is written with compression where possible. Only
// before any RR (DNS_EINVAL otherwise).
int dns_builder_question(struct dns_builder *b, const uint8_t *name, uint16_t qtype, uint16_t qclass);

// One RR: owner compressed; names inside rdata compressed only for the
// types dns_rdata_compressible_names() lists (the RFC 1035 ones, RFC 3597
// §4; the registry's DNS_TF_COMPRESS set), whose malformed rdata is refused
// with that function's error. rdata is uncompressed. All or nothing: on
// DNS_ENOSPACE (the limit less any reservation would be passed) the message
// is as before the call. Sections must be written in order (DNS_EINVAL).
int dns_builder_rr(struct dns_builder *b, enum dns_section s, const uint8_t *owner, uint16_t type,
		   uint16_t rclass, uint32_t ttl, const uint8_t *rdata, uint16_t rdlen);

// A whole RRset (n rdatas with their lengths): all of it or none of it, so
// the caller can set TC when it does not fit.
int dns_builder_rrset(struct dns_builder *b, enum dns_section s, const uint8_t *owner, uint16_t type,
		      uint16_t rclass, uint32_t ttl, const uint8_t *const *rdata, const uint16_t *rdlen,
		      size_t n);

// Roll back to a length returned by dns_builder_mark() (drops the records
// written since, their counts and their compression entries).
struct dns_builder_mark {
	uint16_t len;
	uint16_t count[DNS_SECTION_COUNT];
	enum dns_section section;
	uint8_t ncomp;
};
void dns_builder_mark(const struct dns_builder *b, struct dns_builder_mark *mk);
void dns_builder_rollback(struct dns_builder *b, const struct dns_builder_mark *mk);

// OPT record in the additional section, written into the reservation (the
// full limit); the reservation is released once it is written and kept if
// it fails. Options are written in the order given; data may be NULL when
// len is 0; options longer than 65535 in all are DNS_EINVAL.
struct dns_edns_opt {
	uint16_t code;
	uint16_t len;
	const uint8_t *data;
};
int dns_builder_opt(struct dns_builder *b, uint16_t udp_size, uint8_t ext_rcode, uint8_t version,
		    uint16_t flags, const struct dns_edns_opt *opts, size_t nopts);

// Size an OPT record with these options would take (for dns_builder_reserve);
// 65535 when they could not fit any message.
uint16_t dns_edns_opt_size(const struct dns_edns_opt *opts, size_t nopts);

// Encode an ECS option payload (RFC 7871 §6): as many address octets as the
// source prefix needs, bits past it cleared. Returns its length,
// DNS_EOPT_ECS (family not 1 or 2, prefix too long) or DNS_ENOSPACE.
int dns_edns_ecs_encode(const struct dns_ecs *ecs, uint8_t *out, size_t cap);

// Write the section counts into the header (already current, kept for
// callers that patch buf themselves); returns the message length.
int dns_builder_finish(struct dns_builder *b);

#endif
