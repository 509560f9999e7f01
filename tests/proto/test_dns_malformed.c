/* SPDX-License-Identifier: BSD-3-Clause */
// Malformed messages: each case must fail with its own exact code, both in
// the whole-message parse and (for faults in the header or first question)
// in the fast path's question parse; the header must stay readable.
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <linerate/dns_err.h>
#include <linerate/dns_msg.h>
#include <linerate/wire.h>

#include "dns_test_util.h"

// Header: id 0x1234, flags, QD AN NS AR.
#define H(flags, qd, an, ns, ar) "1234 " flags " " qd " " an " " ns " " ar " "
#define QRY			 "0100"
#define RSP			 "8180"
// example.com. A IN at offset 12 (13 + 4 octets, next offset 29 = 0x1d)
#define QN	    "07 6578616d706c65 03 636f6d 00 "
#define Q	    QN "0001 0001 "
#define RR_A	    "c00c 0001 0001 00000e10 0004 c0000201 "
#define OPT	    "00 0029 1000 00000000 0000 "
#define OPT_RD(len) "00 0029 1000 00000000 " len " "
#define TSIG	    "03 6b6579 00 00fa 00ff 00000000 0000 "
// a 193-octet name: three 63-octet labels
#define N193 "3f 63*61 3f 63*62 3f 63*63 00 "

// Criterion runs each parameter in a fresh process: everything inline.
struct bad_msg {
	char name[40];
	char hex[600];
	int err;  // dns_msg_parse
	int qerr; // dns_msg_parse_question (faults past the first question: 0)
};

