/* SPDX-License-Identifier: BSD-3-Clause */
// The answer engine, rule by rule: each test asks one question of a small
// zone set and asserts the rcode, the flags and every section's records as
// text ("owner TTL TYPE rdata"), and that the template path and the full
// path agree byte for byte wherever the template path answers.
#include <criterion/criterion.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linerate/dns_answer.h>
#include <linerate/dns_err.h>
#include <linerate/dns_image.h>
#include <linerate/dns_msg.h>
#include <linerate/dns_name.h>
#include <linerate/dns_rdata.h>
#include <linerate/dns_types.h>
#include <linerate/dns_zone_set.h>

#include "zone_test_util.h"

#include "../../proto/dns/answer_internal.h"

static const char example_com[] =
	"$TTL 3600\n"
	"@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n"
	"@ NS ns1\n"
	"@ NS ns2.example.net.\n"
	"@ MX 10 mx1\n"
	"ns1 A 192.0.2.1\n"
	"ns1 AAAA 2001:db8::1\n"
	"www A 192.0.2.10\n"
	"www A 192.0.2.11\n"
	"mail MX 10 mx1\n"
	"mail MX 20 mx.example.net.\n"
	"mx1 A 192.0.2.20\n"
	"alias CNAME www\n"
	"chain1 CNAME chain2\n"
	"chain2 CNAME www\n"
	"loop1 CNAME loop2\n"
	"loop2 CNAME loop1\n"
	"ext CNAME www.example.net.\n"
	"gone CNAME nothing\n"
	"*.wild TXT \"wildcard\"\n"
	"*.wild MX 10 mx1\n"
	"*.wc CNAME www\n"
	"host.ent.deep A 192.0.2.30\n"
	"child NS ns.child\n"
	"child NS ns.example.net.\n"
	"child DS 12345 13 2 "
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
	"ns.child A 192.0.2.40\n"
	"nog NS ns.example.net.\n"
	"dn DNAME example.net.\n"
	"_sip._udp SRV 0 5 5060 www\n"
	"multi A 192.0.2.50\n"
	"multi TXT \"t\"\n"
	"multi MX 5 mx1\n";

static const char example_net[] = "$TTL 600\n"
				  "@ SOA ns hostmaster 7 7200 3600 1209600 60\n"
				  "@ NS ns\n"
				  "ns A 198.51.100.1\n"
				  "www A 198.51.100.10\n"
				  "mx A 198.51.100.25\n";

static void *img;
static size_t img_size;
static struct dns_answer_cfg cfg;


static void add_big(char *buf, size_t cap)
{
	// 40 TXT records of 100 octets: 4 KiB, more than any UDP limit here
	size_t n = strlen(buf);
	for (int i = 0; i < 40; i++)
		n += (size_t)snprintf(buf + n, cap - n,
				      "big TXT \"%02d-%097d\"\n", i, 0);
}

static void setup(void)
{
	static char com[16384];
	snprintf(com, sizeof(com), "%s", example_com);
	add_big(com, sizeof(com));
	struct dns_zone *z[2] = {test_zone("example.com.", com), test_zone("example.net.", example_net)};
	img = dns_image_compile(z, 2, &img_size);
	cr_assert_not_null(img, "%s", strerror(errno));
	dns_zone_free(z[0]);
	dns_zone_free(z[1]);
	dns_answer_cfg_default(&cfg);
}

static void teardown(void)
{
	free(img);
}

TestSuite(dns_answer, .init = setup, .fini = teardown);

// ---- asking and reading ----

struct q {
	const char *name;
	uint16_t type, qclass;
	int edns;          // 0: no OPT; else the payload size
	uint8_t version;
	uint16_t flags;    // header flags of the query (opcode, RD)
	bool tcp;
	bool nsid;
	const uint8_t *cookie;
	uint8_t cookie_len;
};

#define MAXRR 64
struct r {
	size_t len;
	uint8_t wire[DNS_MSG_MAXLEN];
	uint16_t flags, rcode;
	int count[DNS_SECTION_COUNT];
	char rr[DNS_SECTION_COUNT][MAXRR][2200];
	struct dns_answer_info info;
	struct dns_msg m;
};

static size_t build_query(const struct q *q, uint8_t *buf)
{
	uint8_t name[DNS_NAME_MAXLEN];
	struct dns_builder b;
	cr_assert_gt(dns_name_from_text(q->name, strlen(q->name), NULL, name), 0, "%s", q->name);
	cr_assert_eq(dns_builder_init(&b, buf, DNS_MSG_MAXLEN, DNS_MSG_MAXLEN, 0x1234, q->flags), 0);
	cr_assert_eq(dns_builder_question(&b, name, q->type, q->qclass ? q->qclass : DNS_CLASS_IN),
		     0);
	if (q->edns) {
		struct dns_edns_opt o[2];
		size_t n = 0;
		if (q->nsid)
			o[n++] = (struct dns_edns_opt){DNS_EDNS_NSID, 0, NULL};
		if (q->cookie)
			o[n++] = (struct dns_edns_opt){DNS_EDNS_COOKIE, q->cookie_len, q->cookie};
		cr_assert_eq(dns_builder_opt(&b, (uint16_t)q->edns, 0, q->version, 0, o, n), 0);
	}
	int n = dns_builder_finish(&b);
	cr_assert_gt(n, 0);
	return (size_t)n;
}

