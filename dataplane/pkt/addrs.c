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
	// RFC 1071 §2(B): the sum is byte-order independent, so add native
	// words eight octets at a time and swap the folded result once.
	uint64_t s = 0;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, buf + i, 8);
		s += (w & 0xffffffffu) + (w >> 32);
	}
	for (; i + 2 <= len; i += 2) {
		uint16_t w;
		memcpy(&w, buf + i, 2);
		s += w;
	}
	if (i < len) { // the odd last octet is the high half of its word
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		s += buf[i];
#else
		s += (uint32_t)buf[i] << 8;
#endif
	}
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	s = (uint16_t)((s >> 8) | (s << 8));
#endif
	uint64_t t = (uint64_t)sum + s;
	while (t >> 16)
		t = (t & 0xffff) + (t >> 16);
	return (uint32_t)t;
}

uint16_t dp_pkt_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}
