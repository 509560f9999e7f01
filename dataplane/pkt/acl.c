/* SPDX-License-Identifier: BSD-3-Clause */
// Client access lists for the DNS service: prefixes matched in order, the
// first match's action taken, no match allowed.
#include <string.h>

#include "pkt_internal.h"

static bool in_prefix(const struct dp_acl_rule *r, const uint8_t *src)
{
	unsigned full = r->plen / 8, rest = r->plen % 8;
	if (memcmp(r->addr, src, full) != 0)
		return false;
	if (!rest)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return ((src[full] ^ r->addr[full]) & mask) == 0;
}

enum dp_acl_action dp_acl_match(const struct dp_acl *a, uint8_t family, const uint8_t *src)
{
	for (unsigned i = 0; i < a->n && i < DP_ACL_MAX; i++)
		if (a->rule[i].family == family && in_prefix(&a->rule[i], src))
			return (enum dp_acl_action)a->rule[i].action;
	return DP_ACL_ALLOW;
}

int dp_acl_rule_set(struct dp_acl_rule *r, uint8_t family, const uint8_t *addr, unsigned plen,
		    enum dp_acl_action action)
{
	unsigned bits = family == 4 ? 32 : 128;
	if ((family != 4 && family != 6) || plen > bits || action > DP_ACL_REFUSE)
		return -1;
	memset(r, 0, sizeof(*r));
	r->family = family;
	r->plen = (uint8_t)plen;
	r->action = (uint8_t)action;
	memcpy(r->addr, addr, bits / 8);
	// host bits past the prefix must be clear: 192.0.2.1/24 is a typo
	for (unsigned b = plen; b < bits; b++)
		if (addr[b / 8] & (0x80 >> (b % 8)))
			return -2;
	return 0;
}
