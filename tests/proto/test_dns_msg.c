/* SPDX-License-Identifier: BSD-3-Clause */
// Message parse, section iteration, and the builder: compression, RRsets
// all or nothing, the size limit and the OPT reservation.
#include <criterion/criterion.h>
#include <stdio.h>
#include <unistd.h>

#include <linerate/dns_err.h>
#include <linerate/dns_msg.h>
#include <linerate/dns_rdata.h>
#include <linerate/wire.h>

#include "dns_test_util.h"

#define A_192_0_2_1 ((const uint8_t *)"\xc0\x00\x02\x01")

static size_t hex(const char *s, uint8_t *out, size_t cap)
{
	int n = hex_decode(s, out, cap);
	cr_assert_geq(n, 0, "bad test hex");
	return (size_t)n;
}

// The message built so far equals the hex.
static void assert_wire(const struct dns_builder *b, const char *expect)
{
	uint8_t want[2048];
	size_t n = hex(expect, want, sizeof(want));
	if (b->len != n || memcmp(b->buf, want, n) != 0) // show what was built
		for (size_t i = 0; i < b->len; i++)
			fprintf(stderr, "%02x%s", b->buf[i], i + 1 < b->len ? "" : "\n");
	cr_assert_eq(b->len, n, "length %u, want %zu", b->len, n);
	cr_assert_arr_eq(b->buf, want, n);
}

// ---------------------------------------------------------------------------
// Parse and iterate.

// www.example.com. A: id 0xabcd, RD, one question; answer two A records and
// a CNAME, authority NS, additional OPT.
#define RESPONSE                                                                                   \
	"abcd 8180 0001 0003 0001 0001"                                                            \
	"03 777777 07 6578616d706c65 03 636f6d 00 0001 0001"                                       \
	"c00c 0005 0001 00000e10 0006 03 776562 c010"                                              \
	"c02d 0001 0001 0000003c 0004 c0000201"                                                    \
	"c02d 0001 0001 0000003c 0004 c0000202"                                                    \
	"c010 0002 0001 00015180 0006 03 6e7331 c010"                                              \
	"00 0029 04d0 00008000 0000"

Test(dns_msg, parses_a_query)
{
	uint8_t wire[64];
	size_t len = hex(
		"abcd 0100 0001 0000 0000 0000 03 777777 07 6578616d706c65 03 636f6d 00 001c 0001",
		wire, sizeof(wire));
	struct dns_msg m;
	cr_assert_eq(dns_msg_parse(&m, wire, len), 0);
	cr_assert_eq(m.hdr.id, 0xabcd);
	cr_assert_eq(m.hdr.flags, DNS_FLAG_RD);
	cr_assert_eq(m.qname_off, 12);
	cr_assert_eq(m.qname_len, 17);
	cr_assert_eq(m.qtype, DNS_TYPE_AAAA);
	cr_assert_eq(m.qclass, DNS_CLASS_IN);
	cr_assert_eq(m.question_end, len);
	cr_assert_not(m.edns.present);
	cr_assert_eq(m.tsig_off, 0);
	cr_assert_eq(dns_msg_rcode(&m), 0);
}

Test(dns_msg, question_parse_does_not_look_past_the_question)
{
	uint8_t wire[64];
	size_t len = hex(
		"abcd 0100 0001 0000 0000 0001 03 777777 07 6578616d706c65 03 636f6d 00 0001 0001"
		"01 61 00 0029 1000 00000000 0000",
		wire, sizeof(wire));
	struct dns_msg m;
	cr_assert_eq(dns_msg_parse_question(&m, wire, len), 0);
	cr_assert_eq(m.qtype, DNS_TYPE_A);
	cr_assert_eq(m.question_end, 33);
	cr_assert_eq(dns_msg_parse(&m, wire, len), DNS_EOPT_OWNER);
}

Test(dns_msg, iterates_every_section)
{
	uint8_t wire[256];
	size_t len = hex(RESPONSE, wire, sizeof(wire));
	struct dns_msg m;
	cr_assert_eq(dns_msg_parse(&m, wire, len), 0, "%s",
		     dns_strerror_sym(dns_msg_parse(&m, wire, len)));
	cr_assert(m.edns.present);
	cr_assert_eq(m.edns.udp_size, 1232);
	cr_assert_eq(m.edns.flags, DNS_EDNS_DO);

	static const struct {
		enum dns_section s;
		uint16_t type;
		uint32_t ttl;
		uint16_t rdlen;
		const char *owner;
	} want[] = {
		{DNS_SECTION_QUESTION, DNS_TYPE_A, 0, 0, "www.example.com."},
		{DNS_SECTION_ANSWER, DNS_TYPE_CNAME, 3600, 6, "www.example.com."},
		{DNS_SECTION_ANSWER, DNS_TYPE_A, 60, 4, "web.example.com."},
		{DNS_SECTION_ANSWER, DNS_TYPE_A, 60, 4, "web.example.com."},
		{DNS_SECTION_AUTHORITY, DNS_TYPE_NS, 86400, 6, "example.com."},
		{DNS_SECTION_ADDITIONAL, DNS_TYPE_OPT, 0x8000, 0, "."},
	};
	size_t k = 0;
	for (int s = 0; s < DNS_SECTION_COUNT; s++) {
		struct dns_rr_iter it;
		struct dns_rr_view rr;
		dns_rr_iter_init(&it, &m, s);
		int rc;
		while ((rc = dns_rr_iter_next(&it, &rr)) == 1) {
			cr_assert_lt(k, sizeof(want) / sizeof(want[0]));
			cr_assert_eq(rr.section, want[k].s);
			cr_assert_eq(rr.type, want[k].type);
			cr_assert_eq(rr.rclass, want[k].type == DNS_TYPE_OPT ? 1232 : DNS_CLASS_IN);
			cr_assert_eq(rr.ttl, want[k].ttl);
			cr_assert_eq(rr.rdlen, want[k].rdlen);
			uint8_t name[DNS_NAME_MAXLEN];
			char text[DNS_NAME_TEXT_MAX];
			size_t pos = rr.owner_off;
			cr_assert_gt(dns_name_unpack(wire, len, DNS_HEADER_LEN, &pos, name), 0);
			dns_name_to_text(name, text, sizeof(text));
			cr_assert_str_eq(text, want[k].owner);
			k++;
		}
		cr_assert_eq(rc, 0);
		cr_assert_eq(dns_rr_iter_next(&it, &rr), 0, "the end stays the end");
	}
	cr_assert_eq(k, sizeof(want) / sizeof(want[0]));
	// The A record's rdata is where the view says.
	struct dns_rr_iter it;
	struct dns_rr_view rr;
	dns_rr_iter_init(&it, &m, DNS_SECTION_ANSWER);
	dns_rr_iter_next(&it, &rr);
	dns_rr_iter_next(&it, &rr);
	cr_assert_arr_eq(wire + rr.rdata_off, A_192_0_2_1, 4);
}

