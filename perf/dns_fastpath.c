/* SPDX-License-Identifier: BSD-3-Clause */
// dns-fastpath: queries per second per core through linerated's worker
// step (lr_poll: rx_burst, prefetch, lr_process_burst, tx_burst) on a
// net_ring port, on one lcore. Each round of 32 plays the NIC first: mbufs
// from the pool, pre-built query frames written into them, flushed from
// the cache as DMA would leave them (no DDIO; a second run keeps them
// cached), enqueued on the port's RX ring. Then the worker's part is timed
// with the TSC: lr_poll, and freeing the sent replies (a real driver frees
// completed TX mbufs inside tx_burst). The median round is the figure,
// robust to a shared core; the wall-clock rate with the NIC's part is
// printed too. UDP checksums in software (a ring port offloads nothing),
// and once more as a real NIC's offloads would leave them.
// Two sets: template hits (A/AAAA over a 1,000-name hot set of a
// 100,000-host zone, IPv4 and IPv6, half with EDNS) and a mix (60%
// template hits, 15% NXDOMAIN, 10% wildcard, 5% referral, 10% with an
// EDNS cookie on the full path).
// Issue #4 target: ≥ 10 Mqps per core for template hits.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_eth_ring.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "bench.h"
#include <linerate/dns_image.h>
#include <linerate/dns_msg.h>
#include <linerate/dns_name.h>
#include <linerate/dns_zone_set.h>

#include "lr.h"
#include "process.h"
#include "ring_port.h"
#include "udp_frame.h"
#include "zone_gen.h"

#define NHOSTS 100000
#define NFRAMES 4096
#define SECONDS 2.0

static const uint8_t our_mac[6] = {0x02, 0, 0, 0, 0, 0x53};
static const uint8_t their_mac[6] = {0x02, 0, 0, 0, 0, 0x02};
static const uint8_t our4[4] = {192, 0, 2, 53}, their4[4] = {192, 0, 2, 2};
static const uint8_t our6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x53};
static const uint8_t their6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x02};

struct frames {
	uint8_t f[NFRAMES][256];
	uint16_t len[NFRAMES];
};

// One Ethernet/IP/UDP frame around a DNS query for name/type.
static uint16_t frame(uint8_t *f, bool v6, const char *name, uint16_t type, bool edns, bool cookie,
		      uint16_t id)
{
	uint8_t qn[DNS_NAME_MAXLEN];
	const struct udp_ends e = {.dst_mac = our_mac,
				   .src_mac = their_mac,
				   .v6 = v6,
				   .src = v6 ? their6 : their4,
				   .dst = v6 ? our6 : our4,
				   .sport = (uint16_t)(10000 + id % 50000),
				   .dport = 53};
	size_t dns = udp_payload_off(&e);
	struct dns_builder b;
	dns_name_from_text(name, strlen(name), NULL, qn);
	dns_builder_init(&b, f + dns, 256 - dns, 256 - dns, id, DNS_FLAG_RD);
	dns_builder_question(&b, qn, type, DNS_CLASS_IN);
	if (edns) {
		static const uint8_t cc[8] = {1, 2, 3, 4, 5, 6, 7, 8};
		struct dns_edns_opt o = {DNS_EDNS_COOKIE, 8, cc};
		dns_builder_opt(&b, 1232, 0, 0, 0, &o, cookie ? 1 : 0);
	}
	return udp_frame(f, &e, (uint16_t)dns_builder_finish(&b));
}

static void make_set(struct frames *fr, bool mix)
{
	srand(7);
	for (int i = 0; i < NFRAMES; i++) {
		char name[96];
		int r = rand() % 100;
		bool v6 = i % 2, edns = (i / 2) % 2, cookie = false;
		uint16_t type = (i % 4) < 2 ? DNS_TYPE_A : DNS_TYPE_AAAA;
		unsigned h = (unsigned)rand() % 1000;
		if (!mix || r < 60) {
			snprintf(name, sizeof(name), "h%u.example.com.", h);
		} else if (r < 75) {
			snprintf(name, sizeof(name), "nx%u.example.com.", h);
		} else if (r < 85) {
			snprintf(name, sizeof(name), "w%u.wild.example.com.", h);
		} else if (r < 90) {
			snprintf(name, sizeof(name), "www%u.child.example.com.", h);
		} else {
			snprintf(name, sizeof(name), "h%u.example.com.", h);
			edns = cookie = true;
		}
		fr->len[i] = frame(fr->f[i], v6, name, type, edns, cookie, (uint16_t)i);
	}
}

struct result {
	double worker_mqps; // median worker-step cycles per round of 32
	double total_mqps;  // everything, the NIC's part included, by wall clock
};

