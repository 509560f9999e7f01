/* SPDX-License-Identifier: BSD-3-Clause */
// The worker's side of the packet trace (trace.c) and the qtype buckets of
// the stats, without EAL: an SPSC element ring in plain memory, mbufs made
// by hand around frames built here.
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "lr.h"
#include "pkt_test_util.h"
#include "trace.h"

#define RING_SLOTS 4 // usable: 3

// A DNS query for "a." type A, class IN.
static const uint8_t dns_query[] = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0,
				    0,	  0,	1,    'a',  0, 0, 1, 0, 1};

// Ethernet, IPv4 (checksummed), UDP to port 53 (no checksum), the query.
static size_t frame4(uint8_t *f)
{
	uint8_t *ip = f + 14, *u = ip + 20;
	size_t ulen = 8 + sizeof(dns_query);
	memcpy(f, our_mac, 6);
	memcpy(f + 6, cli_mac, 6);
	f[12] = 0x08;
	f[13] = 0x00;
	test_ipv4_header(ip, our4, ulen);
	memset(u, 0, 8);
	u[0] = 0x9c;
	u[1] = 0x40;
	u[3] = 53;
	u[5] = (uint8_t)ulen;
	memcpy(u + 8, dns_query, sizeof(dns_query));
	return 14 + 20 + ulen;
}

struct fixture {
	struct rte_ring *ring;
	struct lr_trace_worker tw;
	struct lr_port_snap ps;
	struct rte_mbuf mb[3];
	struct rte_mbuf *rx[3];
	uint8_t data[3][256];
};

static struct fixture fx;

static void mbuf_wrap(struct rte_mbuf *m, uint8_t *buf, size_t len)
{
	memset(m, 0, sizeof(*m));
	m->buf_addr = buf;
	m->data_off = 0;
	m->data_len = (uint16_t)len;
	m->pkt_len = (uint32_t)len;
	m->nb_segs = 1;
}

static void setup(void)
{
	ssize_t sz = rte_ring_get_memsize_elem(sizeof(struct lr_trace_rec), RING_SLOTS);
	cr_assert_gt(sz, 0);
	fx.ring = aligned_alloc(RTE_CACHE_LINE_SIZE, (size_t)RTE_ALIGN(sz, RTE_CACHE_LINE_SIZE));
	cr_assert_not_null(fx.ring);
	cr_assert_eq(rte_ring_init(fx.ring, "t", RING_SLOTS, RING_F_SP_ENQ | RING_F_SC_DEQ), 0);
	memset(&fx.tw, 0, sizeof(fx.tw));
	fx.tw.ring = fx.ring;
	fx.tw.snaplen = LR_TRACE_SNAP_MAX;
	test_addrs(&fx.ps.addrs, 0);
	// a query, the same cut inside its IPv4 header, one with a wrong
	// IPv4 header checksum
	size_t len = frame4(fx.data[0]);
	mbuf_wrap(&fx.mb[0], fx.data[0], len);
	memcpy(fx.data[1], fx.data[0], len);
	mbuf_wrap(&fx.mb[1], fx.data[1], 14 + 10);
	memcpy(fx.data[2], fx.data[0], len);
	fx.data[2][14 + 10] ^= 0xff;
	mbuf_wrap(&fx.mb[2], fx.data[2], len);
	for (int i = 0; i < 3; i++)
		fx.rx[i] = &fx.mb[i];
}

static void teardown(void)
{
	free(fx.ring);
}

TestSuite(lr_trace, .init = setup, .fini = teardown);

static unsigned drain(struct lr_trace_rec *out, unsigned max)
{
	return rte_ring_sc_dequeue_burst_elem(fx.ring, out, sizeof(*out), max, NULL);
}

