/* SPDX-License-Identifier: BSD-3-Clause */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linerate/dns_err.h>
#include <linerate/dns_image.h>
#include <linerate/dns_types.h>
#include <linerate/dns_zone_set.h>

#define SOA_NS                                                                                     \
	"@ 3600 IN SOA ns1 host 1 7200 3600 1209600 300\n@ 3600 NS ns1\nns1 3600 A 192.0.2.53\n"

struct warns {
	char text[2048];
	int n;
};

static void on_warning(void *ctx, const struct dns_zone_diag *d)
{
	struct warns *w = ctx;
	size_t l = strlen(w->text);
	snprintf(w->text + l, sizeof(w->text) - l, "%u:%s|", d->line, d->msg);
	w->n++;
}

static struct dns_zone *load(const char *text, struct warns *w, struct dns_zone_diag *d, int *rc)
{
	uint8_t apex[DNS_NAME_MAXLEN];
	dns_name_from_text("example.", 8, NULL, apex);
	struct dns_zone *z = dns_zone_new(apex, DNS_CLASS_IN);
	cr_assert_not_null(z);
	memset(w, 0, sizeof(*w));
	*rc = dns_zone_load_text(z, "z.zone", text, strlen(text), 3600, on_warning, w, d);
	return z;
}

// Load text that must load; warnings land in w.
static struct dns_zone *load_ok(const char *text, struct warns *w)
{
	struct dns_zone_diag d;
	int rc;
	struct dns_zone *z = load(text, w, &d, &rc);
	cr_assert_eq(rc, 0, "%s:%u:%u: %s", d.file, d.line, d.col, d.msg);
	return z;
}

static const struct dns_zone_rrset *find(const struct dns_zone *z, const char *owner, uint16_t type)
{
	uint8_t o[DNS_NAME_MAXLEN];
	dns_name_from_text(owner, strlen(owner), NULL, o);
	size_t n;
	const struct dns_zone_rrset *s = dns_zone_rrsets(z, &n);
	for (size_t i = 0; i < n; i++)
		if (s[i].type == type && dns_name_equal(s[i].owner, o))
			return &s[i];
	return NULL;
}

Test(dns_zone_set, groups_rrsets_and_marks_glue)
{
	struct warns w;
	struct dns_zone *z = load_ok(SOA_NS "www A 192.0.2.1\nWWW A 192.0.2.2\nwww A 192.0.2.1\n"
					    "sub NS ns.sub\nsub A 192.0.2.9\nns.sub A 192.0.2.10\n"
					    "deep.ns.sub TXT ignored\n",
				     &w);
	const struct dns_zone_rrset *s = find(z, "www.example.", DNS_TYPE_A);
	cr_assert_not_null(s);
	cr_assert_eq(s->count, 2, "duplicate merged across owner case");
	cr_assert_not(s->glue);
	s = find(z, "ns.sub.example.", DNS_TYPE_A);
	cr_assert_not_null(s);
	cr_assert(s->glue);
	s = find(z, "sub.example.", DNS_TYPE_A);
	cr_assert_not_null(s);
	cr_assert(s->glue, "address at the cut is glue");
	cr_assert_null(find(z, "deep.ns.sub.example.", DNS_TYPE_TXT));
	cr_assert(strstr(w.text, "10:deep.ns.sub.example. TXT is below a delegation: ignored") !=
			  NULL,
		  "%s", w.text);
	// SOA, NS, ns1 A, www A ×2 (three lines, one duplicate), sub NS, sub A, ns.sub A
	cr_assert_eq(dns_zone_record_count(z), 8);
	dns_zone_free(z);
}

Test(dns_zone_set, ignores_out_of_zone_data_with_a_warning)
{
	struct warns w;
	struct dns_zone *z = load_ok(SOA_NS "other.net. A 192.0.2.3\n", &w);
	cr_assert_null(find(z, "other.net.", DNS_TYPE_A));
	cr_assert(strstr(w.text, "4:other.net. is outside the zone example.: ignored") != NULL,
		  "%s", w.text);
	dns_zone_free(z);
}

Test(dns_zone_set, rrsets_come_in_canonical_order)
{
	struct warns w;
	struct dns_zone *z = load_ok(SOA_NS "z A 192.0.2.1\nb.a TXT x\na MX 1 a\n*.a TXT w\n", &w);
	size_t n;
	const struct dns_zone_rrset *s = dns_zone_rrsets(z, &n);
	for (size_t i = 1; i < n; i++) {
		int c = dns_name_canon_cmp(s[i - 1].owner, s[i].owner);
		cr_assert(c < 0 || (c == 0 && s[i - 1].type < s[i].type), "order at %zu", i);
	}
	dns_zone_free(z);
}

