/* SPDX-License-Identifier: BSD-3-Clause */
// Frame classification: Ethernet → 802.1Q → ARP / IPv4 / IPv6 (extension
// headers walked) → UDP / ICMP / ICMPv6. Every check that fails returns its
// drop reason at once; nothing is read before its bounds are checked.
#include <string.h>

#include "pkt_internal.h"

enum dst6_kind { DST6_NONE, DST6_OURS, DST6_SOLICITED };

// ff02::1:ffXX:XXXX (RFC 4291 §2.7.1)
static bool solicited_node(const uint8_t *ip)
{
	static const uint8_t prefix[13] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff};
	return !memcmp(ip, prefix, sizeof(prefix));
}

static bool unspecified6(const uint8_t *ip)
{
	static const uint8_t zero[16];
	return !memcmp(ip, zero, 16);
}

// RFC 1122 §3.2.1.3: never answer 0/8, 127/8, multicast, class E or
// broadcast sources (a reply would go nowhere or everywhere).
static bool bad_source4(const uint8_t *ip)
{
	return ip[0] == 0 || ip[0] == 127 || ip[0] >= 224;
}

static enum dp_pkt_verdict arp(const struct dp_pkt_addrs *a, const uint8_t *p, size_t avail,
			       struct dp_pkt_info *info)
{
	// RFC 826: Ethernet (1) / IPv4, 6-octet and 4-octet addresses
	if (avail < ARP_LEN || wire_get_u16(p) != 1 || wire_get_u16(p + 2) != ETHERTYPE_IPV4 ||
	    p[4] != 6 || p[5] != 4)
		return DP_PKT_MALFORMED_L3;
	if (wire_get_u16(p + 6) != 1) // replies and RARP: not served
		return DP_PKT_OTHER;
	if (dp_pkt_mac_group(p + 8))
		return DP_PKT_BAD_SOURCE;
	int idx = dp_pkt_find4(a, p + 24);
	if (idx < 0)
		return DP_PKT_NOT_FOR_US;
	info->addr_idx = (uint8_t)idx;
	return DP_PKT_ARP;
}

static enum dp_pkt_verdict udp(const struct dp_pkt_addrs *a, const uint8_t *buf,
			       struct dp_pkt_info *info, uint64_t phdr, unsigned rx_flags)
{
	const uint8_t *u = buf + info->l4_off;
	if (info->l4_len < UDP_HLEN)
		return DP_PKT_MALFORMED_L4;
	// RFC 768: the length covers header and data; it must match what IP
	// carries, either way (a short one hides bytes, a long one invents them)
	if (wire_get_u16(u + 4) != info->l4_len)
		return DP_PKT_MALFORMED_L4;
	uint16_t ck = wire_get_u16(u + 6);
	if (ck == 0) {
		if (info->family == 6) // RFC 8200 §8.1: mandatory over IPv6
			return DP_PKT_BAD_CHECKSUM;
	} else if (!(rx_flags & DP_PKT_RX_L4_CSUM_GOOD) &&
		   csum_fold64(csum_bytes(phdr, u, info->l4_len)) != 0xffff) {
		return DP_PKT_BAD_CHECKSUM;
	}
	uint16_t dport = wire_get_u16(u + 2);
	bool snmp = a->snmp_port && dport == a->snmp_port;
	if (dport != a->dns_port && !snmp)
		return DP_PKT_OTHER;
	if (wire_get_u16(u) == 0) // no port to answer to
		return DP_PKT_BAD_SOURCE;
	info->payload_off = (uint16_t)(info->l4_off + UDP_HLEN);
	info->payload_len = (uint16_t)(info->l4_len - UDP_HLEN);
	if (snmp) // the trap stage decodes (and counts) whatever it is
		return DP_PKT_SNMP;
	if (info->payload_len < DNS_HLEN)
		return DP_PKT_MALFORMED_DNS;
	if (buf[info->payload_off + 2] & 0x80) // RFC 1035 §4.1.1 QR
		return DP_PKT_DNS_RESPONSE;
	return DP_PKT_DNS;
}

