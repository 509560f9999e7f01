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

// Internet checksums (RFC 1071) the fast way: the one's-complement sum is
// byte-order independent (§2(B)), so words are added as the CPU reads them,
// 64 bits at a time with end-around carries, and folded once at the end. A
// folded native sum is stored natively (memcpy) with no swap; a received
// checksum checks out when the fold is 0xffff, in either order.
static inline uint64_t csum_acc(uint64_t acc, uint64_t w)
{
	acc += w;
	return acc + (acc < w); // add, adc
}

// A 16-bit value, as it lies in a packet in network order, read natively.
static inline uint64_t csum_word(uint16_t v)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return __builtin_bswap16(v);
#else
	return v;
#endif
}

static inline uint64_t csum_load64(const uint8_t *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return w;
}

// acc plus the len octets at buf (from an even offset of the datagram).
static inline uint64_t csum_bytes(uint64_t acc, const uint8_t *buf, size_t len)
{
	uint64_t b = 0;
	size_t i = 0;
	for (; i + 16 <= len; i += 16) { // two chains, to overlap them
		acc = csum_acc(acc, csum_load64(buf + i));
		b = csum_acc(b, csum_load64(buf + i + 8));
	}
	if (len - i >= 8) {
		acc = csum_acc(acc, csum_load64(buf + i));
		i += 8;
	}
	// the rest in pieces, each still at an even offset: a 16-bit word
	// stays a word wherever it sits in the sum (2^16 ≡ 1 mod 0xffff)
	if (len - i >= 4) {
		uint32_t w;
		memcpy(&w, buf + i, 4);
		b = csum_acc(b, w);
		i += 4;
	}
	if (len - i >= 2) {
		uint16_t w;
		memcpy(&w, buf + i, 2);
		b = csum_acc(b, w);
		i += 2;
	}
	if (i < len) // the odd last octet is the high half of its word
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		b = csum_acc(b, buf[i]);
#else
		b = csum_acc(b, (uint64_t)buf[i] << 8);
#endif
	return csum_acc(acc, b);
}

static inline uint64_t csum_rotr64(uint64_t v, unsigned r)
{
	return (v >> r) | (v << (64 - r));
}

// The len (≥ 1) octets at buf, from an even offset, for a short run inside
// a frame whose 7 octets before buf are readable too: eight octets a step,
// the last one to eight loaded with the octets before them and shifted
// out, so no tail is summed piece by piece (the fast lane's runs: a
// question, an OPT record).
static inline __attribute__((always_inline)) uint64_t csum_run(const uint8_t *buf, size_t len)
{
	uint64_t acc = 0;
	size_t i = 0;
	for (; i + 8 < len; i += 8)
		acc = csum_acc(acc, csum_load64(buf + i));
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return csum_acc(acc, csum_load64(buf + len - 8) >> (8 * (8 - (len - i))));
#else
	return csum_acc(acc, csum_load64(buf + len - 8) << (8 * (8 - (len - i))));
#endif
}

// csum_run for the 11 octets of an OPT record without options (RFC 6891
// §6.1.2), the common one: the ten after the first summed as if from an
// even offset and turned, the first octet added on its own.
static inline __attribute__((always_inline)) uint64_t csum_run11(const uint8_t *buf)
{
	uint16_t w;
	memcpy(&w, buf + 9, 2);
	uint64_t rest = csum_acc(csum_load64(buf + 1), w);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return csum_acc(csum_rotr64(rest, 56), buf[0]);
#else
	return csum_acc(csum_rotr64(rest, 56), (uint64_t)buf[0] << 8);
#endif
}

// 64 bits to 16, in the same (native) order: adding a word to itself
// rotated by half leaves the end-around sum of its halves in the upper
// half (the carry out of the lower half lands there too), twice.
static inline uint16_t csum_fold64(uint64_t acc)
{
	uint32_t t = (uint32_t)((acc + csum_rotr64(acc, 32)) >> 32);
	t += (t >> 16) | (t << 16);
	return (uint16_t)(t >> 16);
}

