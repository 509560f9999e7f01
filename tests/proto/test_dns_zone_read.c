/* SPDX-License-Identifier: BSD-3-Clause */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linerate/dns_err.h>
#include <linerate/dns_rdata.h>
#include <linerate/dns_types.h>
#include <linerate/dns_zone.h>

// Records rendered one per line: "owner ttl class type rdata\n".
struct collect {
	char out[16384];
	size_t len;
	int n;
	char warn[1024];
};

static int on_rr(void *ctx, const struct dns_zone_rr *rr)
{
	struct collect *c = ctx;
	char owner[DNS_NAME_TEXT_MAX], rd[4096], ty[16], cl[16];
	dns_name_to_text(rr->owner, owner, sizeof(owner));
	cr_assert_geq(dns_rdata_to_text(rr->type, rr->rdata, rr->rdlen, rd, sizeof(rd)), 0);
	c->len += (size_t)snprintf(c->out + c->len, sizeof(c->out) - c->len, "%s %u %s %s %s\n", owner, rr->ttl,
				   dns_class_to_text(rr->rclass, cl), dns_type_to_text(rr->type, ty), rd);
	c->n++;
	return 0;
}

static void on_warning(void *ctx, const struct dns_zone_diag *d)
{
	struct collect *c = ctx;
	size_t l = strlen(c->warn);
	snprintf(c->warn + l, sizeof(c->warn) - l, "%u:%u %s|", d->line, d->col, d->msg);
}

static int read_text(const char *text, struct collect *c, struct dns_zone_diag *d)
{
	uint8_t origin[DNS_NAME_MAXLEN];
	dns_name_from_text("example.", 8, NULL, origin);
	struct dns_zone_reader_opts o = {
		.origin = origin, .default_ttl = 3600, .on_rr = on_rr, .on_warning = on_warning, .ctx = c};
	memset(c, 0, sizeof(*c));
	return dns_zone_read_text("t.zone", text, strlen(text), &o, d);
}

Test(dns_zone_read, reads_directives_owners_ttls_and_parentheses)
{
	struct collect c;
	struct dns_zone_diag d;
	const char *z = "$TTL 1h\n"
			"@ IN SOA ns1 hostmaster ( 2024010101 ; serial\n"
			"          7200 3600\n"
			"          1209600 300 )\n"
			"  IN NS ns1\n"
			"  NS ns2.example.net.\n"
			"ns1 300 A 192.0.2.1\n"
			"    IN 600 AAAA 2001:db8::1\n"
			"$ORIGIN sub.example.\n"
			"www CNAME @\n"
			"txt TXT \"semi;colon\" \"paren(\" plain\n";
	int rc = read_text(z, &c, &d);
	cr_assert_eq(rc, 0, "%s:%u:%u: %s", d.file, d.line, d.col, d.msg);
	cr_assert_str_eq(c.out,
			 "example. 3600 IN SOA ns1.example. hostmaster.example. 2024010101 7200 3600 1209600 300\n"
			 "example. 3600 IN NS ns1.example.\n"
			 "example. 3600 IN NS ns2.example.net.\n"
			 "ns1.example. 300 IN A 192.0.2.1\n"
			 "ns1.example. 600 IN AAAA 2001:db8::1\n"
			 "www.sub.example. 3600 IN CNAME sub.example.\n"
			 "txt.sub.example. 3600 IN TXT \"semi;colon\" \"paren(\" \"plain\"\n");
}

Test(dns_zone_read, ttl_falls_back_to_last_explicit_then_default_with_warning)
{
	struct collect c;
	struct dns_zone_diag d;
	const char *z = "a A 192.0.2.1\n"
			"b 60 A 192.0.2.2\n"
			"c A 192.0.2.3\n";
	cr_assert_eq(read_text(z, &c, &d), 0, "%s", d.msg);
	cr_assert_str_eq(c.out, "a.example. 3600 IN A 192.0.2.1\n"
				"b.example. 60 IN A 192.0.2.2\n"
				"c.example. 60 IN A 192.0.2.3\n");
	cr_assert(strstr(c.warn, "1:1 no TTL") != NULL, "warnings: %s", c.warn);
}

