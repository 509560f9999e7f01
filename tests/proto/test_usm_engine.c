/* SPDX-License-Identifier: BSD-3-Clause */
// Engine IDs (RFC 3411 §5) and timeliness (RFC 3414 §3.2 step 7) on the
// authoritative side (our clock) and the non-authoritative side (the cache
// of remote engines).
#include "usm_test_util.h"

struct seen_acc {
	struct usm_engine_seen *v;
	size_t *n;
};

static void seen_one(void *arg, const struct usm_engine_seen *e)
{
	struct seen_acc *a = arg;
	if (*a->n < 2)
		a->v[*a->n] = *e;
	(*a->n)++;
}

Test(usm_engine, id_length_and_value_rules)
{
	uint8_t id[33];
	memset(id, 0x80, sizeof(id));
	cr_assert_eq(usm_engine_id_check(id, 0), USM_EENGINE_LEN);
	cr_assert_eq(usm_engine_id_check(id, 4), USM_EENGINE_LEN);
	cr_assert_eq(usm_engine_id_check(id, 5), 0);
	cr_assert_eq(usm_engine_id_check(id, 32), 0);
	cr_assert_eq(usm_engine_id_check(id, 33), USM_EENGINE_LEN);
	memset(id, 0, sizeof(id));
	cr_assert_eq(usm_engine_id_check(id, 12), USM_EENGINE_VALUE);
	id[11] = 2; // RFC 3414 A.3's engine is fine
	cr_assert_eq(usm_engine_id_check(id, 12), 0);
	memset(id, 0xff, sizeof(id));
	cr_assert_eq(usm_engine_id_check(id, 8), USM_EENGINE_VALUE);
}

Test(usm_engine, build_each_format)
{
	uint8_t out[USM_ENGINE_ID_MAX], want[USM_ENGINE_ID_MAX];
	// net-snmp's enterprise 8072, IPv4 192.0.2.1
	cr_assert_eq(usm_engine_id_build(8072, USM_ENGINE_FMT_IPV4, "\xc0\x00\x02\x01", 4, out), 9);
	cr_assert_arr_eq(out, want, unhex("80001f88 01 c0000201", want, sizeof(want)));
	cr_assert_eq(usm_engine_id_build(9, USM_ENGINE_FMT_MAC, "\x00\xc0\xff\xee\x00\x01", 6, out),
		     11);
	cr_assert_arr_eq(out, want, unhex("80000009 03 00c0ffee0001", want, sizeof(want)));
	cr_assert_eq(usm_engine_id_build(9, USM_ENGINE_FMT_TEXT, "linerate", 8, out), 13);
	cr_assert_arr_eq(out, "\x80\x00\x00\x09\x04linerate", 13);
	uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
	cr_assert_eq(usm_engine_id_build(9, USM_ENGINE_FMT_IPV6, v6, 16, out), 21);
	cr_assert_eq(out[4], 2);
	char text[28];
	memset(text, 't', sizeof(text));
	cr_assert_eq(usm_engine_id_build(9, USM_ENGINE_FMT_OCTETS, text, 27, out), 32);
	cr_assert_eq(usm_engine_id_check(out, 32), 0);
	// wrong sizes for the format, and what is not a format
	cr_assert_eq(usm_engine_id_build(9, USM_ENGINE_FMT_TEXT, text, 28, out),
		     USM_EENGINE_FORMAT);
	cr_assert_eq(usm_engine_id_build(9, USM_ENGINE_FMT_TEXT, text, 0, out), USM_EENGINE_FORMAT);
	cr_assert_eq(usm_engine_id_build(9, USM_ENGINE_FMT_MAC, text, 5, out), USM_EENGINE_FORMAT);
	cr_assert_eq(usm_engine_id_build(9, USM_ENGINE_FMT_IPV4, text, 16, out),
		     USM_EENGINE_FORMAT);
	cr_assert_eq(usm_engine_id_build(9, 0, text, 4, out), USM_EINVAL);
	cr_assert_eq(usm_engine_id_build(9, 6, text, 4, out), USM_EINVAL);
	cr_assert_eq(usm_engine_id_build(0x80000000u, USM_ENGINE_FMT_TEXT, text, 4, out),
		     USM_EINVAL);
}

