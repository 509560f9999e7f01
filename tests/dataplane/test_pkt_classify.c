/* SPDX-License-Identifier: BSD-3-Clause */
// Classification on frames built by hand here: offsets, every truncation of
// a valid frame, the extension-header bound, the verdict table, addresses.
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include <linerate/pkt.h>

#include "pkt_test_util.h"

static size_t put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return 2;
}

static void set_csum(uint8_t *field, uint32_t sum)
{
	put16(field, (uint16_t)~ref_fold(sum));
}

static const uint8_t dns_query[] = {
	0x12, 0x34, 0x01, 0x00, 0, 1,	0,   0,	  0,   0,   0,	 0, // header, RD
	3,    'w',  'w',  'w',	7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, // qname
	0,    1,    0,	  1,								   // A IN
};

static size_t eth(uint8_t *f, bool vlan, uint16_t type)
{
	memcpy(f, our_mac, 6);
	memcpy(f + 6, cli_mac, 6);
	size_t n = 12;
	if (vlan) {
		n += put16(f + n, 0x8100);
		n += put16(f + n, 0xa064); // PCP 5, VID 100
	}
	return n + put16(f + n, type);
}

static uint16_t dst_port = 53; // the frames' UDP destination port

static size_t udp(uint8_t *u, uint32_t phdr)
{
	put16(u, 40000);
	put16(u + 2, dst_port);
	put16(u + 4, (uint16_t)(8 + sizeof(dns_query)));
	put16(u + 6, 0);
	memcpy(u + 8, dns_query, sizeof(dns_query));
	size_t n = 8 + sizeof(dns_query);
	set_csum(u + 6, ref_sum(phdr + 17 + (uint32_t)n, u, n));
	return n;
}

// Ethernet (+ tag), IPv4 with ihl_words*4 octets of header (NOP options), UDP, DNS.
static size_t frame4(uint8_t *f, bool vlan, unsigned ihl_words)
{
	size_t l3 = eth(f, vlan, 0x0800);
	uint8_t *ip = f + l3;
	size_t hl = ihl_words * 4, ulen = 8 + sizeof(dns_query);
	memset(ip, 1, hl); // options: NOP
	ip[0] = (uint8_t)(0x40 | ihl_words);
	ip[1] = 0;
	put16(ip + 2, (uint16_t)(hl + ulen));
	put16(ip + 4, 7);
	put16(ip + 6, 0x4000);
	ip[8] = 64;
	ip[9] = 17;
	put16(ip + 10, 0);
	memcpy(ip + 12, cli4, 4);
	memcpy(ip + 16, our4b, 4);
	set_csum(ip + 10, ref_sum(0, ip, hl));
	return l3 + hl + udp(ip + hl, ref_sum(0, ip + 12, 8));
}

// Ethernet, IPv6, n destination-options headers of 8 octets, UDP, DNS.
static size_t frame6(uint8_t *f, unsigned n_ext)
{
	size_t l3 = eth(f, false, 0x86dd);
	uint8_t *ip = f + l3;
	size_t ulen = 8 + sizeof(dns_query);
	memset(ip, 0, 40);
	ip[0] = 0x60;
	put16(ip + 4, (uint16_t)(8 * n_ext + ulen));
	ip[6] = n_ext ? 60 : 17;
	ip[7] = 64;
	memcpy(ip + 8, cli6, 16);
	memcpy(ip + 24, our6, 16);
	uint8_t *h = ip + 40;
	for (unsigned i = 0; i < n_ext; i++, h += 8) {
		memset(h, 0, 8);
		h[0] = i + 1 < n_ext ? 60 : 17;
		h[2] = 1; // PadN of 4
		h[3] = 4;
	}
	return (size_t)(h - f) + udp(h, ref_sum(0, ip + 8, 32));
}

static struct dp_pkt_addrs addrs, addrs_vlan;

static void setup(void)
{
	test_addrs(&addrs, DP_PKT_VLAN_NONE);
	test_addrs(&addrs_vlan, 100);
	dst_port = 53;
}

TestSuite(pkt_classify, .init = setup);