Test(lr_trace, keeps_only_the_kinds_asked_for)
{
	struct lr_trace_rec r[4];
	fx.tw.kinds = 1ull << DP_PKT_DNS;
	lr_trace_burst(&fx.tw, &fx.ps, 2, fx.rx, 3);
	cr_assert_eq(drain(r, 4), 1);
	cr_assert_eq(r[0].verdict, DP_PKT_DNS);
	cr_assert_eq(r[0].port, 2);
	cr_assert_eq(r[0].cap_len, fx.mb[0].data_len);
	cr_assert_eq(r[0].orig_len, fx.mb[0].pkt_len);
	cr_assert_eq(memcmp(r[0].data, fx.data[0], r[0].cap_len), 0);
	cr_assert_gt(r[0].ts_ns, 0);
	cr_assert_eq(fx.tw.traced, 1);

	fx.tw.kinds = 1ull << DP_PKT_MALFORMED_L3 | 1ull << DP_PKT_BAD_CHECKSUM;
	lr_trace_burst(&fx.tw, &fx.ps, 0, fx.rx, 3);
	cr_assert_eq(drain(r, 4), 2);
	cr_assert_eq(r[0].verdict, DP_PKT_MALFORMED_L3);
	cr_assert_eq(r[0].cap_len, 24);
	cr_assert_eq(r[1].verdict, DP_PKT_BAD_CHECKSUM);
	cr_assert_eq(fx.tw.ring_full, 0);
}

Test(lr_trace, cuts_at_the_snaplen_and_keeps_the_frame_length)
{
	struct lr_trace_rec r;
	fx.tw.kinds = 1ull << DP_PKT_DNS;
	fx.tw.snaplen = 20;
	lr_trace_burst(&fx.tw, &fx.ps, 0, fx.rx, 1);
	cr_assert_eq(drain(&r, 1), 1);
	cr_assert_eq(r.cap_len, 20);
	cr_assert_eq(r.orig_len, fx.mb[0].pkt_len);
	cr_assert_eq(memcmp(r.data, fx.data[0], 20), 0);
}

Test(lr_trace, a_full_ring_is_counted_not_waited_for)
{
	fx.tw.kinds = ~0ull;
	// 3 usable slots, 6 frames: 3 in, 3 counted as lost
	lr_trace_burst(&fx.tw, &fx.ps, 0, fx.rx, 3);
	lr_trace_burst(&fx.tw, &fx.ps, 0, fx.rx, 3);
	cr_assert_eq(fx.tw.traced, 3);
	cr_assert_eq(fx.tw.ring_full, 3);
	cr_assert_eq(rte_ring_count(fx.ring), 3);
}

Test(lr_trace, the_frames_are_left_as_they_were)
{
	uint8_t copy[3][256];
	memcpy(copy, fx.data, sizeof(copy));
	fx.tw.kinds = ~0ull;
	lr_trace_burst(&fx.tw, &fx.ps, 0, fx.rx, 3);
	cr_assert_eq(memcmp(copy, fx.data, sizeof(copy)), 0);
}

Test(lr_stats, qtype_buckets_name_the_common_types_and_lump_the_rest)
{
	static const struct {
		uint16_t type;
		const char *name;
	} cases[] = {{1, "A"},		 {2, "NS"},	      {5, "CNAME"},
		     {6, "SOA"},	 {12, "PTR"},	      {15, "MX"},
		     {16, "TXT"},	 {28, "AAAA"},	      {33, "SRV"},
		     {43, "DS"},	 {48, "DNSKEY"},      {255, "ANY"},
		     {0, "other"},	 {3, "other"},	      {257, "other"},
		     {256 + 1, "other"}, {256 + 28, "other"}, {65535, "other"},
		     {32768, "other"}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_assert_str_eq(lr_qtype_name(lr_qtype_bucket(cases[i].type)), cases[i].name,
				 "type %u", cases[i].type);
	cr_assert_str_eq(lr_qtype_name(LR_QTYPE_COUNT), "?");
}

Test(lr_stats, zone_buckets_keep_the_none_apart)
{
	cr_assert_eq(lr_zone_bucket(0), 0);
	cr_assert_eq(lr_zone_bucket(LR_MAX_ZONES - 1), LR_MAX_ZONES - 1);
	cr_assert_eq(lr_zone_bucket(LR_MAX_ZONES), LR_MAX_ZONES);
	cr_assert_eq(lr_zone_bucket(UINT32_MAX), LR_MAX_ZONES);
}
