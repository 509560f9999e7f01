/* SPDX-License-Identifier: BSD-3-Clause */
// linerate-snmp: from a captured frame to its UDP datagram. Link types:
// Ethernet (802.1Q/802.1ad tags), Linux cooked v1 and v2 (SLL, SLL2), raw
// IP (DLT_RAW, DLT_IPV4, DLT_IPV6) and BSD loopback (DLT_NULL, DLT_LOOP);
// IPv4 and IPv6 (hop-by-hop, routing and destination options headers
// skipped). Fragments are reported, not reassembled: a trap large enough to
// be fragmented is rare, and reassembly belongs to the dataplane.
#ifndef LINERATE_TOOLS_ST_FRAME_H
#define LINERATE_TOOLS_ST_FRAME_H

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

struct st_udp {
	int family; // AF_INET or AF_INET6
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	const uint8_t *payload; // into the frame
	size_t len;		// octets captured (ST_UDP_CUT: fewer than the datagram's)
};

// Whether the tool reads frames of this pcap link type (DLT_*).
int st_link_supported(int linktype);

// The UDP datagram of a frame of caplen captured octets (of wirelen on the
// wire). Returns the kind; u is filled for ST_UDP and ST_UDP_CUT.
enum st_frame_kind st_frame_udp(int linktype, const uint8_t *p, size_t caplen, size_t wirelen,
				struct st_udp *u);

// "192.0.2.1:162" or "[2001:db8::1]:162" into out (at least 56 octets).
void st_endpoint(int family, const uint8_t *addr, uint16_t port, char *out, size_t cap);

#endif