Test(dns_msg, iterator_refuses_sections_the_fast_path_did_not_locate)
{
	uint8_t wire[256];
	size_t len = hex(RESPONSE, wire, sizeof(wire));
	struct dns_msg m;
	cr_assert_eq(dns_msg_parse_question(&m, wire, len), 0);
	struct dns_rr_iter it;
	struct dns_rr_view rr;
	dns_rr_iter_init(&it, &m, DNS_SECTION_ANSWER);
	cr_assert_eq(dns_rr_iter_next(&it, &rr), DNS_EINVAL);
	dns_rr_iter_init(&it, &m, DNS_SECTION_QUESTION);
	cr_assert_eq(dns_rr_iter_next(&it, &rr), 1);
	cr_assert_eq(rr.type, DNS_TYPE_A);
}

// ---------------------------------------------------------------------------
// Which rdata names may be compressed.

Test(dns_msg, compressible_names_are_the_rfc1035_ones_only)
{
	uint8_t n[DNS_NAME_MAXLEN];
	size_t nl = (size_t)dns_name_from_text("a.example", 9, NULL, n);
	uint8_t rd[600];
	uint16_t offs[DNS_RDATA_MAXNAMES];

	static const uint16_t one_name[] = {DNS_TYPE_NS, DNS_TYPE_MD, DNS_TYPE_MF, DNS_TYPE_CNAME,
					    DNS_TYPE_MB, DNS_TYPE_MG, DNS_TYPE_MR, DNS_TYPE_PTR};
	for (size_t i = 0; i < sizeof(one_name) / sizeof(one_name[0]); i++) {
		cr_assert_eq(dns_rdata_compressible_names(one_name[i], n, nl, offs), 1);
		cr_assert_eq(offs[0], 0);
	}
	// MX: after the 16-bit preference
	memcpy(rd, "\0\x0a", 2);
	memcpy(rd + 2, n, nl);
	cr_assert_eq(dns_rdata_compressible_names(DNS_TYPE_MX, rd, 2 + nl, offs), 1);
	cr_assert_eq(offs[0], 2);
	// SOA and MINFO: two names; SOA then 20 octets
	memcpy(rd, n, nl);
	memcpy(rd + nl, n, nl);
	memset(rd + 2 * nl, 0, 20);
	cr_assert_eq(dns_rdata_compressible_names(DNS_TYPE_MINFO, rd, 2 * nl, offs), 2);
	cr_assert_eq(offs[1], nl);
	cr_assert_eq(dns_rdata_compressible_names(DNS_TYPE_SOA, rd, 2 * nl + 20, offs), 2);
	cr_assert_eq(offs[0], 0);
	cr_assert_eq(offs[1], nl);

	// RFC 3597 §4: later types' names are never compressed.
	static const uint16_t none[] = {
		DNS_TYPE_DNAME, DNS_TYPE_SRV,	DNS_TYPE_RP,  DNS_TYPE_AFSDB, DNS_TYPE_RT,
		DNS_TYPE_PX,	DNS_TYPE_NAPTR, DNS_TYPE_KX,  DNS_TYPE_A,     DNS_TYPE_TXT,
		DNS_TYPE_RRSIG, DNS_TYPE_NSEC,	DNS_TYPE_OPT, 65280};
	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		cr_assert_eq(dns_rdata_compressible_names(none[i], rd, 2 * nl + 20, offs), 0);

	// and malformed rdata of the listed types is refused
	cr_assert_eq(dns_rdata_compressible_names(DNS_TYPE_MX, rd, 1, offs), DNS_ERDATA_SHORT);
	cr_assert_eq(dns_rdata_compressible_names(DNS_TYPE_SOA, rd, 2 * nl + 19, offs),
		     DNS_ERDATA_SHORT);
	cr_assert_eq(dns_rdata_compressible_names(DNS_TYPE_NS, rd, nl + 1, offs), DNS_ERDATA_LONG);
	cr_assert_eq(dns_rdata_compressible_names(DNS_TYPE_NS, rd, nl - 1, offs), DNS_ERDATA_SHORT);
	cr_assert_eq(dns_rdata_compressible_names(DNS_TYPE_NS, NULL, 0, offs), DNS_ERDATA_SHORT);
	cr_assert_eq(
		dns_rdata_compressible_names(DNS_TYPE_NS, (const uint8_t *)"\xc0\x00", 2, offs),
		DNS_EPTR_FORBIDDEN);
}