static void read_response(struct r *r)
{
	cr_assert_eq(dns_msg_parse(&r->m, r->wire, r->len), 0, "response does not parse");
	r->flags = r->m.hdr.flags;
	r->rcode = dns_msg_rcode(&r->m);
	for (int s = DNS_SECTION_ANSWER; s < DNS_SECTION_COUNT; s++) {
		struct dns_rr_iter it;
		struct dns_rr_view rr;
		dns_rr_iter_init(&it, &r->m, (enum dns_section)s);
		while (dns_rr_iter_next(&it, &rr) == 1) {
			if (rr.type == DNS_TYPE_OPT)
				continue;
			uint8_t owner[DNS_NAME_MAXLEN], rd[DNS_RDATA_MAXLEN];
			char on[1024], rt[1024], tn[16];
			size_t pos = rr.owner_off;
			cr_assert_gt(dns_name_unpack(r->wire, r->len, DNS_HEADER_LEN, &pos, owner), 0);
			cr_assert_gt(dns_name_to_text(owner, on, sizeof(on)), 0);
			int rl = dns_rdata_unpack(r->wire, r->len, rr.rdata_off, rr.rdlen, rr.type, rd,
						  sizeof(rd));
			cr_assert_geq(rl, 0);
			cr_assert_geq(dns_rdata_to_text(rr.type, rd, (size_t)rl, rt, sizeof(rt)), 0);
			cr_assert_lt(r->count[s], MAXRR);
			snprintf(r->rr[s][r->count[s]++], sizeof(r->rr[s][0]), "%s %u %s%s %s", on, rr.ttl,
				 rr.rclass == DNS_CLASS_CH ? "CH " : "", dns_type_to_text(rr.type, tn), rt);
		}
	}
}

// Ask q; the full path must give the same bytes as dns_answer.
static void ask(const struct q *q, struct r *r)
{
	static uint8_t copy[DNS_MSG_MAXLEN];
	memset(r, 0, sizeof(*r));
	size_t qlen = build_query(q, r->wire);
	memcpy(copy, r->wire, qlen);
	struct dns_answer_client cl = {.transport = q->tcp ? DNS_TRANSPORT_TCP : DNS_TRANSPORT_UDP,
				       .family = 4,
				       .addr = {198, 51, 100, 100},
				       .now = 1559731985};
	size_t cap = DNS_MSG_MAXLEN; // the buffer; the limit comes from EDNS
	r->len = dns_answer(img, &cfg, &cl, r->wire, qlen, cap, &r->info);
	cr_assert_gt(r->len, 0, "no response to %s", q->name);
	struct dns_answer_info fi;
	size_t flen = dns_answer_full(img, &cfg, &cl, copy, qlen, cap, &fi);
	read_response(r);
	if (!r->info.suffix_hit) {
		cr_assert_eq(flen, r->len, "%s: template %zu octets, full path %zu", q->name, r->len,
			     flen);
		cr_assert_arr_eq(copy, r->wire, flen, "%s: template and full path differ", q->name);
		return;
	}
	// A pointer-shifting template may compress differently from the full
	// path (a name in its records that is a longer suffix of the question,
	// or a question with more labels than the builder remembers): the same
	// header and records, not always the same octets.
	static struct r full;
	memset(&full, 0, sizeof(full));
	memcpy(full.wire, copy, flen);
	full.len = flen;
	read_response(&full);
	cr_assert_eq(r->flags, full.flags, "%s", q->name);
	for (int sec = DNS_SECTION_ANSWER; sec < DNS_SECTION_COUNT; sec++) {
		cr_assert_eq(r->count[sec], full.count[sec], "%s section %d", q->name, sec);
		for (int i = 0; i < r->count[sec]; i++) {
			bool found = false;
			for (int k = 0; k < full.count[sec] && !found; k++)
				found = !strcmp(r->rr[sec][i], full.rr[sec][k]);
			cr_assert(found, "%s: \"%s\" only on the suffix path", q->name, r->rr[sec][i]);
		}
	}
}

// Section s must hold exactly these records, in any order.
static void expect_section(const struct r *r, int s, ...)
{
	va_list ap;
	const char *want;
	int n = 0;
	bool seen[MAXRR] = {false};
	va_start(ap, s);
	while ((want = va_arg(ap, const char *))) {
		bool found = false;
		for (int i = 0; i < r->count[s] && !found; i++)
			if (!seen[i] && !strcmp(r->rr[s][i], want))
				found = seen[i] = true;
		cr_assert(found, "section %d lacks \"%s\"", s, want);
		n++;
	}
	va_end(ap);
	for (int i = 0; i < r->count[s]; i++)
		cr_assert(seen[i], "section %d has extra \"%s\"", s, r->rr[s][i]);
	cr_assert_eq(r->count[s], n);
}

#define AN(r, ...) expect_section(r, DNS_SECTION_ANSWER, __VA_ARGS__, NULL)
#define NS(r, ...) expect_section(r, DNS_SECTION_AUTHORITY, __VA_ARGS__, NULL)
#define AR(r, ...) expect_section(r, DNS_SECTION_ADDITIONAL, __VA_ARGS__, NULL)
#define NONE(r, s) cr_assert_eq((r)->count[s], 0, "section %d: %s", s, (r)->rr[s][0])

static bool has(const struct r *r, uint16_t flag)
{
	return (r->flags & flag) != 0;
}

#define SOA_COM "example.com. 300 SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300"
#define SOA_NET "example.net. 60 SOA ns.example.net. hostmaster.example.net. 7 7200 3600 1209600 60"

// ---- positive answers ----

