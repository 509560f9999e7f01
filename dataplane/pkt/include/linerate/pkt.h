/* SPDX-License-Identifier: BSD-3-Clause */
// The worker's packet core over plain byte buffers: classify a frame, then
// build the reply in the same buffer. No DPDK types, so the unit tests and
// fuzzers drive it directly; the DPDK worker passes each mbuf's data pointer,
// data length and room (data length + tailroom).
//
// Every function here is allocation-, lock- and log-free and reads only its
// arguments; any thread may call it. A frame can never make it read or write
// outside [buf, buf + cap).
#ifndef LINERATE_PKT_H
#define LINERATE_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linerate/dns_answer.h>
#include <linerate/dns_fast.h>

// Verdicts, then drop reasons; one table generates the enum and the names
// (the names are the stats keys). Replies are built only for the first five.
#define DP_PKT_VERDICTS(X)                                                                         \
	X(DNS, "dns")			  /* a DNS query to our address, port 53 */                \
	X(ARP, "arp")			  /* an ARP request for our IPv4 address */                \
	X(ND, "nd")			  /* a neighbour solicitation for our IPv6 address */      \
	X(ICMP_ECHO, "icmp_echo")	  /* ICMP echo request to us */                            \
	X(ICMP6_ECHO, "icmp6_echo")	  /* ICMPv6 echo request to us */                          \
	X(SNMP, "snmp")			  /* UDP to our address, the trap port: the trap stage */  \
	X(FRAGMENT, "fragment")		  /* a fragment for us: reassemble, then classify */       \
	X(OTHER, "other")		  /* well-formed, for us, not served: count and drop */    \
	X(MALFORMED_L2, "malformed_l2")	  /* runt, bad VLAN tag, group source MAC */               \
	X(MALFORMED_L3, "malformed_l3")	  /* bad IPv4/IPv6/ARP header or lengths */                \
	X(MALFORMED_L4, "malformed_l4")	  /* bad UDP/ICMP/ICMPv6 header or lengths */              \
	X(BAD_CHECKSUM, "bad_checksum")	  /* IPv4 header, UDP, ICMP or ICMPv6 checksum */          \
	X(NOT_FOR_US, "not_for_us")	  /* another MAC or IP address, or ND target */            \
	X(WRONG_VLAN, "wrong_vlan")	  /* tagged when we are not, or another VLAN id */         \
	X(VLAN_STACKED, "vlan_stacked")	  /* 802.1ad or a tag inside a tag (QinQ) */               \
	X(EXT_HDR_LIMIT, "ext_hdr_limit") /* more IPv6 extension headers than we walk */           \
	X(UNSUPPORTED, "unsupported")	  /* routing header to process, option not to skip */      \
	X(BAD_SOURCE, "bad_source")	  /* multicast/broadcast/unspecified source, port 0 */     \
	X(MALFORMED_DNS, "malformed_dns") /* shorter than a DNS header */                          \
	X(DNS_RESPONSE, "dns_response")	  /* QR=1: never answer a response */

enum dp_pkt_verdict {
#define DP_PKT_X_ENUM(id, name) DP_PKT_##id,
	DP_PKT_VERDICTS(DP_PKT_X_ENUM)
#undef DP_PKT_X_ENUM
		DP_PKT_VERDICT_COUNT
};

// The first drop reason; every verdict from it on is a drop.
#define DP_PKT_DROP_FIRST DP_PKT_MALFORMED_L2

// The stats name of v ("dns", "malformed_l3", …), "?" out of range.
const char *dp_pkt_verdict_name(enum dp_pkt_verdict v);

static inline bool dp_pkt_is_drop(enum dp_pkt_verdict v)
{
	return v >= DP_PKT_DROP_FIRST;
}

#define DP_PKT_ADDR_MAX	 8
#define DP_PKT_VLAN_NONE 0xffff
#define DP_PKT_EXT_MAX	 8 // IPv6 extension headers walked before EXT_HDR_LIMIT

// Who we are on one port: immutable once published (the control plane
// builds a new one and swaps the pointer by RCU; workers only read).
struct dp_pkt_addrs {
	uint8_t mac[6];
	uint16_t vlan;	    // 802.1Q VLAN id 1..4094, or DP_PKT_VLAN_NONE (untagged
			    // or priority-tagged frames only)
	uint16_t dns_port;  // 53
	uint16_t snmp_port; // the trap port (162); 0: no trap stage
	uint8_t n4;
	uint8_t n6;
	uint8_t v4[DP_PKT_ADDR_MAX][4];
	uint8_t v6[DP_PKT_ADDR_MAX][16];
};

// Fill a with mac, no VLAN, port 53 and no addresses.
void dp_pkt_addrs_init(struct dp_pkt_addrs *a, const uint8_t mac[6]);
// Add a service address; -ENOSPC past DP_PKT_ADDR_MAX, -EINVAL for a
// multicast/unspecified address.
int dp_pkt_addrs_add4(struct dp_pkt_addrs *a, const uint8_t addr[4]);
int dp_pkt_addrs_add6(struct dp_pkt_addrs *a, const uint8_t addr[16]);