// ---------------------------------------------------------------------------
// Builder.

#define HDR(id, flags, qd, an, ns, ar) id " " flags " " qd " " an " " ns " " ar " "
#define QN_WWW			       "03 777777 07 6578616d706c65 03 636f6d 00 " // at offset 12, example.com at 16
#define QN_EX			       "07 6578616d706c65 03 636f6d 00 " // at offset 12

static uint8_t buf[4096];

static void start(struct dns_builder *b, size_t limit, const char *qname, uint16_t qtype)
{
	uint8_t n[DNS_NAME_MAXLEN];
	cr_assert_eq(
		dns_builder_init(b, buf, sizeof(buf), limit, 0xbeef, DNS_FLAG_QR | DNS_FLAG_AA), 0);
	cr_assert_eq(dns_builder_question(b, name_of(qname, n), qtype, DNS_CLASS_IN), 0);
}

static int add_rr(struct dns_builder *b, enum dns_section s, const char *owner, uint16_t type,
		  const uint8_t *rd, size_t rdlen)
{
	uint8_t n[DNS_NAME_MAXLEN];
	return dns_builder_rr(b, s, name_of(owner, n), type, DNS_CLASS_IN, 3600, rd,
			      (uint16_t)rdlen);
}

Test(dns_msg, answer_owner_points_at_the_question)
{
	struct dns_builder b;
	start(&b, 512, "www.example.com", DNS_TYPE_A);
	// a different letter case still compresses (RFC 4343)
	cr_assert_eq(add_rr(&b, DNS_SECTION_ANSWER, "WWW.Example.COM", DNS_TYPE_A, A_192_0_2_1, 4),
		     0);
	cr_assert_eq(dns_builder_finish(&b), 49);
	assert_wire(&b, HDR("beef", "8400", "0001", "0001", "0000", "0000") QN_WWW
		    "0001 0001"
		    "c00c 0001 0001 00000e10 0004 c0000201");
}

Test(dns_msg, second_question_and_suffixes_compress)
{
	struct dns_builder b;
	uint8_t n[DNS_NAME_MAXLEN];
	start(&b, 512, "www.example.com", DNS_TYPE_A);
	cr_assert_eq(
		dns_builder_question(&b, name_of("mail.example.com", n), DNS_TYPE_A, DNS_CLASS_IN),
		0);
	cr_assert_eq(add_rr(&b, DNS_SECTION_ANSWER, "com", DNS_TYPE_A, A_192_0_2_1, 4), 0);
	assert_wire(&b, HDR("beef", "8400", "0002", "0001", "0000", "0000") QN_WWW
		    "0001 0001"
		    "04 6d61696c c010 0001 0001"
		    "c018 0001 0001 00000e10 0004 c0000201");
}

Test(dns_msg, mx_exchange_compresses_against_the_owner)
{
	struct dns_builder b;
	uint8_t rd[64], n[DNS_NAME_MAXLEN];
	start(&b, 512, "example.com", DNS_TYPE_MX);
	size_t rdlen = hex("000a 04 6d61696c 07 6578616d706c65 03 636f6d 00", rd, sizeof(rd));
	cr_assert_eq(add_rr(&b, DNS_SECTION_ANSWER, "example.com", DNS_TYPE_MX, rd, rdlen), 0);
	// the exchange is now a pointer target itself
	cr_assert_eq(dns_builder_rr(&b, DNS_SECTION_ADDITIONAL, name_of("mail.example.com", n),
				    DNS_TYPE_A, DNS_CLASS_IN, 60, A_192_0_2_1, 4),
		     0);
	assert_wire(&b, HDR("beef", "8400", "0001", "0001", "0000", "0001") QN_EX
		    "000f 0001"
		    "c00c 000f 0001 00000e10 0009 000a 04 6d61696c c00c"
		    "c02b 0001 0001 0000003c 0004 c0000201");
}

Test(dns_msg, soa_names_compress)
{
	struct dns_builder b;
	uint8_t rd[128];
	start(&b, 512, "example.com", DNS_TYPE_SOA);
	size_t rdlen = hex("03 6e7331 07 6578616d706c65 03 636f6d 00"
			   "0a 686f73746d6173746572 07 6578616d706c65 03 636f6d 00"
			   "78a4f3b5 00000e10 00000258 00015180 0000012c",
			   rd, sizeof(rd));
	cr_assert_eq(add_rr(&b, DNS_SECTION_AUTHORITY, "example.com", DNS_TYPE_SOA, rd, rdlen), 0);
	assert_wire(&b, HDR("beef", "8400", "0001", "0000", "0001", "0000") QN_EX
		    "0006 0001"
		    "c00c 0006 0001 00000e10 0027 03 6e7331 c00c 0a 686f73746d6173746572 c00c"
		    "78a4f3b5 00000e10 00000258 00015180 0000012c");
}

