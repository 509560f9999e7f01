/* SPDX-License-Identifier: BSD-3-Clause */
// The fast lane against the usual path (dp_pkt_classify + dp_pkt_dns_burst):
// whatever frame it takes and answers, the reply is byte for byte the one
// the usual path makes, with the same answer info; whatever it declines, at
// either step, it leaves untouched. Over scapy's golden frames (every
// verdict), every one-octet corruption and truncation of good queries,
// lying lengths, letter case, size limits, cookies and TX offload.
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <linerate/dns_answer.h>
#include <linerate/dns_image.h>
#include <linerate/dns_zone_set.h>
#include <linerate/pkt.h>

#include "pkt_test_util.h"

static const char zone[] = "$TTL 3600\n"
			   "@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n"
			   "@ NS ns1\n"
			   "ns1 A 192.0.2.1\n"
			   "www A 192.0.2.10\n"
			   "www A 192.0.2.11\n"
			   "www AAAA 2001:db8::10\n"
			   "odd TXT \"x\"\n"
			   "child NS ns.example.net.\n"
			   "*.wild TXT \"w\"\n" PKT_TEST_BIG_TXT;

#define ROOM 2048
#define NOW  1700000000u

PKT_TEST_DNS_SUITE(pkt_fast, zone);

enum lane { DECLINED_TAKE, DECLINED_ANSWER, ANSWERED };

static unsigned suffix_answers; // of the lane, counted by both()

// The frame (len octets, cap of room) through the fast lane and, on a copy,
// the usual path; asserts they agree. Returns what the lane did.
static enum lane both(const struct dp_pkt_addrs *a, const uint8_t *frame, size_t len, size_t cap,
		      unsigned rx, unsigned tx_flags, uint16_t mtu, const char *what)
{
	// exact-size buffers: ASan sees any read or write past cap
	uint8_t *fb = malloc(cap ? cap : 1), *sb = malloc(cap ? cap : 1);
	cr_assert(fb && sb);
	memset(fb, 0xa5, cap);
	memcpy(fb, frame, len);
	memcpy(sb, fb, cap);
	struct dp_pkt_fast f;
	enum lane r = DECLINED_TAKE;
	uint16_t out = 0;
	if (dp_pkt_fast_take(a, img, &cfg, fb, len, cap, rx, &f)) {
		dp_pkt_fast_answer(a, img, &cfg, NOW, mtu, tx_flags, &f, 1, &out);
		r = out ? ANSWERED : DECLINED_ANSWER;
	}
	if (!out)
		cr_assert(!memcmp(fb, sb, cap), "%s: a declined frame is untouched", what);
	struct dp_pkt_info info;
	enum dp_pkt_verdict v = dp_pkt_classify(a, sb, len, rx, &info);
	if (r != DECLINED_TAKE)
		cr_assert_eq(v, DP_PKT_DNS, "%s: the lane takes only DNS queries (%s)", what,
			     dp_pkt_verdict_name(v));
	if (r == ANSWERED) {
		struct dp_pkt_dns_job j = {.buf = sb, .len = len, .cap = cap, .info = info};
		dp_pkt_dns_burst(a, img, &cfg, NOW, mtu, tx_flags, &j, 1);
		cr_assert_eq(out, j.out, "%s: reply length %u, usual path %zu", what, out, j.out);
		cr_assert(!memcmp(fb, sb, out), "%s: reply bytes", what);
		cr_assert_eq(f.l2_len, j.l2_len, "%s", what);
		cr_assert_eq(f.family == 4 ? 20 : 40, j.l3_len, "%s", what);
		cr_assert_eq(f.answer.rcode, j.answer.rcode, "%s", what);
		cr_assert_eq(f.answer.qtype, j.answer.qtype, "%s", what);
		cr_assert_eq(f.answer.zone, j.answer.zone, "%s", what);
		cr_assert_eq(f.answer.edns, j.answer.edns, "%s", what);
		cr_assert(f.answer.template_hit || f.answer.suffix_hit, "%s", what);
		cr_assert_eq(f.answer.template_hit, j.answer.template_hit, "%s", what);
		cr_assert_eq(f.answer.suffix_hit, j.answer.suffix_hit, "%s", what);
		suffix_answers += f.answer.suffix_hit;
		if (!(tx_flags & DP_PKT_TX_CSUM_OFFLOAD)) {
			uint8_t proto;
			check_reply_frame(fb, out, &proto);
			cr_assert_eq(proto, 17);
		}
	}
	free(fb);
	free(sb);
	return r;
}

