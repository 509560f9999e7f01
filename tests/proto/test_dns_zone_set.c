/* SPDX-License-Identifier: BSD-3-Clause */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include <linerate/dns_err.h>
#include <linerate/dns_types.h>
#include <linerate/dns_zone_set.h>

#define SOA_NS "@ 3600 IN SOA ns1 host 1 7200 3600 1209600 300\n@ 3600 NS ns1\nns1 3600 A 192.0.2.53\n"

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
	struct dns_zone_diag d;
	int rc;
	struct dns_zone *z = load(SOA_NS "www A 192.0.2.1\nWWW A 192.0.2.2\nwww A 192.0.2.1\n"
					 "sub NS ns.sub\nsub A 192.0.2.9\nns.sub A 192.0.2.10\n"
					 "deep.ns.sub TXT ignored\n",
				  &w, &d, &rc);
	cr_assert_eq(rc, 0, "%u: %s", d.line, d.msg);
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
	cr_assert(strstr(w.text, "below the delegation") != NULL, "%s", w.text);
	cr_assert_eq(dns_zone_record_count(z), 7);
	dns_zone_free(z);
}

Test(dns_zone_set, harmonises_ttls_and_ignores_out_of_zone)
{
	struct warns w;
	struct dns_zone_diag d;
	int rc;
	struct dns_zone *z = load(SOA_NS "a 60 A 192.0.2.1\na 120 A 192.0.2.2\nother.net. A 192.0.2.3\n", &w, &d, &rc);
	cr_assert_eq(rc, 0, "%s", d.msg);
	const struct dns_zone_rrset *s = find(z, "a.example.", DNS_TYPE_A);
	cr_assert_eq(s->ttl, 60);
	cr_assert(strstr(w.text, "5:TTL 120 of a.example. A differs") != NULL, "%s", w.text);
	cr_assert(strstr(w.text, "6:other.net. is outside the zone example.: ignored") != NULL, "%s", w.text);
	dns_zone_free(z);
}

Test(dns_zone_set, rrsets_come_in_canonical_order)
{
	struct warns w;
	struct dns_zone_diag d;
	int rc;
	struct dns_zone *z = load(SOA_NS "z A 192.0.2.1\nb.a TXT x\na MX 1 a\n*.a TXT w\n", &w, &d, &rc);
	cr_assert_eq(rc, 0, "%s", d.msg);
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
	unsigned line;
	char msg[64];
};

ParameterizedTestParameters(dns_zone_set, rejects)
{
	static struct bad_zone cases[] = {
		{"@ NS ns1\nns1 A 192.0.2.1\n", 0, "has no SOA at its apex"},
		{"", 0, "has no records"},
		{"@ SOA ns1 host 1 2 3 4 5\nns1 A 192.0.2.1\n", 1, "has no NS records at its apex"},
		{SOA_NS "@ SOA ns2 host 2 2 3 4 5\n", 4, "more than one SOA"},
		{SOA_NS "sub SOA ns1 host 1 2 3 4 5\n", 4, "not at the zone apex"},
		{SOA_NS "c CNAME a\nc A 192.0.2.1\n", 5, "CNAME and other data at c.example."},
		{SOA_NS "c CNAME a\nc CNAME b\n", 4, "more than one CNAME"},
		{SOA_NS "d DNAME a.\nd DNAME b.\n", 4, "more than one DNAME"},
		{SOA_NS "@ CNAME elsewhere.\n", 0, "CNAME and other data at example."},
	};
	return cr_make_param_array(struct bad_zone, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_zone *b, dns_zone_set, rejects)
{
	struct warns w;
	struct dns_zone_diag d;
	int rc;
	struct dns_zone *z = load(b->text, &w, &d, &rc);
	cr_assert_lt(rc, 0, "%s accepted", b->text);
	cr_assert(strstr(d.msg, b->msg) != NULL, "%s -> %u: %s", b->text, d.line, d.msg);
	if (b->line)
		cr_assert_eq(d.line, b->line, "%s -> %u: %s", b->text, d.line, d.msg);
	dns_zone_free(z);
}