ParameterizedTestParameters(dns_malformed, each_fault_has_its_own_code)
{
	static struct bad_msg cases[] = {
		// RFC 1035 §4.1.1 header
		{"empty", "", DNS_ETRUNC_HEADER, DNS_ETRUNC_HEADER},
		{"header_cut", "1234 0100 0001", DNS_ETRUNC_HEADER, DNS_ETRUNC_HEADER},
		{"header_only_with_qd", H(QRY, "0001", "0000", "0000", "0000"), DNS_ECOUNT,
		 DNS_ECOUNT},
		// counts that cannot fit, checked before looping
		{"qdcount_too_big", H(QRY, "ffff", "0000", "0000", "0000") Q, DNS_ECOUNT,
		 DNS_ECOUNT},
		{"ancount_too_big", H(RSP, "0001", "ffff", "0000", "0000") Q RR_A, DNS_ECOUNT,
		 DNS_ECOUNT},
		{"arcount_too_big_after_question", H(RSP, "0001", "0000", "0000", "0002") Q RR_A,
		 DNS_ECOUNT, 0},
		// RFC 1035 §4.1.2 question
		{"question_name_cut",
		 H(QRY, "0001", "0000", "0000", "0000") "07 6578616d706c65 03 636f",
		 DNS_ETRUNC_NAME, DNS_ETRUNC_NAME},
		{"question_type_cut", H(QRY, "0001", "0000", "0000", "0000") QN "00",
		 DNS_ETRUNC_QUESTION, DNS_ETRUNC_QUESTION},
		{"question_class_cut", H(QRY, "0001", "0000", "0000", "0000") QN "0001 00",
		 DNS_ETRUNC_QUESTION, DNS_ETRUNC_QUESTION},
		{"second_question_cut", H(QRY, "0002", "0000", "0000", "0000") Q "c00c 0001 00",
		 DNS_ETRUNC_QUESTION, 0},
		// RFC 1035 §4.1.3 resource records
		{"rr_owner_cut",
		 H(RSP, "0001", "0001", "0000", "0000") Q "03 777777 07 6578616d706c",
		 DNS_ETRUNC_NAME, 0},
		{"rr_fixed_cut",
		 H(RSP, "0001", "0001", "0000", "0000") Q "c00c 0001 0001 00000e10 00",
		 DNS_ETRUNC_RR, 0},
		{"rdlength_past_end",
		 H(RSP, "0001", "0001", "0000", "0000") Q "c00c 0001 0001 00000e10 0004 c00002",
		 DNS_ERDLEN, 0},
		{"rdlength_ffff",
		 H(RSP, "0001", "0001", "0000", "0000") Q "c00c 0001 0001 00000e10 ffff c0000201",
		 DNS_ERDLEN, 0},
		// RFC 1035 §4.1.4 compression pointers
		{"pointer_loop_own_run",
		 H(RSP, "0001", "0001", "0000", "0000") Q "03 777777 c01d 0001 0001 00000e10 0000",
		 DNS_EPTR_LOOP, 0},
		{"pointer_forward",
		 H(RSP, "0001", "0001", "0000", "0000") Q "c0ff 0001 0001 00000e10 0000",
		 DNS_EPTR_FORWARD, 0},
		{"pointer_to_itself",
		 H(RSP, "0001", "0001", "0000", "0000") Q "c01d 0001 0001 00000e10 0000",
		 DNS_EPTR_SELF, 0},
		{"pointer_into_header",
		 H(RSP, "0001", "0001", "0000", "0000") Q "c005 0001 0001 00000e10 0000",
		 DNS_EPTR_HEADER, 0},
		{"question_pointer_into_header",
		 H(QRY, "0001", "0000", "0000", "0000") "c000 0001 0001", DNS_EPTR_HEADER,
		 DNS_EPTR_HEADER},
		{"question_pointer_to_itself",
		 H(QRY, "0001", "0000", "0000", "0000") "c00c 0001 0001", DNS_EPTR_SELF,
		 DNS_EPTR_SELF},
		{"rdata_pointer_to_itself",
		 H(RSP, "0001", "0001", "0000", "0000") Q "c00c 0005 0001 00000e10 0002 c029",
		 DNS_EPTR_SELF, 0},
		{"rdata_pointer_forward",
		 H(RSP, "0001", "0002", "0000", "0000") Q "c00c 0005 0001 00000e10 0002 c02b " RR_A,
		 DNS_EPTR_FORWARD, 0},
		// RFC 1035 §2.3.4, §3.1 label and name limits; RFC 6891 §5 label types
		{"label_64_is_type_0x40",
		 H(QRY, "0001", "0000", "0000", "0000") "40 64*61 00 0001 0001", DNS_ELABEL_TYPE,
		 DNS_ELABEL_TYPE},
		{"label_type_0x80", H(QRY, "0001", "0000", "0000", "0000") "80 00 0001 0001",
		 DNS_ELABEL_TYPE, DNS_ELABEL_TYPE},
		{"label_type_0x40_in_owner",
		 H(RSP, "0001", "0001", "0000", "0000") Q "41 00 0001 0001 00000e10 0000",
		 DNS_ELABEL_TYPE, 0},
		{"name_257",
		 H(QRY, "0001", "0000", "0000",
		   "0000") "3f 63*61 3f 63*62 3f 63*63 3f 63*64 00 0001 0001",
		 DNS_ENAME_LEN, DNS_ENAME_LEN},
		{"name_257_via_pointer",
		 H(RSP, "0001", "0001", "0000", "0000") N193
		 "0001 0001"
		 "3f 63*65 c00c 0001 0001 00000e10 0000",
		 DNS_ENAME_LEN, 0},
		{"name_258_via_two_pointers",
		 H(RSP, "0001", "0002", "0000", "0000") N193
		 "0001 0001"
		 "01 78 c00c 0001 0001 00000e10 0000 3e 62*66 c0d1 0001 0001 00000e10 0000",
		 DNS_ENAME_LEN, 0},
		// rdata of the RFC 1035 types whose names are checked
		{"cname_rdata_name_cut",
		 H(RSP, "0001", "0001", "0000", "0000") Q "c00c 0005 0001 00000e10 0002 03 77",
		 DNS_ERDATA_SHORT, 0},
		{"mx_rdata_short",
		 H(RSP, "0001", "0001", "0000", "0000") Q "c00c 000f 0001 00000e10 0001 00",
		 DNS_ERDATA_SHORT, 0},
		{"soa_rdata_short",
		 H(RSP, "0001", "0001", "0000", "0000") Q
		 "c00c 0006 0001 00000e10 0008 c00c c00c 0000 0001",
		 DNS_ERDATA_SHORT, 0},
		{"ns_rdata_long",
		 H(RSP, "0001", "0001", "0000", "0000") Q "c00c 0002 0001 00000e10 0003 c00c 00",
		 DNS_ERDATA_LONG, 0},
		// RFC 6891 §6.1.1 OPT placement and owner
		{"opt_twice", H(QRY, "0001", "0000", "0000", "0002") Q OPT OPT, DNS_EOPT_DUP, 0},
		{"opt_in_answer", H(RSP, "0001", "0001", "0000", "0000") Q OPT, DNS_EOPT_SECTION,
		 0},
		{"opt_in_authority", H(RSP, "0001", "0000", "0001", "0000") Q OPT, DNS_EOPT_SECTION,
		 0},
		{"opt_owner_not_root",
		 H(QRY, "0001", "0000", "0000", "0001") Q "01 61 00 0029 1000 00000000 0000",
		 DNS_EOPT_OWNER, 0},
		{"opt_owner_pointer",
		 H(QRY, "0001", "0000", "0000", "0001") Q "c00c 0029 1000 00000000 0000",
		 DNS_EOPT_OWNER, 0},
		// RFC 6891 §6.1.2 options inside the rdata
		{"option_past_rdata",
		 H(QRY, "0001", "0000", "0000", "0001") Q OPT_RD("0006") "000a 0008 0102",
		 DNS_EOPT_OPTION, 0},
		{"option_header_cut",
		 H(QRY, "0001", "0000", "0000", "0001") Q OPT_RD("0003") "000a 00", DNS_EOPT_OPTION,
		 0},
		// RFC 7873 §4 cookie lengths
		{"cookie_7",
		 H(QRY, "0001", "0000", "0000", "0001") Q OPT_RD("000b") "000a 0007 7*01",
		 DNS_EOPT_COOKIE, 0},
		{"cookie_server_4",
		 H(QRY, "0001", "0000", "0000", "0001") Q OPT_RD("0010") "000a 000c 12*02",
		 DNS_EOPT_COOKIE, 0},
		{"cookie_server_33",
		 H(QRY, "0001", "0000", "0000", "0001") Q OPT_RD("002d") "000a 0029 41*03",
		 DNS_EOPT_COOKIE, 0},
		{"cookie_empty",
		 H(QRY, "0001", "0000", "0000", "0001") Q OPT_RD("0004") "000a 0000",
		 DNS_EOPT_COOKIE, 0},
		// RFC 7871 §6 client subnet
		{"ecs_family_3",
		 H(QRY, "0001", "0000", "0000", "0001")
			 Q OPT_RD("000b") "0008 0007 0003 18 00 c00002",
		 DNS_EOPT_ECS, 0},
		{"ecs_ipv4_prefix_33",
		 H(QRY, "0001", "0000", "0000", "0001")
			 Q OPT_RD("000d") "0008 0009 0001 21 00 c000020100",
		 DNS_EOPT_ECS, 0},
		{"ecs_ipv6_prefix_129",
		 H(QRY, "0001", "0000", "0000", "0001") Q OPT_RD("0008") "0008 0004 0002 81 00",
		 DNS_EOPT_ECS, 0},
		{"ecs_extra_octet",
		 H(QRY, "0001", "0000", "0000", "0001")
			 Q OPT_RD("000c") "0008 0008 0001 18 00 c0000200",
		 DNS_EOPT_ECS, 0},
		{"ecs_missing_octet",
		 H(QRY, "0001", "0000", "0000", "0001")
			 Q OPT_RD("000a") "0008 0006 0001 18 00 c000",
		 DNS_EOPT_ECS, 0},
		{"ecs_bits_past_prefix",
		 H(QRY, "0001", "0000", "0000", "0001")
			 Q OPT_RD("000b") "0008 0007 0001 17 00 c00003",
		 DNS_EOPT_ECS, 0},
		{"ecs_scope_in_query",
		 H(QRY, "0001", "0000", "0000", "0001")
			 Q OPT_RD("000b") "0008 0007 0001 18 10 c00002",
		 DNS_EOPT_ECS, 0},
		{"ecs_too_short",
		 H(QRY, "0001", "0000", "0000", "0001") Q OPT_RD("0007") "0008 0003 0001 18",
		 DNS_EOPT_ECS, 0},
		// RFC 8945 §5.1 TSIG last
		{"tsig_before_opt", H(QRY, "0001", "0000", "0000", "0002") Q TSIG OPT,
		 DNS_ETSIG_POS, 0},
		{"tsig_in_answer", H(RSP, "0001", "0001", "0000", "0000") Q TSIG, DNS_ETSIG_POS, 0},
		{"tsig_twice", H(QRY, "0001", "0000", "0000", "0002") Q TSIG TSIG, DNS_ETSIG_POS,
		 0},
		// RFC 1035 §4.1 nothing after the last section
		{"trailing_after_question", H(QRY, "0001", "0000", "0000", "0000") Q "00",
		 DNS_ETRAILING, 0},
		{"trailing_after_rr", H(RSP, "0001", "0001", "0000", "0000") Q RR_A "dead",
		 DNS_ETRAILING, 0},
		// valid edge cases in the same table
		{"qdcount_0", H(QRY, "0000", "0000", "0000", "0000"), 0, 0},
		{"qdcount_0_with_opt", H(QRY, "0000", "0000", "0000", "0001") OPT, 0, 0},
		{"tsig_last_after_opt", H(QRY, "0001", "0000", "0000", "0002") Q OPT TSIG, 0, 0},
	};
	return cr_make_param_array(struct bad_msg, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_msg *c, dns_malformed, each_fault_has_its_own_code)
{
	uint8_t wire[1024];
	int len = hex_decode(c->hex, wire, sizeof(wire));
	cr_assert_geq(len, 0, "%s: bad test hex", c->name);

	struct dns_msg m;
	int rc = dns_msg_parse(&m, wire, (size_t)len);
	cr_assert_eq(rc, c->err, "%s: parse gave %s, want %s", c->name, dns_strerror_sym(rc),
		     dns_strerror_sym(c->err));
	if (len >= DNS_HEADER_LEN) {
		// A server answers FORMERR from these, whatever failed.
		cr_assert_eq(m.hdr.id, 0x1234, "%s", c->name);
		cr_assert_eq(m.hdr.flags, wire_get_u16(wire + 2), "%s", c->name);
		for (int s = 0; s < DNS_SECTION_COUNT; s++)
			cr_assert_eq(m.hdr.count[s], wire_get_u16(wire + 4 + 2 * s), "%s", c->name);
	}

	rc = dns_msg_parse_question(&m, wire, (size_t)len);
	cr_assert_eq(rc, c->qerr, "%s: parse_question gave %s, want %s", c->name,
		     dns_strerror_sym(rc), dns_strerror_sym(c->qerr));
}

Test(dns_malformed, too_many_pointer_hops)
{
	// Question 0 is example.com; question k is a pointer to question k-1,
	// so the last of 129 needs 128 hops, one more than DNS_NAME_MAXHOPS.
	uint8_t wire[1024];
	int len = hex_decode(H(QRY, "0081", "0000", "0000", "0000") Q, wire, sizeof(wire));
	size_t prev = DNS_HEADER_LEN;
	for (int k = 1; k < 129; k++) {
		size_t at = (size_t)len;
		wire[len++] = (uint8_t)(0xc0 | prev >> 8);
		wire[len++] = (uint8_t)prev;
		wire_put_u16(wire + len, 1);
		wire_put_u16(wire + len + 2, 1);
		len += 4;
		prev = at;
	}
	struct dns_msg m;
	cr_assert_eq(dns_msg_parse(&m, wire, (size_t)len), DNS_EPTR_HOPS);
	// One question fewer is exactly at the limit.
	wire[5] = 0x80;
	cr_assert_eq(dns_msg_parse(&m, wire, (size_t)len - 6), 0);
}

Test(dns_malformed, qdcount_0_has_no_question)
{
	uint8_t wire[64];
	int len = hex_decode(H(QRY, "0000", "0000", "0000", "0001") OPT, wire, sizeof(wire));
	struct dns_msg m;
	cr_assert_eq(dns_msg_parse(&m, wire, (size_t)len), 0);
	cr_assert_eq(m.qname_off, 0);
	cr_assert_eq(m.question_end, DNS_HEADER_LEN);
	cr_assert(m.edns.present);
	cr_assert_eq(dns_msg_parse_question(&m, wire, (size_t)len), 0);
	cr_assert_eq(m.qname_off, 0);
}

Test(dns_malformed, oversized_message_is_refused_with_header_kept)
{
	static uint8_t wire[DNS_MSG_MAXLEN + 1];
	hex_decode(H(QRY, "0001", "0000", "0000", "0000") Q, wire, sizeof(wire));
	struct dns_msg m;
	cr_assert_eq(dns_msg_parse(&m, wire, sizeof(wire)), DNS_EINVAL);
	cr_assert_eq(m.hdr.id, 0x1234);
}
