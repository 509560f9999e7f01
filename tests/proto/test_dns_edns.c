/* SPDX-License-Identifier: BSD-3-Clause */
// EDNS0 (RFC 6891) and its options: parse, iterate, build, encode.
#include <criterion/criterion.h>

#include <linerate/dns_err.h>
#include <linerate/dns_msg.h>

#include "dns_test_util.h"

// A query for example.com. A with an OPT whose rdata (rdlen given) follows.
#define QUERY_OPT(ttl, rdlen)                                                                      \
	"1234 0100 0001 0000 0000 0001 07 6578616d706c65 03 636f6d 00 0001 0001 00 0029 04d0 " ttl \
	" " rdlen " "
#define RESPONSE_OPT(ttl, rdlen)                                                                   \
	"1234 8180 0001 0000 0000 0001 07 6578616d706c65 03 636f6d 00 0001 0001 00 0029 04d0 " ttl \
	" " rdlen " "

static int parse_hex(struct dns_msg *m, const char *s, uint8_t *wire, size_t cap)
{
	int len = hex_decode(s, wire, cap);
	cr_assert_geq(len, 0, "bad test hex");
	return dns_msg_parse(m, wire, (size_t)len);
}

Test(dns_edns, parses_header_fields_and_known_options)
{
	uint8_t wire[256];
	struct dns_msg m;
	int rc = parse_hex(
		&m,
		QUERY_OPT("01008000", "0035") "0003 0000"		    // NSID request
					      "000a 0008 0102030405060708"  // client cookie
					      "000c 000a 10*00"		    // padding
					      "0008 0007 0001 18 00 c00002" // ECS 192.0.2.0/24
					      "fde9 0002 abcd"		    // unknown
					      "000f 0002 0012",		    // EDE: not parsed here
		wire, sizeof(wire));
	cr_assert_eq(rc, 0, "%s", dns_strerror_sym(rc));
	const struct dns_edns *e = &m.edns;
	cr_assert(e->present);
	cr_assert_eq(e->udp_size, 1232);
	cr_assert_eq(e->ext_rcode, 1);
	cr_assert_eq(e->version, 0);
	cr_assert_eq(e->flags, DNS_EDNS_DO);
	cr_assert_eq(e->rr_off, 29);
	cr_assert_eq(e->opts_off, 40);
	cr_assert_eq(e->opts_len, 0x35);
	cr_assert(e->has_nsid);
	cr_assert_eq(e->nsid_len, 0);
	cr_assert(e->has_cookie);
	cr_assert_eq(e->cookie_len, 8);
	cr_assert_arr_eq(e->cookie, "\1\2\3\4\5\6\7\x08", 8);
	cr_assert(e->has_padding);
	cr_assert_eq(e->padding_len, 10);
	cr_assert(e->has_ecs);
	cr_assert_eq(e->ecs.family, 1);
	cr_assert_eq(e->ecs.source_prefix, 24);
	cr_assert_eq(e->ecs.scope_prefix, 0);
	cr_assert_arr_eq(e->ecs.addr, "\xc0\x00\x02\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	cr_assert_eq(e->unknown_count, 2);
	// RFC 6891 §6.1.3: 12-bit rcode = OPT's 8 bits above the header's 4
	cr_assert_eq(dns_msg_rcode(&m), 16);

	// every option, known or not, in order
	struct dns_edns_opt_iter it;
	uint16_t code, len;
	const uint8_t *data;
	static const uint16_t codes[] = {3, 10, 12, 8, 0xfde9, 15};
	dns_edns_opt_iter_init(&it, &m);
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		cr_assert_eq(dns_edns_opt_iter_next(&it, &code, &data, &len), 1);
		cr_assert_eq(code, codes[i]);
	}
	cr_assert_eq(len, 2);
	cr_assert_arr_eq(data, "\x00\x12", 2);
	cr_assert_eq(dns_edns_opt_iter_next(&it, &code, &data, &len), 0);
}

Test(dns_edns, message_without_opt_has_no_options)
{
	uint8_t wire[64];
	struct dns_msg m;
	cr_assert_eq(
		parse_hex(&m,
			  "1234 0100 0001 0000 0000 0000 07 6578616d706c65 03 636f6d 00 0001 0001",
			  wire, sizeof(wire)),
		0);
	cr_assert_not(m.edns.present);
	struct dns_edns_opt_iter it;
	uint16_t code, len;
	const uint8_t *data;
	dns_edns_opt_iter_init(&it, &m);
	cr_assert_eq(dns_edns_opt_iter_next(&it, &code, &data, &len), 0);
	m.hdr.flags |= DNS_RCODE_NXDOMAIN;
	cr_assert_eq(dns_msg_rcode(&m), DNS_RCODE_NXDOMAIN);
}