Test(dns_answer, exact_match_is_authoritative_and_takes_the_template_path)
{
	struct r r;
	ask(&(struct q){"www.example.com.", DNS_TYPE_A, .flags = DNS_FLAG_RD}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_NOERROR);
	cr_assert(has(&r, DNS_FLAG_QR) && has(&r, DNS_FLAG_AA) && has(&r, DNS_FLAG_RD));
	cr_assert(!has(&r, DNS_FLAG_RA) && !has(&r, DNS_FLAG_TC));
	AN(&r, "www.example.com. 3600 A 192.0.2.10", "www.example.com. 3600 A 192.0.2.11");
	NONE(&r, DNS_SECTION_AUTHORITY);
	NONE(&r, DNS_SECTION_ADDITIONAL);
	cr_assert(r.info.template_hit);
	cr_assert_eq(r.info.zone, 0);
}

Test(dns_answer, question_letter_case_is_echoed)
{
	struct r r;
	ask(&(struct q){"WwW.ExAmPlE.CoM.", DNS_TYPE_A}, &r);
	AN(&r, "WwW.ExAmPlE.CoM. 3600 A 192.0.2.10", "WwW.ExAmPlE.CoM. 3600 A 192.0.2.11");
	cr_assert(r.info.template_hit);
	// the owner is a pointer to the question
	cr_assert_eq(r.wire[r.m.sec_off[DNS_SECTION_ANSWER]], 0xc0);
	cr_assert_eq(r.wire[r.m.sec_off[DNS_SECTION_ANSWER] + 1], 12);
}

Test(dns_answer, mx_ns_and_srv_targets_get_addresses_from_the_zone)
{
	struct r r;
	ask(&(struct q){"mail.example.com.", DNS_TYPE_MX}, &r);
	AN(&r, "mail.example.com. 3600 MX 10 mx1.example.com.",
	   "mail.example.com. 3600 MX 20 mx.example.net.");
	AR(&r, "mx1.example.com. 3600 A 192.0.2.20"); // not example.net's: another zone
	ask(&(struct q){"example.com.", DNS_TYPE_NS}, &r);
	AN(&r, "example.com. 3600 NS ns1.example.com.", "example.com. 3600 NS ns2.example.net.");
	AR(&r, "ns1.example.com. 3600 A 192.0.2.1", "ns1.example.com. 3600 AAAA 2001:db8::1");
	cr_assert(has(&r, DNS_FLAG_AA));
	ask(&(struct q){"_sip._udp.example.com.", DNS_TYPE_SRV}, &r);
	AN(&r, "_sip._udp.example.com. 3600 SRV 0 5 5060 www.example.com.");
	AR(&r, "www.example.com. 3600 A 192.0.2.10", "www.example.com. 3600 A 192.0.2.11");
}

// ---- CNAME and DNAME ----

Test(dns_answer, cname_chain_is_followed_inside_the_zone)
{
	struct r r;
	ask(&(struct q){"chain1.example.com.", DNS_TYPE_A}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_NOERROR);
	cr_assert(has(&r, DNS_FLAG_AA));
	AN(&r, "chain1.example.com. 3600 CNAME chain2.example.com.",
	   "chain2.example.com. 3600 CNAME www.example.com.", "www.example.com. 3600 A 192.0.2.10",
	   "www.example.com. 3600 A 192.0.2.11");
	cr_assert(!r.info.template_hit);
	// asked for the CNAME itself: no chasing
	ask(&(struct q){"alias.example.com.", DNS_TYPE_CNAME}, &r);
	AN(&r, "alias.example.com. 3600 CNAME www.example.com.");
	cr_assert(r.info.template_hit);
}

Test(dns_answer, cname_loop_ends_with_each_link_once)
{
	struct r r;
	ask(&(struct q){"loop1.example.com.", DNS_TYPE_A}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_NOERROR);
	AN(&r, "loop1.example.com. 3600 CNAME loop2.example.com.",
	   "loop2.example.com. 3600 CNAME loop1.example.com.");
}

Test(dns_answer, cname_into_another_served_zone_and_to_nowhere)
{
	struct r r;
	ask(&(struct q){"ext.example.com.", DNS_TYPE_A}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_NOERROR);
	AN(&r, "ext.example.com. 3600 CNAME www.example.net.", "www.example.net. 600 A 198.51.100.10");
	// RFC 6604: the rcode is the last name's
	ask(&(struct q){"gone.example.com.", DNS_TYPE_A}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_NXDOMAIN);
	cr_assert(has(&r, DNS_FLAG_AA));
	AN(&r, "gone.example.com. 3600 CNAME nothing.example.com.");
	NS(&r, SOA_COM);
}

Test(dns_answer, dname_synthesises_a_cname)
{
	struct r r;
	ask(&(struct q){"www.dn.example.com.", DNS_TYPE_A}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_NOERROR);
	AN(&r, "dn.example.com. 3600 DNAME example.net.",
	   "www.dn.example.com. 3600 CNAME www.example.net.", "www.example.net. 600 A 198.51.100.10");
	ask(&(struct q){"x.y.dn.example.com.", DNS_TYPE_A}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_NXDOMAIN);
	AN(&r, "dn.example.com. 3600 DNAME example.net.",
	   "x.y.dn.example.com. 3600 CNAME x.y.example.net.");
	NS(&r, SOA_NET);
	// the DNAME's own name is not substituted (RFC 6672 §2.3)
	ask(&(struct q){"dn.example.com.", DNS_TYPE_A}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_NOERROR);
	NONE(&r, DNS_SECTION_ANSWER);
	NS(&r, SOA_COM);
}

