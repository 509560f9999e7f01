/* SPDX-License-Identifier: BSD-3-Clause */
// Our addresses, the verdict names and the Internet checksum.
#include <errno.h>
#include <string.h>

#include "pkt_internal.h"

static const char *const verdict_names[DP_PKT_VERDICT_COUNT] = {
#define DP_PKT_X_NAME(id, name) [DP_PKT_##id] = name,
	DP_PKT_VERDICTS(DP_PKT_X_NAME)
#undef DP_PKT_X_NAME
};

const char *dp_pkt_verdict_name(enum dp_pkt_verdict v)
{
	return (unsigned)v < DP_PKT_VERDICT_COUNT ? verdict_names[v] : "?";
}

void dp_pkt_addrs_init(struct dp_pkt_addrs *a, const uint8_t mac[6])
{
	memset(a, 0, sizeof(*a));
	memcpy(a->mac, mac, 6);
	a->vlan = DP_PKT_VLAN_NONE;
	a->dns_port = 53;
}

int dp_pkt_addrs_add4(struct dp_pkt_addrs *a, const uint8_t addr[4])
{
	static const uint8_t zero[4];
	if (addr[0] >= 224 || !memcmp(addr, zero, 4))
		return -EINVAL;
	if (a->n4 >= DP_PKT_ADDR_MAX)
		return -ENOSPC;
	memcpy(a->v4[a->n4++], addr, 4);
	return 0;
}

int dp_pkt_addrs_add6(struct dp_pkt_addrs *a, const uint8_t addr[16])
{
	static const uint8_t zero[16];
	if (addr[0] == 0xff || !memcmp(addr, zero, 16))
		return -EINVAL;
	if (a->n6 >= DP_PKT_ADDR_MAX)
		return -ENOSPC;
	memcpy(a->v6[a->n6++], addr, 16);
	return 0;
}

uint32_t dp_pkt_csum_add(uint32_t sum, const uint8_t *buf, size_t len)
{
	// natively summed and folded, then swapped once into network order
	uint64_t s = (uint16_t)csum_word(csum_fold64(csum_bytes(0, buf, len)));
	return csum_fold64(s + sum);
}

uint16_t dp_pkt_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}