static struct result run(const struct ring_port *rp, const struct frames *fr, struct lr_worker *w,
			 const char *what)
{
	const struct ring_frames rf = {fr->f[0], sizeof(fr->f[0]), fr->len, NFRAMES};
	struct ring_result rr;
	struct result r = {-1, -1};
	memset(&w->stats, 0, sizeof(w->stats));
	if (!ring_port_run(rp, &rf, w, SECONDS, NULL, NULL, &rr))
		return r;
	r.worker_mqps = rr.worker_mps;
	r.total_mqps = rr.total_mps;
	printf("dns-fastpath: %-34s %6.2f Mqps worker (%.0f cycles a query at %.2f GHz TSC); "
	       "%.2f Mqps with the NIC's part; answered %lu of %llu, template %lu, suffix %lu\n",
	       what, r.worker_mqps, rr.cycles, (double)rte_get_tsc_hz() / 1e9, r.total_mqps,
	       (unsigned long)w->stats.dns_answers, rr.n, (unsigned long)w->stats.template_hits,
	       (unsigned long)w->stats.suffix_hits);
	return r;
}

int main(int argc, char **argv)
{
	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "dns-fastpath: EAL init failed\n");
		return 1;
	}
	static struct ring_port rp;
	if (ring_port_open(&rp) != 0)
		return 1;

	size_t nrec;
	char *text = zone_gen(NHOSTS, &nrec);
	uint8_t apex[DNS_NAME_MAXLEN];
	struct dns_zone_diag d;
	dns_name_from_text("example.com.", 12, NULL, apex);
	struct dns_zone *z = dns_zone_new(apex, DNS_CLASS_IN);
	if (!z || dns_zone_load_text(z, "bench.zone", text, strlen(text), 3600, NULL, NULL, &d) < 0)
		return 1;
	static struct lr_snapshot snap;
	snap.image = dns_image_compile(&z, 1, &snap.image_size);
	if (!snap.image)
		return 1;
	dns_answer_cfg_default(&snap.cfg);
	snap.cfg.cookies = true;
	memset(snap.cfg.cookie_secret, 0x5a, 16);
	snap.nports = 1;
	dp_pkt_addrs_init(&snap.port[0].addrs, our_mac);
	dp_pkt_addrs_add4(&snap.port[0].addrs, our4);
	dp_pkt_addrs_add6(&snap.port[0].addrs, our6);
	snap.port[0].mtu = 1500;
	atomic_store(&lr.snap, &snap);
	atomic_store(&lr.now, (uint32_t)time(NULL));

	static struct frames hits, mix;
	make_set(&hits, false);
	make_set(&mix, true);
	static struct lr_worker w;
	w.npolled = 1;
	w.polled[0] = (struct lr_polled){.port_id = rp.port, .index = 0};
	// FASTPATH_SET=hits|mix|cached|offload: one run only (profiling)
	const char *only = getenv("FASTPATH_SET");
	struct result a = {0}, b = {0}, c = {0}, o = {0}, od = {0};
	if (!only || !strcmp(only, "hits")) {
		a = run(&rp, &hits, &w, "template hits, frames in memory");
		if (a.worker_mqps < 0 || w.stats.template_hits != w.stats.dns_answers) {
			fprintf(stderr, "dns-fastpath: not every hit took the template path\n");
			return 1;
		}
	}
	if (!only || !strcmp(only, "cached")) {
		rp.flush = false;
		c = run(&rp, &hits, &w, "template hits, frames in cache");
		rp.flush = true;
	}
	// A real NIC (ixgbe, i40e, ice, mlx5 alike) verifies the IPv4 and UDP
	// checksums it receives and computes those it sends: the same hits,
	// frames in memory, with RX checksums reported good and TX offload on.
	if (!only || !strcmp(only, "offload")) {
		rp.ol_flags = RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_GOOD;
		snap.port[0].tx_flags = DP_PKT_TX_CSUM_OFFLOAD;
		o = run(&rp, &hits, &w, "template hits, NIC checksum offload");
		// and where the NIC writes frames into the cache (DDIO)
		rp.flush = false;
		od = run(&rp, &hits, &w, "hits, NIC offload, frames in cache");
		rp.flush = true;
		rp.ol_flags = 0;
		snap.port[0].tx_flags = 0;
	}
	if (!only || !strcmp(only, "mix")) {
		b = run(&rp, &mix, &w, "mix, frames in memory");
		if (b.worker_mqps < 0 || w.stats.dns_answers != w.stats.rx)
			fprintf(stderr, "dns-fastpath: not every query of the mix was answered\n");
	}
	printf("dns-fastpath: template hits %.2f Mqps (frames in cache, as with DDIO: %.2f; "
	       "with NIC checksum offload: %.2f; both: %.2f); mix %.2f; target for template "
	       "hits: 10\n",
	       a.worker_mqps, c.worker_mqps, o.worker_mqps, od.worker_mqps, b.worker_mqps);
	printf("dns-fastpath: %.2f Mqps\n", a.worker_mqps);
	dns_zone_free(z);
	free(snap.image);
	free(text);
	rte_eal_cleanup();
	return 0;
}
