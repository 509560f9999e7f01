/* SPDX-License-Identifier: BSD-3-Clause */
#include <arpa/inet.h>
#include <pcap/dlt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "st_frame.h"

#define ETH_P_IP     0x0800
#define ETH_P_IPV6   0x86dd
#define ETH_P_8021Q  0x8100
#define ETH_P_8021AD 0x88a8
#define IPPROTO_UDP_ 17
#define MAX_TAGS     4 // VLAN tags (QinQ and then some)
#define MAX_EXT_HDRS 8 // IPv6 extension headers before giving up

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)be16(p) << 16 | be16(p + 2);
}

int st_link_supported(int linktype)
{
	switch (linktype) {
	case DLT_EN10MB:
	case DLT_LINUX_SLL:
	case DLT_LINUX_SLL2:
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
	case DLT_NULL:
	case DLT_LOOP:
		return 1;
	default:
		return 0;
	}
}

// The UDP header at p[0..n) (n octets captured, `whole` of them the IP
// payload's length on the wire).
static enum st_frame_kind udp_of(const uint8_t *p, size_t n, size_t whole, struct st_udp *u)
{
	if (n < 8)
		return ST_BAD_HEADERS;
	size_t ulen = be16(p + 4);
	if (ulen < 8 || ulen > whole)
		return ST_BAD_HEADERS;
	u->sport = be16(p);
	u->dport = be16(p + 2);
	u->payload = p + 8;
	if (ulen > n) {
		u->len = n - 8;
		return ST_UDP_CUT;
	}
	u->len = ulen - 8;
	return ST_UDP;
}

// A fragment's payload p[0..have) of len octets on the wire, at `units`
// 8-octet units into its datagram.
static enum st_frame_kind frag_of(const uint8_t *p, size_t have, size_t len, unsigned units,
				  bool more, struct st_udp *u)
{
	// RFC 8200 §4.5: a fragment other than the last must carry a multiple
	// of 8 octets, else the next one's offset cannot follow it.
	if (more && (len == 0 || len % 8))
		return ST_BAD_HEADERS;
	u->frag.offset = (uint16_t)(units * 8);
	u->frag.more = more;
	u->frag.data = p;
	u->frag.len = len;
	u->frag.cut = have < len;
	return ST_FRAGMENT;
}

enum st_frame_kind st_frame_reassembled(const uint8_t *p, size_t len, struct st_udp *u)
{
	if (len < 8 || be16(p + 4) != len) // RFC 768: the length counts the header
		return ST_BAD_HEADERS;
	return udp_of(p, len, len, u);
}

// RFC 791. `cut`: octets the capture dropped after p[0..n).
static enum st_frame_kind ipv4_of(const uint8_t *p, size_t n, size_t cut, struct st_udp *u)
{
	if (n < 20 || p[0] >> 4 != 4)
		return ST_BAD_HEADERS;
	size_t ihl = (size_t)(p[0] & 0x0f) * 4, total = be16(p + 2);
	if (ihl < 20 || total < ihl || ihl > n || total > n + cut)
		return ST_BAD_HEADERS;
	u->family = AF_INET;
	memcpy(u->src, p + 12, 4);
	memcpy(u->dst, p + 16, 4);
	size_t have = (total < n ? total : n) - ihl;
	uint16_t flags_offset = be16(p + 6);
	if (flags_offset & 0x3fff) { // MF, or a fragment offset
		u->frag.id = be16(p + 4);
		u->frag.proto = p[9];
		return frag_of(p + ihl, have, total - ihl, flags_offset & 0x1fff,
			       flags_offset & 0x2000, u);
	}
	if (p[9] != IPPROTO_UDP_)
		return ST_NOT_UDP;
	return udp_of(p + ihl, have, total - ihl, u);
}

