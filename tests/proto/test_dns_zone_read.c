/* SPDX-License-Identifier: BSD-3-Clause */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
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
	c->len += (size_t)snprintf(c->out + c->len, sizeof(c->out) - c->len, "%s %u %s %s %s\n",
				   owner, rr->ttl, dns_class_to_text(rr->rclass, cl),
				   dns_type_to_text(rr->type, ty), rd);
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
	struct dns_zone_reader_opts o = {.origin = origin,
					 .default_ttl = 3600,
					 .on_rr = on_rr,
					 .on_warning = on_warning,
					 .ctx = c};
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
			 "example. 3600 IN SOA ns1.example. hostmaster.example. 2024010101 7200 "
			 "3600 1209600 300\n"
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

// Write main.zone (and inc.zone when inc is not NULL) into a fresh
// directory, read main.zone with origin example., remove both. The paths
// stay in paths[0] and paths[1] for the assertions.
static int read_files(const char *main, const char *inc, struct collect *c, struct dns_zone_diag *d,
		      char paths[2][256])
{
	char dir[] = "/tmp/lr-zone-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	const char *texts[2] = {main, inc}, *names[2] = {"main.zone", "inc.zone"};
	for (int i = 0; i < 2; i++) {
		snprintf(paths[i], 256, "%s/%s", dir, names[i]);
		if (!texts[i])
			continue;
		FILE *f = fopen(paths[i], "w");
		cr_assert_not_null(f);
		fputs(texts[i], f);
		fclose(f);
	}
	uint8_t origin[DNS_NAME_MAXLEN];
	dns_name_from_text("example.", 8, NULL, origin);
	struct dns_zone_reader_opts o = {.origin = origin, .on_rr = on_rr, .ctx = c};
	memset(c, 0, sizeof(*c));
	int rc = dns_zone_read_file(paths[0], &o, d);
	remove(paths[0]);
	remove(paths[1]);
	rmdir(dir);
	return rc;
}

Test(dns_zone_read, include_restores_origin_and_reads_relative_paths)
{
	struct collect c;
	struct dns_zone_diag d;
	char paths[2][256];
	int rc = read_files(
		"$TTL 60\na A 192.0.2.1\n$INCLUDE inc.zone other.example.\nb A 192.0.2.2\n",
		"x A 198.51.100.1\n$ORIGIN deeper.example.\ny A 198.51.100.2\n", &c, &d, paths);
	cr_assert_eq(rc, 0, "%s:%u:%u %s", d.file, d.line, d.col, d.msg);
	cr_assert_str_eq(c.out, "a.example. 60 IN A 192.0.2.1\n"
				"x.other.example. 60 IN A 198.51.100.1\n"
				"y.deeper.example. 60 IN A 198.51.100.2\n"
				"b.example. 60 IN A 192.0.2.2\n");
}

Test(dns_zone_read, errors_in_an_included_file_name_that_file)
{
	struct collect c;
	struct dns_zone_diag d;
	char paths[2][256];
	int rc = read_files("$TTL 60\na A 192.0.2.1\n$INCLUDE inc.zone\n",
			    "; comment\nb A 192.0.2.2\nc MX 10\n", &c, &d, paths);
	cr_assert_eq(rc, DNS_EMISSING);
	cr_assert_str_eq(d.file, paths[1]);
	cr_assert_eq(d.line, 3);
	cr_assert_eq(d.col, 8);
}

Test(dns_zone_read, include_loops_stop_at_the_depth_limit)
{
	struct collect c;
	struct dns_zone_diag d;
	char paths[2][256];
	int rc = read_files("$TTL 60\n$INCLUDE main.zone\n", NULL, &c, &d, paths);
	cr_assert_eq(rc, DNS_ESYNTAX);
	cr_assert_str_eq(d.file, paths[0]);
	cr_assert_eq(d.line, 2);
	cr_assert_eq(d.col, 10);
	cr_assert(strstr(d.msg, "nested deeper than 8 levels") != NULL, "%s", d.msg);
}

Test(dns_zone_read, unreadable_file_has_no_position)
{
	struct dns_zone_diag d;
	struct dns_zone_reader_opts o = {0};
	cr_assert_eq(dns_zone_read_file("/nonexistent/lr.zone", &o, &d), -ENOENT);
	cr_assert_str_eq(d.file, "/nonexistent/lr.zone");
	cr_assert_eq(d.line, 0);
	cr_assert_eq(d.col, 0);
}

