/* SPDX-License-Identifier: BSD-3-Clause */
// trap-fastpath: traps per second per core through linerated's worker
// step on a net_ring port (ring_port.h: lr_poll → lr_process_burst →
// lr_trap_process, the code the daemon runs), each accepted trap encoded
// as a trap record into a slot and enqueued on the worker's SPSC ring to
// the journal thread. Here the journal thread is played after each round,
// outside the timing: the records are dequeued and their slots put back,
// so the ring never fills, and counted.
// Sets: linkDown SNMPv2-Traps (7 varbinds) in v2c from 1,000 agents
// (198.51.100.0/24 and 192.0.2.0/24 sources), and the same traps in v3
// authPriv (SHA-256 + AES-128), each agent its own engine and user, so
// nearly every message re-keys AES; then v2c again with storm control on
// (limits not reached: its cost only). Frames out of the cache as DMA
// leaves them.
// Issue #6 targets per worker core: v2c ≥ 5 M/s, v3 authPriv ≥ 1 M/s.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_eal.h>
#include <rte_malloc.h>
#include <rte_mempool.h>

#include "bench.h"
#include "lr.h"
#include "ring_port.h"
#include "trap.h"
#include "udp_frame.h"
#include "usm_agents.h"

#define AGENTS	   1000 // TRAP_AGENTS=N: the messages from the first N only
#define NFRAMES	   1024
#define FRAME_MAX  512
#define SECONDS	   2.0
#define AGENT_TIME 1000 // the agents' snmpEngineTime in their messages
#define TARGET_V2C 5.0
#define TARGET_V3  1.0

static const uint8_t our_mac[6] = {0x02, 0, 0, 0, 0, 0x62};
static const uint8_t their_mac[6] = {0x02, 0, 0, 0, 0, 0x02};
static const uint8_t our4[4] = {192, 0, 2, 162};
static const uint8_t our_engine[] = {0x80, 0, 0x1f, 0x88, 4, 'l', 'r', 'b'};

struct frames {
	uint8_t f[NFRAMES][FRAME_MAX];
	uint16_t len[NFRAMES];
	size_t payload; // octets of SNMP message, in all
};

static void die(const char *what, int rc)
{
	fprintf(stderr, "trap-fastpath: %s (%d)\n", what, rc);
	exit(1);
}

// Frame j from agent i: its message (built by msg) in UDP to our port 162.
static void make_set(struct frames *fr, struct usm_ctx *tx, const struct usm_table *t, bool v3,
		     int agents)
{
	fr->payload = 0;
	for (int j = 0; j < NFRAMES; j++) {
		int i = j * 997 % agents;
		uint8_t src[4] = {i % 2 ? 198 : 192, i % 2 ? 51 : 0, i % 2 ? 100 : 2,
				  (uint8_t)(1 + i / 2 % 250)};
		const struct udp_ends e = {.dst_mac = our_mac,
					   .src_mac = their_mac,
					   .src = src,
					   .dst = our4,
					   .sport = (uint16_t)(20000 + i),
					   .dport = 162};
		uint8_t *p = fr->f[j] + udp_payload_off(&e);
		size_t cap = FRAME_MAX - udp_payload_off(&e);
		int n = v3 ? agent_v3_trap(tx, t, i, j, AGENT_TIME, p, cap)
			   : agent_v2c_trap(j, p, cap);
		if (n < 0)
			die("building a trap", n);
		fr->len[j] = udp_frame(fr->f[j], &e, (uint16_t)n);
		fr->payload += (size_t)n;
	}
}

// The worker's trap stage as lr_traps_start makes it (trap_journal.c),
// without the journal behind it.
static struct lr_trap_worker *trap_worker(void)
{
	struct lr_trap_worker *t = rte_zmalloc("bench_trap", sizeof(*t), RTE_CACHE_LINE_SIZE);
	if (!t)
		die("trap worker", -1);
	t->usm = usm_ctx_new(1024); // as the daemon sizes it
	// snmp.record_slots and snmp.big_record_slots at their defaults
	if (!t->usm || lr_trap_slots_new(t, "bench", 0, 16383, 255) < 0)
		die("trap worker rings", -1);
	return t;
}

struct journal {
	struct lr_trap_worker *t;
	unsigned long long records, octets;
};

// The journal thread's part: every record off the ring, its slot back.
static void drain(void *arg)
{
	struct journal *j = arg;
	struct lr_trap_slot *s[64];
	unsigned n;
	while ((n = rte_ring_sc_dequeue_burst(j->t->records, (void **)s, 64, NULL)) > 0) {
		for (unsigned i = 0; i < n; i++)
			j->octets += s[i]->len;
		j->records += n;
		lr_trap_slots_put(j->t, s, n);
	}
}

