/* SPDX-License-Identifier: BSD-3-Clause */
// linerate-zone's command line, zone words and dig-style query words, and
// the query they build.
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <string.h>

#include <linerate/dns_msg.h>
#include <linerate/dns_types.h>

#include "dns_test_util.h"
#include "zt_args.h"
#include "zt_query.h"

#define ARGV(...)	   ((char *const[]){__VA_ARGS__})
#define ARGC(...)	   ((int)(sizeof((char *const[]){__VA_ARGS__}) / sizeof(char *)))
#define PARSE(c, err, ...) zt_cmd_parse(c, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), err, sizeof(err))

Test(zt_args, query_splits_server_options_files_and_query_words)
{
	struct zt_cmd c;
	char err[256] = "";
	int rc = PARSE(&c, err, "linerate-zone", "query", "--wire", "--edns-size", "4096", "--nsid",
		       "ns1", "--chaos-id", "id1", "--chaos-version", "v1", "--no-chaos", "a.zone",
		       "example.net=b", "--", "www.example.com", "MX", "+norec");
	cr_assert_eq(rc, 0, "%s", err);
	cr_assert_eq(c.cmd, ZT_CMD_QUERY);
	cr_assert(c.wire);
	cr_assert_eq(c.server.edns_size, 4096);
	cr_assert_str_eq(c.server.nsid, "ns1");
	cr_assert_str_eq(c.server.chaos_id, "id1");
	cr_assert_str_eq(c.server.chaos_version, "v1");
	cr_assert(c.server.no_chaos);
	cr_assert_eq(c.nfiles, 2);
	cr_assert_str_eq(c.files[0], "a.zone");
	cr_assert_str_eq(c.files[1], "example.net=b");
	cr_assert_eq(c.nquery, 3);
	cr_assert_str_eq(c.query[0], "www.example.com");
	cr_assert_str_eq(c.query[2], "+norec");
}

Test(zt_args, check_compile_and_answer_take_their_own_options)
{
	struct zt_cmd c;
	char err[256] = "";
	cr_assert_eq(PARSE(&c, err, "lz", "check", "a.zone", "b.zone"), 0, "%s", err);
	cr_assert_eq(c.cmd, ZT_CMD_CHECK);
	cr_assert_eq(c.nfiles, 2);
	cr_assert_eq(PARSE(&c, err, "lz", "compile", "a.zone"), 0, "%s", err);
	cr_assert_str_eq(c.out, ZT_DEFAULT_IMAGE);
	cr_assert_eq(PARSE(&c, err, "lz", "compile", "-o", "x.img", "a.zone"), 0, "%s", err);
	cr_assert_str_eq(c.out, "x.img");
	cr_assert_eq(PARSE(&c, err, "lz", "answer", "--tcp", "--burst", "--edns-size", "512",
			   "a.zone"),
		     0, "%s", err);
	cr_assert(c.tcp);
	cr_assert(c.burst);
	cr_assert_eq(c.server.edns_size, 512);
	cr_assert_eq(PARSE(&c, err, "lz", "--help"), 0);
	cr_assert_eq(c.cmd, ZT_CMD_HELP);
}

// Parameters hold their strings inline: Criterion may run a parameterized
// test in a process laid out differently from the one that made the array.
struct bad_cmd {
	int argc;
	char argv[8][24];
	char says[40];
};

