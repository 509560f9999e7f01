/* SPDX-License-Identifier: BSD-3-Clause */
// linerate-zone: the query a user describes in dig's words (NAME [TYPE
// [CLASS]] +option…), and its wire form built with proto's builder.
#ifndef LINERATE_TOOLS_ZT_QUERY_H
#define LINERATE_TOOLS_ZT_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linerate/dns_name.h>

#define ZT_COOKIE_MAX 40 // client (8) + largest server cookie (32), RFC 7873 §4

struct zt_query {
	uint8_t name[DNS_NAME_MAXLEN]; // letter case as typed
	uint16_t qtype;		       // default A
	uint16_t qclass;	       // default IN
	uint8_t opcode;		       // default QUERY
	uint16_t id;		       // default 0, so output is reproducible
	uint16_t flags;		       // header flag bits (DNS_FLAG_*); RD by default
	bool edns;		       // default on, as dig
	uint16_t edns_size;	       // default 1232
	uint8_t edns_version;	       // default 0
	bool dnssec;		       // DO bit
	bool nsid;		       // ask for NSID (RFC 5001)
	uint8_t cookie_len;	       // 0: no COOKIE option
	uint8_t cookie[ZT_COOKIE_MAX];
	bool tcp; // answer as over TCP (no size limit, no TC)
};

// Parse the words after the separator: NAME, then optionally TYPE and
// CLASS (mnemonics or TYPEnnn/CLASSnnn), and these options anywhere after
// NAME:
//   +dnssec / +nodnssec      DO bit (turns EDNS on)
//   +edns / +noedns          send an OPT record or not
//   +edns=N                  OPT with payload size N (0…65535)
//   +ednsver=N               OPT with version N (0…255)
//   +rec / +norec            RD flag (NOTIFY clears it unless +rec is given)
//   +ad / +cd                AD or CD flag
//   +nsid                    empty NSID option
//   +cookie[=HEX]            COOKIE option (default client cookie 0102030405060708)
//   +opcode=X                QUERY, IQUERY, STATUS, NOTIFY, UPDATE or 0…15
//                            (NOTIFY also sets AA, as RFC 1996 §3.7 shows)
//   +id=N                    message ID
//   +tcp / +udp              transport the engine is told about
// Returns 0, or -EINVAL with a message in err (errlen bytes).
int zt_query_parse(struct zt_query *q, int argc, char *const *argv, char *err, size_t errlen);

// Build the query message into buf; returns its length or a negative
// DNS_E* code.
int zt_query_build(const struct zt_query *q, uint8_t *buf, size_t cap);

#endif