Test(pkt_classify, finds_every_offset_of_a_tagged_ipv4_query_with_options)
{
	uint8_t f[256];
	struct dp_pkt_info i;
	size_t len = frame4(f, true, 7);
	cr_assert_eq(dp_pkt_classify(&addrs_vlan, f, len, 0, &i), DP_PKT_DNS);
	cr_assert(i.vlan);
	cr_assert_eq(i.vlan_tci, 0xa064);
	cr_assert_eq(i.l2_len, 18);
	cr_assert_eq(i.l3_off, 18);
	cr_assert_eq(i.l3_len, 28);
	cr_assert_eq(i.l4_off, 46);
	cr_assert_eq(i.l4_len, 8 + sizeof(dns_query));
	cr_assert_eq(i.payload_off, 54);
	cr_assert_eq(i.payload_len, sizeof(dns_query));
	cr_assert_eq(i.family, 4);
	cr_assert_eq(i.l4_proto, 17);
	cr_assert_eq(i.addr_idx, 1, "192.0.2.2 is our second address");
}

Test(pkt_classify, finds_the_udp_header_behind_ipv6_extension_headers)
{
	uint8_t f[256];
	struct dp_pkt_info i;
	size_t len = frame6(f, 3);
	cr_assert_eq(dp_pkt_classify(&addrs, f, len, 0, &i), DP_PKT_DNS);
	cr_assert_eq(i.l3_len, 40 + 24);
	cr_assert_eq(i.l4_off, 14 + 64);
	cr_assert_eq(i.family, 6);
	cr_assert_eq(i.addr_idx, 0);
}

Test(pkt_classify, walks_eight_extension_headers_and_refuses_nine)
{
	uint8_t f[512];
	struct dp_pkt_info i;
	cr_assert_eq(dp_pkt_classify(&addrs, f, frame6(f, DP_PKT_EXT_MAX), 0, &i), DP_PKT_DNS);
	cr_assert_eq(dp_pkt_classify(&addrs, f, frame6(f, DP_PKT_EXT_MAX + 1), 0, &i),
		     DP_PKT_EXT_HDR_LIMIT);
}

Test(pkt_classify, every_truncation_of_a_valid_frame_is_a_drop)
{
	uint8_t f[512], cut[512];
	struct dp_pkt_info i;
	size_t lens[3];
	const struct dp_pkt_addrs *as[3] = {&addrs_vlan, &addrs, &addrs};
	uint8_t frames[3][512];
	lens[0] = frame4(frames[0], true, 6);
	lens[1] = frame6(frames[1], 2);
	lens[2] = frame4(frames[2], false, 5);
	for (int k = 0; k < 3; k++) {
		memcpy(f, frames[k], lens[k]);
		cr_assert_eq(dp_pkt_classify(as[k], f, lens[k], 0, &i), DP_PKT_DNS);
		for (size_t n = 0; n < lens[k]; n++) {
			// copied into a buffer that ends exactly there: ASan sees any overread
			uint8_t *exact = cut + sizeof(cut) - n;
			memcpy(exact, f, n);
			enum dp_pkt_verdict v = dp_pkt_classify(as[k], exact, n, 0, &i);
			cr_assert(dp_pkt_is_drop(v), "frame %d cut at %zu: %s", k, n,
				  dp_pkt_verdict_name(v));
		}
	}
}

Test(pkt_classify, ethernet_padding_after_the_datagram_is_ignored)
{
	uint8_t f[512];
	struct dp_pkt_info i;
	size_t len = frame4(f, false, 5);
	memset(f + len, 0xee, 20);
	cr_assert_eq(dp_pkt_classify(&addrs, f, len + 20, 0, &i), DP_PKT_DNS);
	cr_assert_eq(i.l4_off + i.l4_len, len);
}

Test(pkt_classify, a_flipped_bit_anywhere_in_udp_is_a_bad_checksum)
{
	uint8_t f[512];
	struct dp_pkt_info i;
	size_t len = frame6(f, 0);
	for (size_t off = 14 + 40 + 8; off < len; off++) {
		f[off] ^= 0x40;
		enum dp_pkt_verdict v = dp_pkt_classify(&addrs, f, len, 0, &i);
		cr_assert_eq(v, DP_PKT_BAD_CHECKSUM, "bit flipped at %zu: %s", off,
			     dp_pkt_verdict_name(v));
		f[off] ^= 0x40;
	}
}