// A partial sum of octets that start at an odd offset, as it counts in
// the datagram's sum: byte-swapped, which for an unfolded sum is a
// rotation by 8 (2^8 times it, modulo 2^64 - 1 and so modulo 0xffff).
static inline uint64_t csum_odd(uint64_t acc)
{
	return csum_rotr64(acc, 56);
}

// The 20 octets of an IPv4 header without options.
static inline uint64_t csum_ip20(const uint8_t *ip)
{
	uint32_t w;
	memcpy(&w, ip + 16, 4);
	return csum_acc(csum_acc(csum_load64(ip), csum_load64(ip + 8)), w);
}

static inline void csum_store(uint8_t *field, uint16_t native)
{
	memcpy(field, &native, 2);
}

// Pseudo-header sums (RFC 768, RFC 8200 §8.1), native and unfolded.
// The source and destination addresses of an IPv6 header, summed.
static inline uint64_t dp_pkt_addrs6_sum(const uint8_t *ip)
{
	uint64_t s = csum_load64(ip + 8);
	s = csum_acc(s, csum_load64(ip + 16));
	s = csum_acc(s, csum_load64(ip + 24));
	return csum_acc(s, csum_load64(ip + 32));
}

// A pseudo-header's sum from its addresses' sum (addrs).
static inline uint64_t dp_pkt_phdr(uint64_t addrs, uint8_t proto, uint32_t l4_len)
{
	uint64_t s = csum_acc(addrs, csum_word(proto));
	s = csum_acc(s, csum_word((uint16_t)(l4_len >> 16)));
	return csum_acc(s, csum_word((uint16_t)l4_len));
}

static inline uint64_t dp_pkt_phdr4(const uint8_t *ip, uint8_t proto, uint16_t l4_len)
{
	return dp_pkt_phdr(csum_load64(ip + 12), proto, l4_len); // source and destination
}

static inline uint64_t dp_pkt_phdr6(const uint8_t *ip, uint8_t proto, uint32_t l4_len)
{
	return dp_pkt_phdr(dp_pkt_addrs6_sum(ip), proto, l4_len);
}

// Which of our IPv4 / IPv6 addresses ip is (its index), or -1: one word
// compare an address, for the classifier and the fast lane alike.
static inline __attribute__((always_inline)) int dp_pkt_find4(const struct dp_pkt_addrs *a,
							      const uint8_t *ip)
{
	uint32_t d;
	memcpy(&d, ip, 4);
	for (unsigned i = 0; i < a->n4 && i < DP_PKT_ADDR_MAX; i++) {
		uint32_t v;
		memcpy(&v, a->v4[i], 4);
		if (v == d)
			return (int)i;
	}
	return -1;
}

static inline __attribute__((always_inline)) int dp_pkt_find6(const struct dp_pkt_addrs *a,
							      const uint8_t *ip)
{
	uint64_t d0 = csum_load64(ip), d1 = csum_load64(ip + 8);
	for (unsigned i = 0; i < a->n6 && i < DP_PKT_ADDR_MAX; i++)
		if (((csum_load64(a->v6[i]) ^ d0) | (csum_load64(a->v6[i] + 8) ^ d1)) == 0)
			return (int)i;
	return -1;
}

static inline bool dp_pkt_mac_group(const uint8_t *mac)
{
	return mac[0] & 1;
}

// The fixed headers of an IPv4 (20-octet) or IPv6 datagram at ip, in the
// frame buf, turned around: Ethernet addresses to (sender, us), IP
// addresses swapped, version and IHL / next header proto, DF kept and no
// fragment, TTL/hop limit 64. dp_pkt_turn's and the fast lane's.
static inline __attribute__((always_inline)) void dp_pkt_turn_fixed(const struct dp_pkt_addrs *a,
								    uint8_t *buf, uint8_t *ip,
								    uint8_t family, uint8_t proto)
{
	uint8_t tmp[16];
	memcpy(buf, buf + 6, 6);
	memcpy(buf + 6, a->mac, 6);
	if (family == 4) {
		ip[0] = 0x45;
		wire_put_u16(ip + 6, wire_get_u16(ip + 6) & 0x4000); // keep DF only
		ip[8] = DP_PKT_TTL;
		memcpy(tmp, ip + 12, 4);
		memcpy(ip + 12, ip + 16, 4);
		memcpy(ip + 16, tmp, 4);
	} else {
		ip[6] = proto;
		ip[7] = DP_PKT_TTL;
		memcpy(tmp, ip + 8, 16);
		memcpy(ip + 8, ip + 24, 16);
		memcpy(ip + 24, tmp, 16);
	}
}