static enum dp_pkt_verdict ipv4(const struct dp_pkt_addrs *a, const uint8_t *buf, size_t len,
				struct dp_pkt_info *info, unsigned rx_flags)
{
	const uint8_t *ip = buf + info->l3_off;
	size_t avail = len - info->l3_off;
	info->family = 4;
	// RFC 791 §3.1: version, IHL ≥ 5, IHL ≤ total length ≤ what arrived
	// (more is Ethernet padding, cut off here)
	if (avail < IPV4_HLEN || ip[0] >> 4 != 4)
		return DP_PKT_MALFORMED_L3;
	size_t ihl = (size_t)(ip[0] & 0xf) * 4;
	size_t tot = wire_get_u16(ip + 2);
	if (ihl < IPV4_HLEN || ihl > avail || tot < ihl || tot > avail)
		return DP_PKT_MALFORMED_L3;
	if (!(rx_flags & DP_PKT_RX_IP_CSUM_GOOD) && csum_fold64(csum_bytes(0, ip, ihl)) != 0xffff)
		return DP_PKT_BAD_CHECKSUM;
	int idx = dp_pkt_find4(a, ip + 16);
	if (idx < 0)
		return DP_PKT_NOT_FOR_US;
	info->addr_idx = (uint8_t)idx;
	if (bad_source4(ip + 12))
		return DP_PKT_BAD_SOURCE;
	info->l3_len = (uint16_t)ihl;
	info->l4_off = (uint16_t)(info->l3_off + ihl);
	info->l4_len = (uint16_t)(tot - ihl);
	info->l4_proto = ip[9];
	if (wire_get_u16(ip + 6) & 0x3fff) // MF or a fragment offset
		return DP_PKT_FRAGMENT;
	if (ip[9] == PROTO_UDP)
		return udp(a, buf, info, dp_pkt_phdr4(ip, PROTO_UDP, info->l4_len), rx_flags);
	if (ip[9] != PROTO_ICMP)
		return DP_PKT_OTHER;
	const uint8_t *ic = buf + info->l4_off;
	if (info->l4_len < ICMP_HLEN)
		return DP_PKT_MALFORMED_L4;
	if (!(rx_flags & DP_PKT_RX_L4_CSUM_GOOD) &&
	    csum_fold64(csum_bytes(0, ic, info->l4_len)) != 0xffff)
		return DP_PKT_BAD_CHECKSUM;
	return ic[0] == ICMP_ECHO_REQUEST && ic[1] == 0 ? DP_PKT_ICMP_ECHO : DP_PKT_OTHER;
}

// Hop-by-hop and destination options (RFC 8200 §4.2): Pad1 and PadN pass,
// as does any option whose action bits say skip; any other we cannot
// process, so the datagram is not ours to answer.
static enum dp_pkt_verdict tlv_options(const uint8_t *p, size_t hl)
{
	size_t i = 2;
	while (i < hl) {
		if (p[i] == 0) { // Pad1
			i++;
			continue;
		}
		if (i + 2 > hl || i + 2 + p[i + 1] > hl)
			return DP_PKT_MALFORMED_L3;
		if (p[i] != 1 && p[i] >> 6 != 0)
			return DP_PKT_UNSUPPORTED;
		i += 2 + (size_t)p[i + 1];
	}
	return DP_PKT_VERDICT_COUNT;
}

// RFC 4861 §7.1.1 validity of a neighbour solicitation, then the target.
static enum dp_pkt_verdict nd_solicit(const struct dp_pkt_addrs *a, const uint8_t *ip,
				      const uint8_t *ic, size_t l4_len, enum dst6_kind dk,
				      struct dp_pkt_info *info)
{
	if (ip[7] != 255 || ic[1] != 0 || l4_len < ND_NS_LEN || ic[8] == 0xff)
		return DP_PKT_MALFORMED_L4;
	bool dad = unspecified6(ip + 8);
	size_t i = ND_NS_LEN;
	while (i < l4_len) { // options: whole 8-octet units, none of length 0
		if (i + 2 > l4_len || ic[i + 1] == 0 || i + (size_t)ic[i + 1] * 8 > l4_len)
			return DP_PKT_MALFORMED_L4;
		if (ic[i] == ND_OPT_SOURCE_LLA && dad)
			return DP_PKT_MALFORMED_L4;
		i += (size_t)ic[i + 1] * 8;
	}
	if (dad && dk != DST6_SOLICITED)
		return DP_PKT_MALFORMED_L4;
	// a solicited-node destination must be the target's own group
	if (dk == DST6_SOLICITED && memcmp(ip + 24 + 13, ic + 8 + 13, 3))
		return DP_PKT_NOT_FOR_US;
	int idx = dp_pkt_find6(a, ic + 8);
	if (idx < 0)
		return DP_PKT_NOT_FOR_US;
	info->addr_idx = (uint8_t)idx;
	return DP_PKT_ND;
}