static const struct golden *row(const char *name)
{
	for (size_t i = 0; i < nrows; i++)
		if (!strcmp(rows[i].name, name))
			return &rows[i];
	cr_assert_fail("no golden row %s", name);
	return NULL;
}

static void profile(struct dp_pkt_addrs *a, const struct golden *g)
{
	test_addrs(a, strcmp(g->profile, "vlan100") ? DP_PKT_VLAN_NONE : 100);
}

Test(pkt_fast, golden_frames_agree_and_only_plain_queries_are_taken)
{
	// the lane's shapes, and those it leaves to the usual path
	static const struct {
		const char *name;
		enum lane want;
	} named[] = {
		{"dns_ipv4", ANSWERED},
		{"dns_ipv6", ANSWERED},
		{"dns_ipv4_second_address", ANSWERED},
		{"dns_ipv4_udp_checksum_zero", ANSWERED},
		{"dns_vlan", ANSWERED},
		{"dns_ipv4_options", DECLINED_TAKE},
		{"dns_ipv6_ext_headers", DECLINED_TAKE},
		{"dns_priority_tag", DECLINED_TAKE},
		{"dns_ipv4_broadcast_mac", DECLINED_TAKE},
	};
	for (unsigned t = 0; t < 2; t++) {
		unsigned tx = t ? DP_PKT_TX_CSUM_OFFLOAD : 0;
		for (size_t i = 0; i < nrows; i++) {
			struct dp_pkt_addrs a;
			profile(&a, &rows[i]);
			enum lane r = both(&a, rows[i].frame, rows[i].len, ROOM, 0, tx, 1500,
					   rows[i].name);
			if (strcmp(rows[i].verdict, "dns"))
				cr_assert_eq(r, DECLINED_TAKE, "%s", rows[i].name);
			for (size_t k = 0; k < sizeof(named) / sizeof(named[0]); k++)
				if (!strcmp(rows[i].name, named[k].name))
					cr_assert_eq(r, named[k].want, "%s", rows[i].name);
		}
	}
	for (size_t k = 0; k < sizeof(named) / sizeof(named[0]); k++)
		row(named[k].name); // every one is there
}

// Every octet of a good IPv4 and IPv6 query replaced by three other values:
// whatever the lane still takes, it answers as the usual path does.
Test(pkt_fast, every_one_octet_corruption_agrees_or_is_declined)
{
	static const char *const names[] = {"dns_ipv4", "dns_ipv6", "dns_vlan"};
	static const uint8_t xors[] = {0x01, 0x20, 0xff};
	unsigned answered = 0, declined = 0;
	for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
		const struct golden *g = row(names[n]);
		struct dp_pkt_addrs a;
		profile(&a, g);
		for (size_t at = 0; at < g->len; at++) {
			for (size_t x = 0; x < sizeof(xors); x++) {
				uint8_t f[ROOM];
				char what[128];
				memcpy(f, g->frame, g->len);
				f[at] ^= xors[x];
				snprintf(what, sizeof(what), "%s octet %zu ^ %#x", g->name, at,
					 xors[x]);
				// rx 0 (checksums verified here) and the NIC's word for them
				for (unsigned rx = 0; rx < 2; rx++) {
					enum lane r = both(&a, f, g->len, ROOM,
							   rx ? DP_PKT_RX_IP_CSUM_GOOD |
									   DP_PKT_RX_L4_CSUM_GOOD
							      : 0,
							   0, 1500, what);
					answered += r == ANSWERED;
					declined += r != ANSWERED;
				}
			}
		}
	}
	// letter case in the name, the ID and the source port keep it a query
	// the lane answers; checksums, lengths, addresses and ports do not
	cr_assert_gt(answered, 20);
	cr_assert_gt(declined, 200);
}

