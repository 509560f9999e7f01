/* SPDX-License-Identifier: BSD-3-Clause */
// Per-source storm control (linerate/storm.h) on a simulated clock: a
// source's bucket (burst, refill), a storm in which the chatty sources are
// shed and the quiet ones all pass, the counters and the top list against
// what the test sent, and the table under a flood of new sources.
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include <linerate/storm.h>

static const uint64_t key[2] = {0x0123456789abcdefull, 0xfedcba9876543210ull};

// Source i: 198.51.100.i (i < 256) as dp_storm_map4 gives it, or
// 2001:db8::i (v6).
static void src(uint8_t a[16], unsigned i, bool v6)
{
	if (v6) {
		memset(a, 0, 16);
		a[0] = 0x20, a[1] = 0x01, a[2] = 0x0d, a[3] = 0xb8;
		a[12] = (uint8_t)(i >> 24), a[13] = (uint8_t)(i >> 16);
		a[14] = (uint8_t)(i >> 8), a[15] = (uint8_t)i;
		return;
	}
	const uint8_t v4[4] = {198, 51, 100, (uint8_t)i};
	dp_storm_map4(a, v4);
}

static enum dp_storm_verdict send1(struct dp_storm *s, unsigned i, bool v6, uint64_t now)
{
	uint8_t a[16];
	src(a, i, v6);
	return dp_storm_check(s, a, now);
}

Test(storm, refuses_a_configuration_out_of_range)
{
	const struct dp_storm_cfg ok = {.per_source_rate = 10, .per_source_burst = 5, .sources = 64};
	struct dp_storm_cfg c = ok;
	struct dp_storm *s = dp_storm_new(&c, 1000, key);
	cr_assert_not_null(s);
	dp_storm_free(s);
	dp_storm_free(NULL);
	struct dp_storm_cfg bad[] = {ok, ok, ok, ok, ok, ok};
	bad[0].per_source_rate = 0;
	bad[1].per_source_burst = 0;
	bad[2].sources = DP_STORM_MIN - 1;
	bad[3].sources = DP_STORM_MAX + 1;
	bad[4].global_rate = 100; // without a burst
	bad[5].per_source_rate = 2000; // faster than the clock ticks
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		cr_expect_null(dp_storm_new(&bad[i], 1000, key), "config %zu accepted", i);
		cr_expect_eq(errno, EINVAL, "config %zu: errno %d", i, errno);
	}
}

Test(storm, a_source_gets_its_burst_then_its_rate)
{
	// 10 per second, burst 5, a clock of 1000 ticks a second: 100 ticks
	// a datagram
	const struct dp_storm_cfg c = {.per_source_rate = 10, .per_source_burst = 5, .sources = 64};
	struct dp_storm *s = dp_storm_new(&c, 1000, key);
	cr_assert_not_null(s);
	uint64_t t = 1000000;
	for (int i = 0; i < 5; i++)
		cr_expect_eq(send1(s, 1, false, t), DP_STORM_PASS, "burst datagram %d", i);
	cr_expect_eq(send1(s, 1, false, t), DP_STORM_SHED_SOURCE);
	// another source has its own bucket; the same number in IPv6 too
	cr_expect_eq(send1(s, 2, false, t), DP_STORM_PASS);
	cr_expect_eq(send1(s, 1, true, t), DP_STORM_PASS);
	// one token back after 100 ticks, not before
	cr_expect_eq(send1(s, 1, false, t + 99), DP_STORM_SHED_SOURCE);
	cr_expect_eq(send1(s, 1, false, t + 100), DP_STORM_PASS);
	cr_expect_eq(send1(s, 1, false, t + 100), DP_STORM_SHED_SOURCE);
	// a long quiet time refills the bucket to its burst, no more
	t += 3600 * 1000;
	for (int i = 0; i < 5; i++)
		cr_expect_eq(send1(s, 1, false, t), DP_STORM_PASS, "refilled datagram %d", i);
	cr_expect_eq(send1(s, 1, false, t), DP_STORM_SHED_SOURCE);
	struct dp_storm_stats st;
	dp_storm_get_stats(s, &st);
	cr_expect_eq(st.passed, 13);
	cr_expect_eq(st.shed_source, 4);
	cr_expect_eq(st.shed_global, 0);
	struct dp_storm_top top[DP_STORM_TOP];
	cr_assert_eq(dp_storm_read_top(s, top), 1);
	uint8_t a[16];
	src(a, 1, false);
	cr_expect_arr_eq(top[0].addr, a, 16);
	cr_expect_eq(top[0].shed, 4);
	dp_storm_free(s);
}

