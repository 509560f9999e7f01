/* SPDX-License-Identifier: BSD-3-Clause */
// dns-fastpath: queries per second per core through linerated's worker
// loop (rx_burst, lr_process_burst, tx_burst) on a net_ring port, on one
// lcore. Each round feeds a burst of 32 pre-built query frames into the
// port's RX ring (mbuf alloc and a copy of the frame, as a NIC would have
// written it), runs the worker step, and drains the TX ring (the replies
// freed, as a NIC would after sending them). Feeding and draining are in
// the figure. UDP checksums in software (no offload on a ring port).
// Two sets: template hits (A/AAAA over a 1,000-name hot set, IPv4 and
// IPv6, half with EDNS) and a mix (60% template hits, 15% NXDOMAIN, 10%
// wildcard, 5% referral, 10% with an EDNS cookie on the full path).
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
	size_t l3 = 14, l4 = l3 + (v6 ? 40 : 20), dns = l4 + 8;
	struct dns_builder b;
	dns_name_from_text(name, strlen(name), NULL, qn);
	dns_builder_init(&b, f + dns, 256 - dns, 256 - dns, id, DNS_FLAG_RD);
	dns_builder_question(&b, qn, type, DNS_CLASS_IN);
	if (edns) {
		static const uint8_t cc[8] = {1, 2, 3, 4, 5, 6, 7, 8};
		struct dns_edns_opt o = {DNS_EDNS_COOKIE, 8, cc};
		dns_builder_opt(&b, 1232, 0, 0, 0, &o, cookie ? 1 : 0);
	}
	uint16_t dl = (uint16_t)dns_builder_finish(&b);
	memcpy(f, our_mac, 6);
	memcpy(f + 6, their_mac, 6);
	put16(f + 12, v6 ? 0x86dd : 0x0800);
	uint8_t *ip = f + l3, *u = f + l4;
	uint16_t ulen = (uint16_t)(8 + dl);
	if (v6) {
		memset(ip, 0, 40);
		ip[0] = 0x60;
		put16(ip + 4, ulen);
		ip[6] = 17;
		ip[7] = 64;
		memcpy(ip + 8, their6, 16);
		memcpy(ip + 24, our6, 16);
	} else {
		memset(ip, 0, 20);
		ip[0] = 0x45;
		put16(ip + 2, (uint16_t)(20 + ulen));
		ip[8] = 64;
		ip[9] = 17;
		memcpy(ip + 12, their4, 4);
		memcpy(ip + 16, our4, 4);
		put16(ip + 10, (uint16_t)~dp_pkt_csum_fold(dp_pkt_csum_add(0, ip, 20)));
	}
	put16(u, (uint16_t)(10000 + id % 50000));
	put16(u + 2, 53);
	put16(u + 4, ulen);
	put16(u + 6, 0);
	// pseudo-header + UDP
	uint8_t ph[40];
	uint32_t sum;
	if (v6) {
		memcpy(ph, their6, 16);
		memcpy(ph + 16, our6, 16);
		memset(ph + 32, 0, 8);
		put16(ph + 34, ulen);
		ph[39] = 17;
		sum = dp_pkt_csum_add(0, ph, 40);
	} else {
		memcpy(ph, their4, 4);
		memcpy(ph + 4, our4, 4);
		ph[8] = 0;
		ph[9] = 17;
		put16(ph + 10, ulen);
		sum = dp_pkt_csum_add(0, ph, 12);
	}
	uint16_t c = (uint16_t)~dp_pkt_csum_fold(dp_pkt_csum_add(sum, u, ulen));
	put16(u + 6, c ? c : 0xffff);
	return (uint16_t)(dns + dl);
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

