/* SPDX-License-Identifier: BSD-3-Clause */
// Ethernet/IPv4-or-IPv6/UDP around a payload, with valid checksums: the
// frames the worker benchmarks put on their ring port.
#ifndef LINERATE_PERF_UDP_FRAME_H
#define LINERATE_PERF_UDP_FRAME_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <linerate/pkt.h>

#include "bench.h"

struct udp_ends {
	const uint8_t *dst_mac, *src_mac;
	bool v6;
	const uint8_t *src, *dst; // 4 or 16 octets
	uint16_t sport, dport;
};

// Where the payload goes in a frame for e.
static inline size_t udp_payload_off(const struct udp_ends *e)
{
	return 14 + (e->v6 ? 40 : 20) + 8;
}

// The headers in front of the plen octets already at udp_payload_off(e);
// returns the frame's length.
static inline uint16_t udp_frame(uint8_t *f, const struct udp_ends *e, uint16_t plen)
{
	size_t l4 = 14 + (e->v6 ? 40 : 20);
	uint8_t *ip = f + 14, *u = f + l4;
	uint16_t ulen = (uint16_t)(8 + plen);
	memcpy(f, e->dst_mac, 6);
	memcpy(f + 6, e->src_mac, 6);
	put16(f + 12, e->v6 ? 0x86dd : 0x0800);
	if (e->v6) {
		memset(ip, 0, 40);
		ip[0] = 0x60;
		put16(ip + 4, ulen);
		ip[6] = 17;
		ip[7] = 64;
		memcpy(ip + 8, e->src, 16);
		memcpy(ip + 24, e->dst, 16);
	} else {
		memset(ip, 0, 20);
		ip[0] = 0x45;
		put16(ip + 2, (uint16_t)(20 + ulen));
		ip[8] = 64;
		ip[9] = 17;
		memcpy(ip + 12, e->src, 4);
		memcpy(ip + 16, e->dst, 4);
		put16(ip + 10, (uint16_t)~dp_pkt_csum_fold(dp_pkt_csum_add(0, ip, 20)));
	}
	put16(u, e->sport);
	put16(u + 2, e->dport);
	put16(u + 4, ulen);
	put16(u + 6, 0);
	// the pseudo-header, then the UDP header and payload
	uint8_t ph[40];
	uint32_t sum;
	size_t alen = e->v6 ? 16 : 4;
	memset(ph, 0, sizeof(ph));
	memcpy(ph, e->src, alen);
	memcpy(ph + alen, e->dst, alen);
	if (e->v6) {
		put16(ph + 34, ulen);
		ph[39] = 17;
		sum = dp_pkt_csum_add(0, ph, 40);
	} else {
		ph[9] = 17;
		put16(ph + 10, ulen);
		sum = dp_pkt_csum_add(0, ph, 12);
	}
	uint16_t c = (uint16_t)~dp_pkt_csum_fold(dp_pkt_csum_add(sum, u, ulen));
	put16(u + 6, c ? c : 0xffff);
	return (uint16_t)(l4 + ulen);
}

#endif