Test(dns_msg, srv_and_dname_targets_stay_uncompressed)
{
	struct dns_builder b;
	uint8_t rd[64];
	start(&b, 512, "www.example.com", DNS_TYPE_ANY);
	size_t srv = hex("0000 0000 0035 03 777777 07 6578616d706c65 03 636f6d 00", rd, sizeof(rd));
	cr_assert_eq(add_rr(&b, DNS_SECTION_ANSWER, "www.example.com", DNS_TYPE_SRV, rd, srv), 0);
	size_t dname = hex("05 6f74686572 07 6578616d706c65 03 636f6d 00", rd, sizeof(rd));
	cr_assert_eq(add_rr(&b, DNS_SECTION_ANSWER, "www.example.com", DNS_TYPE_DNAME, rd, dname),
		     0);
	// names inside those rdatas are not pointer targets either: "other"
	// compresses against the question's example.com, not the DNAME's
	cr_assert_eq(
		add_rr(&b, DNS_SECTION_ANSWER, "other.example.com", DNS_TYPE_A, A_192_0_2_1, 4), 0);
	assert_wire(&b, HDR("beef", "8400", "0001", "0003", "0000", "0000") QN_WWW
		    "00ff 0001"
		    "c00c 0021 0001 00000e10 0017 0000 0000 0035 03 777777 07 6578616d706c65 03 "
		    "636f6d 00"
		    "c00c 0027 0001 00000e10 0013 05 6f74686572 07 6578616d706c65 03 636f6d 00"
		    "05 6f74686572 c010 0001 0001 00000e10 0004 c0000201");
}

// Compare the rdata of a parsed RR with the uncompressed rdata it was built from.
static void assert_rdata(const struct dns_msg *m, const struct dns_rr_view *rr, const uint8_t *rd,
			 size_t rdlen)
{
	uint16_t offs[DNS_RDATA_MAXNAMES];
	int nn = dns_rdata_compressible_names(rr->type, rd, rdlen, offs);
	cr_assert_geq(nn, 0);
	if (rr->type == DNS_TYPE_SRV) {
		// RFC 3597 §4 asks receivers to decompress SRV too, and dnspython
		// 2.3 does compress its target (RFC 2782 says it must not).
		nn = 1;
		offs[0] = 6;
	}
	uint8_t out[1024];
	size_t pre = nn ? offs[0] : rr->rdlen, pos = rr->rdata_off + pre, o = pre;
	memcpy(out, m->wire + rr->rdata_off, pre);
	for (int i = 0; i < nn; i++) {
		int n = dns_name_unpack(m->wire, m->len, DNS_HEADER_LEN, &pos, out + o);
		cr_assert_gt(n, 0);
		o += (size_t)n;
	}
	size_t rest = rr->rdata_off + rr->rdlen - pos;
	memcpy(out + o, m->wire + pos, rest);
	o += rest;
	cr_assert_eq(o, rdlen);
	cr_assert_arr_eq(out, rd, rdlen);
}

Test(dns_msg, built_response_parses_back_to_the_same_records)
{
	struct rec {
		enum dns_section s;
		const char *owner;
		uint16_t type;
		const char *rdata;
	} recs[] = {
		{DNS_SECTION_ANSWER, "www.example.com", DNS_TYPE_CNAME,
		 "03 776562 07 6578616d706c65 03 636f6d 00"},
		{DNS_SECTION_ANSWER, "web.example.com", DNS_TYPE_A, "c0000201"},
		{DNS_SECTION_ANSWER, "web.example.com", DNS_TYPE_AAAA,
		 "20010db8 00000000 00000000 00000001"},
		{DNS_SECTION_ANSWER, "web.example.com", DNS_TYPE_TXT, "05 68656c6c6f 00"},
		{DNS_SECTION_AUTHORITY, "example.com", DNS_TYPE_NS,
		 "03 6e7331 07 6578616d706c65 03 636f6d 00"},
		{DNS_SECTION_AUTHORITY, "example.com", DNS_TYPE_NS,
		 "03 6e7332 07 6578616d706c65 03 6e6574 00"},
		{DNS_SECTION_ADDITIONAL, "ns1.example.com", DNS_TYPE_A, "c0000235"},
		{DNS_SECTION_ADDITIONAL, "ns2.example.net", DNS_TYPE_MX,
		 "0005 03 6e7331 07 6578616d706c65 03 636f6d 00"},
	};
	size_t nrec = sizeof(recs) / sizeof(recs[0]);
	struct dns_builder b;
	start(&b, 4096, "www.example.com", DNS_TYPE_A);
	for (size_t i = 0; i < nrec; i++) {
		uint8_t rd[64];
		size_t rdlen = hex(recs[i].rdata, rd, sizeof(rd));
		cr_assert_eq(add_rr(&b, recs[i].s, recs[i].owner, recs[i].type, rd, rdlen), 0);
	}
	static const struct dns_edns_opt nsid = {DNS_EDNS_NSID, 3, (const uint8_t *)"ns1"};
	cr_assert_eq(dns_builder_opt(&b, 1232, 0, 0, DNS_EDNS_DO, &nsid, 1), 0);
	int len = dns_builder_finish(&b);

	struct dns_msg m;
	cr_assert_eq(dns_msg_parse(&m, buf, (size_t)len), 0);
	cr_assert_eq(m.hdr.count[DNS_SECTION_ANSWER], 4);
	cr_assert_eq(m.hdr.count[DNS_SECTION_AUTHORITY], 2);
	cr_assert_eq(m.hdr.count[DNS_SECTION_ADDITIONAL], 3);
	cr_assert(m.edns.has_nsid);
	cr_assert_arr_eq(m.edns.nsid, "ns1", 3);
	size_t k = 0;
	for (int s = DNS_SECTION_ANSWER; s < DNS_SECTION_COUNT; s++) {
		struct dns_rr_iter it;
		struct dns_rr_view rr;
		dns_rr_iter_init(&it, &m, s);
		while (dns_rr_iter_next(&it, &rr) == 1 && rr.type != DNS_TYPE_OPT) {
			uint8_t owner[DNS_NAME_MAXLEN], want[DNS_NAME_MAXLEN], rd[64];
			size_t pos = rr.owner_off;
			cr_assert_gt(dns_name_unpack(buf, (size_t)len, DNS_HEADER_LEN, &pos, owner),
				     0);
			cr_assert(dns_name_equal(owner, name_of(recs[k].owner, want)), "record %zu",
				  k);
			cr_assert_eq(rr.section, recs[k].s);
			cr_assert_eq(rr.type, recs[k].type);
			cr_assert_eq(rr.ttl, 3600);
			assert_rdata(&m, &rr, rd, hex(recs[k].rdata, rd, sizeof(rd)));
			k++;
		}
	}
	cr_assert_eq(k, nrec);
}

