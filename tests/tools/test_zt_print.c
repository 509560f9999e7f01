/* SPDX-License-Identifier: BSD-3-Clause */
// linerate-zone's dig-like printer: exact text for built messages, and
// what it says about messages the parser rejects.
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include <linerate/dns_err.h>
#include <linerate/dns_msg.h>

#include "dns_test_util.h"
#include "zt_print.h"

// Print wire[0..len) into a string the caller frees; *rc gets the result.
static char *print_to_string(const uint8_t *wire, size_t len, int *rc)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	cr_assert_not_null(f);
	*rc = zt_print_msg(f, wire, len);
	fclose(f);
	return text;
}

static size_t build_response(uint8_t *buf, size_t cap, uint16_t flags, bool edns)
{
	uint8_t qname[DNS_NAME_MAXLEN], mx[DNS_NAME_MAXLEN];
	struct dns_builder b;
	static const uint8_t addr[4] = {192, 0, 2, 10};
	uint8_t mxrd[2 + DNS_NAME_MAXLEN] = {0, 10};
	name_of("mail.example.com.", mx);
	memcpy(mxrd + 2, mx, dns_name_length(mx));

	cr_assert_eq(dns_builder_init(&b, buf, cap, cap, 0x1234, flags), 0);
	cr_assert_eq(dns_builder_question(&b, name_of("WwW.Example.com.", qname), DNS_TYPE_A,
					  DNS_CLASS_IN),
		     0);
	cr_assert_eq(dns_builder_rr(&b, DNS_SECTION_ANSWER, qname, DNS_TYPE_A, DNS_CLASS_IN, 3600,
				    addr, 4),
		     0);
	cr_assert_eq(dns_builder_rr(&b, DNS_SECTION_AUTHORITY, qname, DNS_TYPE_MX, DNS_CLASS_IN, 60,
				    mxrd, (uint16_t)(2 + dns_name_length(mx))),
		     0);
	if (edns) {
		struct dns_edns_opt opts[] = {
			{.code = DNS_EDNS_NSID, .len = 3, .data = (const uint8_t *)"ns1"},
			{.code = 65001, .len = 2, .data = (const uint8_t *)"\xab\xcd"},
		};
		cr_assert_eq(dns_builder_opt(&b, 1232, 0, 0, DNS_EDNS_DO, opts, 2), 0);
	}
	return (size_t)dns_builder_finish(&b);
}

Test(zt_print, prints_a_response_as_dig_does)
{
	uint8_t wire[512];
	size_t len =
		build_response(wire, sizeof(wire), DNS_FLAG_QR | DNS_FLAG_AA | DNS_FLAG_RD, true);
	int rc;
	char *text = print_to_string(wire, len, &rc);
	char expect[1024];
	snprintf(expect, sizeof(expect),
		 ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 4660\n"
		 ";; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 1, ADDITIONAL: 1\n"
		 "\n"
		 ";; OPT PSEUDOSECTION:\n"
		 "; EDNS: version: 0, flags: do; udp: 1232\n"
		 "; NSID: 6e7331 (\"ns1\")\n"
		 "; OPT=65001: abcd\n"
		 "\n"
		 ";; QUESTION SECTION:\n"
		 ";WwW.Example.com.\t\tIN\tA\n"
		 "\n"
		 ";; ANSWER SECTION:\n"
		 "WwW.Example.com.\t3600\tIN\tA\t192.0.2.10\n"
		 "\n"
		 ";; AUTHORITY SECTION:\n"
		 // the builder compresses case-insensitively: the target's
		 // suffix points at the question's name and takes its case
		 "WwW.Example.com.\t60\tIN\tMX\t10 mail.Example.com.\n"
		 "\n"
		 ";; MSG SIZE: %zu\n",
		 len);
	cr_assert_eq(rc, 0);
	cr_assert_str_eq(text, expect);
	free(text);
}

Test(zt_print, shows_the_extended_rcode_and_leaves_out_empty_sections)
{
	// BADVERS: rcode 16 is header 0 + OPT extended rcode 1 (RFC 6891 §6.1.3).
	uint8_t wire[64];
	int len = hex_decode("abcd 8400 0001 0000 0000 0001 00 0001 0001"
			     " 00 0029 04d0 01000000 0000",
			     wire, sizeof(wire));
	int rc;
	char *text = print_to_string(wire, (size_t)len, &rc);
	cr_assert_eq(rc, 0);
	cr_assert_str_eq(text, ";; ->>HEADER<<- opcode: QUERY, status: BADVERS, id: 43981\n"
			       ";; flags: qr aa; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 1\n"
			       "\n"
			       ";; OPT PSEUDOSECTION:\n"
			       "; EDNS: version: 0, flags:; udp: 1232\n"
			       "\n"
			       ";; QUESTION SECTION:\n"
			       ";.\t\tIN\tA\n"
			       "\n"
			       ";; MSG SIZE: 28\n");
	free(text);
}

Test(zt_print, prints_rdata_invalid_for_its_type_in_generic_form)
{
	// An A record of 3 octets: the message parser leaves rdata to the
	// rdata codec, which refuses it, so the octets are shown (RFC 3597).
	uint8_t wire[64];
	int len = hex_decode("0001 8000 0000 0001 0000 0000 00 0001 0001 00000e10 0003 c00002",
			     wire, sizeof(wire));
	int rc;
	char *text = print_to_string(wire, (size_t)len, &rc);
	cr_assert_eq(rc, 0);
	cr_assert(strstr(text, ";; ANSWER SECTION:\n.\t3600\tIN\tA\t\\# 3 c00002\n"), "%s", text);
	free(text);
}

Test(zt_print, names_the_error_of_a_malformed_message_after_its_header)
{
	uint8_t wire[64];
	// One question announced, none present.
	int len = hex_decode("0007 8183 0001 0000 0000 0000", wire, sizeof(wire));
	int rc;
	char *text = print_to_string(wire, (size_t)len, &rc);
	cr_assert_lt(rc, 0);
	char expect[256];
	snprintf(expect, sizeof(expect),
		 ";; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 7\n"
		 ";; flags: qr rd ra; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 0\n"
		 ";; malformed message: %s\n",
		 dns_strerror(rc));
	cr_assert_str_eq(text, expect);
	free(text);
}

Test(zt_print, says_only_the_error_for_less_than_a_header)
{
	int rc;
	char *text = print_to_string((const uint8_t *)"\x12\x34\x81", 3, &rc);
	cr_assert_eq(rc, DNS_ETRUNC_HEADER);
	cr_assert_str_eq(text, ";; malformed message: message shorter than the 12-byte header\n");
	free(text);
}

Test(zt_print, flags_in_digs_order_with_z_only_when_set)
{
	char buf[64];
	cr_assert_str_eq(zt_flags_text(0, buf, sizeof(buf)), "");
	cr_assert_str_eq(zt_flags_text(0xffff, buf, sizeof(buf)), "qr aa tc rd ra z ad cd");
	cr_assert_str_eq(zt_flags_text(DNS_FLAG_CD | DNS_FLAG_TC, buf, sizeof(buf)), "tc cd");
	// A short buffer keeps whole words only.
	cr_assert_str_eq(zt_flags_text(DNS_FLAG_QR | DNS_FLAG_AA, buf, 5), "qr");
}