Test(dns_zone_read, records_of_another_class_than_the_zones_are_errors)
{
	struct collect c = {0};
	struct dns_zone_diag d;
	const char *z = "$TTL 1\na.example. TXT x\nb.example. CH TXT y\n";
	struct dns_zone_reader_opts o = {.rclass = DNS_CLASS_IN, .on_rr = on_rr, .ctx = &c};
	cr_assert_eq(dns_zone_read_text("t.zone", z, strlen(z), &o, &d), DNS_ECLASS);
	cr_assert_eq(d.line, 3);
	cr_assert_eq(d.col, 12);
	cr_assert(strstr(d.msg, "class CH differs from the zone's class IN") != NULL, "%s", d.msg);
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
		{"$GENERATE 1-2 h${0,3 A 192.0.2.$\n", 1, 15, DNS_ESYNTAX,
		 "bad $GENERATE template"},
		{"$GENERATE 0-100000 h$ A 192.0.2.1\n", 1, 11, DNS_ESYNTAX, "more than"},
		{"$GENERATE 1-2 h$ A\n", 1, 1, DNS_ESYNTAX, "$GENERATE expects"},
		{"$TTL 1\na CH TXT x\nb IN TXT y\n", 3, 3, DNS_ECLASS, "differs"},
		// ANY is both a class and a type; either way it is query-only
		{"$TTL 1\na ANY \\# 0\n", 2, 3, DNS_ENOTYPE,
		 "class or type ANY cannot appear in a zone file"},
		{"$TTL 1\na NONE A 192.0.2.1\n", 2, 3, DNS_ECLASS,
		 "class NONE cannot appear in a zone file"},
		{"$TTL 1\na AXFR \\# 0\n", 2, 3, DNS_ENOTYPE, "type AXFR cannot appear"},
		{"$TTL 1\na TYPE0 \\# 0\n", 2, 3, DNS_ETYPE, "type 0 is reserved"},
		{"$TTL 1\na AAAA 2001:db8::g\n", 2, 8, DNS_EADDR, "bad AAAA rdata"},
		// the stated length is what disagrees with the data: point at it
		{"$TTL 1\na TYPE1 \\# 5 c0000201\n", 2, 12, DNS_EGENERIC,
		 "\\# length 5, but 4 octets of hex follow"},
		{"$TTL 1\na TYPE65534 \\# 2 abc\n", 2, 18, DNS_EGENERIC,
		 "odd number of hex digits (3)"},
		{"$TTL 1\na TYPE65534 \\# 2 ab zz\n", 2, 21, DNS_EGENERIC, "'zz' is not hex"},
		{"$TTL 1\na TYPE65534 \\# x ab\n", 2, 16, DNS_EGENERIC,
		 "length 'x' is not a number"},
		{"$TTL 1\na TXT \"a\\\"\n", 2, 7, DNS_ETEXT_QUOTE, "unterminated"},
		// the class token is named even when a TTL stands between it and the type
		{"$TTL 1\na CH TXT x\nb 60 IN TXT y\n", 3, 6, DNS_ECLASS,
		 "class IN differs from the zone's class CH"},
		{"$TTL 1\na 2147483648 A 192.0.2.1\n", 2, 3, DNS_ENUMBER, "bad TTL '2147483648'"},
		// a line that starts blank has no owner, parentheses or not
		{"$TTL 1\na A 192.0.2.1\n\t( b ) A 192.0.2.2\n", 3, 4, DNS_ETYPE, "got 'b'"},
		{"$TTL 1\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa A "
		 "192.0.2.1\n",
		 2, 1, DNS_ELABEL_LEN, "bad owner"},
		{"$TTL 1\na CNAME b\\256\n", 2, 9, DNS_ENAME_ESCAPE, "bad CNAME rdata"},
		// a missing field is reported just after the last token there is
		{"$TTL 1\na SOA ns host ( 1 2 3\n 4 )\n", 3, 3, DNS_EMISSING, "bad SOA rdata"},
		{"$TTL 1\na MX 10 (\n mx\n  x )\n", 4, 3, DNS_EEXTRA, "bad MX rdata"},
		{"$ORIGIN\n", 1, 1, DNS_ESYNTAX, "$ORIGIN expects one name"},
		{"$GENERATE 1-2 h${99999999999,0,d} A 192.0.2.1\n", 1, 15, DNS_ESYNTAX,
		 "bad $GENERATE template"},
		{"$GENERATE 1-2 h${0,0,q} A 192.0.2.1\n", 1, 15, DNS_ESYNTAX,
		 "bad $GENERATE template"},
		// only the third record (192.0.2.300) is bad; the template's column is named
		{"$GENERATE 1-3 h$ A 192.0.2.$00\n", 1, 20, DNS_EADDR, "bad A rdata"},
	};
	return cr_make_param_array(struct bad_zone, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_zone *b, dns_zone_read, rejects_malformed)
{
	struct collect c;
	struct dns_zone_diag d;
	uint8_t origin[DNS_NAME_MAXLEN];
	dns_name_from_text("example.", 8, NULL, origin);
	struct dns_zone_reader_opts o = {
		.origin = origin, .default_ttl = 60, .on_rr = on_rr, .ctx = &c};
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

Test(dns_zone_read, zone_specs_name_origin_and_file)
{
	struct dns_zone_spec z;
	char text[DNS_NAME_MAXLEN * 4];
	cr_assert_eq(dns_zone_spec_parse("zones/example.com.zone", &z), 0);
	cr_assert_str_eq(z.path, "zones/example.com.zone");
	cr_assert_gt(dns_name_to_text(z.origin, text, sizeof(text)), 0);
	cr_assert_str_eq(text, "example.com.");
	cr_assert_eq(dns_zone_spec_parse("example.net.db", &z), 0);
	dns_name_to_text(z.origin, text, sizeof(text));
	cr_assert_str_eq(text, "example.net.");
	// ORIGIN= wins; an '=' after the last '/' is part of the path
	cr_assert_eq(dns_zone_spec_parse("test=dir/a=b", &z), 0);
	cr_assert_str_eq(z.path, "dir/a=b");
	dns_name_to_text(z.origin, text, sizeof(text));
	cr_assert_str_eq(text, "test.");
	cr_assert_eq(dns_zone_spec_parse("d/x=y/example.org", &z), 0);
	cr_assert_str_eq(z.path, "d/x=y/example.org");
	dns_name_to_text(z.origin, text, sizeof(text));
	cr_assert_str_eq(text, "example.org.");
	cr_assert_eq(dns_zone_spec_parse("example.=", &z), DNS_EMISSING);
	cr_assert_lt(dns_zone_spec_parse("a..b=f", &z), 0);
	cr_assert_lt(dns_zone_spec_parse("=f", &z), 0);
}