Test(dns_msg, rrset_that_does_not_fit_leaves_the_message_unchanged)
{
	struct dns_builder b;
	uint8_t n[DNS_NAME_MAXLEN];
	start(&b, 512, "big.example.com", DNS_TYPE_TXT);
	uint8_t txt[200];
	memset(txt, 'x', sizeof(txt));
	txt[0] = 199;
	const uint8_t *rds[] = {txt, txt, txt};
	const uint16_t lens[] = {sizeof(txt), sizeof(txt), sizeof(txt)};
	// two fit (33 + 2 × 212 = 457), three do not
	cr_assert_eq(dns_builder_rrset(&b, DNS_SECTION_ANSWER, name_of("big.example.com", n),
				       DNS_TYPE_TXT, DNS_CLASS_IN, 60, rds, lens, 2),
		     0);
	uint16_t len = b.len;
	static uint8_t before[4096];
	memcpy(before, buf, sizeof(before));
	cr_assert_eq(dns_builder_rrset(&b, DNS_SECTION_ADDITIONAL, name_of("big.example.com", n),
				       DNS_TYPE_TXT, DNS_CLASS_IN, 60, rds, lens, 1),
		     DNS_ENOSPACE);
	cr_assert_eq(b.len, len);
	cr_assert_arr_eq(buf, before, len, "message bytes unchanged");
	cr_assert_eq(b.count[DNS_SECTION_ANSWER], 2);
	cr_assert_eq(b.count[DNS_SECTION_ADDITIONAL], 0);
	// a section later than the failed one is still allowed: nothing moved
	cr_assert_eq(b.section, DNS_SECTION_ANSWER);

	// the caller sets TC and sends what fits
	dns_builder_set_flags(&b, DNS_FLAG_QR | DNS_FLAG_AA | DNS_FLAG_TC);
	int mlen = dns_builder_finish(&b);
	struct dns_msg m;
	cr_assert_eq(dns_msg_parse(&m, buf, (size_t)mlen), 0);
	cr_assert(m.hdr.flags & DNS_FLAG_TC);
	cr_assert_eq(m.hdr.count[DNS_SECTION_ANSWER], 2);
	cr_assert_leq(mlen, 512);

	// an RRset failing in its middle rolls back its first records too
	memcpy(before, buf, sizeof(before));
	cr_assert_eq(dns_builder_rrset(&b, DNS_SECTION_ANSWER, name_of("big.example.com", n),
				       DNS_TYPE_TXT, DNS_CLASS_IN, 60, rds,
				       (const uint16_t[]){5, 5, 200}, 3),
		     DNS_ENOSPACE);
	cr_assert_eq(b.len, len);
	cr_assert_eq(b.count[DNS_SECTION_ANSWER], 2);
	cr_assert_arr_eq(buf, before, len);
}

Test(dns_msg, reserved_opt_space_survives_a_full_answer)
{
	struct dns_builder b;
	static const uint8_t cookie[24] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
	const struct dns_edns_opt opts[] = {{DNS_EDNS_COOKIE, sizeof(cookie), cookie},
					    {DNS_EDNS_NSID, 0, NULL}};
	uint16_t optsz = dns_edns_opt_size(opts, 2);
	cr_assert_eq(optsz, 11 + 28 + 4);
	start(&b, 512, "www.example.com", DNS_TYPE_A);
	cr_assert_eq(dns_builder_reserve(&b, optsz), 0);
	int added = 0;
	while (add_rr(&b, DNS_SECTION_ANSWER, "www.example.com", DNS_TYPE_A, A_192_0_2_1, 4) == 0)
		added++;
	cr_assert_gt(added, 20);
	cr_assert_leq(b.len + optsz, 512);
	cr_assert_gt(b.len + optsz + 16, 512, "the answer filled up to the reservation");
	cr_assert_eq(dns_builder_opt(&b, 1232, 0, 0, 0, opts, 2), 0);
	cr_assert_eq(b.reserved, 0);
	int len = dns_builder_finish(&b);
	cr_assert_leq(len, 512);
	struct dns_msg m;
	cr_assert_eq(dns_msg_parse(&m, buf, (size_t)len), 0);
	cr_assert(m.edns.has_cookie);
	cr_assert_eq(m.edns.cookie_len, 24);
	cr_assert(m.edns.has_nsid);
	cr_assert_eq(m.hdr.count[DNS_SECTION_ANSWER], added);

	// a reservation larger than what is left is refused
	start(&b, 44, "www.example.com", DNS_TYPE_A);
	cr_assert_eq(dns_builder_reserve(&b, 12), DNS_ENOSPACE);
	cr_assert_eq(dns_builder_reserve(&b, 11), 0);
	cr_assert_eq(add_rr(&b, DNS_SECTION_ANSWER, "www.example.com", DNS_TYPE_A, A_192_0_2_1, 4),
		     DNS_ENOSPACE);
	cr_assert_eq(dns_builder_opt(&b, 512, 0, 0, 0, NULL, 0), 0);
	cr_assert_eq(dns_builder_finish(&b), 44);
}