Test(pkt_classify, an_ipv6_fragment_reports_its_header_for_reassembly)
{
	uint8_t f[512];
	struct dp_pkt_info i;
	size_t len = frame6(f, 1);
	uint8_t *h = f + 14 + 40;
	f[14 + 6] = 44; // the destination options header becomes a fragment header
	h[0] = 17;
	h[1] = 0;
	put16(h + 2, 0x0001); // offset 0, M
	cr_assert_eq(dp_pkt_classify(&addrs, f, len, 0, &i), DP_PKT_FRAGMENT);
	cr_assert_eq(i.frag_hdr_off, 14 + 40);
	cr_assert_eq(i.l3_len, 48);
	cr_assert_eq(i.l4_proto, 17);
}

Test(pkt_classify, an_ipv4_fragment_is_reported_before_udp_is_read)
{
	uint8_t f[512];
	struct dp_pkt_info i;
	size_t len = frame4(f, false, 5);
	uint8_t *ip = f + 14;
	put16(ip + 6, 0x2000); // MF
	put16(ip + 10, 0);
	set_csum(ip + 10, ref_sum(0, ip, 20));
	put16(ip + 20 + 4, 9999); // a UDP length that only the whole datagram can check
	cr_assert_eq(dp_pkt_classify(&addrs, f, len, 0, &i), DP_PKT_FRAGMENT);
	cr_assert_eq(i.l3_len, 20);
	cr_assert_eq(i.l2_len, 14);
}

Test(pkt_classify, verdict_names_are_unique_and_drops_start_at_malformed_l2)
{
	for (int v = 0; v < DP_PKT_VERDICT_COUNT; v++) {
		cr_assert_str_neq(dp_pkt_verdict_name((enum dp_pkt_verdict)v), "?");
		for (int w = 0; w < v; w++)
			cr_assert_str_neq(dp_pkt_verdict_name((enum dp_pkt_verdict)v),
					  dp_pkt_verdict_name((enum dp_pkt_verdict)w));
		cr_assert_eq(dp_pkt_is_drop((enum dp_pkt_verdict)v), v >= DP_PKT_MALFORMED_L2);
	}
	cr_assert_str_eq(dp_pkt_verdict_name(DP_PKT_VERDICT_COUNT), "?");
	cr_assert_str_eq(dp_pkt_verdict_name(DP_PKT_DNS), "dns");
	cr_assert_str_eq(dp_pkt_verdict_name(DP_PKT_BAD_CHECKSUM), "bad_checksum");
}

Test(pkt_classify, address_list_is_bounded_and_refuses_unusable_addresses)
{
	struct dp_pkt_addrs a;
	dp_pkt_addrs_init(&a, our_mac);
	cr_assert_eq(a.dns_port, 53);
	cr_assert_eq(a.vlan, DP_PKT_VLAN_NONE);
	const uint8_t mcast4[4] = {224, 0, 0, 1}, zero4[4] = {0};
	const uint8_t mcast6[16] = {0xff, 0x02, [15] = 1}, zero6[16] = {0};
	cr_assert_eq(dp_pkt_addrs_add4(&a, mcast4), -EINVAL);
	cr_assert_eq(dp_pkt_addrs_add4(&a, zero4), -EINVAL);
	cr_assert_eq(dp_pkt_addrs_add6(&a, mcast6), -EINVAL);
	cr_assert_eq(dp_pkt_addrs_add6(&a, zero6), -EINVAL);
	for (int k = 0; k < DP_PKT_ADDR_MAX; k++) {
		uint8_t v4[4] = {192, 0, 2, (uint8_t)(10 + k)};
		cr_assert_eq(dp_pkt_addrs_add4(&a, v4), 0);
	}
	cr_assert_eq(dp_pkt_addrs_add4(&a, our4), -ENOSPC);
}

Test(pkt_classify, checksum_helper_agrees_with_the_textbook_sum_at_every_length)
{
	uint8_t b[300];
	for (size_t k = 0; k < sizeof(b); k++)
		b[k] = (uint8_t)(k * 37 + 11);
	for (size_t n = 0; n <= sizeof(b); n++)
		cr_assert_eq(dp_pkt_csum_fold(dp_pkt_csum_add(0, b, n)), ref_fold(ref_sum(0, b, n)),
			     "length %zu", n);
}