Test(dns_zone_read, ttl_units)
{
	uint32_t t;
	cr_assert_eq(dns_ttl_from_text("1w2d3h4m5s", 10, &t), 0);
	cr_assert_eq(t, 604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5);
	cr_assert_eq(dns_ttl_from_text("1H", 2, &t), 0);
	cr_assert_eq(t, 3600);
	cr_assert_eq(dns_ttl_from_text("2147483647", 10, &t), 0);
	cr_assert_eq(dns_ttl_from_text("2147483648", 10, &t), DNS_ENUMBER);
	cr_assert_eq(dns_ttl_from_text("h", 1, &t), DNS_ENUMBER);
	cr_assert_eq(dns_ttl_from_text("1x", 2, &t), DNS_ENUMBER);
}

Test(dns_zone_read, generate_makes_records_with_formats)
{
	struct collect c;
	struct dns_zone_diag d;
	const char *z = "$TTL 300\n"
			"$GENERATE 1-3 host$ A 192.0.2.$\n"
			"$GENERATE 10-14/2 ${0,3,d}-x PTR h${-10,2,x}.example.\n"
			"$GENERATE 26-26 $ CNAME ${0,0,n}.\\$lit\n";
	cr_assert_eq(read_text(z, &c, &d), 0, "%u:%u %s", d.line, d.col, d.msg);
	cr_assert_str_eq(c.out, "host1.example. 300 IN A 192.0.2.1\n"
				"host2.example. 300 IN A 192.0.2.2\n"
				"host3.example. 300 IN A 192.0.2.3\n"
				"010-x.example. 300 IN PTR h00.example.\n"
				"012-x.example. 300 IN PTR h02.example.\n"
				"014-x.example. 300 IN PTR h04.example.\n"
				"26.example. 300 IN CNAME a.1.\\$lit.example.\n");
}

Test(dns_zone_read, include_restores_origin_and_reads_relative_paths)
{
	char dir[] = "/tmp/lr-zone-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char p1[256], p2[256];
	snprintf(p1, sizeof(p1), "%s/main.zone", dir);
	snprintf(p2, sizeof(p2), "%s/inc.zone", dir);
	FILE *f = fopen(p1, "w");
	fputs("$TTL 60\na A 192.0.2.1\n$INCLUDE inc.zone other.example.\nb A 192.0.2.2\n", f);
	fclose(f);
	f = fopen(p2, "w");
	fputs("x A 198.51.100.1\n$ORIGIN deeper.example.\ny A 198.51.100.2\n", f);
	fclose(f);

	struct collect c = {0};
	struct dns_zone_diag d;
	uint8_t origin[DNS_NAME_MAXLEN];
	dns_name_from_text("example.", 8, NULL, origin);
	struct dns_zone_reader_opts o = {.origin = origin, .on_rr = on_rr, .ctx = &c};
	int rc = dns_zone_read_file(p1, &o, &d);
	remove(p1);
	remove(p2);
	rmdir(dir);
	cr_assert_eq(rc, 0, "%s:%u:%u %s", d.file, d.line, d.col, d.msg);
	cr_assert_str_eq(c.out, "a.example. 60 IN A 192.0.2.1\n"
				"x.other.example. 60 IN A 198.51.100.1\n"
				"y.deeper.example. 60 IN A 198.51.100.2\n"
				"b.example. 60 IN A 192.0.2.2\n");
}

Test(dns_zone_read, generic_rdata_and_unknown_types)
{
	struct collect c;
	struct dns_zone_diag d;
	const char *z = "$TTL 1\n"
			"a TYPE65534 \\# 3 abcdef\n"
			"b A \\# 4 c0000201\n"
			"c CLASS1 TYPE1 192.0.2.7\n";
	cr_assert_eq(read_text(z, &c, &d), 0, "%u:%u %s", d.line, d.col, d.msg);
	cr_assert_str_eq(c.out, "a.example. 1 IN TYPE65534 \\# 3 abcdef\n"
				"b.example. 1 IN A 192.0.2.1\n"
				"c.example. 1 IN A 192.0.2.7\n");
}

// ---- malformed files: each names the line and column and the reason

struct bad_zone {
	char text[200];
	unsigned line;
	unsigned col;
	int code;
	char msg[64]; // substring of the message
};

