/* SPDX-License-Identifier: BSD-3-Clause */
// The authoritative answer engine: query bytes + compiled zone image →
// response bytes, in place. One function serves the UDP fast path in the
// workers and, later, TCP, DoT and DoH: it never allocates, locks, logs or
// blocks, and reads the image (dns_image.h) and the configuration only.
//
// Two paths, one entry:
// - the template path: an exact match of a precompiled (owner, type) RRset
//   for a plain QUERY (class IN, no EDNS option, version 0): find the name,
//   copy the template behind the question, patch header and OPT. This is
//   what runs at line rate and stays short;
// - the full path (RFC 1034 §4.3.2) for everything else: closest enclosing
//   zone, CNAME chains inside the zone set (bounded, loop-safe), DNAME
//   (RFC 6672), wildcards (RFC 4592, empty non-terminals included),
//   referrals, NXDOMAIN/NODATA with the SOA (RFC 2308), minimal ANY
//   (RFC 8482), CHAOS TXT, opcodes, EDNS0 (RFC 6891) with NSID (RFC 5001)
//   and server cookies (RFC 7873, RFC 9018), and truncation.
#ifndef LINERATE_DNS_ANSWER_H
#define LINERATE_DNS_ANSWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DNS_ANSWER_EDNS_DEFAULT 1232 // DNS flag day 2020
#define DNS_ANSWER_CHAIN_MAX 8        // CNAME/DNAME links followed per answer
#define DNS_ANSWER_NSID_MAX 128
#define DNS_ANSWER_CHAOS_MAX 255

// Settings, read-only to workers (published with the image).
struct dns_answer_cfg {
	uint16_t edns_size;          // our UDP payload size (≥ 512; default 1232)
	bool chaos;                  // answer CHAOS TXT id.server & co.
	char chaos_id[DNS_ANSWER_CHAOS_MAX + 1];       // id.server, hostname.bind ("" = REFUSED)
	char chaos_version[DNS_ANSWER_CHAOS_MAX + 1];  // version.bind ("" = REFUSED)
	uint16_t nsid_len;           // 0: no NSID option in answers
	uint8_t nsid[DNS_ANSWER_NSID_MAX];
	bool cookies;                // server cookies (RFC 9018 SipHash-2-4)
	uint8_t cookie_secret[16];
};

// Fill cfg with the defaults: EDNS 1232, CHAOS on with version "linerate",
// no NSID, cookies off.
void dns_answer_cfg_default(struct dns_answer_cfg *cfg);

enum dns_answer_transport {
	DNS_TRANSPORT_UDP, // size limit from EDNS (or 512), TC on overflow
	DNS_TRANSPORT_TCP, // 65535, never TC (also DoT, DoH)
};

// Who asked: for server cookies and the size rules.
struct dns_answer_client {
	enum dns_answer_transport transport;
	uint8_t family;              // 4 or 6 (0: no address; cookies then ignored)
	uint8_t addr[16];
	uint32_t now;                // seconds (UNIX time) for cookie timestamps
	uint16_t max_size;           // largest response the path carries (UDP in one
				     // datagram on the link's MTU); 0: no bound but
				     // the EDNS rules and the buffer
};

// Why a query got no response at all.
enum dns_answer_drop {
	DNS_DROP_NONE,
	DNS_DROP_SHORT,       // not even a header
	DNS_DROP_RESPONSE,    // QR set: never answer a response
	DNS_DROP_NOSPACE,     // the buffer cannot hold a response
};

// What happened, for statistics and the control plane.
struct dns_answer_info {
	uint16_t rcode;              // 12-bit rcode sent (valid when a response was made)
	uint16_t qtype;
	uint16_t qclass;
	uint8_t opcode;
	bool template_hit;           // the template path answered (an exact RRset)
	bool suffix_hit;             // a pointer-shifting template answered (NXDOMAIN,
				     // NODATA, referral, wildcard, REFUSED)
	bool truncated;              // TC set
	bool notify;                 // a NOTIFY was acknowledged (zone below)
	bool edns;                   // the query had OPT
	uint32_t zone;               // image zone index answered from, or DNS_IMAGE_NONE
	enum dns_answer_drop drop;
};

// Answer the query in pkt[0..len) into pkt itself (cap bytes of room; at
// least 512 for UDP, 65535 for TCP to never truncate). img may be NULL (no
// zones: everything REFUSED). Returns the response length, or 0 when no
// response must be sent (info->drop says why).
size_t dns_answer(const void *img, const struct dns_answer_cfg *cfg, const struct dns_answer_client *cl,
		  uint8_t *pkt, size_t len, size_t cap, struct dns_answer_info *info);

// A burst of queries (a worker's RX burst), answered as dns_answer() would
// answer each, with the template path's memory loads overlapped across the
// burst. Any n; DNS_ANSWER_BURST_MAX at a time.
#define DNS_ANSWER_BURST_MAX 32
struct dns_answer_job {
	uint8_t *pkt;                    // in: the query; out: the response
	size_t len;                      // query length
	size_t cap;                      // room in pkt
	struct dns_answer_client client;
	size_t out;                      // response length, 0: send nothing
	struct dns_answer_info info;
};
void dns_answer_burst(const void *img, const struct dns_answer_cfg *cfg, struct dns_answer_job *jobs,
		      unsigned n);

#endif