static enum dp_pkt_verdict icmp6(const struct dp_pkt_addrs *a, const uint8_t *buf,
				 struct dp_pkt_info *info, enum dst6_kind dk, unsigned rx_flags)
{
	const uint8_t *ip = buf + info->l3_off, *ic = buf + info->l4_off;
	if (info->l4_len < ICMP_HLEN)
		return DP_PKT_MALFORMED_L4;
	if (!(rx_flags & DP_PKT_RX_L4_CSUM_GOOD) &&
	    csum_fold64(csum_bytes(dp_pkt_phdr6(ip, PROTO_ICMPV6, info->l4_len), ic,
				   info->l4_len)) != 0xffff)
		return DP_PKT_BAD_CHECKSUM;
	if (ic[0] == ND_NEIGHBOR_SOLICIT)
		return nd_solicit(a, ip, ic, info->l4_len, dk, info);
	if (dk != DST6_OURS)
		return DP_PKT_NOT_FOR_US;
	if (unspecified6(ip + 8))
		return DP_PKT_BAD_SOURCE;
	return ic[0] == ICMP6_ECHO_REQUEST && ic[1] == 0 ? DP_PKT_ICMP6_ECHO : DP_PKT_OTHER;
}

static enum dp_pkt_verdict ipv6(const struct dp_pkt_addrs *a, const uint8_t *buf, size_t len,
				struct dp_pkt_info *info, unsigned rx_flags)
{
	const uint8_t *ip = buf + info->l3_off;
	size_t avail = len - info->l3_off;
	info->family = 6;
	// RFC 8200 §3: version 6; the payload length must be there (jumbograms,
	// RFC 2675, do not exist on Ethernet)
	if (avail < IPV6_HLEN || ip[0] >> 4 != 6)
		return DP_PKT_MALFORMED_L3;
	size_t end = IPV6_HLEN + (size_t)wire_get_u16(ip + 4);
	if (end > avail)
		return DP_PKT_MALFORMED_L3;
	if (ip[8] == 0xff)
		return DP_PKT_BAD_SOURCE;
	enum dst6_kind dk = DST6_NONE;
	int idx = dp_pkt_find6(a, ip + 24);
	if (idx >= 0) {
		dk = DST6_OURS;
		info->addr_idx = (uint8_t)idx;
	} else if (solicited_node(ip + 24)) {
		dk = DST6_SOLICITED;
	} else {
		return DP_PKT_NOT_FOR_US;
	}
	uint8_t nh = ip[6];
	size_t off = IPV6_HLEN;
	for (unsigned n = 0;; n++) {
		if (nh != PROTO_HOPOPT && nh != PROTO_ROUTING && nh != PROTO_FRAGMENT &&
		    nh != PROTO_DSTOPTS)
			break;
		if (n == DP_PKT_EXT_MAX)
			return DP_PKT_EXT_HDR_LIMIT;
		const uint8_t *h = ip + off;
		if (end - off < 8)
			return DP_PKT_MALFORMED_L3;
		size_t hl = nh == PROTO_FRAGMENT ? 8 : ((size_t)h[1] + 1) * 8;
		if (hl > end - off)
			return DP_PKT_MALFORMED_L3;
		if (nh == PROTO_HOPOPT) {
			if (n != 0) // RFC 8200 §4.3: only right after the IPv6 header
				return DP_PKT_MALFORMED_L3;
			enum dp_pkt_verdict v = tlv_options(h, hl);
			if (v != DP_PKT_VERDICT_COUNT)
				return v;
		} else if (nh == PROTO_DSTOPTS) {
			enum dp_pkt_verdict v = tlv_options(h, hl);
			if (v != DP_PKT_VERDICT_COUNT)
				return v;
		} else if (nh == PROTO_ROUTING) {
			if (h[3] != 0) // RFC 8200 §4.4: segments left; we route nothing
				return DP_PKT_UNSUPPORTED;
		} else if ((wire_get_u16(h + 2) & 0xfff9) != 0) {
			// RFC 8200 §4.5: a real fragment (an atomic one, offset 0
			// and M clear, RFC 6946, is just skipped)
			if (dk != DST6_OURS)
				return DP_PKT_NOT_FOR_US;
			info->frag_hdr_off = (uint16_t)(info->l3_off + off);
			info->l3_len = (uint16_t)(off + hl);
			info->l4_proto = h[0];
			return DP_PKT_FRAGMENT;
		}
		nh = h[0];
		off += hl;
	}
	info->l3_len = (uint16_t)off;
	info->l4_off = (uint16_t)(info->l3_off + off);
	info->l4_len = (uint16_t)(end - off);
	info->l4_proto = nh;
	if (nh == PROTO_ICMPV6)
		return icmp6(a, buf, info, dk, rx_flags);
	if (dk != DST6_OURS)
		return DP_PKT_NOT_FOR_US;
	if (unspecified6(ip + 8))
		return DP_PKT_BAD_SOURCE;
	if (nh == PROTO_UDP)
		return udp(a, buf, info, dp_pkt_phdr6(ip, PROTO_UDP, info->l4_len), rx_flags);
	return DP_PKT_OTHER;
}