Test(dns_msg, rollback_forgets_names_written_after_the_mark)
{
	struct dns_builder b;
	struct dns_builder_mark mk;
	start(&b, 512, "example.com", DNS_TYPE_A);
	dns_builder_mark(&b, &mk);
	cr_assert_eq(add_rr(&b, DNS_SECTION_ANSWER, "a.example.org", DNS_TYPE_A, A_192_0_2_1, 4),
		     0);
	dns_builder_rollback(&b, &mk);
	assert_wire(&b, HDR("beef", "8400", "0001", "0000", "0000", "0000") QN_EX "0001 0001");
	// example.org must be written out again, not pointed at the dropped copy
	cr_assert_eq(add_rr(&b, DNS_SECTION_AUTHORITY, "b.example.org", DNS_TYPE_A, A_192_0_2_1, 4),
		     0);
	assert_wire(&b, HDR("beef", "8400", "0001", "0000", "0001", "0000") QN_EX
		    "0001 0001"
		    "01 62 07 6578616d706c65 03 6f7267 00 0001 0001 00000e10 0004 c0000201");
}

Test(dns_msg, no_pointer_targets_at_or_past_0x4000)
{
	static uint8_t big[65535];
	struct dns_builder b;
	uint8_t n[DNS_NAME_MAXLEN];
	cr_assert_eq(dns_builder_init(&b, big, sizeof(big), sizeof(big), 1, DNS_FLAG_QR), 0);
	cr_assert_eq(dns_builder_question(&b, name_of("q.test", n), DNS_TYPE_ANY, DNS_CLASS_IN), 0);
	static uint8_t blob[4000];
	for (int i = 0; i < 5; i++)
		cr_assert_eq(dns_builder_rr(&b, DNS_SECTION_ANSWER, name_of("big.test", n),
					    DNS_TYPE_NULL, DNS_CLASS_IN, 0, blob, sizeof(blob)),
			     0);
	cr_assert_gt(b.len, 0x4000);
	size_t far1 = b.len;
	cr_assert_eq(add_rr(&b, DNS_SECTION_ANSWER, "far.zone", DNS_TYPE_A, A_192_0_2_1, 4), 0);
	size_t far2 = b.len;
	cr_assert_eq(add_rr(&b, DNS_SECTION_ANSWER, "far.zone", DNS_TYPE_A, A_192_0_2_1, 4), 0);
	size_t near = b.len;
	cr_assert_eq(add_rr(&b, DNS_SECTION_ANSWER, "big.test", DNS_TYPE_A, A_192_0_2_1, 4), 0);
	uint8_t lit[16];
	size_t ll = hex("03 666172 04 7a6f6e65 00", lit, sizeof(lit));
	cr_assert_arr_eq(big + far1, lit, ll);
	cr_assert_arr_eq(big + far2, lit, ll, "second copy is literal: the first lies past 0x3fff");
	cr_assert_arr_eq(big + near, "\xc0\x18", 2, "names before 0x4000 still serve");
	struct dns_msg m;
	cr_assert_eq(dns_msg_parse(&m, big, (size_t)dns_builder_finish(&b)), 0);
}

Test(dns_msg, builder_refuses_bad_arguments_and_order)
{
	struct dns_builder b;
	uint8_t n[DNS_NAME_MAXLEN];
	cr_assert_eq(dns_builder_init(&b, buf, 11, 512, 0, 0), DNS_ENOSPACE);
	cr_assert_eq(dns_builder_init(&b, buf, sizeof(buf), 11, 0, 0), DNS_EINVAL);
	cr_assert_eq(dns_builder_init(&b, NULL, sizeof(buf), 512, 0, 0), DNS_EINVAL);
	cr_assert_eq(dns_builder_init(&b, buf, 100, 512, 0, 0), 0);
	cr_assert_eq(b.limit, 100, "limit clamped to the buffer");

	start(&b, 512, "example.com", DNS_TYPE_A);
	cr_assert_eq(add_rr(&b, DNS_SECTION_AUTHORITY, "example.com", DNS_TYPE_A, A_192_0_2_1, 4),
		     0);
	cr_assert_eq(add_rr(&b, DNS_SECTION_ANSWER, "example.com", DNS_TYPE_A, A_192_0_2_1, 4),
		     DNS_EINVAL);
	cr_assert_eq(add_rr(&b, DNS_SECTION_QUESTION, "example.com", DNS_TYPE_A, A_192_0_2_1, 4),
		     DNS_EINVAL);
	cr_assert_eq(dns_builder_question(&b, name_of("example.com", n), DNS_TYPE_A, DNS_CLASS_IN),
		     DNS_EINVAL);
	// malformed rdata of a compressible type is refused, message unchanged
	uint16_t len = b.len;
	cr_assert_eq(add_rr(&b, DNS_SECTION_AUTHORITY, "example.com", DNS_TYPE_MX,
			    (const uint8_t *)"\0", 1),
		     DNS_ERDATA_SHORT);
	cr_assert_eq(b.len, len);
	cr_assert_eq(b.count[DNS_SECTION_AUTHORITY], 1);
}