struct bad_zone {
	char text[240];
	int code;
	unsigned line; // 0 with col 0: an error no single record is to blame for
	unsigned col;
	char msg[80];
};

// Each rule's error names the record that breaks it: the later one in the
// file when two records conflict, at its type token.
ParameterizedTestParameters(dns_zone_set, rejects)
{
	static struct bad_zone cases[] = {
		{"@ NS ns1\nns1 A 192.0.2.1\n", DNS_EZONE_NO_SOA, 0, 0,
		 "zone example. has no SOA at its apex"},
		{"", DNS_EZONE_EMPTY, 0, 0, "zone example. has no records"},
		{"; only a comment\n", DNS_EZONE_EMPTY, 0, 0, "has no records"},
		{"@ SOA ns1 host 1 2 3 4 5\nns1 A 192.0.2.1\n", DNS_EZONE_NO_NS, 1, 3,
		 "zone example. has no NS records at its apex"},
		{SOA_NS "@ SOA ns2 host 2 2 3 4 5\n", DNS_EZONE_SOA, 4, 3,
		 "more than one SOA record at the apex (first at z.zone:1)"},
		{SOA_NS "sub SOA ns1 host 1 2 3 4 5\n", DNS_EZONE_SOA, 4, 5,
		 "SOA at sub.example., not at the zone apex"},
		{SOA_NS "c CNAME a\nc A 192.0.2.1\n", DNS_EZONE_CNAME, 5, 3,
		 "CNAME and other data at c.example. (CNAME at z.zone:4)"},
		{SOA_NS "c A 192.0.2.1\nc CNAME a\n", DNS_EZONE_CNAME, 5, 3,
		 "CNAME and other data at c.example. (A at z.zone:4)"},
		{SOA_NS "c CNAME a\nc CNAME b\n", DNS_EZONE_CNAME, 5, 3,
		 "more than one CNAME at c.example. (first at z.zone:4)"},
		{SOA_NS "d DNAME a.\nd DNAME b.\n", DNS_EZONE_DNAME, 5, 3,
		 "more than one DNAME at d.example. (first at z.zone:4)"},
		{SOA_NS "d DNAME a.\nd CNAME b.\n", DNS_EZONE_CNAME, 5, 3,
		 "CNAME and other data at d.example. (DNAME at z.zone:4)"},
		{SOA_NS "@ CNAME elsewhere.\n", DNS_EZONE_CNAME, 4, 3,
		 "CNAME and other data at example. (SOA at z.zone:1)"},
		{SOA_NS "sub NS ns.sub\n  CNAME x\n", DNS_EZONE_CNAME, 5, 3,
		 "CNAME and other data at sub.example."},
		{SOA_NS "x CH TXT a\n", DNS_ECLASS, 4, 3,
		 "class CH differs from the zone's class IN"},
		{SOA_NS "x A 192.0.2.1\nx MX 10\n", DNS_EMISSING, 5, 8, "bad MX rdata"},
	};
	return cr_make_param_array(struct bad_zone, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_zone *b, dns_zone_set, rejects)
{
	struct warns w;
	struct dns_zone_diag d;
	int rc;
	struct dns_zone *z = load(b->text, &w, &d, &rc);
	char line[600];
	dns_zone_diag_format(&d, line, sizeof(line));
	bool ok = rc == b->code && d.line == b->line && d.col == b->col && strstr(d.msg, b->msg) &&
		  !strcmp(d.file, "z.zone");
	dns_zone_free(z);
	cr_assert(ok, "%s -> %s (%s), want %u:%u %s (%s)", b->text, line, dns_strerror_sym(rc),
		  b->line, b->col, b->msg, dns_strerror_sym(b->code));
}

Test(dns_zone_set, a_failed_load_leaves_nothing_behind)
{
	// Errors early, late, in the reader and in the checks: whichever, the
	// zone shows no RRsets, counts no records and cannot be compiled, so a
	// caller can only keep serving the image it had.
	static const char *bad[] = {
		"x A 192.0.2.300\n" SOA_NS,
		SOA_NS "a A 192.0.2.1\nb A 192.0.2.2\nc A 192.0.2.3\nz MX\n",
		SOA_NS "a A 192.0.2.1\nc CNAME a\nc TXT x\n",
		SOA_NS "$INCLUDE /nonexistent/lr.zone\n",
		"@ SOA ns1 host 1 2 3 4 5\nns1 A 192.0.2.1\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct warns w;
		struct dns_zone_diag d;
		int rc;
		struct dns_zone *z = load(bad[i], &w, &d, &rc);
		size_t n = 99, size = 0;
		const struct dns_zone_rrset *sets = dns_zone_rrsets(z, &n);
		bool loaded = dns_zone_loaded(z);
		size_t count = dns_zone_record_count(z);
		errno = 0;
		void *img = dns_image_compile(&z, 1, &size);
		int err = errno;
		free(img);
		dns_zone_free(z);
		cr_assert_lt(rc, 0, "case %zu accepted", i);
		cr_assert_null(sets, "case %zu", i);
		cr_assert_eq(n, 0, "case %zu", i);
		cr_assert_not(loaded, "case %zu", i);
		cr_assert_eq(count, 0, "case %zu", i);
		cr_assert_null(img, "case %zu compiled", i);
		cr_assert_eq(err, EINVAL, "case %zu", i);
	}
}

Test(dns_zone_set, a_zone_object_is_loaded_once)
{
	struct warns w;
	struct dns_zone_diag d;
	int rc;
	struct dns_zone *z = load_ok(SOA_NS, &w);
	rc = dns_zone_load_text(z, "z.zone", SOA_NS, strlen(SOA_NS), 3600, NULL, NULL, &d);
	cr_assert_eq(rc, DNS_EINVAL);
	cr_assert(dns_zone_loaded(z), "the first load stays");
	dns_zone_free(z);
}

Test(dns_zone_set, nothing_below_a_dname_is_served)
{
	// RFC 6672 §2.3, at the apex too (where it occludes the whole zone)
	static const struct {
		const char *text, *dname, *hidden, *warning;
	} cases[] = {
		{SOA_NS "d DNAME target.\nx.d A 192.0.2.1\n", "d.example.", "x.d.example.",
		 "5:x.d.example. A is below a DNAME: ignored"},
		{SOA_NS "@ DNAME example.net.\n", "example.", "ns1.example.",
		 "3:ns1.example. A is below a DNAME"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct warns w;
		struct dns_zone *z = load_ok(cases[i].text, &w);
		cr_assert_not_null(find(z, cases[i].dname, DNS_TYPE_DNAME));
		cr_assert_null(find(z, cases[i].hidden, DNS_TYPE_A));
		cr_assert(strstr(w.text, cases[i].warning) != NULL, "%s", w.text);
		dns_zone_free(z);
	}
}

Test(dns_zone_set, delegations_keep_ns_ds_and_glue_only)
{
	struct warns w;
	struct dns_zone *z = load_ok(SOA_NS "sub NS ns.sub\nsub DS 1 8 2 abcd\nsub MX 10 mx\n"
					    "ns.sub AAAA 2001:db8::53\n*.sub A 192.0.2.7\n",
				     &w);
	cr_assert_not_null(find(z, "sub.example.", DNS_TYPE_NS));
	cr_assert_not_null(find(z, "sub.example.", DNS_TYPE_DS));
	cr_assert_null(find(z, "sub.example.", DNS_TYPE_MX));
	const struct dns_zone_rrset *g = find(z, "ns.sub.example.", DNS_TYPE_AAAA);
	cr_assert(g && g->glue);
	cr_assert_null(find(z, "*.sub.example.", DNS_TYPE_A));
	cr_assert(strstr(w.text, "6:sub.example. MX is at a delegation point: ignored") != NULL,
		  "%s", w.text);
	cr_assert(strstr(w.text, "8:*.sub.example. A is a wildcard below a delegation: ignored") !=
			  NULL,
		  "%s", w.text);
	dns_zone_free(z);
}

Test(dns_zone_set, dnssec_records_may_stand_beside_a_cname)
{
	struct warns w;
	struct dns_zone *z = load_ok(
		SOA_NS "c CNAME a\n"
		       "c RRSIG CNAME 8 2 3600 20300101000000 20200101000000 1 example. AAAA\n"
		       "c NSEC d CNAME RRSIG NSEC\n",
		&w);
	cr_assert_not_null(find(z, "c.example.", DNS_TYPE_RRSIG));
	dns_zone_free(z);
}

Test(dns_zone_set, the_first_ttl_in_the_file_wins)
{
	struct warns w;
	// canonical (rdata) order would put .1 first; the file puts .2 first
	struct dns_zone *z =
		load_ok(SOA_NS "a 120 A 192.0.2.2\na 60 A 192.0.2.1\na 30 A 192.0.2.2\n", &w);
	const struct dns_zone_rrset *s = find(z, "a.example.", DNS_TYPE_A);
	cr_assert_eq(s->ttl, 120);
	cr_assert_eq(s->count, 2);
	cr_assert(strstr(w.text,
			 "5:TTL 60 of a.example. A differs from the RRset's 120: using 120") !=
			  NULL,
		  "%s", w.text);
	// a merged duplicate that disagrees is named too
	cr_assert(strstr(w.text, "6:TTL 30 of a.example. A differs") != NULL, "%s", w.text);
	dns_zone_free(z);
}
