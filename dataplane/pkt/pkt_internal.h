/* SPDX-License-Identifier: BSD-3-Clause */
// Shared by the stages of linerate-pkt: wire constants and small helpers.
#ifndef LINERATE_PKT_INTERNAL_H
#define LINERATE_PKT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <linerate/pkt.h>
#include <linerate/wire.h>

#define ETH_HLEN	   14
#define ETH_VLAN_HLEN	   4
#define ETHERTYPE_IPV4	   0x0800
#define ETHERTYPE_ARP	   0x0806
#define ETHERTYPE_VLAN	   0x8100
#define ETHERTYPE_QINQ	   0x88a8
#define ETHERTYPE_QINQ_OLD 0x9100
#define ETHERTYPE_IPV6	   0x86dd

#define ARP_LEN	       28
#define IPV4_HLEN      20
#define IPV6_HLEN      40
#define UDP_HLEN       8
#define ICMP_HLEN      8
#define DNS_HLEN       12
#define ND_NS_LEN      24 // type, code, checksum, reserved, target (RFC 4861 §4.3)
#define ND_OPT_LLA_LEN 8

#define PROTO_HOPOPT   0
#define PROTO_ICMP     1
#define PROTO_UDP      17
#define PROTO_ROUTING  43
#define PROTO_FRAGMENT 44
#define PROTO_ICMPV6   58
#define PROTO_DSTOPTS  60

#define ICMP_ECHO_REPLY	    0
#define ICMP_ECHO_REQUEST   8
#define ICMP6_ECHO_REQUEST  128
#define ICMP6_ECHO_REPLY    129
#define ND_NEIGHBOR_SOLICIT 135
#define ND_NEIGHBOR_ADVERT  136
#define ND_OPT_SOURCE_LLA   1
#define ND_OPT_TARGET_LLA   2

#define DP_PKT_TTL 64

// Pseudo-header sums (RFC 768, RFC 8200 §8.1), unfolded.
static inline uint32_t dp_pkt_phdr4(const uint8_t *ip, uint8_t proto, uint16_t l4_len)
{
	uint32_t s = dp_pkt_csum_add(0, ip + 12, 8);
	return s + proto + l4_len;
}

static inline uint32_t dp_pkt_phdr6(const uint8_t *ip, uint8_t proto, uint32_t l4_len)
{
	uint32_t s = dp_pkt_csum_add(0, ip + 8, 32);
	return s + proto + (l4_len >> 16) + (l4_len & 0xffff);
}

static inline bool dp_pkt_mac_group(const uint8_t *mac)
{
	return mac[0] & 1;
}

// Turn a classified IPv4/IPv6 datagram around in place: Ethernet addresses
// to (sender, us), IP addresses swapped, TTL/hop limit 64, IPv4 options and
// IPv6 extension headers removed by moving the L4 bytes down to right after
// the fixed header. Returns the new L4 offset. The lengths and checksums are
// stale until dp_pkt_ip_finish().
uint16_t dp_pkt_turn(const struct dp_pkt_addrs *a, const struct dp_pkt_info *info, uint8_t *buf);

// Set the IP lengths for l4_len bytes of L4 at the new offset, the IPv4
// header checksum and the L4 checksum (the field at ck_off in L4), in
// software or, with offload, as DPDK TX checksum offload expects (UDP
// only). Returns the frame length.
size_t dp_pkt_ip_finish(uint8_t *buf, const struct dp_pkt_info *info, size_t l4_len, size_t ck_off,
			bool offload);

size_t dp_pkt_arp_reply(const struct dp_pkt_addrs *a, const struct dp_pkt_info *info, uint8_t *buf,
			size_t len, size_t cap);
size_t dp_pkt_nd_reply(const struct dp_pkt_addrs *a, const struct dp_pkt_info *info, uint8_t *buf,
		       size_t len, size_t cap);
size_t dp_pkt_echo_reply(const struct dp_pkt_addrs *a, const struct dp_pkt_info *info, uint8_t *buf,
			 size_t len, size_t cap);

#endif