Test(dns_answer, dname_result_too_long_is_yxdomain)
{
	// 4 × 63-octet labels under dn.example.com. fit 255; under example.net.
	// … they still fit, so make the target longer than the owner
	struct dns_zone *z = test_zone("example.org.", "$TTL 60\n@ SOA a b 1 2 3 4 5\n@ NS a\na A 192.0.2.1\n"
						 "d DNAME "
						 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
						 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.\n");
	size_t sz;
	void *im = dns_image_compile(&z, 1, &sz);
	cr_assert_not_null(im);
	dns_zone_free(z);
	char name[300];
	snprintf(name, sizeof(name), "%s.%s.%s.d.example.org.",
		 "ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",
		 "ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
		 "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee");
	uint8_t q[DNS_MSG_MAXLEN];
	size_t ql = build_query(&(struct q){name, DNS_TYPE_A}, q);
	struct dns_answer_client cl = {.transport = DNS_TRANSPORT_UDP};
	struct dns_answer_info info;
	size_t n = dns_answer(im, &cfg, &cl, q, ql, sizeof(q), &info);
	cr_assert_gt(n, 0);
	cr_assert_eq(info.rcode, DNS_RCODE_YXDOMAIN);
	free(im);
}

// ---- negative answers ----

Test(dns_answer, nxdomain_and_nodata_carry_the_soa_with_the_negative_ttl)
{
	struct r r;
	ask(&(struct q){"nope.example.com.", DNS_TYPE_A}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_NXDOMAIN);
	cr_assert(has(&r, DNS_FLAG_AA));
	NONE(&r, DNS_SECTION_ANSWER);
	NS(&r, SOA_COM); // TTL min(3600, 300)
	cr_assert(r.info.suffix_hit);
	ask(&(struct q){"a.b.nope.example.com.", DNS_TYPE_A, .edns = 1232}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_NXDOMAIN);
	NS(&r, SOA_COM);
	cr_assert(r.info.suffix_hit);
	ask(&(struct q){"www.example.com.", DNS_TYPE_TXT}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_NOERROR);
	NONE(&r, DNS_SECTION_ANSWER);
	NS(&r, SOA_COM);
}

Test(dns_answer, empty_non_terminals_are_nodata_not_nxdomain)
{
	struct r r;
	ask(&(struct q){"ent.deep.example.com.", DNS_TYPE_A}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_NOERROR);
	NONE(&r, DNS_SECTION_ANSWER);
	NS(&r, SOA_COM);
	ask(&(struct q){"deep.example.com.", DNS_TYPE_ANY}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_NOERROR);
	NS(&r, SOA_COM);
	ask(&(struct q){"other.deep.example.com.", DNS_TYPE_A}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_NXDOMAIN);
}

// ---- wildcards (RFC 4592) ----

Test(dns_answer, wildcard_synthesises_for_names_below_the_closest_encloser)
{
	struct r r;
	ask(&(struct q){"foo.wild.example.com.", DNS_TYPE_TXT}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_NOERROR);
	cr_assert(has(&r, DNS_FLAG_AA));
	AN(&r, "foo.wild.example.com. 3600 TXT \"wildcard\"");
	cr_assert(r.info.suffix_hit);
	ask(&(struct q){"a.b.wild.example.com.", DNS_TYPE_MX}, &r);
	AN(&r, "a.b.wild.example.com. 3600 MX 10 mx1.example.com.");
	AR(&r, "mx1.example.com. 3600 A 192.0.2.20");
	// wildcard NODATA
	ask(&(struct q){"foo.wild.example.com.", DNS_TYPE_A}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_NOERROR);
	NONE(&r, DNS_SECTION_ANSWER);
	NS(&r, SOA_COM);
	// "*" asked for by name is an exact match
	ask(&(struct q){"*.wild.example.com.", DNS_TYPE_TXT}, &r);
	AN(&r, "*.wild.example.com. 3600 TXT \"wildcard\"");
	cr_assert(r.info.template_hit);
	// the wildcard does not cover its own parent
	ask(&(struct q){"wild.example.com.", DNS_TYPE_TXT}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_NOERROR);
	NONE(&r, DNS_SECTION_ANSWER);
}

Test(dns_answer, wildcard_cname_is_synthesised_and_followed)
{
	struct r r;
	ask(&(struct q){"x.wc.example.com.", DNS_TYPE_A}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_NOERROR);
	AN(&r, "x.wc.example.com. 3600 CNAME www.example.com.", "www.example.com. 3600 A 192.0.2.10",
	   "www.example.com. 3600 A 192.0.2.11");
}

// ---- delegations ----

Test(dns_answer, referral_below_a_cut_with_glue_and_aa_clear)
{
	struct r r;
	ask(&(struct q){"www.child.example.com.", DNS_TYPE_A}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_NOERROR);
	cr_assert(!has(&r, DNS_FLAG_AA));
	NONE(&r, DNS_SECTION_ANSWER);
	NS(&r, "child.example.com. 3600 NS ns.child.example.com.",
	   "child.example.com. 3600 NS ns.example.net.");
	AR(&r, "ns.child.example.com. 3600 A 192.0.2.40");
	cr_assert(r.info.suffix_hit);
	// at the cut itself, NS included
	ask(&(struct q){"child.example.com.", DNS_TYPE_NS}, &r);
	cr_assert(!has(&r, DNS_FLAG_AA));
	NONE(&r, DNS_SECTION_ANSWER);
	cr_assert_eq(r.count[DNS_SECTION_AUTHORITY], 2);
	cr_assert(!r.info.template_hit);
	// glue is never answered as authoritative data
	ask(&(struct q){"ns.child.example.com.", DNS_TYPE_A}, &r);
	cr_assert(!has(&r, DNS_FLAG_AA));
	NONE(&r, DNS_SECTION_ANSWER);
	cr_assert_eq(r.count[DNS_SECTION_AUTHORITY], 2);
}

Test(dns_answer, ds_at_the_cut_is_the_parents_data)
{
	struct r r;
	ask(&(struct q){"child.example.com.", DNS_TYPE_DS}, &r);
	cr_assert(has(&r, DNS_FLAG_AA));
	cr_assert_eq(r.count[DNS_SECTION_ANSWER], 1);
	ask(&(struct q){"nog.example.com.", DNS_TYPE_DS}, &r);
	cr_assert(has(&r, DNS_FLAG_AA));
	NONE(&r, DNS_SECTION_ANSWER);
	NS(&r, SOA_COM);
}

Test(dns_answer, referral_without_glue)
{
	struct r r;
	ask(&(struct q){"a.nog.example.com.", DNS_TYPE_AAAA}, &r);
	cr_assert(!has(&r, DNS_FLAG_AA));
	NS(&r, "nog.example.com. 3600 NS ns.example.net.");
	NONE(&r, DNS_SECTION_ADDITIONAL);
}

Test(dns_answer, names_outside_every_zone_are_refused)
{
	struct r r;
	ask(&(struct q){"www.example.org.", DNS_TYPE_A}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_REFUSED);
	cr_assert(!has(&r, DNS_FLAG_AA));
	NONE(&r, DNS_SECTION_ANSWER);
	NONE(&r, DNS_SECTION_AUTHORITY);
	cr_assert(r.info.suffix_hit);
	ask(&(struct q){"com.", DNS_TYPE_NS}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_REFUSED);
}

// ---- ANY (RFC 8482) ----

Test(dns_answer, any_is_minimal_over_udp_and_complete_over_tcp)
{
	struct r r;
	ask(&(struct q){"multi.example.com.", DNS_TYPE_ANY}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_NOERROR);
	cr_assert_eq(r.count[DNS_SECTION_ANSWER], 1);
	ask(&(struct q){"multi.example.com.", DNS_TYPE_ANY, .tcp = true}, &r);
	cr_assert_eq(r.count[DNS_SECTION_ANSWER], 3);
	// the MX among them brings its target's address, as asked by type
	AR(&r, "mx1.example.com. 3600 A 192.0.2.20");
	ask(&(struct q){"mail.example.com.", DNS_TYPE_ANY}, &r);
	AN(&r, "mail.example.com. 3600 MX 10 mx1.example.com.",
	   "mail.example.com. 3600 MX 20 mx.example.net.");
	AR(&r, "mx1.example.com. 3600 A 192.0.2.20");
}

// ---- sizes and truncation ----

Test(dns_answer, oversized_answer_sets_tc_and_empties_the_sections)
{
	struct r r;
	ask(&(struct q){"big.example.com.", DNS_TYPE_TXT}, &r);
	cr_assert(has(&r, DNS_FLAG_TC));
	cr_assert(has(&r, DNS_FLAG_AA));
	cr_assert_eq(r.m.hdr.count[DNS_SECTION_QUESTION], 1);
	NONE(&r, DNS_SECTION_ANSWER);
	NONE(&r, DNS_SECTION_AUTHORITY);
	cr_assert_leq(r.len, 512);
	cr_assert(r.info.truncated);
	// EDNS: still over our 1232, the OPT stays
	ask(&(struct q){"big.example.com.", DNS_TYPE_TXT, .edns = 4096}, &r);
	cr_assert(has(&r, DNS_FLAG_TC));
	cr_assert(r.m.edns.present);
	cr_assert_eq(r.m.edns.udp_size, 1232);
	// TCP: everything
	ask(&(struct q){"big.example.com.", DNS_TYPE_TXT, .tcp = true}, &r);
	cr_assert(!has(&r, DNS_FLAG_TC));
	cr_assert_eq(r.count[DNS_SECTION_ANSWER], 40);
	cr_assert(r.info.template_hit);
}

Test(dns_answer, edns_size_is_the_smaller_of_both_and_at_least_512)
{
	struct r r;
	cfg.edns_size = 8192;
	ask(&(struct q){"big.example.com.", DNS_TYPE_TXT, .edns = 4096}, &r);
	cr_assert(has(&r, DNS_FLAG_TC)); // 40 × 113 octets
	ask(&(struct q){"big.example.com.", DNS_TYPE_TXT, .edns = 8192}, &r);
	cr_assert(!has(&r, DNS_FLAG_TC));
	cr_assert_eq(r.count[DNS_SECTION_ANSWER], 40);
	cr_assert_eq(r.m.edns.udp_size, 8192);
	ask(&(struct q){"big.example.com.", DNS_TYPE_TXT, .edns = 100}, &r);
	cr_assert(has(&r, DNS_FLAG_TC));
	cr_assert_leq(r.len, 512);
}

// ---- EDNS ----

Test(dns_answer, edns_is_answered_with_opt_and_badvers_for_other_versions)
{
	struct r r;
	ask(&(struct q){"www.example.com.", DNS_TYPE_A, .edns = 1232}, &r);
	cr_assert(r.m.edns.present);
	cr_assert_eq(r.m.edns.version, 0);
	cr_assert(r.info.template_hit);
	ask(&(struct q){"www.example.com.", DNS_TYPE_A}, &r);
	cr_assert(!r.m.edns.present);
	ask(&(struct q){"www.example.com.", DNS_TYPE_A, .edns = 1232, .version = 1}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_BADVERS);
	cr_assert(r.m.edns.present);
	NONE(&r, DNS_SECTION_ANSWER);
}

Test(dns_answer, nsid_only_when_configured_and_asked)
{
	struct r r;
	ask(&(struct q){"www.example.com.", DNS_TYPE_A, .edns = 1232, .nsid = true}, &r);
	cr_assert(!r.m.edns.has_nsid);
	memcpy(cfg.nsid, "lr-1", 4);
	cfg.nsid_len = 4;
	ask(&(struct q){"www.example.com.", DNS_TYPE_A, .edns = 1232, .nsid = true}, &r);
	cr_assert(r.m.edns.has_nsid);
	cr_assert_eq(r.m.edns.nsid_len, 4);
	cr_assert_arr_eq(r.m.edns.nsid, "lr-1", 4);
	AN(&r, "www.example.com. 3600 A 192.0.2.10", "www.example.com. 3600 A 192.0.2.11");
	ask(&(struct q){"www.example.com.", DNS_TYPE_A, .edns = 1232}, &r);
	cr_assert(!r.m.edns.has_nsid);
}

// ---- cookies (RFC 7873, RFC 9018) ----

static void unhex(const char *s, uint8_t *out)
{
	for (size_t i = 0; s[2 * i]; i++) {
		unsigned v;
		sscanf(s + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
}

Test(dns_answer, server_cookie_matches_rfc9018_test_vectors)
{
	uint8_t secret[16], client[8], got[16], want[16];
	unhex("e5e973e5a6b2a43f48e7dc849e37bfcf", secret);
	unhex("2464c4abcf10c957", client);
	struct dns_answer_client cl = {.family = 4, .addr = {198, 51, 100, 100}, .now = 1559731985};
	dns_cookie_make(secret, client, &cl, got);
	unhex("010000005cf79f111f8130c3eee29480", want); // RFC 9018 A.1
	cr_assert_arr_eq(got, want, 16);
	cl.now = 1559734385;
	dns_cookie_make(secret, client, &cl, got);
	unhex("010000005cf7a871d4a564a1442aca77", want); // A.2
	cr_assert_arr_eq(got, want, 16);
}

Test(dns_answer, cookies_are_issued_echoed_and_checked)
{
	struct r r;
	uint8_t client[8] = {1, 2, 3, 4, 5, 6, 7, 8}, both[24];
	cfg.cookies = true;
	memset(cfg.cookie_secret, 0x5a, 16);
	ask(&(struct q){"www.example.com.", DNS_TYPE_A, .edns = 1232, .cookie = client, .cookie_len = 8},
	    &r);
	cr_assert(r.m.edns.has_cookie);
	cr_assert_eq(r.m.edns.cookie_len, 24);
	cr_assert_arr_eq(r.m.edns.cookie, client, 8);
	cr_assert(r.info.template_hit, "a cookie keeps the query on the template path");
	memcpy(both, r.m.edns.cookie, 24);
	struct dns_answer_client cl = {.family = 4, .addr = {198, 51, 100, 100}, .now = 1559731985};
	cr_assert(dns_cookie_valid(cfg.cookie_secret, both, 24, &cl));
	cl.addr[3] = 101; // another client address
	cr_assert(!dns_cookie_valid(cfg.cookie_secret, both, 24, &cl));
	// the valid, fresh cookie comes back unchanged
	ask(&(struct q){"www.example.com.", DNS_TYPE_A, .edns = 1232, .cookie = both, .cookie_len = 24},
	    &r);
	cr_assert_arr_eq(r.m.edns.cookie, both, 24);
	cr_assert(r.info.template_hit);
	// NXDOMAIN from a pointer-shifting template carries the cookie too
	ask(&(struct q){"nope.www.example.com.", DNS_TYPE_A, .edns = 1232, .cookie = client,
			.cookie_len = 8},
	    &r);
	cr_assert_eq(r.rcode, DNS_RCODE_NXDOMAIN);
	cr_assert(r.info.suffix_hit);
	cr_assert_eq(r.m.edns.cookie_len, 24);
	cr_assert_arr_eq(r.m.edns.cookie, client, 8);
	// RFC 7873 §5.2.2: a malformed COOKIE option is FORMERR
	ask(&(struct q){"www.example.com.", DNS_TYPE_A, .edns = 1232, .cookie = client, .cookie_len = 5},
	    &r);
	cr_assert_eq(r.rcode, DNS_RCODE_FORMERR);
}

Test(dns_answer, options_we_ignore_keep_the_template_path)
{
	struct r r;
	uint8_t client[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	// cookies off (RFC 7873 §5.2.1: the option is ignored), as dig sends it
	ask(&(struct q){"www.example.com.", DNS_TYPE_A, .edns = 1232, .cookie = client, .cookie_len = 8},
	    &r);
	cr_assert_eq(r.rcode, DNS_RCODE_NOERROR);
	cr_assert(r.info.template_hit);
	cr_assert(r.m.edns.present);
	cr_assert(!r.m.edns.has_cookie);
	// an NSID request we answer takes the full path, and gets the NSID
	cfg.nsid_len = 3;
	memcpy(cfg.nsid, "ns1", 3);
	ask(&(struct q){"www.example.com.", DNS_TYPE_A, .edns = 1232, .nsid = true}, &r);
	cr_assert(!r.info.template_hit);
	cr_assert(r.m.edns.has_nsid);
}

// ---- opcodes and malformed queries ----

Test(dns_answer, notify_for_a_served_zone_is_acknowledged_and_reported)
{
	struct r r;
	uint16_t notify = DNS_OPCODE_NOTIFY << 11;
	ask(&(struct q){"example.net.", DNS_TYPE_SOA, .flags = notify}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_NOERROR);
	cr_assert(has(&r, DNS_FLAG_AA));
	cr_assert_eq(DNS_OPCODE_OF(r.flags), DNS_OPCODE_NOTIFY);
	cr_assert(r.info.notify);
	cr_assert_eq(r.info.zone, 1);
	ask(&(struct q){"example.org.", DNS_TYPE_SOA, .flags = notify}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_NOTAUTH);
	cr_assert(!r.info.notify);
}

Test(dns_answer, unimplemented_opcodes_are_notimp)
{
	static const uint8_t opcodes[] = {DNS_OPCODE_IQUERY, DNS_OPCODE_STATUS, DNS_OPCODE_UPDATE, 3,
					  7, 15};
	for (size_t i = 0; i < sizeof(opcodes); i++) {
		struct r r;
		ask(&(struct q){"www.example.com.", DNS_TYPE_A, .flags = (uint16_t)(opcodes[i] << 11)}, &r);
		cr_assert_eq(r.rcode, DNS_RCODE_NOTIMP, "opcode %u", opcodes[i]);
		cr_assert_eq(DNS_OPCODE_OF(r.flags), opcodes[i]);
		NONE(&r, DNS_SECTION_ANSWER);
	}
}

static size_t answer_raw(uint8_t *pkt, size_t len, struct dns_answer_info *info)
{
	struct dns_answer_client cl = {.transport = DNS_TRANSPORT_UDP};
	return dns_answer(img, &cfg, &cl, pkt, len, 512, info);
}

Test(dns_answer, question_count_other_than_one_is_formerr)
{
	uint8_t q[512];
	struct dns_answer_info info;
	size_t ql = build_query(&(struct q){"www.example.com.", DNS_TYPE_A}, q);
	q[5] = 0; // QDCOUNT 0, question bytes now trailing garbage
	size_t n = answer_raw(q, ql, &info);
	cr_assert_eq(n, 12);
	cr_assert_eq(info.rcode, DNS_RCODE_FORMERR);
	cr_assert_eq(q[0], 0x12);
	cr_assert_eq(q[1], 0x34);
	cr_assert_eq(q[2] & 0x80, 0x80);
	// two questions
	ql = build_query(&(struct q){"www.example.com.", DNS_TYPE_A}, q);
	memcpy(q + ql, q + 12, ql - 12);
	q[5] = 2;
	n = answer_raw(q, 2 * ql - 12, &info);
	cr_assert_gt(n, 0);
	cr_assert_eq(info.rcode, DNS_RCODE_FORMERR);
	cr_assert_eq(q[3] & 0xf, DNS_RCODE_FORMERR);
}

Test(dns_answer, responses_short_messages_and_garbage)
{
	uint8_t q[512];
	struct dns_answer_info info;
	size_t ql = build_query(&(struct q){"www.example.com.", DNS_TYPE_A}, q);
	q[2] |= 0x80; // QR: never answered
	cr_assert_eq(answer_raw(q, ql, &info), 0);
	cr_assert_eq(info.drop, DNS_DROP_RESPONSE);
	cr_assert_eq(answer_raw(q, 11, &info), 0);
	cr_assert_eq(info.drop, DNS_DROP_SHORT);
	// readable header, broken question: FORMERR with the header only
	ql = build_query(&(struct q){"www.example.com.", DNS_TYPE_A}, q);
	q[12] = 0xc0; // pointer into the header
	q[13] = 0x02;
	cr_assert_eq(answer_raw(q, ql, &info), 12);
	cr_assert_eq(info.rcode, DNS_RCODE_FORMERR);
	// a truncated question
	ql = build_query(&(struct q){"www.example.com.", DNS_TYPE_A}, q);
	cr_assert_eq(answer_raw(q, ql - 3, &info), 12);
	cr_assert_eq(info.rcode, DNS_RCODE_FORMERR);
}

Test(dns_answer, no_image_means_refused)
{
	uint8_t q[512];
	struct dns_answer_info info;
	struct dns_answer_client cl = {.transport = DNS_TRANSPORT_UDP};
	size_t ql = build_query(&(struct q){"www.example.com.", DNS_TYPE_A}, q);
	cr_assert_gt(dns_answer(NULL, &cfg, &cl, q, ql, sizeof(q), &info), 0);
	cr_assert_eq(info.rcode, DNS_RCODE_REFUSED);
}

// ---- CHAOS ----

Test(dns_answer, chaos_txt_answers_version_and_identity_when_set)
{
	struct r r;
	ask(&(struct q){"version.bind.", DNS_TYPE_TXT, DNS_CLASS_CH}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_NOERROR);
	cr_assert(has(&r, DNS_FLAG_AA));
	AN(&r, "version.bind. 0 CH TXT \"linerate\"");
	ask(&(struct q){"id.server.", DNS_TYPE_TXT, DNS_CLASS_CH}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_REFUSED); // no identity configured
	strcpy(cfg.chaos_id, "ns1.lab");
	ask(&(struct q){"ID.SERVER.", DNS_TYPE_TXT, DNS_CLASS_CH}, &r);
	AN(&r, "ID.SERVER. 0 CH TXT \"ns1.lab\"");
	ask(&(struct q){"other.bind.", DNS_TYPE_TXT, DNS_CLASS_CH}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_REFUSED);
	ask(&(struct q){"version.bind.", DNS_TYPE_A, DNS_CLASS_CH}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_REFUSED);
	ask(&(struct q){"version.bind.", DNS_TYPE_ANY, DNS_CLASS_CH}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_REFUSED);
	cfg.chaos = false;
	ask(&(struct q){"version.bind.", DNS_TYPE_TXT, DNS_CLASS_CH}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_REFUSED);
}

// ---- the template path's bytes ----

Test(dns_answer, templates_exist_for_direct_answers_only)
{
	const struct dns_image_rrset *rs = dns_image_rrsets(img);
	const struct dns_image_node *nodes = dns_image_nodes(img);
	uint32_t n = dns_image_hdr(img)->nrrsets, with = 0;
	for (uint32_t i = 0; i < n; i++) {
		const struct dns_image_node *nd = &nodes[rs[i].node];
		if (nd->flags & DNS_NODE_BELOW_CUT || (nd->flags & DNS_NODE_DELEG && rs[i].type != DNS_TYPE_DS))
			cr_assert_eq(rs[i].tmpl_len, 0, "template for data at or below a cut");
		else
			cr_assert_gt(rs[i].tmpl_len, 0, "no template for rrset %u", i);
		with += rs[i].tmpl_len > 0;
	}
	cr_assert_gt(with, 20);
	cr_assert_eq(dns_image_check(img, img_size), 0);
}

Test(dns_answer, a_burst_answers_as_each_query_alone)
{
	static const struct q qs[] = {
		{"www.example.com.", DNS_TYPE_A},
		{"WWW.example.COM.", DNS_TYPE_A, .edns = 1232},
		{"nope.example.com.", DNS_TYPE_A},
		{"mail.example.com.", DNS_TYPE_MX, .edns = 512},
		{"big.example.com.", DNS_TYPE_TXT},
		{"foo.wild.example.com.", DNS_TYPE_TXT},
		{"www.child.example.com.", DNS_TYPE_A},
		{"www.example.org.", DNS_TYPE_A},
		{"ns1.example.com.", DNS_TYPE_AAAA, .edns = 4096},
		{"example.net.", DNS_TYPE_SOA, .flags = DNS_OPCODE_NOTIFY << 11},
	};
	enum { N = 45 }; // more than one burst of 32
	static uint8_t one[N][DNS_MSG_MAXLEN], many[N][DNS_MSG_MAXLEN];
	static struct dns_answer_job jobs[N];
	struct dns_answer_client cl = {.transport = DNS_TRANSPORT_UDP, .family = 4};
	size_t len[N], out[N];
	for (int i = 0; i < N; i++) {
		len[i] = build_query(&qs[i % (sizeof(qs) / sizeof(qs[0]))], one[i]);
		memcpy(many[i], one[i], len[i]);
		struct dns_answer_info info;
		out[i] = dns_answer(img, &cfg, &cl, one[i], len[i], sizeof(one[i]), &info);
		jobs[i] = (struct dns_answer_job){.pkt = many[i], .len = len[i], .cap = sizeof(many[i]),
						  .client = cl};
	}
	dns_answer_burst(img, &cfg, jobs, N);
	int hits = 0;
	for (int i = 0; i < N; i++) {
		cr_assert_eq(jobs[i].out, out[i], "query %d", i);
		cr_assert_arr_eq(many[i], one[i], out[i], "query %d", i);
		hits += jobs[i].info.template_hit;
	}
	cr_assert_gt(hits, 10);
}

Test(dns_answer, ds_at_a_served_child_apex_comes_from_the_parent)
{
	struct dns_zone *z[2] = {
		test_zone("example.", "$TTL 60\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n"
				      "kid NS ns.kid\nns.kid A 192.0.2.2\n"
				      "kid DS 1 8 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
				      "nods NS ns.nods\nns.nods A 192.0.2.3\n"),
		test_zone("kid.example.", "$TTL 30\n@ SOA ns hm 9 2 3 4 30\n@ NS ns\nns A 192.0.2.2\n"),
	};
	struct dns_zone *z2 = test_zone("nods.example.", "$TTL 30\n@ SOA ns hm 9 2 3 4 30\n@ NS ns\n"
							 "ns A 192.0.2.3\n");
	struct dns_zone *all[3] = {z[0], z[1], z2};
	size_t sz;
	void *saved = img;
	img = dns_image_compile(all, 3, &sz);
	cr_assert_not_null(img);
	cr_assert_eq(dns_image_check(img, sz), 0);
	struct r r;
	ask(&(struct q){"kid.example.", DNS_TYPE_DS}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_NOERROR);
	cr_assert(has(&r, DNS_FLAG_AA));
	cr_assert_eq(r.count[DNS_SECTION_ANSWER], 1);
	cr_assert_eq(r.info.zone, 0); // the parent
	// no DS in the parent: NODATA with the parent's SOA
	ask(&(struct q){"nods.example.", DNS_TYPE_DS}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_NOERROR);
	NONE(&r, DNS_SECTION_ANSWER);
	NS(&r, "example. 5 SOA ns.example. hm.example. 1 2 3 4 5");
	// everything else at the child apex is the child's
	ask(&(struct q){"kid.example.", DNS_TYPE_NS}, &r);
	cr_assert(has(&r, DNS_FLAG_AA));
	AN(&r, "kid.example. 30 NS ns.kid.example.");
	ask(&(struct q){"kid.example.", DNS_TYPE_TXT}, &r);
	NS(&r, "kid.example. 30 SOA ns.kid.example. hm.kid.example. 9 2 3 4 30");
	free(img);
	img = saved;
	for (int i = 0; i < 3; i++)
		dns_zone_free(all[i]);
}

Test(dns_answer, zone_transfers_are_refused)
{
	struct r r;
	ask(&(struct q){"example.com.", DNS_TYPE_AXFR}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_REFUSED);
	ask(&(struct q){"example.com.", DNS_TYPE_IXFR, .tcp = true}, &r);
	cr_assert_eq(r.rcode, DNS_RCODE_REFUSED);
	cr_assert(!r.info.suffix_hit && !r.info.template_hit);
}