Test(dns_edns, cookie_lengths_at_the_limits)
{
	uint8_t wire[256];
	struct dns_msg m;
	// RFC 7873 §4: 8 (client only), 16 and 40 (server 8 and 32)
	cr_assert_eq(
		parse_hex(&m, QUERY_OPT("00000000", "000c") "000a 0008 8*11", wire, sizeof(wire)),
		0);
	cr_assert_eq(
		parse_hex(&m, QUERY_OPT("00000000", "0014") "000a 0010 16*11", wire, sizeof(wire)),
		0);
	cr_assert_eq(m.edns.cookie_len, 16);
	cr_assert_eq(
		parse_hex(&m, QUERY_OPT("00000000", "002c") "000a 0028 40*11", wire, sizeof(wire)),
		0);
	cr_assert_eq(m.edns.cookie_len, 40);
	cr_assert_eq(
		parse_hex(&m, QUERY_OPT("00000000", "0013") "000a 000f 15*11", wire, sizeof(wire)),
		DNS_EOPT_COOKIE);
	// a bad second cookie is still bad
	cr_assert_eq(parse_hex(&m, QUERY_OPT("00000000", "0019") "000a 0008 8*11 000a 0009 9*11",
			       wire, sizeof(wire)),
		     DNS_EOPT_COOKIE);
}

Test(dns_edns, ecs_edge_cases)
{
	uint8_t wire[256];
	struct dns_msg m;
	// prefix 0: no address octets (RFC 7871 §7.1.2 "don't use my address")
	cr_assert_eq(parse_hex(&m, QUERY_OPT("00000000", "0008") "0008 0004 0001 00 00", wire,
			       sizeof(wire)),
		     0);
	cr_assert(m.edns.has_ecs);
	cr_assert_eq(m.edns.ecs.source_prefix, 0);
	// IPv6 /56: seven octets
	cr_assert_eq(parse_hex(&m,
			       QUERY_OPT("00000000", "000f") "0008 000b 0002 38 00 20010db8000100",
			       wire, sizeof(wire)),
		     0);
	cr_assert_eq(m.edns.ecs.family, 2);
	cr_assert_arr_eq(m.edns.ecs.addr, "\x20\x01\x0d\xb8\x00\x01\x00\x00", 8);
	// a response may carry a scope, up to the family's length
	cr_assert_eq(parse_hex(&m, RESPONSE_OPT("00000000", "000b") "0008 0007 0001 18 18 c00002",
			       wire, sizeof(wire)),
		     0);
	cr_assert_eq(m.edns.ecs.scope_prefix, 24);
	cr_assert_eq(parse_hex(&m, RESPONSE_OPT("00000000", "000b") "0008 0007 0001 18 21 c00002",
			       wire, sizeof(wire)),
		     DNS_EOPT_ECS);
	// /32 with all bits significant
	cr_assert_eq(parse_hex(&m, QUERY_OPT("00000000", "000c") "0008 0008 0001 20 00 c00002ff",
			       wire, sizeof(wire)),
		     0);
}

Test(dns_edns, ecs_encode_truncates_and_masks)
{
	uint8_t out[32];
	struct dns_ecs e = {.family = 1, .source_prefix = 23, .addr = {192, 0, 3, 255}};
	cr_assert_eq(dns_edns_ecs_encode(&e, out, sizeof(out)), 7);
	cr_assert_arr_eq(out, "\x00\x01\x17\x00\xc0\x00\x02", 7);
	e = (struct dns_ecs){.family = 2,
			     .source_prefix = 64,
			     .addr = {0x20, 0x01, 0x0d, 0xb8, 1, 2, 3, 4, 5, 6}};
	cr_assert_eq(dns_edns_ecs_encode(&e, out, sizeof(out)), 12);
	cr_assert_arr_eq(out, "\x00\x02\x40\x00\x20\x01\x0d\xb8\x01\x02\x03\x04", 12);
	cr_assert_eq(dns_edns_ecs_encode(&e, out, 11), DNS_ENOSPACE);
	e.family = 3;
	cr_assert_eq(dns_edns_ecs_encode(&e, out, sizeof(out)), DNS_EOPT_ECS);
	e = (struct dns_ecs){.family = 1, .source_prefix = 33};
	cr_assert_eq(dns_edns_ecs_encode(&e, out, sizeof(out)), DNS_EOPT_ECS);
	e = (struct dns_ecs){.family = 1, .source_prefix = 0};
	cr_assert_eq(dns_edns_ecs_encode(&e, out, sizeof(out)), 4);
}