ParameterizedTestParameters(dns_zone_read, rejects_malformed)
{
	static struct bad_zone cases[] = {
		{"a A 192.0.2.1 )\n", 1, 15, DNS_ESYNTAX, "unbalanced ')'"},
		{"a TXT ( \"x\"\n\n", 1, 7, DNS_ESYNTAX, "unbalanced '('"},
		{"a TXT \"open\n", 1, 7, DNS_ETEXT_QUOTE, "unterminated"},
		{"$TTL 1\na FOO 1\n", 2, 3, DNS_ETYPE, "expected a TTL, class or type, got 'FOO'"},
		{"$TTL 1\na 1x A 192.0.2.1\n", 2, 3, DNS_ENUMBER, "bad TTL '1x'"},
		{"$TTL 1\na A 192.0.2.256\n", 2, 5, DNS_EADDR, "bad A rdata"},
		{"$TTL 1\na A\n", 2, 4, DNS_EMISSING, "bad A rdata"},
		{"$TTL 1\na A 192.0.2.1 extra\n", 2, 15, DNS_EEXTRA, "bad A rdata"},
		{"$TTL 1\na MX 10\n", 2, 8, DNS_EMISSING, "bad MX rdata"},
		{"$TTL 1\na MX 70000 mx\n", 2, 6, DNS_ENUMBER, "bad MX rdata"},
		{"$TTL 1\n a A 192.0.2.1\n", 2, 2, DNS_ESYNTAX, "owner omitted"},
		{"$TTL 1\na..b A 192.0.2.1\n", 2, 1, DNS_ENAME_EMPTY_LABEL, "bad owner"},
		{"$TTL\n", 1, 1, DNS_ESYNTAX, "$TTL expects one TTL"},
		{"$TTL abc\n", 1, 6, DNS_ENUMBER, "bad TTL 'abc'"},
		{"$ORIGIN a..b.\n", 1, 9, DNS_ENAME_EMPTY_LABEL, "bad origin"},
		{"$FOO bar\n", 1, 1, DNS_ESYNTAX, "unknown directive '$FOO'"},
		{"$INCLUDE\n", 1, 1, DNS_ESYNTAX, "$INCLUDE expects"},
		{"$INCLUDE /nonexistent/lr.zone\n", 1, 10, -2, "No such file"},
		{"$GENERATE 5-1 h$ A 192.0.2.$\n", 1, 11, DNS_ESYNTAX, "bad $GENERATE range"},
		{"$GENERATE 1-2 h${0,3 A 192.0.2.$\n", 1, 15, DNS_ESYNTAX, "bad $GENERATE template"},
		{"$GENERATE 0-100000 h$ A 192.0.2.1\n", 1, 11, DNS_ESYNTAX, "more than"},
		{"$GENERATE 1-2 h$ A\n", 1, 1, DNS_ESYNTAX, "$GENERATE expects"},
		{"$TTL 1\na CH TXT x\nb IN TXT y\n", 3, 3, DNS_ECLASS, "differs"},
		{"$TTL 1\na ANY \\# 0\n", 2, 3, DNS_ENOTYPE, "cannot appear"},
		{"$TTL 1\na AAAA 2001:db8::g\n", 2, 8, DNS_EADDR, "bad AAAA rdata"},
		{"$TTL 1\na TYPE1 \\# 5 c0000201\n", 2, 9, DNS_EGENERIC, "bad TYPE1 rdata"},
		{"$TTL 1\na TXT \"a\\\"\n", 2, 7, DNS_ETEXT_QUOTE, "unterminated"},
	};
	return cr_make_param_array(struct bad_zone, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_zone *b, dns_zone_read, rejects_malformed)
{
	struct collect c;
	struct dns_zone_diag d;
	uint8_t origin[DNS_NAME_MAXLEN];
	dns_name_from_text("example.", 8, NULL, origin);
	struct dns_zone_reader_opts o = {.origin = origin, .default_ttl = 60, .on_rr = on_rr, .ctx = &c};
	memset(&c, 0, sizeof(c));
	int rc = dns_zone_read_text("bad.zone", b->text, strlen(b->text), &o, &d);
	char line[512];
	dns_zone_diag_format(&d, line, sizeof(line));
	cr_assert_eq(rc, b->code, "%s -> %s (%s)", b->text, line, dns_strerror_sym(rc));
	cr_assert_eq(d.line, b->line, "%s -> %s", b->text, line);
	cr_assert_eq(d.col, b->col, "%s -> %s", b->text, line);
	cr_assert(strstr(d.msg, b->msg) != NULL, "%s -> %s", b->text, line);
	cr_assert(strncmp(line, "bad.zone:", 9) == 0 || b->code == -2, "%s", line);
}
