/* SPDX-License-Identifier: BSD-3-Clause */
// linerate-snmp: from a captured frame to its UDP datagram. Link types:
// Ethernet (802.1Q/802.1ad tags), Linux cooked v1 and v2 (SLL, SLL2), raw
// IP (DLT_RAW, DLT_IPV4, DLT_IPV6) and BSD loopback (DLT_NULL, DLT_LOOP);
// IPv4 and IPv6 (hop-by-hop, routing and destination options headers
// skipped). A fragment is reported with what reassembly needs (its key,
// offset and payload); st_reasm.h puts the datagram back together, and
// st_frame_reassembled reads the UDP header of the result.
#ifndef LINERATE_TOOLS_ST_FRAME_H
#define LINERATE_TOOLS_ST_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum st_frame_kind {
	ST_UDP,		// a whole UDP datagram
	ST_UDP_CUT,	// a UDP datagram cut short by the capture (snap length)
	ST_NOT_UDP,	// IP but another protocol, or not IP at all
	ST_FRAGMENT,	// an IPv4 or IPv6 fragment
	ST_BAD_HEADERS, // headers that lie about their lengths, or cut before UDP
	ST_FRAME_KIND_COUNT,
};

// One fragment (RFC 791 §3.2; RFC 8200 §4.5). The key of its datagram is
// the family, addresses and id, and for IPv4 the protocol too.
struct st_frag {
	uint32_t id;	     // IPv4: the 16-bit Identification; IPv6: the Fragment header's
	uint8_t proto;	     // IPv4: Protocol; IPv6: the Fragment header's Next Header
	uint16_t offset;     // in octets (the header's 8-octet units × 8)
	bool more;	     // MF / M: more fragments follow
	bool cut;	     // the capture's snap length cut its payload short
	const uint8_t *data; // the payload: after the IPv4 header or the Fragment header
	size_t len;	     // octets of it on the wire (cut: fewer captured)
};

struct st_udp {
	int family; // AF_INET or AF_INET6
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	const uint8_t *payload; // into the frame
	size_t len;		// octets captured (ST_UDP_CUT: fewer than the datagram's)
	struct st_frag frag;	// ST_FRAGMENT only (with family, src and dst)
};

// Whether the tool reads frames of this pcap link type (DLT_*).
int st_link_supported(int linktype);

// The UDP datagram of a frame of caplen captured octets (of wirelen on the
// wire). Returns the kind; u is filled for ST_UDP and ST_UDP_CUT, and
// family, src, dst and frag for ST_FRAGMENT. A fragment whose length is
// not a multiple of 8 octets while more follow is ST_BAD_HEADERS (RFC 8200
// §4.5; RFC 791 gives no other way to place the next one).
enum st_frame_kind st_frame_udp(int linktype, const uint8_t *p, size_t caplen, size_t wirelen,
				struct st_udp *u);

// The UDP header of a reassembled datagram of len octets (p: after the IP
// header, or after the IPv6 Fragment header). u->family, src and dst are
// the caller's. Returns ST_UDP, or ST_BAD_HEADERS when the UDP length is
// not the datagram's (RFC 768).
enum st_frame_kind st_frame_reassembled(const uint8_t *p, size_t len, struct st_udp *u);

// "192.0.2.1:162" or "[2001:db8::1]:162" into out (at least 56 octets).
void st_endpoint(int family, const uint8_t *addr, uint16_t port, char *out, size_t cap);

#endif