// dnspython's to_text() of the message dnspython_reads_what_the_builder_wrote
// builds: the same records and options we wrote. The owners and the MX and
// SOA names take the question's "Example" through compression (RFC 4343
// case-insensitive matching); the SRV and DNAME targets keep their own case
// because their names are never compressed (RFC 3597 §4).
#define DNSPYTHON_EXPECT                                                                           \
	"id 24301\n"                                                                               \
	"opcode QUERY\n"                                                                           \
	"rcode NOERROR\n"                                                                          \
	"flags QR AA RD\n"                                                                         \
	"edns 0\n"                                                                                 \
	"eflags DO\n"                                                                              \
	"payload 1232\n"                                                                           \
	"option Generic 3\n"                                                                       \
	"option Generic 10\n"                                                                      \
	"option ECS 192.0.2.0/24 scope/24\n"                                                       \
	";QUESTION\n"                                                                              \
	"Example.com. IN ANY\n"                                                                    \
	";ANSWER\n"                                                                                \
	"Example.com. 3600 IN MX 10 mail.Example.com.\n"                                           \
	"Example.com. 3600 IN SOA ns1.Example.com. hostmaster.Example.com. 1 7200 900 1209600 "    \
	"300\n"                                                                                    \
	"_sip._udp.Example.com. 3600 IN SRV 0 5 5060 sip.example.com.\n"                           \
	"old.Example.com. 3600 IN DNAME new.example.com.\n"                                        \
	";AUTHORITY\n"                                                                             \
	";ADDITIONAL\n"                                                                            \
	"mail.Example.com. 3600 IN A 192.0.2.1\n"

// ---------------------------------------------------------------------------
// Cross-check with dnspython (tests/data/dns_msg_gen.py, dns_msg_check.py).

// The next line of f in line (without the newline), or NULL at the end.
static char *next_line(FILE *f, char *line, size_t cap)
{
	while (fgets(line, (int)cap, f)) {
		line[strcspn(line, "\n")] = 0;
		if (line[0] != '#')
			return line;
	}
	return NULL;
}

// Check one message against dnspython's listing of it (the rr/edns/opt lines).
static void check_dnspython_msg(FILE *f, const char *label, const uint8_t *wire, size_t len)
{
	struct dns_msg m;
	int rc = dns_msg_parse(&m, wire, len);
	cr_assert_eq(rc, 0, "%s: %s", label, dns_strerror_sym(rc));
	struct dns_rr_iter it;
	struct dns_rr_view rr = {0};
	int s = DNS_SECTION_QUESTION;
	dns_rr_iter_init(&it, &m, s);
	struct dns_edns_opt_iter oit;
	dns_edns_opt_iter_init(&oit, &m);
	static char line[8192];
	while (next_line(f, line, sizeof(line)) && strcmp(line, "end") != 0) {
		int sec;
		unsigned type, flags, payload, ext, version;
		unsigned long ttl;
		char owner[DNS_NAME_TEXT_MAX], rdhex[4096];
		if (sscanf(line, "rr %d %1000s %u %lu %4095s", &sec, owner, &type, &ttl, rdhex) ==
		    5) {
			// next record of the message, skipping OPT (dnspython lists it as edns)
			do {
				while ((rc = dns_rr_iter_next(&it, &rr)) == 0 &&
				       s < DNS_SECTION_ADDITIONAL)
					dns_rr_iter_init(&it, &m, ++s);
				cr_assert_eq(rc, 1, "%s: record missing: %s", label, line);
			} while (rr.type == DNS_TYPE_OPT);
			uint8_t name[DNS_NAME_MAXLEN], rd[2048];
			char text[DNS_NAME_TEXT_MAX];
			size_t pos = rr.owner_off;
			cr_assert_gt(dns_name_unpack(wire, len, DNS_HEADER_LEN, &pos, name), 0);
			dns_name_to_text(name, text, sizeof(text));
			cr_assert_eq((int)rr.section, sec, "%s: %s", label, line);
			cr_assert_str_eq(text, owner, "%s: %s", label, line);
			cr_assert_eq(rr.type, type, "%s: %s", label, line);
			cr_assert_eq(rr.ttl, ttl, "%s: %s", label, line);
			if (sec != DNS_SECTION_QUESTION)
				assert_rdata(&m, &rr, rd,
					     strcmp(rdhex, "-") ? hex(rdhex, rd, sizeof(rd)) : 0);
		} else if (sscanf(line, "edns %u %u %u %u", &payload, &ext, &version, &flags) ==
			   4) {
			cr_assert(m.edns.present, "%s", label);
			cr_assert_eq(m.edns.udp_size, payload, "%s", label);
			cr_assert_eq(m.edns.ext_rcode, ext, "%s", label);
			cr_assert_eq(m.edns.version, version, "%s", label);
			cr_assert_eq(m.edns.flags, flags, "%s", label);
		} else if (sscanf(line, "opt %u %4095s", &type, rdhex) == 2) {
			uint16_t code, olen;
			const uint8_t *data;
			uint8_t want[2048];
			size_t wlen = strcmp(rdhex, "-") ? hex(rdhex, want, sizeof(want)) : 0;
			cr_assert_eq(dns_edns_opt_iter_next(&oit, &code, &data, &olen), 1, "%s: %s",
				     label, line);
			cr_assert_eq(code, type, "%s: %s", label, line);
			cr_assert_eq(olen, wlen, "%s: %s", label, line);
			cr_assert_arr_eq(data, want, wlen, "%s: %s", label, line);
		} else {
			cr_assert_fail("bad line in the vectors: %s", line);
		}
	}
	while (dns_rr_iter_next(&it, &rr) == 1)
		cr_assert_eq(rr.type, DNS_TYPE_OPT, "%s: record dnspython did not list", label);
	for (s++; s < DNS_SECTION_COUNT; s++)
		cr_assert_eq(m.hdr.count[s], s == DNS_SECTION_ADDITIONAL && m.edns.present, "%s",
			     label);
}