Test(pkt_classify, sends_the_trap_port_to_the_trap_stage_only_when_it_is_set)
{
	uint8_t f[256];
	struct dp_pkt_info i;
	dst_port = 162;
	size_t len = frame4(f, false, 5);
	cr_assert_eq(dp_pkt_classify(&addrs, f, len, 0, &i), DP_PKT_OTHER, "no trap stage");
	addrs.snmp_port = 162;
	cr_assert_eq(dp_pkt_classify(&addrs, f, len, 0, &i), DP_PKT_SNMP);
	cr_assert_eq(i.payload_off, 14 + 20 + 8);
	cr_assert_eq(i.payload_len, sizeof(dns_query));
	len = frame6(f, 2);
	cr_assert_eq(dp_pkt_classify(&addrs, f, len, 0, &i), DP_PKT_SNMP);
	cr_assert_eq(i.payload_off, 14 + 40 + 16 + 8);
	// still checked like any UDP: a flipped bit is a bad checksum
	f[len - 1] ^= 1;
	cr_assert_eq(dp_pkt_classify(&addrs, f, len, 0, &i), DP_PKT_BAD_CHECKSUM);
	// DNS still goes to DNS, and a source port 0 has nobody to answer
	dst_port = 53;
	len = frame4(f, false, 5);
	cr_assert_eq(dp_pkt_classify(&addrs, f, len, 0, &i), DP_PKT_DNS);
	dst_port = 162;
	len = frame4(f, false, 5);
	put16(f + 34, 0);
	put16(f + 40, 0); // IPv4 UDP without a checksum
	cr_assert_eq(dp_pkt_classify(&addrs, f, len, 0, &i), DP_PKT_BAD_SOURCE);
}

Test(pkt_classify, turns_a_trap_datagram_into_a_reply_with_another_payload)
{
	static const uint8_t report[] = "a Report, or an inform Response, of this length";
	uint8_t f[256];
	struct dp_pkt_info i;
	addrs.snmp_port = 162;
	dst_port = 162;
	size_t len = frame4(f, false, 7); // options: removed in the reply
	cr_assert_eq(dp_pkt_classify(&addrs, f, len, 0, &i), DP_PKT_SNMP);
	size_t need = 14 + 20 + 8 + sizeof(report);
	cr_assert_eq(dp_pkt_udp_reply(&addrs, &i, f, len, need - 1, report, sizeof(report), 0), 0,
		     "one octet short of room: no reply");
	cr_assert_eq(f[14], 0x47, "untouched when it does not fit");
	size_t out = dp_pkt_udp_reply(&addrs, &i, f, len, sizeof(f), report, sizeof(report), 0);
	cr_assert_eq(out, need);
	uint8_t proto;
	size_t l4 = check_reply_frame(f, out, &proto);
	cr_assert_eq(proto, 17);
	cr_assert_eq(l4, 34);
	cr_assert_eq(f[l4] << 8 | f[l4 + 1], 162, "from the trap port");
	cr_assert_eq(f[l4 + 2] << 8 | f[l4 + 3], 40000, "to the sender's port");
	cr_assert_eq(memcmp(f + 26, our4b, 4), 0, "from the address it was sent to");
	cr_assert_eq(memcmp(f + 30, cli4, 4), 0);
	cr_assert_eq(memcmp(f + l4 + 8, report, sizeof(report)), 0);
	// over IPv6, behind extension headers
	len = frame6(f, 3);
	cr_assert_eq(dp_pkt_classify(&addrs, f, len, 0, &i), DP_PKT_SNMP);
	out = dp_pkt_udp_reply(&addrs, &i, f, len, sizeof(f), report, 5, 0);
	cr_assert_eq(out, 14 + 40 + 8 + 5);
	l4 = check_reply_frame(f, out, &proto);
	cr_assert_eq(l4, 54);
	// not a UDP verdict: nothing
	i.verdict = DP_PKT_ICMP_ECHO;
	cr_assert_eq(dp_pkt_udp_reply(&addrs, &i, f, out, sizeof(f), report, 5, 0), 0);
}