#define CHATTY	  5
#define QUIET	  5
#define HZ	  1000000 // ticks a second
#define STEP	  100	  // ticks: each chatty source sends every step (10,000/s)
#define SECONDS	  5
#define QUIET_GAP 5000 // steps between two datagrams of a quiet source (2/s)

// A storm: CHATTY sources at 10,000 datagrams a second each against 100 a
// second per source and a budget of 150 a second for the worker, and
// QUIET sources at 2 a second each. The per-source buckets let 500 a
// second through, three times the budget: the budget sheds, and it sheds
// the chatty sources, never the quiet ones.
Test(storm, sheds_the_chatty_and_passes_every_quiet_datagram)
{
	const struct dp_storm_cfg c = {.per_source_rate = 100,
				       .per_source_burst = 50,
				       .global_rate = 150,
				       .global_burst = 150,
				       .sources = 1024};
	struct dp_storm *s = dp_storm_new(&c, HZ, key);
	cr_assert_not_null(s);
	uint64_t sent[CHATTY + QUIET] = {0}, passed[CHATTY + QUIET] = {0};
	uint64_t shed_src = 0, shed_glob = 0;
	const uint64_t t0 = 7 * HZ;
	for (uint64_t k = 0; k < (uint64_t)SECONDS * HZ / STEP; k++) {
		uint64_t t = t0 + k * STEP;
		for (unsigned i = 0; i < CHATTY + QUIET; i++) {
			if (i >= CHATTY && k % QUIET_GAP != (i - CHATTY) * 1000)
				continue;
			sent[i]++;
			enum dp_storm_verdict v = send1(s, 10 + i, i % 2, t);
			passed[i] += v == DP_STORM_PASS;
			shed_src += v == DP_STORM_SHED_SOURCE;
			shed_glob += v == DP_STORM_SHED_GLOBAL;
		}
	}
	uint64_t chatty_passed = 0, total_sent = 0;
	for (unsigned i = 0; i < CHATTY + QUIET; i++) {
		total_sent += sent[i];
		if (i < CHATTY)
			chatty_passed += passed[i];
		else
			cr_expect_eq(passed[i], sent[i], "quiet source %u: %lu of %lu passed", i,
				     (unsigned long)passed[i], (unsigned long)sent[i]);
	}
	cr_expect_eq(sent[CHATTY], SECONDS * HZ / STEP / QUIET_GAP);
	// the budget is used, not wasted: at least its rate over the run
	// passed, at most that and one burst (the chatty sources leave the
	// burst's room to the quiet ones)
	uint64_t rate = 150 * SECONDS, budget = rate + 150;
	uint64_t all_passed = chatty_passed + QUIET * sent[CHATTY];
	cr_expect_leq(all_passed, budget, "passed %lu, budget %lu", (unsigned long)all_passed,
		      (unsigned long)budget);
	cr_expect_geq(all_passed, rate * 95 / 100, "passed %lu, rate %lu",
		      (unsigned long)all_passed, (unsigned long)rate);
	cr_expect_gt(shed_glob, 0, "the budget shed nothing");
	cr_expect_gt(shed_src, 0, "the sources' buckets shed nothing");
	// the counters say the same
	struct dp_storm_stats st;
	dp_storm_get_stats(s, &st);
	cr_expect_eq(st.passed, all_passed);
	cr_expect_eq(st.shed_source, shed_src);
	cr_expect_eq(st.shed_global, shed_glob);
	cr_expect_eq(st.passed + st.shed_source + st.shed_global, total_sent);
	cr_expect_eq(st.evicted, 0);
	// the top list: the chatty sources and only them, each with what it
	// lost (all listed from their first shed datagram: counted exactly)
	struct dp_storm_top top[DP_STORM_TOP];
	unsigned n = dp_storm_read_top(s, top);
	cr_assert_eq(n, CHATTY);
	uint64_t listed = 0;
	for (unsigned j = 0; j < n; j++) {
		unsigned i = CHATTY;
		for (unsigned k = 0; k < CHATTY; k++) {
			uint8_t a[16];
			src(a, 10 + k, k % 2);
			if (!memcmp(a, top[j].addr, 16))
				i = k;
		}
		cr_assert_lt(i, CHATTY, "listed: not a chatty source");
		cr_expect_eq(top[j].shed, sent[i] - passed[i], "chatty %u: %lu listed, %lu shed", i,
			     (unsigned long)top[j].shed, (unsigned long)(sent[i] - passed[i]));
		cr_expect(j == 0 || top[j - 1].shed >= top[j].shed, "not most shed first");
		listed += top[j].shed;
	}
	cr_expect_eq(listed, shed_src + shed_glob);
	dp_storm_free(s);
}