Test(pkt_fast, truncated_frames_and_a_short_buffer_are_declined_untouched)
{
	const struct golden *g = row("dns_ipv4");
	struct dp_pkt_addrs a;
	profile(&a, g);
	for (size_t len = 0; len < g->len; len++)
		cr_assert_eq(both(&a, g->frame, len, len, 0, 0, 1500, "truncated"), DECLINED_TAKE,
			     "truncated to %zu", len);
	// the whole query, but no room for the answer behind it
	cr_assert_eq(both(&a, g->frame, g->len, g->len, 0, 0, 1500, "no room"), DECLINED_ANSWER);
}

// Lengths that disagree with the frame: longer or shorter IPv4 total
// length, UDP length, IPv6 payload length (each with the checksums
// made right, so only the lie is wrong).
Test(pkt_fast, lying_lengths_are_declined)
{
	for (int v6 = 0; v6 < 2; v6++) {
		const struct golden *g = row(v6 ? "dns_ipv6" : "dns_ipv4");
		struct dp_pkt_addrs a;
		profile(&a, g);
		size_t field[] = {v6 ? 14 + 4 : 14 + 2, 14 + (v6 ? 40 : 20) + 4};
		for (size_t k = 0; k < 2; k++) {
			for (int d = -3; d <= 3; d += 6) {
				uint8_t f[ROOM];
				memcpy(f, g->frame, g->len);
				uint16_t v = (uint16_t)((f[field[k]] << 8 | f[field[k] + 1]) + d);
				f[field[k]] = (uint8_t)(v >> 8);
				f[field[k] + 1] = (uint8_t)v;
				// the NIC vouches for the checksums: only the length lies
				enum lane r = both(&a, f, g->len, ROOM,
						   DP_PKT_RX_IP_CSUM_GOOD | DP_PKT_RX_L4_CSUM_GOOD,
						   0, 1500, "lying length");
				cr_assert_eq(r, DECLINED_TAKE, "v6 %d field %zu %+d", v6, k, d);
			}
		}
	}
}

// A frame for name/type built here (IPv4 or IPv6, optional EDNS with a
// client COOKIE), checksums right. Returns its length.
static size_t query_frame(uint8_t *f, bool v6, const char *name, uint16_t type, bool edns,
			  bool cookie)
{
	size_t l3 = 14, l4 = l3 + (v6 ? 40 : 20), d = l4 + 8, p = d + 12;
	memset(f, 0, ROOM);
	memcpy(f, our_mac, 6);
	memcpy(f + 6, cli_mac, 6);
	f[12] = v6 ? 0x86 : 0x08;
	f[13] = v6 ? 0xdd : 0x00;
	f[d] = 0xbe;
	f[d + 1] = 0xef;
	f[d + 2] = 0x01; // RD
	f[d + 5] = 1;
	f[d + 11] = edns;
	for (const char *s = name; *s;) {
		const char *dot = strchr(s, '.');
		size_t n = dot ? (size_t)(dot - s) : strlen(s);
		f[p++] = (uint8_t)n;
		memcpy(f + p, s, n);
		p += n;
		s += n + (dot != NULL);
	}
	f[p++] = 0;
	f[p++] = (uint8_t)(type >> 8);
	f[p++] = (uint8_t)type;
	f[p++] = 0;
	f[p++] = 1;
	if (edns) {
		f[p] = 0;
		f[p + 2] = 41;
		f[p + 3] = 0x04; // 1232
		f[p + 4] = 0xd0;
		f[p + 10] = cookie ? 12 : 0;
		p += 11;
		if (cookie) {
			static const uint8_t opt[12] = {0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8};
			memcpy(f + p, opt, sizeof(opt));
			p += sizeof(opt);
		}
	}
	size_t ulen = p - l4;
	uint8_t *ip = f + l3, *u = f + l4;
	u[0] = 0x9c;
	u[1] = 0x40;
	u[3] = 53;
	u[4] = (uint8_t)(ulen >> 8);
	u[5] = (uint8_t)ulen;
	uint32_t ph;
	if (v6) {
		ip[0] = 0x60;
		ip[4] = (uint8_t)(ulen >> 8);
		ip[5] = (uint8_t)ulen;
		ip[6] = 17;
		ip[7] = 64;
		memcpy(ip + 8, cli6, 16);
		memcpy(ip + 24, our6, 16);
		ph = ref_sum(0, ip + 8, 32);
	} else {
		test_ipv4_header(ip, our4, ulen);
		ph = ref_sum(0, ip + 12, 8);
	}
	uint16_t c = (uint16_t)~ref_fold(ref_sum(ph + 17 + (uint32_t)ulen, u, ulen));
	u[6] = (uint8_t)(c >> 8);
	u[7] = (uint8_t)c;
	return p;
}