static double run(uint16_t port, struct rte_ring *rxr, struct rte_ring *txr, struct rte_mempool *mp,
		  const struct frames *fr, struct lr_worker *w, const char *what)
{
	struct rte_mbuf *in[LR_BURST], *rx[LR_BURST], *tx[LR_BURST], *done[LR_BURST];
	unsigned long long n = 0;
	memset(&w->stats, 0, sizeof(w->stats));
	double t0 = now(), t;
	unsigned k = 0;
	do {
		for (int round = 0; round < 256; round++) {
			// what the NIC would have written
			if (rte_pktmbuf_alloc_bulk(mp, in, LR_BURST) != 0)
				return -1;
			for (int i = 0; i < LR_BURST; i++, k = (k + 1) % NFRAMES) {
				memcpy(rte_pktmbuf_mtod(in[i], void *), fr->f[k], fr->len[k]);
				in[i]->data_len = fr->len[k];
				in[i]->pkt_len = fr->len[k];
			}
			rte_ring_enqueue_burst(rxr, (void **)in, LR_BURST, NULL);
			// the worker step
			const struct lr_snapshot *s = atomic_load(&lr.snap);
			uint16_t nr = rte_eth_rx_burst(port, 0, rx, LR_BURST);
			uint16_t nt = lr_process_burst(w, s, &s->port[0], rx, nr, tx);
			uint16_t sent = rte_eth_tx_burst(port, 0, tx, nt);
			if (sent < nt)
				rte_pktmbuf_free_bulk(tx + sent, nt - sent);
			// what the NIC would free once sent
			unsigned d = rte_ring_dequeue_burst(txr, (void **)done, LR_BURST, NULL);
			rte_pktmbuf_free_bulk(done, d);
			n += nr;
		}
		t = now() - t0;
	} while (t < SECONDS);
	double mqps = (double)n / t / 1e6;
	printf("dns-fastpath: %-34s %6.2f Mqps (%llu in %.2f s; answered %lu, template %lu, "
	       "suffix %lu)\n",
	       what, mqps, n, t, (unsigned long)w->stats.dns_answers,
	       (unsigned long)w->stats.template_hits, (unsigned long)w->stats.suffix_hits);
	return mqps;
}

int main(int argc, char **argv)
{
	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "dns-fastpath: EAL init failed\n");
		return 1;
	}
	int socket = (int)rte_socket_id();
	struct rte_ring *rxr = rte_ring_create("bench_rx", 1024, socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
	struct rte_ring *txr = rte_ring_create("bench_tx", 1024, socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
	struct rte_mempool *mp = rte_pktmbuf_pool_create("bench_mbuf", 8191, 256, 0,
							 RTE_MBUF_DEFAULT_BUF_SIZE, socket);
	if (!rxr || !txr || !mp)
		return 1;
	int port = rte_eth_from_rings("bench", &rxr, 1, &txr, 1, (unsigned)socket);
	struct rte_eth_conf conf;
	memset(&conf, 0, sizeof(conf));
	if (port < 0 || rte_eth_dev_configure((uint16_t)port, 1, 1, &conf) != 0 ||
	    rte_eth_rx_queue_setup((uint16_t)port, 0, 1024, (unsigned)socket, NULL, mp) != 0 ||
	    rte_eth_tx_queue_setup((uint16_t)port, 0, 1024, (unsigned)socket, NULL) != 0 ||
	    rte_eth_dev_start((uint16_t)port) != 0)
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
	double a = run((uint16_t)port, rxr, txr, mp, &hits, &w, "template hits (v4/v6, EDNS or not)");
	if (a < 0 || w.stats.template_hits != w.stats.dns_answers)
		fprintf(stderr, "dns-fastpath: not every hit took the template path\n");
	double b = run((uint16_t)port, rxr, txr, mp, &mix, &w, "mix (NXDOMAIN, wildcard, cookies..)");
	printf("dns-fastpath: mix %.2f Mqps (target for template hits: 10)\n", b);
	printf("dns-fastpath: %.2f Mqps\n", a);
	dns_zone_free(z);
	free(snap.image);
	free(text);
	rte_eal_cleanup();
	return 0;
}