// Hints from the NIC (mbuf ol_flags): a checksum the hardware already
// verified good is not summed again in software.
#define DP_PKT_RX_IP_CSUM_GOOD 0x1u
#define DP_PKT_RX_L4_CSUM_GOOD 0x2u

// What dp_pkt_classify() found. Offsets are from the start of the frame.
struct dp_pkt_info {
	enum dp_pkt_verdict verdict;
	uint16_t l2_len;      // Ethernet header and the 802.1Q tag if any
	uint16_t l3_off;      // == l2_len
	uint16_t l3_len;      // IPv4 header with options / IPv6 header with the
			      // extension headers walked (up to and including a
			      // fragment header): what rte_ip_frag wants in mbuf->l3_len
	uint16_t l4_off;      // UDP/ICMP/ICMPv6 header
	uint16_t l4_len;      // from the IP lengths (frame padding excluded)
	uint16_t payload_off; // UDP payload (the DNS message)
	uint16_t payload_len;
	uint16_t frag_hdr_off; // IPv6 fragment header (FRAGMENT), 0: none
	uint16_t vlan_tci;     // the tag as received (kept in replies)
	bool vlan;	       // a tag was present
	uint8_t family;	       // 4, 6, or 0 (ARP, other)
	uint8_t l4_proto;      // IPPROTO_* of the upper layer (0 unknown)
	uint8_t addr_idx;      // which of our addresses was asked for
};

// Classify the len bytes of frame buf. Only reads. Returns info->verdict.
//
// FRAGMENT: an IPv4 fragment (MF or offset set) or an IPv6 datagram with a
// fragment header that is not atomic (RFC 6946), addressed to us, whose IP
// header(s) passed the checks; L4 is not looked at. The daemon hands it to
// rte_ipv4/ipv6_frag_reassemble_packet() with mbuf->l2_len = l2_len,
// l3_len = l3_len (and, for IPv6, the header at frag_hdr_off; DPDK 22.11
// only reassembles when that header directly follows the fixed one, i.e.
// frag_hdr_off == l3_off + 40), linearises the result and classifies it
// again. There is no reassembly here.
enum dp_pkt_verdict dp_pkt_classify(const struct dp_pkt_addrs *a, const uint8_t *buf, size_t len,
				    unsigned rx_flags, struct dp_pkt_info *info);

// Build the reply for an ARP, ND, ICMP_ECHO or ICMP6_ECHO verdict in place:
// buf holds the classified frame (len bytes) with cap bytes of room. The
// VLAN tag is kept, IPv4 options and IPv6 extension headers are not.
// Returns the reply length, or 0 when no reply fits in cap (or the verdict
// has no reply). Checksums are always computed in software here: these are
// not the fast path.
size_t dp_pkt_reply(const struct dp_pkt_addrs *a, const struct dp_pkt_info *info, uint8_t *buf,
		    size_t len, size_t cap);

// Turn a classified UDP datagram (verdict DNS or SNMP: the frame as
// received, len bytes, in buf with cap bytes of room) into a reply that
// carries payload[0..plen) instead of the request's payload: MACs,
// addresses and ports swapped, VLAN tag kept, IPv4 options and IPv6
// extension headers removed, TTL/hop limit 64, lengths and checksums set
// (tx_flags DP_PKT_TX_CSUM_OFFLOAD: left to the NIC, as below). payload
// must not overlap buf. Returns the reply frame length, or 0 (buf
// untouched) when the reply would not fit in cap or the verdict is not
// UDP. The trap stage sends Reports and inform Responses with it.
size_t dp_pkt_udp_reply(const struct dp_pkt_addrs *a, const struct dp_pkt_info *info, uint8_t *buf,
			size_t len, size_t cap, const uint8_t *payload, size_t plen,
			unsigned tx_flags);

// Reply options for the DNS stage.
// Leave the IPv4 header and UDP checksums to the NIC (DPDK TX offload):
// the IPv4 header checksum is left 0 (RTE_MBUF_F_TX_IP_CKSUM) and the UDP
// checksum field holds the pseudo-header sum, not inverted, exactly as
// rte_ipv4_phdr_cksum()/rte_ipv6_phdr_cksum() with no TSO produce it
// (RTE_MBUF_F_TX_UDP_CKSUM); the worker sets l2_len/l3_len from the job.
// The NIC then sends a computed UDP sum of 0 as 0xffff (RFC 768), as the
// software path does.
#define DP_PKT_TX_CSUM_OFFLOAD 0x1u