ParameterizedTestParameters(zt_args, rejects_bad_command_lines)
{
	static struct bad_cmd cases[] = {
		{1, {"lz"}, "missing command"},
		{2, {"lz", "frobnicate"}, "unknown command"},
		{2, {"lz", "check"}, "no zone files"},
		{3, {"lz", "check", "--wire"}, "unknown option for check"},
		{4, {"lz", "compile", "--tcp", "a"}, "unknown option for compile"},
		{6, {"lz", "query", "--burst", "a", "--", "x."}, "unknown option for query"},
		{3, {"lz", "compile", "-o"}, "-o needs a value"},
		{2, {"lz", "query"}, "the query (NAME"},
		{3, {"lz", "query", "/dev/null"}, "the query (NAME"},
		{4, {"lz", "query", "a.zone", "--"}, "NAME missing"},
		{5, {"lz", "answer", "--edns-size", "511", "a"}, "512 to 65535"},
		{5, {"lz", "answer", "--edns-size", "65536", "a"}, "512 to 65535"},
		{5, {"lz", "answer", "--edns-size", "12x", "a"}, "512 to 65535"},
		{3, {"lz", "answer", "--nsid"}, "--nsid needs a value"},
		{5, {"lz", "check", "a", "--", "b"}, "unexpected words"},
	};
	return cr_make_param_array(struct bad_cmd, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_cmd *t, zt_args, rejects_bad_command_lines)
{
	struct zt_cmd c;
	char err[256] = "", *argv[8];
	for (int i = 0; i < t->argc; i++)
		argv[i] = t->argv[i];
	cr_assert_eq(zt_cmd_parse(&c, t->argc, argv, err, sizeof(err)), -EINVAL);
	cr_assert(strstr(err, t->says), "'%s' does not say '%s'", err, t->says);
}

Test(zt_args, refuses_chaos_text_longer_than_the_engine_keeps)
{
	struct zt_cmd c;
	char err[256] = "", text[300];
	memset(text, 'x', 256);
	text[256] = '\0';
	cr_assert_eq(PARSE(&c, err, "lz", "answer", "--chaos-id", text), -EINVAL);
	cr_assert(strstr(err, "at most 255"), "%s", err);
	text[255] = '\0';
	cr_assert_eq(PARSE(&c, err, "lz", "answer", "--chaos-id", text), 0, "%s", err);
}

struct spec_case {
	char word[32];
	char origin[32]; // "": rejected
	char path[32];
};

ParameterizedTestParameters(zt_args, derives_zone_origins)
{
	static struct spec_case cases[] = {
		{"example.com.zone", "example.com.", "example.com.zone"},
		{"zones/example.net.db", "example.net.", "zones/example.net.db"},
		{"/a/b/example.zone", "example.", "/a/b/example.zone"},
		{"example.com", "example.com.", "example.com"},
		{"sub.example.com.=dir/x.txt", "sub.example.com.", "dir/x.txt"},
		{"test=x.zone", "test.", "x.zone"},
		{".=root.zone", ".", "root.zone"},
		{"dir=with/equals=x.zone", "dir.", "with/equals=x.zone"},
		{"a/b=c.zone", "b=c.", "a/b=c.zone"},
		{".zone", "", ""},
		{"a..b.zone", "", ""},
		{"example.com=", "", ""},
		{"=x.zone", "", ""},
	};
	return cr_make_param_array(struct spec_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct spec_case *t, zt_args, derives_zone_origins)
{
	struct zt_zone_spec z;
	char err[256] = "", text[DNS_NAME_TEXT_MAX];
	int rc = zt_zone_spec_parse(t->word, &z, err, sizeof(err));
	if (!t->origin[0]) {
		cr_assert_eq(rc, -EINVAL, "%s accepted", t->word);
		cr_assert_neq(err[0], '\0');
		return;
	}
	cr_assert_eq(rc, 0, "%s: %s", t->word, err);
	cr_assert_geq(dns_name_to_text(z.origin, text, sizeof(text)), 0);
	cr_assert_str_eq(text, t->origin);
	cr_assert_str_eq(z.path, t->path);
}

// ---------------------------------------------------------------------------
// Query words.

#define QPARSE(q, err, ...)                                                                        \
	zt_query_parse(q, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), err, sizeof(err))

// Build q and parse the result back with proto's parser.
static void built(const struct zt_query *q, struct dns_msg *m, uint8_t *buf, size_t cap)
{
	int len = zt_query_build(q, buf, cap);
	cr_assert_gt(len, 0, "%d", len);
	cr_assert_eq(dns_msg_parse(m, buf, (size_t)len), 0);
}

Test(zt_query, defaults_to_a_recursive_edns_query_for_a_in)
{
	struct zt_query q;
	struct dns_msg m;
	uint8_t buf[512], name[DNS_NAME_MAXLEN];
	char err[256] = "";
	cr_assert_eq(QPARSE(&q, err, "WwW.example.COM"), 0, "%s", err);
	built(&q, &m, buf, sizeof(buf));
	cr_assert_eq(m.hdr.id, 0);
	cr_assert_eq(m.hdr.flags, DNS_FLAG_RD);
	cr_assert_eq(m.qtype, DNS_TYPE_A);
	cr_assert_eq(m.qclass, DNS_CLASS_IN);
	// The name keeps its letter case on the wire.
	cr_assert_arr_eq(buf + m.qname_off, name_of("WwW.example.COM.", name), m.qname_len);
	cr_assert(m.edns.present);
	cr_assert_eq(m.edns.udp_size, 1232);
	cr_assert_eq(m.edns.version, 0);
	cr_assert_eq(m.edns.flags, 0);
	cr_assert_eq(m.edns.opts_len, 0);
	cr_assert_eq(m.len, 12 + 17 + 4 + 11);
}

Test(zt_query, sets_every_option_it_documents)
{
	struct zt_query q;
	struct dns_msg m;
	uint8_t buf[512];
	char err[256] = "";
	cr_assert_eq(QPARSE(&q, err, "example.com.", "TYPE65280", "CH", "+dnssec", "+edns=512",
			    "+ednsver=1", "+norec", "+cd", "+ad", "+nsid", "+cookie", "+id=65535",
			    "+tcp"),
		     0, "%s", err);
	cr_assert(q.tcp);
	built(&q, &m, buf, sizeof(buf));
	cr_assert_eq(m.hdr.id, 65535);
	cr_assert_eq(m.hdr.flags, DNS_FLAG_CD | DNS_FLAG_AD);
	cr_assert_eq(m.qtype, 65280);
	cr_assert_eq(m.qclass, DNS_CLASS_CH);
	cr_assert_eq(m.edns.udp_size, 512);
	cr_assert_eq(m.edns.version, 1);
	cr_assert_eq(m.edns.flags, DNS_EDNS_DO);
	cr_assert(m.edns.has_nsid);
	cr_assert_eq(m.edns.nsid_len, 0);
	cr_assert(m.edns.has_cookie);
	cr_assert_arr_eq(m.edns.cookie, "\1\2\3\4\5\6\7\x08", 8);
}

Test(zt_query, noedns_leaves_out_the_opt_record)
{
	struct zt_query q;
	struct dns_msg m;
	uint8_t buf[512];
	char err[256] = "";
	cr_assert_eq(QPARSE(&q, err, "+noedns", "example.com", "ANY"), 0, "%s", err);
	built(&q, &m, buf, sizeof(buf));
	cr_assert_not(m.edns.present);
	cr_assert_eq(m.hdr.count[DNS_SECTION_ADDITIONAL], 0);
	cr_assert_eq(m.qtype, DNS_TYPE_ANY);
}

Test(zt_query, notify_sets_aa_and_clears_rd_unless_asked)
{
	struct zt_query q;
	struct dns_msg m;
	uint8_t buf[512];
	char err[256] = "";
	cr_assert_eq(QPARSE(&q, err, "example.com", "SOA", "+opcode=notify"), 0, "%s", err);
	built(&q, &m, buf, sizeof(buf));
	cr_assert_eq(DNS_OPCODE_OF(m.hdr.flags), DNS_OPCODE_NOTIFY);
	cr_assert_eq(m.hdr.flags & (DNS_FLAG_AA | DNS_FLAG_RD), DNS_FLAG_AA);
	cr_assert_eq(QPARSE(&q, err, "example.com", "+rec", "+opcode=4"), 0, "%s", err);
	cr_assert_eq(q.flags & (DNS_FLAG_AA | DNS_FLAG_RD), DNS_FLAG_AA | DNS_FLAG_RD);
	cr_assert_eq(QPARSE(&q, err, "example.com", "+opcode=STATUS"), 0, "%s", err);
	cr_assert_eq(q.opcode, DNS_OPCODE_STATUS);
	cr_assert_eq(q.flags, DNS_FLAG_RD);
	cr_assert_eq(QPARSE(&q, err, "example.com", "+opcode=15"), 0, "%s", err);
	cr_assert_eq(q.opcode, 15);
}

Test(zt_query, takes_a_given_cookie_and_later_words_win)
{
	struct zt_query q;
	char err[256] = "";
	cr_assert_eq(QPARSE(&q, err, "x.", "+cookie=00112233445566778899aabbccddeeff", "+dnssec",
			    "+nodnssec", "+noedns", "+edns"),
		     0, "%s", err);
	cr_assert_eq(q.cookie_len, 16);
	cr_assert_eq(q.cookie[15], 0xff);
	cr_assert_not(q.dnssec);
	cr_assert(q.edns);
}

struct bad_query {
	char words[4][48];
	char says[32];
};

ParameterizedTestParameters(zt_query, rejects_bad_query_words)
{
	static struct bad_query cases[] = {
		{{"+norec"}, "missing NAME"},
		{{"a..b"}, "not a domain name"},
		{{"x.", "NOTATYPE"}, "not a type"},
		{{"x.", "A", "XX"}, "not a class"},
		{{"x.", "A", "IN", "extra"}, "unexpected word"},
		{{"x.", "+edns=65536"}, "payload size"},
		{{"x.", "+edns="}, "payload size"},
		{{"x.", "+ednsver=256"}, "EDNS version"},
		{{"x.", "+cookie=0011"}, "cookie must be"},
		{{"x.", "+cookie=00112233445566778899"}, "cookie must be"},
		{{"x.", "+cookie=0011223344556677gg"}, "cookie must be"},
		{{"x.", "+opcode=FROB"}, "unknown opcode"},
		{{"x.", "+opcode=16"}, "unknown opcode"},
		{{"x.", "+id=-1"}, "id must be"},
		{{"x.", "+frob"}, "unknown option"},
		{{"x.", "+tcp=1"}, "unknown option"},
	};
	return cr_make_param_array(struct bad_query, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_query *t, zt_query, rejects_bad_query_words)
{
	struct zt_query q;
	char err[256] = "";
	char *argv[4];
	int argc = 0;
	while (argc < 4 && t->words[argc][0]) {
		argv[argc] = t->words[argc];
		argc++;
	}
	cr_assert_eq(zt_query_parse(&q, argc, argv, err, sizeof(err)), -EINVAL);
	cr_assert(strstr(err, t->says), "'%s' does not say '%s'", err, t->says);
}

Test(zt_query, build_reports_a_buffer_too_small)
{
	struct zt_query q;
	uint8_t buf[20];
	char err[256] = "";
	cr_assert_eq(QPARSE(&q, err, "www.example.com"), 0, "%s", err);
	cr_assert_lt(zt_query_build(&q, buf, sizeof(buf)), 0);
}

Test(zt_args, query_words_start_after_the_last_existing_file)
{
	struct zt_cmd c;
	char err[256] = "";
	char *a1[] = {"lz", "query", "/dev/null", "x.=/dev/null", "www.example.", "AAAA"};
	cr_assert_eq(zt_cmd_parse(&c, 6, a1, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(c.nfiles, 2);
	cr_assert_eq(c.nquery, 2);
	cr_assert_str_eq(c.query[0], "www.example.");
	// "--" still settles it
	char *a2[] = {"lz", "query", "/dev/null", "--", "/dev/null", "A"};
	cr_assert_eq(zt_cmd_parse(&c, 6, a2, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(c.nfiles, 1);
	cr_assert_str_eq(c.query[0], "/dev/null");
}