// Without the worker budget, the same quiet sources pass too, and the
// chatty ones get their own rate: the shedding above is the budget's.
Test(storm, without_a_budget_each_source_gets_its_rate)
{
	const struct dp_storm_cfg c = {.per_source_rate = 100, .per_source_burst = 50, .sources = 64};
	struct dp_storm *s = dp_storm_new(&c, HZ, key);
	cr_assert_not_null(s);
	uint64_t passed = 0;
	for (uint64_t k = 0; k < (uint64_t)SECONDS * HZ / STEP; k++)
		passed += send1(s, 1, false, HZ + k * STEP) == DP_STORM_PASS;
	// 100 a second for 5 seconds, plus the first burst
	cr_expect_geq(passed, 100 * SECONDS + 50 - 1);
	cr_expect_leq(passed, 100 * SECONDS + 50);
	dp_storm_free(s);
}

// A flood of new (spoofed) sources through a 64-entry table: it never
// grows, every one of them is a new source with a full bucket, and the
// chatty source whose bucket is empty is not forgotten for them.
Test(storm, a_flood_of_new_sources_does_not_evict_a_chatty_one)
{
	const struct dp_storm_cfg c = {.per_source_rate = 1, .per_source_burst = 10, .sources = 64};
	struct dp_storm *s = dp_storm_new(&c, 1000, key);
	cr_assert_not_null(s);
	const uint64_t t = 5000;
	for (int i = 0; i < 10; i++)
		cr_assert_eq(send1(s, 1, false, t), DP_STORM_PASS);
	cr_assert_eq(send1(s, 1, false, t), DP_STORM_SHED_SOURCE);
	const unsigned flood = 100000;
	unsigned passed = 0;
	for (unsigned i = 0; i < flood; i++)
		passed += send1(s, 0x10000 + i, true, t + i / 1000) == DP_STORM_PASS;
	cr_expect_eq(passed, flood, "new sources start with a full bucket");
	struct dp_storm_stats st;
	dp_storm_get_stats(s, &st);
	// 64 entries and 100,001 sources: nearly all of them evicted in turn
	cr_expect_geq(st.evicted, flood - 64, "evicted %lu", (unsigned long)st.evicted);
	// still tracked: still shed (a forgotten source would get a new burst)
	cr_expect_eq(send1(s, 1, false, t + flood / 1000), DP_STORM_SHED_SOURCE);
	struct dp_storm_top top[DP_STORM_TOP];
	cr_assert_eq(dp_storm_read_top(s, top), 1);
	cr_expect_eq(top[0].shed, 2);
	dp_storm_free(s);
}

// More sources shed than the list holds: it keeps the most shed ones,
// with exact counts once listed, most shed first.
Test(storm, the_top_list_keeps_the_most_shed_sources)
{
	const struct dp_storm_cfg c = {.per_source_rate = 1, .per_source_burst = 1, .sources = 256};
	struct dp_storm *s = dp_storm_new(&c, 1000, key);
	cr_assert_not_null(s);
	const unsigned n = DP_STORM_TOP + 4;
	for (unsigned i = 0; i < n; i++) {
		cr_assert_eq(send1(s, i, true, 100), DP_STORM_PASS);
		for (unsigned k = 0; k < (i + 1) * 10; k++)
			cr_assert_eq(send1(s, i, true, 100), DP_STORM_SHED_SOURCE);
	}
	struct dp_storm_top top[DP_STORM_TOP];
	cr_assert_eq(dp_storm_read_top(s, top), DP_STORM_TOP);
	for (unsigned j = 0; j < DP_STORM_TOP; j++) {
		unsigned i = n - 1 - j;
		uint8_t a[16];
		src(a, i, true);
		cr_expect_arr_eq(top[j].addr, a, 16, "place %u: not source %u", j, i);
		cr_expect_eq(top[j].shed, (i + 1) * 10, "source %u: %lu", i,
			     (unsigned long)top[j].shed);
	}
	dp_storm_free(s);
}
