/* SPDX-License-Identifier: BSD-3-Clause */
// Private to proto/dns: the pieces the message parser, the builder and EDNS
// share but callers have no use for. Not installed, not part of the API.
#ifndef LINERATE_DNS_MSG_INTERNAL_H
#define LINERATE_DNS_MSG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linerate/dns_msg.h>
#include <linerate/dns_rdata.h>

// Walk the names of the RFC 1035 types whose rdata names may be compressed
// (RFC 3597 §4), in the rdata at msg[off, off + rdlen). compressed: the rdata
// is in a message and its names may hold pointers (to anywhere before them,
// never into the header); otherwise pointers are DNS_EPTR_FORBIDDEN. Writes
// the names' offsets relative to off into offs (may be NULL) and returns
// their count (0 for every other type), or the name error, DNS_ERDATA_SHORT
// or DNS_ERDATA_LONG.
int dns_rdata_names_walk(uint16_t type, const uint8_t *msg, size_t off, size_t rdlen,
			 bool compressed, uint16_t offs[DNS_RDATA_MAXNAMES]);

// Fill e from the OPT RR whose owner is at rr_off, class udp_size, TTL ttl
// and rdata at wire[rdata_off, rdata_off + rdlen) (already inside the
// message). query: the message is a query (QR clear), where an ECS scope
// must be 0. Returns 0, DNS_EOPT_OPTION, DNS_EOPT_COOKIE or DNS_EOPT_ECS.
int dns_edns_parse_opt(struct dns_edns *e, const uint8_t *wire, uint16_t rr_off, uint16_t udp_size,
		       uint32_t ttl, uint16_t rdata_off, uint16_t rdlen, bool query);

#endif
