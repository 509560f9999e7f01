/* SPDX-License-Identifier: BSD-3-Clause */
// The DNS stage over scapy's query frames: one burst answers them all; each
// reply carries exactly what dns_answer() says for the same message, goes
// back to the sender (MACs, addresses, ports swapped, VLAN tag kept) and
// passes a receiver's checks with checksums computed here.
#include <criterion/criterion.h>
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
			   "www A 192.0.2.11\n" PKT_TEST_BIG_TXT;

PKT_TEST_DNS_SUITE(pkt_dns, zone);

#define ROOM 2048
#define NOW  1700000000u

// Classify row g into job j (buffer buf) and compute what dns_answer() says
// for its DNS message alone into want.
static size_t prepare(const struct golden *g, struct dp_pkt_addrs *a, struct dp_pkt_dns_job *j,
		      uint8_t *buf, uint8_t *want)
{
	test_addrs(a, strcmp(g->profile, "vlan100") ? DP_PKT_VLAN_NONE : 100);
	memcpy(buf, g->frame, g->len);
	memset(j, 0, sizeof(*j));
	j->buf = buf;
	j->len = g->len;
	j->cap = ROOM;
	cr_assert_eq(dp_pkt_classify(a, buf, g->len, 0, &j->info), DP_PKT_DNS, "%s", g->name);
	struct dns_answer_client cl = {
		.transport = DNS_TRANSPORT_UDP, .family = j->info.family, .now = NOW};
	const uint8_t *ip = buf + j->info.l3_off;
	memcpy(cl.addr, j->info.family == 4 ? ip + 12 : ip + 8, j->info.family == 4 ? 4 : 16);
	memcpy(want, buf + j->info.payload_off, j->info.payload_len);
	struct dns_answer_info ai;
	size_t hdr = j->info.family == 4 ? 20 : 40;
	size_t cap = ROOM - (j->info.l3_off + hdr + 8);
	if (cap > 1500 - hdr - 8)
		cap = 1500 - hdr - 8;
	return dns_answer(img, &cfg, &cl, want, j->info.payload_len, cap, &ai);
}

// The reply goes back where the query came from.
static void check_turned(const struct golden *g, const uint8_t *r, size_t len)
{
	const uint8_t *q = g->frame;
	uint8_t proto;
	size_t l4 = check_reply_frame(r, len, &proto);
	cr_assert_eq(proto, 17);
	cr_assert(!memcmp(r, q + 6, 6), "%s: Ethernet destination is the sender", g->name);
	cr_assert(!memcmp(r + 6, our_mac, 6));
	cr_assert(!memcmp(r + 12, q + 12, r[12] == 0x81 ? 6 : 2), "%s: VLAN tag and type kept",
		  g->name);
	size_t l3 = r[12] == 0x81 ? 18 : 14;
	if (r[l3] >> 4 == 4) {
		cr_assert(!memcmp(r + l3 + 12, q + l3 + 16, 4) &&
			  !memcmp(r + l3 + 16, q + l3 + 12, 4));
		cr_assert_eq(r[l3 + 8], 64);
	} else {
		cr_assert(!memcmp(r + l3 + 8, q + l3 + 24, 16) &&
			  !memcmp(r + l3 + 24, q + l3 + 8, 16));
		cr_assert_eq(r[l3 + 7], 64);
	}
	struct dp_pkt_info qi;
	struct dp_pkt_addrs a;
	test_addrs(&a, strcmp(g->profile, "vlan100") ? DP_PKT_VLAN_NONE : 100);
	dp_pkt_classify(&a, q, g->len, 0, &qi);
	cr_assert(!memcmp(r + l4, q + qi.l4_off + 2, 2) && !memcmp(r + l4 + 2, q + qi.l4_off, 2),
		  "%s: ports swapped", g->name);
}

Test(pkt_dns, one_burst_answers_every_golden_query_as_dns_answer_does)
{
	static uint8_t bufs[DNS_ANSWER_BURST_MAX][ROOM], want[DNS_ANSWER_BURST_MAX][ROOM];
	struct dp_pkt_dns_job jobs[DNS_ANSWER_BURST_MAX];
	size_t wlen[DNS_ANSWER_BURST_MAX];
	const struct golden *g[DNS_ANSWER_BURST_MAX];
	struct dp_pkt_addrs a[DNS_ANSWER_BURST_MAX];
	unsigned n = 0;
	for (size_t i = 0; i < nrows && n < DNS_ANSWER_BURST_MAX; i++) {
		if (strcmp(rows[i].verdict, "dns"))
			continue;
		g[n] = &rows[i];
		wlen[n] = prepare(&rows[i], &a[n], &jobs[n], bufs[n], want[n]);
		cr_assert_gt(wlen[n], 0);
		n++;
	}
	cr_assert_geq(n, 8);
	// one address profile per burst in the worker; here both profiles have
	// the same addresses and differ only in VLAN, which the stage never reads
	cr_assert_eq(dp_pkt_dns_burst(&a[0], img, &cfg, NOW, 1500, 0, jobs, n), n);
	for (unsigned k = 0; k < n; k++) {
		check_turned(g[k], bufs[k], jobs[k].out);
		size_t dns = jobs[k].l2_len + jobs[k].l3_len + 8;
		cr_assert_eq(jobs[k].out - dns, wlen[k], "%s: DNS length", g[k]->name);
		cr_assert(!memcmp(bufs[k] + dns, want[k], wlen[k]), "%s: DNS bytes", g[k]->name);
		cr_assert_eq(jobs[k].l3_len, jobs[k].info.family == 4 ? 20 : 40);
	}
}