// RFC 8200 §4: skip the extension headers that may stand before UDP.
static enum st_frame_kind ipv6_of(const uint8_t *p, size_t n, size_t cut, struct st_udp *u)
{
	if (n < 40 || p[0] >> 4 != 6)
		return ST_BAD_HEADERS;
	size_t plen = be16(p + 4), off = 40;
	if (plen > n - 40 + cut)
		return ST_BAD_HEADERS;
	size_t end = 40 + plen < n ? 40 + plen : n;
	u->family = AF_INET6;
	memcpy(u->src, p + 8, 16);
	memcpy(u->dst, p + 24, 16);
	uint8_t next = p[6];
	for (int i = 0; i < MAX_EXT_HDRS; i++) {
		switch (next) {
		case IPPROTO_UDP_:
			return udp_of(p + off, end - off, 40 + plen - off, u);
		case 44: // Fragment (RFC 8200 §4.5)
			if (end - off < 8)
				return ST_BAD_HEADERS;
			u->frag.proto = p[off];
			u->frag.id = be32(p + off + 4);
			return frag_of(p + off + 8, end - off - 8, 40 + plen - off - 8,
				       be16(p + off + 2) >> 3, p[off + 3] & 1, u);
		case 0:	 // Hop-by-Hop Options
		case 43: // Routing
		case 60: // Destination Options
			if (end - off < 8)
				return ST_BAD_HEADERS;
			next = p[off];
			off += ((size_t)p[off + 1] + 1) * 8;
			if (off > end)
				return ST_BAD_HEADERS;
			break;
		default:
			return ST_NOT_UDP;
		}
	}
	return ST_NOT_UDP;
}

static enum st_frame_kind by_ethertype(uint16_t type, const uint8_t *p, size_t n, size_t cut,
				       struct st_udp *u)
{
	if (type == ETH_P_IP)
		return ipv4_of(p, n, cut, u);
	if (type == ETH_P_IPV6)
		return ipv6_of(p, n, cut, u);
	return ST_NOT_UDP;
}

static enum st_frame_kind by_version(const uint8_t *p, size_t n, size_t cut, struct st_udp *u)
{
	if (n < 1)
		return ST_BAD_HEADERS;
	return p[0] >> 4 == 6 ? ipv6_of(p, n, cut, u) : ipv4_of(p, n, cut, u);
}

static enum st_frame_kind ethernet_of(const uint8_t *p, size_t n, size_t cut, struct st_udp *u)
{
	size_t off = 12;
	for (int tags = 0;; tags++) {
		if (n < off + 2)
			return ST_BAD_HEADERS;
		uint16_t type = be16(p + off);
		if ((type == ETH_P_8021Q || type == ETH_P_8021AD) && tags < MAX_TAGS) {
			off += 4;
			continue;
		}
		return by_ethertype(type, p + off + 2, n - off - 2, cut, u);
	}
}

// DLT_NULL: the address family in host order; DLT_LOOP: network order.
// The IPv6 families of the BSDs (24, 28, 30) and Linux's (10).
static enum st_frame_kind loopback_of(bool network_order, const uint8_t *p, size_t n, size_t cut,
				      struct st_udp *u)
{
	if (n < 4)
		return ST_BAD_HEADERS;
	uint32_t af;
	memcpy(&af, p, 4);
	af = network_order ? ntohl(af) : af;
	if (af == 2)
		return ipv4_of(p + 4, n - 4, cut, u);
	if (af == 10 || af == 24 || af == 28 || af == 30)
		return ipv6_of(p + 4, n - 4, cut, u);
	return ST_NOT_UDP;
}

enum st_frame_kind st_frame_udp(int linktype, const uint8_t *p, size_t caplen, size_t wirelen,
				struct st_udp *u)
{
	size_t cut = wirelen > caplen ? wirelen - caplen : 0;
	memset(u, 0, sizeof(*u));
	switch (linktype) {
	case DLT_EN10MB:
		return ethernet_of(p, caplen, cut, u);
	case DLT_LINUX_SLL: // 16 octets, the protocol last
		if (caplen < 16)
			return ST_BAD_HEADERS;
		return by_ethertype(be16(p + 14), p + 16, caplen - 16, cut, u);
	case DLT_LINUX_SLL2: // 20 octets, the protocol first
		if (caplen < 20)
			return ST_BAD_HEADERS;
		return by_ethertype(be16(p), p + 20, caplen - 20, cut, u);
	case DLT_RAW:
		return by_version(p, caplen, cut, u);
	case DLT_IPV4:
		return ipv4_of(p, caplen, cut, u);
	case DLT_IPV6:
		return ipv6_of(p, caplen, cut, u);
	case DLT_NULL:
		return loopback_of(false, p, caplen, cut, u);
	case DLT_LOOP:
		return loopback_of(true, p, caplen, cut, u);
	default:
		return ST_NOT_UDP;
	}
}

void st_endpoint(int family, const uint8_t *addr, uint16_t port, char *out, size_t cap)
{
	char a[INET6_ADDRSTRLEN];
	if (!inet_ntop(family, addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	snprintf(out, cap, family == AF_INET6 ? "[%s]:%u" : "%s:%u", a, port);
}
