/* SPDX-License-Identifier: BSD-3-Clause */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include <linerate/dns_err.h>
#include <linerate/dns_types.h>

static const uint16_t all_numbers[] = {
#define NUM_(sym, num) num,
	DNS_RRTYPES(NUM_)
#undef NUM_
};

Test(dns_registry, holds_every_type_in_numeric_order)
{
	size_t n;
	const struct dns_type_desc *all = dns_type_all(&n);
	cr_assert_eq(n, sizeof(all_numbers) / sizeof(all_numbers[0]));
	for (size_t i = 0; i + 1 < n; i++)
		cr_assert_lt(all[i].type, all[i + 1].type);
	for (size_t i = 0; i < n; i++) {
		const struct dns_type_desc *d = dns_type_lookup(all_numbers[i]);
		cr_assert_not_null(d, "type %u", all_numbers[i]);
		cr_assert_eq(d->type, all_numbers[i]);
		cr_assert_not_null(d->meaning);
		cr_assert_gt(d->nfields, 0);
		for (int f = 0; f < d->nfields; f++)
			cr_assert_lt(d->fields[f].kind, DNS_FIELD_KIND_COUNT);
	}
	cr_assert_null(dns_type_lookup(54));
	cr_assert_null(dns_type_lookup(65534));
}

Test(dns_registry, prints_mnemonics_and_generic_forms)
{
	char b[16];
	cr_assert_str_eq(dns_type_to_text(DNS_TYPE_A, b), "A");
	cr_assert_str_eq(dns_type_to_text(DNS_TYPE_NSAP_PTR, b), "NSAP-PTR");
	cr_assert_str_eq(dns_type_to_text(DNS_TYPE_DLV, b), "DLV");
	cr_assert_str_eq(dns_type_to_text(65534, b), "TYPE65534");
	cr_assert_str_eq(dns_type_to_text(0, b), "TYPE0");
	cr_assert_str_eq(dns_class_to_text(DNS_CLASS_IN, b), "IN");
	cr_assert_str_eq(dns_class_to_text(DNS_CLASS_NONE, b), "NONE");
	cr_assert_str_eq(dns_class_to_text(42, b), "CLASS42");
	cr_assert_str_eq(dns_rcode_to_text(DNS_RCODE_BADVERS, b), "BADVERS");
	cr_assert_str_eq(dns_rcode_to_text(DNS_RCODE_BADCOOKIE, b), "BADCOOKIE");
	cr_assert_str_eq(dns_rcode_to_text(4095, b), "RCODE4095");
	cr_assert_str_eq(dns_opcode_to_text(DNS_OPCODE_NOTIFY, b), "NOTIFY");
	cr_assert_str_eq(dns_opcode_to_text(15, b), "OPCODE15");
}

struct lookup_case {
	bool cls; // a class mnemonic, else a type mnemonic
	char text[24];
	int rc;
	uint16_t value;
};

ParameterizedTestParameters(dns_registry, reads_mnemonics)
{
	static struct lookup_case cases[] = {
		{false, "A", 0, 1},
		{false, "aaaa", 0, 28},
		{false, "nsap-ptr", 0, 23},
		{false, "Nsec3Param", 0, 51},
		{false, "TYPE1", 0, 1},
		{false, "type65535", 0, 65535},
		{false, "TYPE65536", DNS_ETYPE, 0},
		{false, "TYPE", DNS_ETYPE, 0},
		{false, "TYPE1x", DNS_ETYPE, 0},
		{false, "NSAP_PTR", DNS_ETYPE, 0},
		{false, "AA", DNS_ETYPE, 0},
		{false, "", DNS_ETYPE, 0},
		{true, "IN", 0, 1},
		{true, "in", 0, 1},
		{true, "CH", 0, 3},
		{true, "CHAOS", 0, 3},
		{true, "hs", 0, 4},
		{true, "NONE", 0, 254},
		{true, "ANY", 0, 255},
		{true, "CLASS7", 0, 7},
		{true, "CLASS65536", DNS_ECLASS, 0},
		{true, "INN", DNS_ECLASS, 0},
		{true, "CLASS", DNS_ECLASS, 0},
	};
	return cr_make_param_array(struct lookup_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct lookup_case *c, dns_registry, reads_mnemonics)
{
	uint16_t v = 0;
	size_t n = strlen(c->text);
	int rc = c->cls ? dns_class_from_text(c->text, n, &v) : dns_type_from_text(c->text, n, &v);
	cr_assert_eq(rc, c->rc, "%s: %s", c->text, dns_strerror_sym(rc));
	if (rc == 0)
		cr_assert_eq(v, c->value, "%s", c->text);
}

Test(dns_registry, reads_rcodes_including_badsig_alias)
{
	uint16_t v;
	cr_assert_eq(dns_rcode_from_text("nxdomain", 8, &v), 0);
	cr_assert_eq(v, 3);
	cr_assert_eq(dns_rcode_from_text("BADSIG", 6, &v), 0);
	cr_assert_eq(v, 16);
	cr_assert_eq(dns_rcode_from_text("RCODE4095", 9, &v), 0);
	cr_assert_eq(v, 4095);
	cr_assert_lt(dns_rcode_from_text("RCODE4096", 9, &v), 0);
	// every rcode of the list prints and reads back
	static const uint16_t all[] = {
#define RC_(sym, num) num,
		DNS_RCODES(RC_)
#undef RC_
	};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		char b[16];
		dns_rcode_to_text(all[i], b);
		cr_assert_eq(dns_rcode_from_text(b, strlen(b), &v), 0, "%s", b);
		cr_assert_eq(v, all[i]);
	}
}