Test(pkt_dns, offload_leaves_the_pseudo_header_sum_dpdk_expects)
{
	static uint8_t buf[ROOM], want[ROOM];
	struct dp_pkt_dns_job j;
	struct dp_pkt_addrs a;
	unsigned seen = 0;
	for (size_t i = 0; i < nrows; i++) {
		if (strcmp(rows[i].verdict, "dns"))
			continue;
		prepare(&rows[i], &a, &j, buf, want);
		cr_assert_eq(
			dp_pkt_dns_burst(&a, img, &cfg, NOW, 1500, DP_PKT_TX_CSUM_OFFLOAD, &j, 1),
			1);
		uint8_t *ip = buf + j.l2_len, *u = ip + j.l3_len;
		size_t l4len = j.out - j.l2_len - j.l3_len;
		uint32_t ph;
		if (j.info.family == 4) {
			cr_assert_eq(ip[10] | ip[11], 0, "IPv4 checksum left to the NIC");
			ph = ref_sum(0, ip + 12, 8) + 17 + (uint32_t)l4len;
			// what the NIC does: RTE_MBUF_F_TX_IP_CKSUM
			uint16_t c = (uint16_t)~ref_fold(ref_sum(0, ip, 20));
			ip[10] = (uint8_t)(c >> 8);
			ip[11] = (uint8_t)c;
		} else {
			ph = ref_sum(0, ip + 8, 32) + 17 + (uint32_t)l4len;
		}
		uint16_t field = (uint16_t)(u[6] << 8 | u[7]);
		cr_assert_eq(field, ref_fold(ph), "%s: pseudo-header sum, not inverted",
			     rows[i].name);
		// RTE_MBUF_F_TX_UDP_CKSUM: the NIC sums from the field as it is
		uint16_t c = (uint16_t)~ref_fold(ref_sum(0, u, l4len));
		u[6] = (uint8_t)(c >> 8);
		u[7] = (uint8_t)c;
		uint8_t proto;
		check_reply_frame(buf, j.out, &proto);
		seen++;
	}
	cr_assert_geq(seen, 8);
}

Test(pkt_dns, a_small_mtu_truncates_the_answer_instead_of_fragmenting)
{
	static uint8_t buf[ROOM], want[ROOM];
	struct dp_pkt_dns_job j;
	struct dp_pkt_addrs a;
	const struct golden *g = NULL;
	for (size_t i = 0; i < nrows; i++)
		if (!strcmp(rows[i].name, "dns_ipv4_edns_big_answer"))
			g = &rows[i];
	cr_assert_not_null(g);
	// EDNS 4096 and nine TXT records of 71 octets: more than 576, less than 1500
	prepare(g, &a, &j, buf, want);
	cr_assert_eq(dp_pkt_dns_burst(&a, img, &cfg, NOW, 576, 0, &j, 1), 1);
	cr_assert_leq(j.out - j.l2_len, 576);
	cr_assert(j.answer.truncated);
	cr_assert(buf[j.l2_len + 28 + 2] & 0x02, "TC set");
	uint8_t proto;
	check_reply_frame(buf, j.out, &proto);
	prepare(g, &a, &j, buf, want);
	cr_assert_eq(dp_pkt_dns_burst(&a, img, &cfg, NOW, 1500, 0, &j, 1), 1);
	cr_assert_not(j.answer.truncated);
	cr_assert_gt(j.out - j.l2_len, 576);
	check_reply_frame(buf, j.out, &proto);
}

Test(pkt_dns, jobs_that_are_not_dns_queries_get_no_reply)
{
	static uint8_t buf[3][ROOM], want[ROOM];
	struct dp_pkt_dns_job j[3];
	struct dp_pkt_addrs a;
	const struct golden *g = NULL;
	for (size_t i = 0; i < nrows; i++)
		if (!strcmp(rows[i].name, "dns_ipv6"))
			g = &rows[i];
	cr_assert_not_null(g);
	for (int k = 0; k < 3; k++)
		prepare(g, &a, &j[k], buf[k], want);
	j[0].info.verdict = DP_PKT_ICMP_ECHO;
	j[2].len = j[2].cap + 1;
	cr_assert_eq(dp_pkt_dns_burst(&a, img, &cfg, NOW, 1500, 0, j, 3), 1);
	cr_assert_eq(j[0].out, 0);
	cr_assert_gt(j[1].out, 0);
	cr_assert_eq(j[2].out, 0);
	cr_assert(!memcmp(buf[0], g->frame, g->len), "a refused job's frame is untouched");
}

Test(pkt_dns, no_zone_image_answers_refused)
{
	static uint8_t buf[ROOM], want[ROOM];
	struct dp_pkt_dns_job j;
	struct dp_pkt_addrs a;
	for (size_t i = 0; i < nrows; i++) {
		if (strcmp(rows[i].name, "dns_ipv4"))
			continue;
		prepare(&rows[i], &a, &j, buf, want);
		cr_assert_eq(dp_pkt_dns_burst(&a, NULL, &cfg, NOW, 1500, 0, &j, 1), 1);
		cr_assert_eq(j.answer.rcode, 5);
		cr_assert_eq(buf[j.l2_len + 28 + 3] & 0xf, 5, "REFUSED on the wire");
		return;
	}
	cr_assert_fail("no dns_ipv4 row");
}