Test(dns_edns, built_opt_parses_back)
{
	uint8_t buf[512], n[DNS_NAME_MAXLEN], ecs[20];
	struct dns_builder b;
	cr_assert_eq(dns_builder_init(&b, buf, sizeof(buf), sizeof(buf), 7,
				      DNS_FLAG_QR | (DNS_RCODE_BADCOOKIE & 0xf)),
		     0);
	cr_assert_eq(dns_builder_question(&b, name_of("example.com", n), DNS_TYPE_A, DNS_CLASS_IN),
		     0);
	struct dns_ecs in = {.family = 2,
			     .source_prefix = 56,
			     .scope_prefix = 48,
			     .addr = {0x20, 0x01, 0x0d, 0xb8, 0xaa, 0xbb, 0xcc}};
	int elen = dns_edns_ecs_encode(&in, ecs, sizeof(ecs));
	cr_assert_eq(elen, 11);
	static const uint8_t cookie[16] = {1,	2,   3,	  4,   5,   6,	 7,    8,
					   0xa, 0xb, 0xc, 0xd, 0xe, 0xf, 0x10, 0x11};
	const struct dns_edns_opt opts[] = {
		{DNS_EDNS_NSID, 4, (const uint8_t *)"lr-1"},
		{DNS_EDNS_COOKIE, sizeof(cookie), cookie},
		{DNS_EDNS_CLIENT_SUBNET, (uint16_t)elen, ecs},
		{DNS_EDNS_PADDING, 0, NULL},
	};
	cr_assert_eq(dns_builder_opt(&b, 1232, DNS_RCODE_BADCOOKIE >> 4, 0, DNS_EDNS_DO, opts, 4),
		     0);
	int len = dns_builder_finish(&b);
	cr_assert_eq(len, 12 + 17 + dns_edns_opt_size(opts, 4));

	struct dns_msg m;
	cr_assert_eq(dns_msg_parse(&m, buf, (size_t)len), 0);
	cr_assert_eq(dns_msg_rcode(&m), DNS_RCODE_BADCOOKIE);
	cr_assert_eq(m.edns.udp_size, 1232);
	cr_assert_eq(m.edns.flags, DNS_EDNS_DO);
	cr_assert_eq(m.edns.nsid_len, 4);
	cr_assert_arr_eq(m.edns.nsid, "lr-1", 4);
	cr_assert_eq(m.edns.cookie_len, 16);
	cr_assert_arr_eq(m.edns.cookie, cookie, 16);
	cr_assert(m.edns.has_padding);
	cr_assert_eq(m.edns.padding_len, 0);
	cr_assert_eq(m.edns.ecs.family, 2);
	cr_assert_eq(m.edns.ecs.source_prefix, 56);
	cr_assert_eq(m.edns.ecs.scope_prefix, 48);
	cr_assert_arr_eq(m.edns.ecs.addr, in.addr, 16);
	cr_assert_eq(m.edns.unknown_count, 0);
}

Test(dns_edns, builder_opt_refuses_bad_options)
{
	uint8_t buf[512], n[DNS_NAME_MAXLEN];
	struct dns_builder b;
	cr_assert_eq(dns_builder_init(&b, buf, sizeof(buf), sizeof(buf), 7, DNS_FLAG_QR), 0);
	cr_assert_eq(dns_builder_question(&b, name_of("example.com", n), DNS_TYPE_A, DNS_CLASS_IN),
		     0);
	const struct dns_edns_opt nodata = {DNS_EDNS_NSID, 4, NULL};
	cr_assert_eq(dns_builder_opt(&b, 1232, 0, 0, 0, &nodata, 1), DNS_EINVAL);
	const struct dns_edns_opt huge[2] = {{DNS_EDNS_PADDING, 40000, buf},
					     {DNS_EDNS_PADDING, 40000, buf}};
	cr_assert_eq(dns_builder_opt(&b, 1232, 0, 0, 0, huge, 2), DNS_EINVAL);
	cr_assert_eq(dns_edns_opt_size(huge, 2), UINT16_MAX);
	// an OPT that does not fit leaves the message and the reservation alone
	cr_assert_eq(dns_builder_reserve(&b, 20), 0);
	const struct dns_edns_opt big = {DNS_EDNS_PADDING, 500, buf};
	cr_assert_eq(dns_builder_opt(&b, 1232, 0, 0, 0, &big, 1), DNS_ENOSPACE);
	cr_assert_eq(b.reserved, 20);
	cr_assert_eq(b.len, 29);
	cr_assert_eq(b.count[DNS_SECTION_ADDITIONAL], 0);
}
