/* SPDX-License-Identifier: BSD-3-Clause */
// Shared by the dataplane tests: our two address profiles, hex, and a
// checker of reply frames that computes every checksum itself, byte by
// byte (RFC 1071), independently of the library's summing code.
#ifndef LINERATE_TESTS_PKT_TEST_UTIL_H
#define LINERATE_TESTS_PKT_TEST_UTIL_H

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <linerate/dns_image.h>
#include <linerate/dns_zone_set.h>
#include <linerate/pkt.h>

#include "../proto/zone_test_util.h"

static const uint8_t our_mac[6] = {2, 0, 0, 0, 0, 1};
static const uint8_t cli_mac[6] = {2, 0, 0, 0, 0, 0x99};
static const uint8_t our4[4] = {192, 0, 2, 1}, our4b[4] = {192, 0, 2, 2}, cli4[4] = {192, 0, 2, 99};
static const uint8_t our6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
static const uint8_t our6b[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x53};
static const uint8_t cli6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x99};

static inline void test_addrs(struct dp_pkt_addrs *a, uint16_t vlan)
{
	dp_pkt_addrs_init(a, our_mac);
	a->vlan = vlan;
	cr_assert_eq(dp_pkt_addrs_add4(a, our4), 0);
	cr_assert_eq(dp_pkt_addrs_add4(a, our4b), 0);
	cr_assert_eq(dp_pkt_addrs_add6(a, our6), 0);
	cr_assert_eq(dp_pkt_addrs_add6(a, our6b), 0);
}

static inline size_t test_unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	for (; s[0] && s[1] && s[0] != '\t' && s[0] != '\n'; s += 2) {
		cr_assert_lt(n, cap);
		unsigned v;
		cr_assert_eq(sscanf(s, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
	}
	return n;
}

// The one's complement sum, the textbook way: 16-bit big-endian words.
static inline uint32_t ref_sum(uint32_t s, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		s += i % 2 ? p[i] : (uint32_t)p[i] << 8;
	return s;
}

static inline uint16_t ref_fold(uint32_t s)
{
	while (s > 0xffff)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

// A 20-octet IPv4 header at ip from cli4 to dst over UDP of ulen octets:
// TTL 64, no fragment, its checksum right.
static inline void test_ipv4_header(uint8_t *ip, const uint8_t dst[4], size_t ulen)
{
	memset(ip, 0, 20);
	ip[0] = 0x45;
	ip[2] = (uint8_t)((20 + ulen) >> 8);
	ip[3] = (uint8_t)(20 + ulen);
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, cli4, 4);
	memcpy(ip + 16, dst, 4);
	uint16_t c = (uint16_t)~ref_fold(ref_sum(0, ip, 20));
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
}

// Walk a reply as a receiver would and assert everything a receiver checks:
// lengths consistent with the frame, IPv4 header checksum, UDP/ICMP/ICMPv6
// checksums (UDP over IPv6 never 0). Returns the offset of the L4 header
// (0 for ARP) and sets *l4proto.
static inline size_t check_reply_frame(const uint8_t *f, size_t len, uint8_t *l4proto)
{
	cr_assert_geq(len, 14);
	size_t l2 = 14;
	uint16_t type = (uint16_t)(f[12] << 8 | f[13]);
	if (type == 0x8100) {
		l2 = 18;
		type = (uint16_t)(f[16] << 8 | f[17]);
	}
	cr_assert_eq(f[6] & 1, 0, "reply source MAC is a group address");
	*l4proto = 0;
	if (type == 0x0806) {
		cr_assert_eq(len, l2 + 28);
		return 0;
	}
	const uint8_t *ip = f + l2;
	size_t l4off, l4len;
	uint32_t ph;
	if (type == 0x0800) {
		cr_assert_eq(ip[0], 0x45, "replies carry no IPv4 options");
		size_t tot = (size_t)(ip[2] << 8 | ip[3]);
		cr_assert_eq(l2 + tot, len, "IPv4 total length %zu, frame %zu", tot, len);
		cr_assert_eq(ref_fold(ref_sum(0, ip, 20)), 0xffff, "IPv4 header checksum");
		cr_assert_eq(ip[6] & 0x3f, 0);
		cr_assert_eq(ip[7], 0, "a reply is never a fragment");
		*l4proto = ip[9];
		l4off = l2 + 20;
		l4len = tot - 20;
		ph = ref_sum(0, ip + 12, 8) + ip[9] + (uint32_t)l4len;
	} else {
		cr_assert_eq(type, 0x86dd);
		cr_assert_eq(ip[0] >> 4, 6);
		size_t plen = (size_t)(ip[4] << 8 | ip[5]);
		cr_assert_eq(l2 + 40 + plen, len, "IPv6 payload length %zu, frame %zu", plen, len);
		*l4proto = ip[6];
		l4off = l2 + 40;
		l4len = plen;
		ph = ref_sum(0, ip + 8, 32) + ip[6] + (uint32_t)l4len;
	}
	const uint8_t *l4 = f + l4off;
	if (*l4proto == 17) {
		cr_assert_geq(l4len, 8);
		cr_assert_eq((size_t)(l4[4] << 8 | l4[5]), l4len, "UDP length");
		cr_assert(type == 0x0800 || l4[6] || l4[7], "UDP over IPv6 without checksum");
		if (l4[6] || l4[7])
			cr_assert_eq(ref_fold(ref_sum(ph, l4, l4len)), 0xffff, "UDP checksum");
	} else if (*l4proto == 1) {
		cr_assert_eq(ref_fold(ref_sum(0, l4, l4len)), 0xffff, "ICMP checksum");
	} else {
		cr_assert_eq(*l4proto, 58);
		cr_assert_eq(ref_fold(ref_sum(ph, l4, l4len)), 0xffff, "ICMPv6 checksum");
	}
	return l4off;
}

struct golden {
	char name[64];
	char profile[16];
	char verdict[32];
	uint8_t frame[2048];
	size_t len;
	uint8_t reply[2048];
	size_t reply_len;
	bool has_reply;
};

static struct golden rows[256];
static size_t nrows;

// Read tests/data/pkt_golden.tsv into rows[] (see gen_pkt_golden.py).
static inline void load(void)
{
	FILE *f = fopen(TEST_DATA_DIR "/pkt_golden.tsv", "r");
	cr_assert_not_null(f, "pkt_golden.tsv");
	static char line[16384];
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#')
			continue;
		cr_assert_lt(nrows, 256);
		struct golden *g = &rows[nrows++];
		char *cols[5];
		char *p = line;
		for (int i = 0; i < 5; i++) {
			cols[i] = p;
			p = strchr(p, '\t');
			if (i < 4) {
				cr_assert_not_null(p, "line %zu: 5 columns", nrows);
				*p++ = 0;
			}
		}
		snprintf(g->name, sizeof(g->name), "%s", cols[0]);
		snprintf(g->profile, sizeof(g->profile), "%s", cols[1]);
		snprintf(g->verdict, sizeof(g->verdict), "%s", cols[2]);
		g->len = test_unhex(cols[3], g->frame, sizeof(g->frame));
		g->has_reply = cols[4][0] != '-';
		if (g->has_reply)
			g->reply_len = test_unhex(cols[4], g->reply, sizeof(g->reply));
	}
	fclose(f);
	cr_assert_gt(nrows, 90);
}