// RFC 3414 §3.2 step 7a: we are authoritative (an inform to us)
Test(usm_engine, local_time_window)
{
	struct usm_local l = {.boots = 3, .time_base = 1000};
	uint64_t now = 1000 + 500; // our snmpEngineTime is 500
	cr_assert_eq(usm_local_time(&l, now), 500);
	cr_assert_eq(usm_local_time(&l, 10), 0);
	cr_assert_eq(usm_time_check_local(&l, now, 3, 500), 0);
	cr_assert_eq(usm_time_check_local(&l, now, 3, 350), 0);
	cr_assert_eq(usm_time_check_local(&l, now, 3, 650), 0);
	cr_assert_eq(usm_time_check_local(&l, now, 3, 349), USM_ETIME);
	cr_assert_eq(usm_time_check_local(&l, now, 3, 651), USM_ETIME);
	cr_assert_eq(usm_time_check_local(&l, now, 2, 500), USM_EBOOTS);
	cr_assert_eq(usm_time_check_local(&l, now, 4, 500), USM_EBOOTS);
	cr_assert_eq(usm_time_check_local(&l, now, 0, 0), USM_EBOOTS); // time discovery
	l.window = 10;
	cr_assert_eq(usm_time_check_local(&l, now, 3, 510), 0);
	cr_assert_eq(usm_time_check_local(&l, now, 3, 511), USM_ETIME);
	l.boots = USM_BOOTS_MAX;
	cr_assert_eq(usm_time_check_local(&l, now, USM_BOOTS_MAX, 500), USM_EBOOTS_LATCHED);
	// snmpEngineTime holds at 2^31-1
	l.time_base = 0;
	cr_assert_eq(usm_local_time(&l, (uint64_t)1 << 40), USM_TIME_MAX);
}

static const uint8_t agent[] = {0x80, 0, 0x1f, 0x88, 4, 'a', 'g', 'e', 'n', 't'};

// RFC 3414 §3.2 step 7b: traps from an agent that is authoritative
Test(usm_engine, remote_time_window)
{
	struct usm_engine_cache *c = usm_engine_cache_new(16);
	cr_assert_not_null(c);
	const size_t n = sizeof(agent);
	// the first authentic message sets what we know: boots 5, time 1000 at now 0
	cr_assert_eq(usm_time_check_remote(c, agent, n, 5, 1000, 0, 0), 0);
	// 100 s later the agent's clock reads 1100; 950 is in the window
	cr_assert_eq(usm_time_check_remote(c, agent, n, 5, 950, 100, 0), 0);
	cr_assert_eq(usm_time_check_remote(c, agent, n, 5, 950, 100, 0), 0, "replay in window");
	cr_assert_eq(usm_time_check_remote(c, agent, n, 5, 949, 100, 0), USM_ETIME);
	// a newer time moves latestReceivedEngineTime and snmpEngineTime
	cr_assert_eq(usm_time_check_remote(c, agent, n, 5, 2000, 100, 0), 0);
	cr_assert_eq(usm_time_check_remote(c, agent, n, 5, 1849, 100, 0), USM_ETIME);
	cr_assert_eq(usm_time_check_remote(c, agent, n, 5, 1850, 100, 0), 0);
	// an older time does not roll it back
	cr_assert_eq(usm_time_check_remote(c, agent, n, 5, 1849, 100, 0), USM_ETIME);
	// older boots are stale whatever the time
	cr_assert_eq(usm_time_check_remote(c, agent, n, 4, 5000, 100, 0), USM_EBOOTS);
	// a reboot (more boots) is taken, time restarts
	cr_assert_eq(usm_time_check_remote(c, agent, n, 6, 3, 200, 0), 0);
	cr_assert_eq(usm_time_check_remote(c, agent, n, 5, 2100, 200, 0), USM_EBOOTS);
	// a configurable window
	cr_assert_eq(usm_time_check_remote(c, agent, n, 6, 100, 300, 10), 0); // theirs: 103
	cr_assert_eq(usm_time_check_remote(c, agent, n, 6, 89, 300, 10), USM_ETIME);
	// latched boots: no window at all
	cr_assert_eq(usm_time_check_remote(c, agent, n, USM_BOOTS_MAX, 1, 300, 0),
		     USM_EBOOTS_LATCHED);
	cr_assert_eq(usm_time_check_remote(c, agent, 4, 1, 1, 300, 0), USM_EENGINE_LEN);
	usm_engine_cache_free(c);
}