Test(dns_registry, flags_follow_rfc3597_and_rfc6840)
{
	static const uint16_t compress[] = {2, 3, 4, 5, 6, 7, 8, 9, 12, 14, 15};
	static const uint16_t decompress_only[] = {17, 18, 21, 24, 26, 30, 33, 35};
	size_t n;
	const struct dns_type_desc *all = dns_type_all(&n);
	size_t ncomp = 0, ndecomp = 0;
	for (size_t i = 0; i < n; i++) {
		ncomp += !!(all[i].flags & DNS_TF_COMPRESS);
		ndecomp += !!(all[i].flags & DNS_TF_DECOMPRESS);
	}
	cr_assert_eq(ncomp, sizeof(compress) / sizeof(compress[0]));
	cr_assert_eq(ndecomp, ncomp + sizeof(decompress_only) / sizeof(decompress_only[0]));
	for (size_t i = 0; i < sizeof(compress) / sizeof(compress[0]); i++)
		cr_assert(dns_type_lookup(compress[i])->flags & DNS_TF_COMPRESS, "%u", compress[i]);
	for (size_t i = 0; i < sizeof(decompress_only) / sizeof(decompress_only[0]); i++) {
		uint32_t f = dns_type_lookup(decompress_only[i])->flags;
		cr_assert(f & DNS_TF_DECOMPRESS);
		cr_assert_not(f & DNS_TF_COMPRESS);
	}
	cr_assert_not(dns_type_lookup(DNS_TYPE_NSEC)->flags & DNS_TF_CANON_LOWER);
	cr_assert(dns_type_lookup(DNS_TYPE_RRSIG)->flags & DNS_TF_CANON_LOWER);
	cr_assert(dns_type_lookup(DNS_TYPE_KX)->flags & DNS_TF_CANON_LOWER);
	cr_assert(dns_type_lookup(DNS_TYPE_CNAME)->flags & DNS_TF_SINGLETON);
	cr_assert(dns_type_lookup(DNS_TYPE_DNAME)->flags & DNS_TF_SINGLETON);
	cr_assert(dns_type_lookup(DNS_TYPE_OPT)->flags & DNS_TF_META);
	cr_assert(dns_type_lookup(DNS_TYPE_TSIG)->flags & DNS_TF_META);
	cr_assert_gt(dns_type_lookup(DNS_TYPE_TSIG)->nfields, 1);
	cr_assert(dns_type_lookup(DNS_TYPE_MD)->flags & DNS_TF_OBSOLETE);
	cr_assert(dns_type_lookup(DNS_TYPE_DS)->flags & DNS_TF_DNSSEC);
	cr_assert_str_eq(dns_type_lookup(DNS_TYPE_SRV)->meaning, "Service locator");
}

Test(dns_registry, field_schema_uses_the_component_names)
{
	cr_assert_eq(dns_type_field_count(DNS_TYPE_SOA), 7);
	cr_assert_eq(dns_type_field_index(DNS_TYPE_SOA, "minimum"), 6);
	cr_assert_eq(dns_type_field_index(DNS_TYPE_MX, "EXCHANGE"), 1);
	cr_assert_eq(dns_type_field_index(DNS_TYPE_NS, "DNAME"), 0);
	cr_assert_eq(dns_type_field_index(DNS_TYPE_WKS, "SERVICEMAP"), 2);
	cr_assert_eq(dns_type_field_index(DNS_TYPE_ISDN, "SA"), 1);
	cr_assert_eq(dns_type_field_index(DNS_TYPE_NAPTR, "REPLACEMENT"), 5);
	cr_assert_eq(dns_type_field_index(DNS_TYPE_MX, "TARGET"), DNS_EINVAL);
	cr_assert_eq(dns_type_field_count(65534), 1);
	cr_assert_eq(dns_type_field_index(65534, "rdata"), 0);
}