// A big TXT RRset (about 650 octets) at big.<origin>: over 512 octets
// without EDNS, so the answer is truncated.
#define PKT_TEST_BIG_TXT                                                                           \
	"big TXT \"0123456789012345678901234567890123456789012345678901234567890123456789\"\n"     \
	"big TXT \"1123456789012345678901234567890123456789012345678901234567890123456789\"\n"     \
	"big TXT \"2123456789012345678901234567890123456789012345678901234567890123456789\"\n"     \
	"big TXT \"3123456789012345678901234567890123456789012345678901234567890123456789\"\n"     \
	"big TXT \"4123456789012345678901234567890123456789012345678901234567890123456789\"\n"     \
	"big TXT \"5123456789012345678901234567890123456789012345678901234567890123456789\"\n"     \
	"big TXT \"6123456789012345678901234567890123456789012345678901234567890123456789\"\n"     \
	"big TXT \"7123456789012345678901234567890123456789012345678901234567890123456789\"\n"     \
	"big TXT \"8123456789012345678901234567890123456789012345678901234567890123456789\"\n"

// A DNS test suite: img, the image of one zone (example.com.) compiled
// from zone_text, and cfg, the default answer settings, made before each
// test with the golden rows loaded.
#define PKT_TEST_DNS_SUITE(suite, zone_text)                                                       \
	static void *img;                                                                          \
	static struct dns_answer_cfg cfg;                                                          \
	static void setup(void)                                                                    \
	{                                                                                          \
		struct dns_zone *z = test_zone("example.com.", zone_text);                         \
		size_t size;                                                                       \
		img = dns_image_compile(&z, 1, &size);                                             \
		cr_assert_not_null(img);                                                           \
		dns_zone_free(z);                                                                  \
		dns_answer_cfg_default(&cfg);                                                      \
		load();                                                                            \
	}                                                                                          \
	static void teardown(void)                                                                 \
	{                                                                                          \
		free(img);                                                                         \
	}                                                                                          \
	TestSuite(suite, .init = setup, .fini = teardown)

#endif