Test(dns_msg, parses_what_dnspython_wrote)
{
	FILE *f = fopen(TEST_DATA_DIR "/dns_msg_dnspython.txt", "r");
	cr_assert_not_null(f);
	static char line[8192];
	static uint8_t wire[4096];
	char label[64];
	int n = 0;
	while (next_line(f, line, sizeof(line))) {
		char *hx = line + 4 + strcspn(line + 4, " ");
		cr_assert_eq(strncmp(line, "msg ", 4), 0, "%s", line);
		snprintf(label, sizeof(label), "%.*s", (int)(hx - line - 4), line + 4);
		check_dnspython_msg(f, label, wire, hex(hx, wire, sizeof(wire)));
		n++;
	}
	fclose(f);
	cr_assert_eq(n, 4);
}

Test(dns_msg, dnspython_reads_what_the_builder_wrote)
{
	const char *py = "/usr/bin/python3";
	if (access(py, X_OK) != 0)
		cr_skip_test("%s (Debian python3-dnspython) not installed", py);

	struct dns_builder b;
	uint8_t rd[128], n[DNS_NAME_MAXLEN], ecs[20];
	cr_assert_eq(dns_builder_init(&b, buf, sizeof(buf), 1232, 0x5eed,
				      DNS_FLAG_QR | DNS_FLAG_AA | DNS_FLAG_RD),
		     0);
	cr_assert_eq(
		dns_builder_question(&b, name_of("Example.com", n), DNS_TYPE_ANY, DNS_CLASS_IN), 0);
	cr_assert_eq(add_rr(&b, DNS_SECTION_ANSWER, "example.com", DNS_TYPE_MX, rd,
			    hex("000a 04 6d61696c 07 6578616d706c65 03 636f6d 00", rd, sizeof(rd))),
		     0);
	cr_assert_eq(
		add_rr(&b, DNS_SECTION_ANSWER, "example.com", DNS_TYPE_SOA, rd,
		       hex("03 6e7331 07 6578616d706c65 03 636f6d 00 0a 686f73746d6173746572 07 "
			   "6578616d706c65 03 636f6d 00 00000001 00001c20 00000384 00127500 "
			   "0000012c",
			   rd, sizeof(rd))),
		0);
	cr_assert_eq(add_rr(&b, DNS_SECTION_ANSWER, "_sip._udp.example.com", DNS_TYPE_SRV, rd,
			    hex("0000 0005 13c4 03 736970 07 6578616d706c65 03 636f6d 00", rd,
				sizeof(rd))),
		     0);
	cr_assert_eq(add_rr(&b, DNS_SECTION_ANSWER, "old.example.com", DNS_TYPE_DNAME, rd,
			    hex("03 6e6577 07 6578616d706c65 03 636f6d 00", rd, sizeof(rd))),
		     0);
	cr_assert_eq(
		add_rr(&b, DNS_SECTION_ADDITIONAL, "mail.example.com", DNS_TYPE_A, A_192_0_2_1, 4),
		0);
	struct dns_ecs e = {
		.family = 1, .source_prefix = 24, .scope_prefix = 24, .addr = {192, 0, 2}};
	int elen = dns_edns_ecs_encode(&e, ecs, sizeof(ecs));
	const struct dns_edns_opt opts[] = {
		{DNS_EDNS_NSID, 3, (const uint8_t *)"lr1"},
		{DNS_EDNS_COOKIE, 16, (const uint8_t *)"0123456789abcdef"},
		{DNS_EDNS_CLIENT_SUBNET, (uint16_t)elen, ecs},
	};
	cr_assert_eq(dns_builder_opt(&b, 1232, 0, 0, DNS_EDNS_DO, opts, 3), 0);
	int len = dns_builder_finish(&b);

	char cmd[8192];
	int o = snprintf(cmd, sizeof(cmd), "%s %s/dns_msg_check.py ", py, TEST_DATA_DIR);
	for (int i = 0; i < len; i++)
		o += snprintf(cmd + o, sizeof(cmd) - (size_t)o, "%02x", buf[i]);
	FILE *p = popen(cmd, "r");
	cr_assert_not_null(p);
	static char out[8192];
	size_t got = fread(out, 1, sizeof(out) - 1, p);
	out[got] = 0;
	cr_assert_eq(pclose(p), 0, "dnspython refused the message:\n%s", out);
	cr_assert_str_eq(out, DNSPYTHON_EXPECT);
}