static enum dp_pkt_verdict classify(const struct dp_pkt_addrs *a, const uint8_t *buf, size_t len,
				    unsigned rx_flags, struct dp_pkt_info *info)
{
	if (len < ETH_HLEN || len > UINT16_MAX)
		return DP_PKT_MALFORMED_L2;
	// IEEE 802: a source address is never a group address
	if (dp_pkt_mac_group(buf + 6))
		return DP_PKT_MALFORMED_L2;
	uint16_t type = wire_get_u16(buf + 12);
	size_t l2 = ETH_HLEN;
	if (type == ETHERTYPE_QINQ || type == ETHERTYPE_QINQ_OLD)
		return DP_PKT_VLAN_STACKED;
	if (type == ETHERTYPE_VLAN) {
		if (len < ETH_HLEN + ETH_VLAN_HLEN)
			return DP_PKT_MALFORMED_L2;
		info->vlan = true;
		info->vlan_tci = wire_get_u16(buf + 14);
		type = wire_get_u16(buf + 16);
		l2 += ETH_VLAN_HLEN;
		if (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ || type == ETHERTYPE_QINQ_OLD)
			return DP_PKT_VLAN_STACKED;
	}
	// IEEE 802.1Q: VID 0 is a priority tag, the frame is untagged
	uint16_t vid = info->vlan ? info->vlan_tci & 0xfff : 0;
	if (a->vlan == DP_PKT_VLAN_NONE ? vid != 0 : vid != a->vlan)
		return DP_PKT_WRONG_VLAN;
	if (!dp_pkt_mac_group(buf) && memcmp(buf, a->mac, 6))
		return DP_PKT_NOT_FOR_US;
	info->l2_len = (uint16_t)l2;
	info->l3_off = (uint16_t)l2;
	switch (type) {
	case ETHERTYPE_ARP:
		return arp(a, buf + l2, len - l2, info);
	case ETHERTYPE_IPV4:
		return ipv4(a, buf, len, info, rx_flags);
	case ETHERTYPE_IPV6:
		return ipv6(a, buf, len, info, rx_flags);
	default:
		return DP_PKT_OTHER;
	}
}

enum dp_pkt_verdict dp_pkt_classify(const struct dp_pkt_addrs *a, const uint8_t *buf, size_t len,
				    unsigned rx_flags, struct dp_pkt_info *info)
{
	memset(info, 0, sizeof(*info));
	info->verdict = classify(a, buf, len, rx_flags, info);
	return info->verdict;
}