static double run(const struct ring_port *rp, const struct frames *fr, struct lr_worker *w,
		  const char *what)
{
	const struct ring_frames rf = {fr->f[0], sizeof(fr->f[0]), fr->len, NFRAMES};
	struct journal j = {.t = w->trap};
	struct ring_result r;
	memset(&w->trap_stats, 0, sizeof(w->trap_stats));
	if (!ring_port_run(rp, &rf, w, SECONDS, drain, &j, &r))
		die("mbuf pool ran dry", -1);
	unsigned long long got = 0, dropped = 0;
	for (int v = 0; v < LR_SNMP_VER_COUNT; v++)
		got += w->trap_stats.traps[v];
	for (int d = 0; d < LR_TRAP_DROP_COUNT; d++)
		dropped += w->trap_stats.drops[d];
	printf("trap-fastpath: %-40s %5.2f M traps/s worker (%.0f cycles a trap at %.2f GHz TSC); "
	       "%.2f M/s with the NIC's part; %zu-octet messages; %llu records (%.0f octets "
	       "each) of %llu traps, %llu dropped\n",
	       what, r.worker_mps, r.cycles, (double)rte_get_tsc_hz() / 1e9, r.total_mps,
	       fr->payload / NFRAMES, j.records, j.records ? (double)j.octets / j.records : 0.0,
	       r.n, dropped);
	if (got != r.n || j.records != r.n || dropped)
		die("not every trap became a record", (int)dropped);
	return r.worker_mps;
}

int main(int argc, char **argv)
{
	if (rte_eal_init(argc, argv) < 0)
		die("EAL init failed", -1);
	static struct ring_port rp;
	if (ring_port_open(&rp) != 0)
		die("ring port", -1);
	int rc;
	struct usm_table *users = agent_table(AGENTS, &rc);
	struct usm_ctx *tx = usm_ctx_new(16);
	if (!users || !tx)
		die("agents' users", rc);
	// TRAP_AGENTS=1: every v3 message from one user, so AES is never
	// re-keyed (what a per-worker cache of keyed contexts would gain at best)
	const char *na = getenv("TRAP_AGENTS");
	int agents = na && atoi(na) > 0 && atoi(na) <= AGENTS ? atoi(na) : AGENTS;
	static struct frames v2c, v3;
	make_set(&v2c, tx, users, false, agents);
	make_set(&v3, tx, users, true, agents);

	static struct lr_snapshot snap;
	snap.nports = 1;
	dp_pkt_addrs_init(&snap.port[0].addrs, our_mac);
	dp_pkt_addrs_add4(&snap.port[0].addrs, our4);
	snap.port[0].addrs.snmp_port = 162;
	snap.port[0].mtu = 1500;
	struct lr_trap_snap *ts = &snap.trap;
	ts->enabled = true;
	ts->port = 162;
	ts->n_communities = 1;
	ts->community[0].len = 6;
	memcpy(ts->community[0].s, "public", 6);
	atomic_store(&lr_trap_users, users); // as usm_keys.c publishes the table
	memcpy(ts->local.engine_id, our_engine, sizeof(our_engine));
	ts->local.engine_len = sizeof(our_engine);
	ts->local.boots = 1;
	ts->local.time_base = (uint64_t)time(NULL);
	ts->local.window = 150;
	atomic_store(&lr.snap, &snap);
	atomic_store(&lr.now, (uint32_t)time(NULL));

	static struct lr_worker w;
	w.npolled = 1;
	w.polled[0] = (struct lr_polled){.port_id = rp.port, .index = 0};
	w.trap = trap_worker();
	// TRAP_SET=v2c|v3|storm: one run only (profiling)
	const char *only = getenv("TRAP_SET");
	double a = 0, b = 0;
	if (!only || !strcmp(only, "v2c"))
		a = run(&rp, &v2c, &w, "v2c SNMPv2-Trap, frames in memory");
	if (!only || !strcmp(only, "v3")) {
		run(&rp, &v3, &w, "v3 authPriv, warm-up (engine times)");
		b = run(&rp, &v3, &w, "v3 authPriv SHA-256+AES-128, in memory");
	}
	if (!only || !strcmp(only, "storm")) {
		const struct dp_storm_cfg sc = {.per_source_rate = DP_STORM_RATE_MAX,
						.per_source_burst = DP_STORM_BURST_MAX,
						.sources = 4096};
		const uint64_t key[2] = {1, 2};
		w.trap->storm = dp_storm_new(&sc, rte_get_tsc_hz(), key);
		if (!w.trap->storm)
			die("storm table", -1);
		run(&rp, &v2c, &w, "v2c, storm control on (nothing shed)");
		dp_storm_free(w.trap->storm);
		w.trap->storm = NULL;
	}
	printf("trap-fastpath: v2c %.2f M traps/s (target %.0f, ratio %.2f); v3 authPriv %.2f M "
	       "traps/s (target %.0f, ratio %.2f), per worker core\n",
	       a, TARGET_V2C, a / TARGET_V2C, b, TARGET_V3, b / TARGET_V3);
	printf("trap-fastpath: %.2f M traps/s\n", b);
	usm_table_free(users);
	usm_ctx_free(tx);
	rte_eal_cleanup();
	return 0;
}