// `usm engine add`: a declared engine's boots and time are what its
// messages are checked against at once, before any authentic message.
Test(usm_engine, declared_engine_checked_at_once)
{
	struct usm_engine_cache *c = usm_engine_cache_new(16);
	cr_assert_not_null(c);
	const size_t n = sizeof(agent);
	cr_assert_eq(usm_engine_cache_set(c, agent, n, 50, 1000, 10), 0);
	// without the declaration boots 5 would be taken as it says
	cr_assert_eq(usm_time_check_remote(c, agent, n, 5, 1000, 20, 0), USM_EBOOTS);
	// the declared clock runs on: at 20 its time is 1010, 859 is out
	cr_assert_eq(usm_time_check_remote(c, agent, n, 50, 859, 20, 0), USM_ETIME);
	cr_assert_eq(usm_time_check_remote(c, agent, n, 50, 860, 20, 0), 0);
	// a learned notion is replaced, lower boots included (the operator's say)
	cr_assert_eq(usm_time_check_remote(c, agent, n, 60, 5, 30, 0), 0);
	cr_assert_eq(usm_engine_cache_set(c, agent, n, 5, 1000, 30), 0);
	cr_assert_eq(usm_time_check_remote(c, agent, n, 5, 1000, 30, 0), 0);
	cr_assert_eq(usm_time_check_remote(c, agent, n, 4, 1000, 30, 0), USM_EBOOTS);
	cr_assert_eq(usm_engine_cache_set(c, agent, 4, 1, 1, 30), USM_EENGINE_LEN);
	cr_assert_eq(usm_engine_cache_set(c, agent, USM_ENGINE_ID_MAX + 1, 1, 1, 30),
		     USM_EENGINE_LEN);
	usm_engine_cache_free(c);
}

// The same through a worker's ctx, as `usm cache show` sees it.
Test(usm_engine, ctx_engine_set_shows_in_walk)
{
	struct usm_ctx *ctx = usm_ctx_new(16);
	cr_assert_not_null(ctx);
	cr_assert_eq(usm_ctx_engine_set(ctx, agent, sizeof(agent), 7, 100, 42), 0);
	struct usm_engine_seen seen[2];
	size_t ns = 0;
	usm_ctx_engines_walk(ctx, seen_one, &(struct seen_acc){seen, &ns});
	cr_assert_eq(ns, 1);
	cr_assert_eq(seen[0].engine_len, sizeof(agent));
	cr_assert_arr_eq(seen[0].engine_id, agent, sizeof(agent));
	cr_assert_eq(seen[0].boots, 7);
	cr_assert_eq(seen[0].time, 100);
	cr_assert_eq(seen[0].at, 42);
	usm_ctx_engines_clear(ctx);
	ns = 0;
	usm_ctx_engines_walk(ctx, seen_one, &(struct seen_acc){seen, &ns});
	cr_assert_eq(ns, 0);
	usm_ctx_free(ctx);
}

// More engines than slots: old ones are forgotten (and relearnt), the
// latest keep their state, nothing overflows.
Test(usm_engine, remote_cache_replaces_when_full)
{
	struct usm_engine_cache *c = usm_engine_cache_new(16);
	uint8_t id[8] = {0x80, 0, 0, 9, 5};
	for (uint32_t i = 0; i < 1000; i++) {
		memcpy(id + 5, &i, 3);
		cr_assert_eq(usm_time_check_remote(c, id, 8, 7, 100, i, 0), 0);
	}
	// the last engine is still known: older boots refused
	uint32_t last = 999;
	memcpy(id + 5, &last, 3);
	cr_assert_eq(usm_time_check_remote(c, id, 8, 6, 100, 1000, 0), USM_EBOOTS);
	usm_engine_cache_free(c);
	cr_assert_null(usm_engine_cache_new((size_t)1 << 50));
	usm_engine_cache_free(NULL);
}
