/* SPDX-License-Identifier: BSD-3-Clause */
// dns.acl's matcher: first match wins, no match allows, prefixes of any
// length (byte-aligned or not), IPv4 and IPv6 kept apart; bad rules refused.
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <string.h>

#include <linerate/pkt.h>

static void rule(struct dp_acl *a, const char *text, unsigned plen, enum dp_acl_action act)
{
	uint8_t addr[16] = {0};
	uint8_t fam = strchr(text, ':') ? 6 : 4;
	cr_assert_eq(inet_pton(fam == 4 ? AF_INET : AF_INET6, text, addr), 1, "%s", text);
	cr_assert_eq(dp_acl_rule_set(&a->rule[a->n], fam, addr, plen, act), 0, "%s/%u", text, plen);
	a->n++;
}

static enum dp_acl_action match(const struct dp_acl *a, const char *text)
{
	uint8_t addr[16] = {0};
	uint8_t fam = strchr(text, ':') ? 6 : 4;
	cr_assert_eq(inet_pton(fam == 4 ? AF_INET : AF_INET6, text, addr), 1, "%s", text);
	return dp_acl_match(a, fam, addr);
}

Test(pkt_acl, first_match_wins_and_no_match_allows)
{
	struct dp_acl a = {0};
	cr_assert_eq(match(&a, "192.0.2.1"), DP_ACL_ALLOW); // empty: everyone
	rule(&a, "192.0.2.128", 25, DP_ACL_ALLOW);
	rule(&a, "192.0.2.0", 24, DP_ACL_REFUSE);
	rule(&a, "2001:db8::", 32, DP_ACL_DROP);
	rule(&a, "198.51.100.7", 32, DP_ACL_DROP);
	rule(&a, "203.0.112.0", 20, DP_ACL_DROP); // not on an octet boundary
	cr_assert_eq(match(&a, "192.0.2.200"), DP_ACL_ALLOW);  // the /25 first
	cr_assert_eq(match(&a, "192.0.2.127"), DP_ACL_REFUSE); // just below it
	cr_assert_eq(match(&a, "192.0.3.1"), DP_ACL_ALLOW);    // past the /24
	cr_assert_eq(match(&a, "2001:db8:ffff::1"), DP_ACL_DROP);
	cr_assert_eq(match(&a, "2001:db9::1"), DP_ACL_ALLOW);
	cr_assert_eq(match(&a, "198.51.100.7"), DP_ACL_DROP);
	cr_assert_eq(match(&a, "198.51.100.8"), DP_ACL_ALLOW);
	cr_assert_eq(match(&a, "203.0.127.255"), DP_ACL_DROP);
	cr_assert_eq(match(&a, "203.0.128.0"), DP_ACL_ALLOW);
	cr_assert_eq(match(&a, "203.0.111.255"), DP_ACL_ALLOW);
	// IPv4 rules never match an IPv6 source, even one whose first octets agree
	cr_assert_eq(match(&a, "c000:280::"), DP_ACL_ALLOW);
}

Test(pkt_acl, zero_length_prefixes_match_their_family_only)
{
	struct dp_acl a = {0};
	rule(&a, "0.0.0.0", 0, DP_ACL_REFUSE);
	cr_assert_eq(match(&a, "203.0.113.9"), DP_ACL_REFUSE);
	cr_assert_eq(match(&a, "2001:db8::9"), DP_ACL_ALLOW);
	rule(&a, "::", 0, DP_ACL_DROP);
	cr_assert_eq(match(&a, "2001:db8::9"), DP_ACL_DROP);
}

Test(pkt_acl, bad_rules_are_refused)
{
	struct dp_acl_rule r;
	uint8_t v4[4] = {192, 0, 2, 1}, v6[16] = {0x20, 0x01, 0x0d, 0xb8};
	cr_assert_eq(dp_acl_rule_set(&r, 4, v4, 33, DP_ACL_DROP), -1);
	cr_assert_eq(dp_acl_rule_set(&r, 6, v6, 129, DP_ACL_DROP), -1);
	cr_assert_eq(dp_acl_rule_set(&r, 5, v4, 8, DP_ACL_DROP), -1);
	cr_assert_eq(dp_acl_rule_set(&r, 4, v4, 8, (enum dp_acl_action)7), -1);
	cr_assert_eq(dp_acl_rule_set(&r, 4, v4, 24, DP_ACL_DROP), -2); // host bits
	cr_assert_eq(dp_acl_rule_set(&r, 4, v4, 32, DP_ACL_DROP), 0);
	cr_assert_eq(dp_acl_rule_set(&r, 6, v6, 32, DP_ACL_DROP), 0);
	// more rules than the table holds are never read past it
	struct dp_acl a = {.n = 255};
	uint8_t src[4] = {192, 0, 2, 1};
	cr_assert_eq(dp_acl_match(&a, 4, src), DP_ACL_ALLOW);
}