// Names of odd and even length put the template at odd and even offsets
// (the checksum adds its compiled sum byte-swapped or not); mixed case,
// EDNS, cookies on and off; IPv4 and IPv6; negative answers, a referral
// and REFUSED from the pointer-shifting templates.
Test(pkt_fast, template_offsets_case_edns_and_cookies_agree)
{
	static const char *const names[] = {"www.example.com", "WwW.ExAmPlE.CoM",
					    "odd.example.com", "ns1.example.com",
					    "nx.example.com",  "a.b.child.example.com",
					    "example.org",     "x.wild.example.com"};
	static const uint16_t types[] = {1, 28, 16};
	unsigned answered = 0;
	struct dp_pkt_addrs a;
	test_addrs(&a, DP_PKT_VLAN_NONE);
	suffix_answers = 0;
	for (int cookies = 0; cookies < 2; cookies++) {
		cfg.cookies = cookies;
		memset(cfg.cookie_secret, 0x5a, sizeof(cfg.cookie_secret));
		for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++)
			for (size_t t = 0; t < 3; t++)
				for (int mode = 0; mode < 6; mode++) {
					uint8_t f[ROOM];
					size_t len = query_frame(f, mode & 1, names[n], types[t],
								 mode >= 2, mode >= 4);
					answered += both(&a, f, len, ROOM, 0, (mode & 2) ? 1 : 0,
							 1500, names[n]) == ANSWERED;
				}
	}
	cfg.cookies = false;
	// every one, in each of 6 modes, cookies off and on: www and WwW A/AAAA,
	// odd TXT, ns1 A from exact templates; the rest (NODATA, NXDOMAIN, a
	// referral, REFUSED, a wildcard's TXT) from pointer-shifting ones
	cr_assert_eq(answered, 2 * 6 * 8 * 3, "answered %u", answered);
	cr_assert_eq(suffix_answers, 2 * 6 * (8 * 3 - 6), "suffix %u", suffix_answers);
}

// Over the client's limit (512 octets without EDNS, or a small MTU): the
// lane declines and the usual path truncates.
Test(pkt_fast, answers_over_the_limit_go_the_usual_way)
{
	struct dp_pkt_addrs a;
	test_addrs(&a, DP_PKT_VLAN_NONE);
	uint8_t f[ROOM];
	size_t len = query_frame(f, false, "big.example.com", 16, false, false);
	cr_assert_eq(both(&a, f, len, ROOM, 0, 0, 1500, "big, no EDNS"), DECLINED_ANSWER);
	len = query_frame(f, true, "big.example.com", 16, true, false);
	cr_assert_eq(both(&a, f, len, ROOM, 0, 0, 1500, "big, EDNS"), ANSWERED);
	cr_assert_eq(both(&a, f, len, ROOM, 0, 0, 576, "big, small MTU"), DECLINED_ANSWER);
	// no zone image: nothing is taken (the usual path says REFUSED)
	struct dp_pkt_fast fs;
	cr_assert(!dp_pkt_fast_take(&a, NULL, &cfg, f, len, ROOM, 0, &fs));
}
