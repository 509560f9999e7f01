/* SPDX-License-Identifier: BSD-3-Clause */
// Frames made by python3-scapy (tests/data/gen_pkt_golden.py): every frame
// gets the verdict scapy's script names, and every ARP, ND and echo reply
// is byte for byte the frame scapy builds as the expected answer, with its
// checksums verified again here. DNS frames are answered in test_pkt_dns.
#include <criterion/criterion.h>
#include <string.h>

#include <linerate/pkt.h>

#include "pkt_test_util.h"

static void profile(const struct golden *g, struct dp_pkt_addrs *a)
{
	test_addrs(a, strcmp(g->profile, "vlan100") ? DP_PKT_VLAN_NONE : 100);
}

static enum dp_pkt_verdict classify_row(size_t i, unsigned rx_flags)
{
	struct dp_pkt_addrs a;
	struct dp_pkt_info info;
	profile(&rows[i], &a);
	return dp_pkt_classify(&a, rows[i].frame, rows[i].len, rx_flags, &info);
}

Test(pkt_golden, every_frame_gets_the_verdict_scapy_names)
{
	load();
	size_t bad = 0;
	for (size_t i = 0; i < nrows; i++) {
		enum dp_pkt_verdict v = classify_row(i, 0);
		if (strcmp(dp_pkt_verdict_name(v), rows[i].verdict)) {
			cr_log_error("%s: got %s, want %s", rows[i].name, dp_pkt_verdict_name(v),
				     rows[i].verdict);
			bad++;
		}
	}
	cr_assert_eq(bad, 0, "%zu of %zu frames misclassified", bad, nrows);
}

Test(pkt_golden, malformed_set_covers_every_layer)
{
	load();
	size_t drops = 0;
	for (size_t i = 0; i < nrows; i++) {
		if (dp_pkt_is_drop(classify_row(i, 0)))
			drops++;
	}
	cr_assert_geq(drops, 30);
}

Test(pkt_golden, nic_verified_checksums_are_not_summed_again)
{
	load();
	for (size_t i = 0; i < nrows; i++) {
		enum dp_pkt_verdict want = classify_row(i, 0);
		enum dp_pkt_verdict got =
			classify_row(i, DP_PKT_RX_IP_CSUM_GOOD | DP_PKT_RX_L4_CSUM_GOOD);
		if (want == DP_PKT_BAD_CHECKSUM && strstr(rows[i].name, "zero") == NULL)
			cr_expect_neq(got, DP_PKT_BAD_CHECKSUM, "%s", rows[i].name);
		else
			cr_expect_eq(got, want, "%s", rows[i].name);
	}
}

// Classify row g in buf and build its reply with cap octets of room.
static size_t reply_row(const struct golden *g, uint8_t *buf, size_t cap)
{
	struct dp_pkt_addrs a;
	struct dp_pkt_info info;
	profile(g, &a);
	memcpy(buf, g->frame, g->len);
	dp_pkt_classify(&a, buf, g->len, 0, &info);
	return dp_pkt_reply(&a, &info, buf, g->len, cap);
}

Test(pkt_golden, replies_equal_the_frames_scapy_builds)
{
	load();
	size_t n = 0;
	for (size_t i = 0; i < nrows; i++) {
		struct golden *g = &rows[i];
		if (!g->has_reply)
			continue;
		uint8_t buf[2048];
		size_t out = reply_row(g, buf, sizeof(buf));
		cr_assert_eq(out, g->reply_len, "%s: reply %zu octets, scapy %zu", g->name, out,
			     g->reply_len);
		for (size_t k = 0; k < out; k++)
			cr_assert_eq(buf[k], g->reply[k], "%s: octet %zu: %02x, scapy %02x",
				     g->name, k, buf[k], g->reply[k]);
		uint8_t proto;
		check_reply_frame(buf, out, &proto);
		n++;
	}
	cr_assert_geq(n, 12);
}

Test(pkt_golden, no_reply_without_room)
{
	load();
	for (size_t i = 0; i < nrows; i++) {
		struct golden *g = &rows[i];
		if (!g->has_reply || strncmp(g->name, "nd_", 3))
			continue;
		uint8_t buf[2048];
		cr_assert_eq(reply_row(g, buf, g->reply_len - 1), 0, "%s", g->name);
	}
}
