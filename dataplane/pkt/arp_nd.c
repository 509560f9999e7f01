/* SPDX-License-Identifier: BSD-3-Clause */
// Address resolution answers: ARP replies (RFC 826) and neighbour
// advertisements (RFC 4861 §7.2.4), built over the request.
#include <string.h>

#include "pkt_internal.h"

size_t dp_pkt_arp_reply(const struct dp_pkt_addrs *a, const struct dp_pkt_info *info, uint8_t *buf,
			size_t len, size_t cap)
{
	size_t out = (size_t)info->l2_len + ARP_LEN;
	if (out > len || out > cap || info->addr_idx >= a->n4)
		return 0;
	uint8_t *p = buf + info->l2_len;
	memcpy(buf, buf + 6, 6);
	memcpy(buf + 6, a->mac, 6);
	wire_put_u16(p + 6, 2);
	memcpy(p + 18, p + 8, 10); // target = sender (hardware and protocol)
	memcpy(p + 8, a->mac, 6);
	memcpy(p + 14, a->v4[info->addr_idx], 4);
	return out;
}

size_t dp_pkt_nd_reply(const struct dp_pkt_addrs *a, const struct dp_pkt_info *info, uint8_t *buf,
		       size_t len, size_t cap)
{
	static const uint8_t all_nodes[16] = {0xff, 0x02, [15] = 1};
	static const uint8_t all_nodes_mac[6] = {0x33, 0x33, 0, 0, 0, 1};
	const size_t na_len = ND_NS_LEN + ND_OPT_LLA_LEN;
	size_t out = (size_t)info->l3_off + IPV6_HLEN + na_len;
	if (out > cap || info->l4_off + (size_t)info->l4_len > len || info->addr_idx >= a->n6)
		return 0;
	uint8_t *ip = buf + info->l3_off;
	const uint8_t *ns = buf + info->l4_off;
	uint8_t src[16], dst_mac[6];
	static const uint8_t zero[16];
	bool dad = !memcmp(ip + 8, zero, 16);
	memcpy(src, ip + 8, 16);
	memcpy(dst_mac, buf + 6, 6);
	// the source link-layer address option, when given, is where to reply
	for (size_t i = ND_NS_LEN; i + 2 <= info->l4_len && ns[i + 1];) {
		size_t ol = (size_t)ns[i + 1] * 8;
		if (i + ol > info->l4_len)
			break;
		if (ns[i] == ND_OPT_SOURCE_LLA && ol >= 8)
			memcpy(dst_mac, ns + i + 2, 6);
		i += ol;
	}
	// a DAD probe (unspecified source) is answered to all nodes, S clear
	memcpy(buf, dad ? all_nodes_mac : dst_mac, 6);
	memcpy(buf + 6, a->mac, 6);
	wire_put_u32(ip, 0x60000000);
	wire_put_u16(ip + 4, (uint16_t)na_len);
	ip[6] = PROTO_ICMPV6;
	ip[7] = 255; // RFC 4861 §7.1.2: hop limit 255
	memcpy(ip + 8, a->v6[info->addr_idx], 16);
	memcpy(ip + 24, dad ? all_nodes : src, 16);
	uint8_t *na = ip + IPV6_HLEN;
	na[0] = ND_NEIGHBOR_ADVERT;
	na[1] = 0;
	wire_put_u32(na + 4, dad ? 0x20000000 : 0x60000000); // S (unless DAD), O
	memcpy(na + 8, a->v6[info->addr_idx], 16);
	na[24] = ND_OPT_TARGET_LLA;
	na[25] = 1;
	memcpy(na + 26, a->mac, 6);
	struct dp_pkt_info reply = *info;
	reply.l4_proto = PROTO_ICMPV6;
	return dp_pkt_ip_finish(buf, &reply, na_len, 2, false);
}