// One query of a DNS burst.
struct dp_pkt_dns_job {
	uint8_t *buf;		       // in: the frame; out: the reply frame
	size_t len;		       // in: frame length
	size_t cap;		       // in: room in buf
	struct dp_pkt_info info;       // in: from dp_pkt_classify(), verdict DNS
	size_t out;		       // out: reply frame length, 0: send nothing
	uint16_t l2_len, l3_len;       // out: of the reply (for TX offload)
	struct dns_answer_info answer; // out: what the answer engine did
};

// Answer a burst of DNS_ANSWER_BURST_MAX or fewer classified queries: one
// dns_answer_burst() call over the DNS messages, then each frame turned
// into its reply in place (MACs, addresses and ports swapped, VLAN tag
// kept, IPv4 options and IPv6 extension headers removed, TTL/hop limit 64,
// lengths and checksums fixed). mtu bounds the IP datagram (0: 1500): an
// answer that does not fit is truncated (TC) by the engine. now is UNIX
// seconds for server cookies. Returns the number of jobs with a reply.
unsigned dp_pkt_dns_burst(const struct dp_pkt_addrs *a, const void *img,
			  const struct dns_answer_cfg *cfg, uint32_t now, uint16_t mtu,
			  unsigned tx_flags, struct dp_pkt_dns_job *jobs, unsigned n);

// ---- client access lists (acl.c) ----
// The DNS service's access list: rules matched in order against a query's
// source address, the first match's action taken; no match is allowed.
// Immutable once published, like the addresses.
#define DP_ACL_MAX 64

enum dp_acl_action {
	DP_ACL_ALLOW,  // answered
	DP_ACL_DROP,   // no answer, counted
	DP_ACL_REFUSE, // REFUSED (RFC 1035 §4.1.1), counted
};

struct dp_acl_rule {
	uint8_t family; // 4 or 6
	uint8_t plen;	// prefix length
	uint8_t action; // enum dp_acl_action
	uint8_t addr[16];
};

struct dp_acl {
	uint8_t n; // rules in use; 0: everyone allowed
	struct dp_acl_rule rule[DP_ACL_MAX];
};

// The action for a query from src (4 or 16 octets, network order).
enum dp_acl_action dp_acl_match(const struct dp_acl *a, uint8_t family, const uint8_t *src);

// Fill r: 0; -1 for a bad family, length or action; -2 when addr has bits
// set past the prefix (r is filled anyway).
int dp_acl_rule_set(struct dp_acl_rule *r, uint8_t family, const uint8_t *addr, unsigned plen,
		    enum dp_acl_action action);

// ---- the fast lane (fast.c) ----
// The common case in one pass: a frame to our MAC (untagged, or tagged
// with our VLAN), a 20-octet IPv4 header or a bare IPv6 one, to one of our
// addresses, UDP to the DNS port with a good checksum, carrying a query
// the answer engine's template paths answer: from an exact RRset's
// template, or a pointer-shifting one (NXDOMAIN, NODATA, referral,
// wildcard, REFUSED).
// The worker tries each frame with dp_pkt_fast_take() before classifying
// it, then answers those taken with one dp_pkt_fast_answer() call. A frame
// the lane declines at either step is left untouched: classified and
// answered the usual way, it gets the reply the lane would have given.
struct dp_pkt_fast {
	uint8_t *buf;			// the frame; the reply frame
	uint16_t cap;			// room in buf
	uint16_t l2_len;		// Ethernet and the tag (for TX offload too)
	uint8_t family;			// 4 or 6: l3_len is 20 or 40
	bool qsum_ok;			// qsum holds the question's sum
	uint64_t qsum;			// the question's RFC 1071 sum (native, unfolded)
	struct dns_answer_info answer;	// out: what the engine did
	struct dns_fast_query q;	// the engine's (its hot fields first)
};

// Whether the len-octet frame buf (cap octets of room) is the lane's:
// reads it only. img NULL: nothing is.
bool dp_pkt_fast_take(const struct dp_pkt_addrs *a, const void *img,
		      const struct dns_answer_cfg *cfg, uint8_t *buf, size_t len, size_t cap,
		      unsigned rx_flags, struct dp_pkt_fast *f);

// Answer n (≤ DNS_ANSWER_BURST_MAX) frames taken from one port: out[i] is
// the reply frame length, or 0 when the lane declines the frame after all
// (no template serves it, an answer over the client's size limit). mtu,
// now and tx_flags as for dp_pkt_dns_burst().
void dp_pkt_fast_answer(const struct dp_pkt_addrs *a, const void *img,
			const struct dns_answer_cfg *cfg, uint32_t now, uint16_t mtu,
			unsigned tx_flags, struct dp_pkt_fast *f, unsigned n, uint16_t *out);

// The Internet checksum (RFC 1071) of buf folded to 16 bits, not inverted,
// added to sum (a previous partial result, 0 to start).
uint32_t dp_pkt_csum_add(uint32_t sum, const uint8_t *buf, size_t len);
uint16_t dp_pkt_csum_fold(uint32_t sum);

#endif