// What the checksums of a datagram add of its fixed IP header once
// dp_pkt_turn_fixed has turned it, read before the turn: a caller that
// writes the lengths and checksums right after it would otherwise load
// words just stored in narrower pieces, and such a load waits for the
// stores to reach the cache (the fast lane).
struct dp_pkt_turned {
	uint64_t addrs; // the two addresses (the same sum swapped)
	uint64_t ip4;	// IPv4: the turned header's words but its length and checksum
};

static inline __attribute__((always_inline)) void
dp_pkt_turned_sums(const uint8_t *ip, uint8_t family, struct dp_pkt_turned *t)
{
	if (family != 4) {
		t->addrs = dp_pkt_addrs6_sum(ip);
		t->ip4 = 0;
		return;
	}
	uint16_t id;
	memcpy(&id, ip + 4, 2);
	t->addrs = csum_load64(ip + 12);
	// as dp_pkt_turn_fixed leaves them: version and IHL 0x45 (TOS kept),
	// ID kept, DF only, TTL (protocol kept)
	uint64_t s = csum_acc(csum_word((uint16_t)(0x4500 | ip[1])), id);
	s = csum_acc(s, csum_word(wire_get_u16(ip + 6) & 0x4000));
	s = csum_acc(s, csum_word((uint16_t)(DP_PKT_TTL << 8 | ip[9])));
	t->ip4 = csum_acc(s, t->addrs);
}

// The IP length fields of a turned datagram at ip for l4_len octets of L4,
// and the IPv4 header checksum (left 0 with offload: the port's), from t
// (dp_pkt_turned_sums before the turn) or, t NULL, from the header as it
// lies. Returns the pseudo-header sum of proto (none for ICMP over IPv4):
// dp_pkt_ip_finish's and the fast lane's.
static inline __attribute__((always_inline)) uint64_t
dp_pkt_ip_lengths(uint8_t *ip, uint8_t family, uint8_t proto, uint16_t l4_len, bool offload,
		  const struct dp_pkt_turned *t)
{
	if (family == 4) {
		uint16_t tot = (uint16_t)(IPV4_HLEN + l4_len);
		wire_put_u16(ip + 2, tot);
		wire_put_u16(ip + 10, 0);
		if (!offload)
			csum_store(ip + 10,
				   (uint16_t)~csum_fold64(t ? csum_acc(t->ip4, csum_word(tot))
							    : csum_ip20(ip)));
		if (proto != PROTO_UDP)
			return 0;
		return t ? dp_pkt_phdr(t->addrs, proto, l4_len) : dp_pkt_phdr4(ip, proto, l4_len);
	}
	wire_put_u16(ip + 4, l4_len);
	return t ? dp_pkt_phdr(t->addrs, proto, l4_len) : dp_pkt_phdr6(ip, proto, l4_len);
}

// Turn a classified IPv4/IPv6 datagram around in place: Ethernet addresses
// to (sender, us), IP addresses swapped, TTL/hop limit 64, IPv4 options and
// IPv6 extension headers removed by moving the L4 bytes down to right after
// the fixed header. Returns the new L4 offset. The lengths and checksums are
// stale until dp_pkt_ip_finish().
uint16_t dp_pkt_turn(const struct dp_pkt_addrs *a, const struct dp_pkt_info *info, uint8_t *buf);

// dp_pkt_turn for UDP, the ports swapped too. Returns the new L4 offset.
uint16_t dp_pkt_udp_turn(const struct dp_pkt_addrs *a, const struct dp_pkt_info *info,
			 uint8_t *buf);

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
