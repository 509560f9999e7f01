/* SPDX-License-Identifier: BSD-3-Clause */
// Turning a datagram around in place, and the reply dispatcher.
#include <string.h>

#include "pkt_internal.h"

uint16_t dp_pkt_turn(const struct dp_pkt_addrs *a, const struct dp_pkt_info *info, uint8_t *buf)
{
	dp_pkt_turn_fixed(a, buf, buf + info->l3_off, info->family, info->l4_proto);
	uint16_t l4 = (uint16_t)(info->l3_off + (info->family == 4 ? IPV4_HLEN : IPV6_HLEN));
	if (l4 != info->l4_off)
		memmove(buf + l4, buf + info->l4_off, info->l4_len);
	return l4;
}

uint16_t dp_pkt_udp_turn(const struct dp_pkt_addrs *a, const struct dp_pkt_info *info, uint8_t *buf)
{
	uint16_t l4 = dp_pkt_turn(a, info, buf);
	uint8_t *u = buf + l4;
	uint8_t port[2];
	memcpy(port, u, 2);
	memcpy(u, u + 2, 2);
	memcpy(u + 2, port, 2);
	return l4;
}

size_t dp_pkt_udp_reply(const struct dp_pkt_addrs *a, const struct dp_pkt_info *info, uint8_t *buf,
			size_t len, size_t cap, const uint8_t *payload, size_t plen,
			unsigned tx_flags)
{
	if ((info->verdict != DP_PKT_DNS && info->verdict != DP_PKT_SNMP) || len > cap ||
	    (info->family != 4 && info->family != 6) || (size_t)info->l4_off + info->l4_len > len ||
	    info->l4_len < UDP_HLEN)
		return 0;
	size_t l4 = (size_t)info->l3_off + (info->family == 4 ? IPV4_HLEN : IPV6_HLEN);
	// what fits in the cap also fits in the 16-bit IP lengths for any
	// mbuf; the check keeps a 64 kB payload from wrapping them elsewhere
	if (plen > UINT16_MAX - UDP_HLEN - IPV6_HLEN || l4 + UDP_HLEN + plen > cap)
		return 0;
	l4 = dp_pkt_udp_turn(a, info, buf);
	memcpy(buf + l4 + UDP_HLEN, payload, plen);
	return dp_pkt_ip_finish(buf, info, UDP_HLEN + plen, 6, tx_flags & DP_PKT_TX_CSUM_OFFLOAD);
}

size_t dp_pkt_ip_finish(uint8_t *buf, const struct dp_pkt_info *info, size_t l4_len, size_t ck_off,
			bool offload)
{
	uint8_t *ip = buf + info->l3_off;
	uint8_t proto = info->l4_proto;
	uint8_t *l4 = ip + (info->family == 4 ? IPV4_HLEN : IPV6_HLEN), *ck;
	uint64_t sum = dp_pkt_ip_lengths(ip, info->family, proto, (uint16_t)l4_len, offload, NULL);
	if (proto == PROTO_UDP)
		wire_put_u16(l4 + 4, (uint16_t)l4_len);
	ck = l4 + ck_off;
	wire_put_u16(ck, 0);
	if (offload && proto == PROTO_UDP) {
		csum_store(ck, csum_fold64(sum)); // the pseudo-header's, for the port
	} else {
		uint16_t c = (uint16_t)~csum_fold64(csum_bytes(sum, l4, l4_len));
		// RFC 768: a computed 0 is sent as all ones (0 means none)
		csum_store(ck, c == 0 && proto == PROTO_UDP ? 0xffff : c);
	}
	return (size_t)(l4 - buf) + l4_len;
}

size_t dp_pkt_reply(const struct dp_pkt_addrs *a, const struct dp_pkt_info *info, uint8_t *buf,
		    size_t len, size_t cap)
{
	if (len > cap)
		return 0;
	switch (info->verdict) {
	case DP_PKT_ARP:
		return dp_pkt_arp_reply(a, info, buf, len, cap);
	case DP_PKT_ND:
		return dp_pkt_nd_reply(a, info, buf, len, cap);
	case DP_PKT_ICMP_ECHO:
	case DP_PKT_ICMP6_ECHO:
		return dp_pkt_echo_reply(a, info, buf, len, cap);
	default:
		return 0;
	}
}
