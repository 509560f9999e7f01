/* SPDX-License-Identifier: BSD-3-Clause */
// Classification and answering of a burst with the packet core
// (dataplane/pkt): DNS queries go to the answer engine together, in one
// dp_pkt_dns_burst() call; ARP, ND and echo requests are answered one by
// one; everything else is counted by reason and freed. Fragments are
// counted and dropped until reassembly (rte_ip_frag) is added.
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "process.h"

static unsigned rx_hints(const struct rte_mbuf *m)
{
	unsigned f = 0;
	if ((m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) == RTE_MBUF_F_RX_IP_CKSUM_GOOD)
		f |= DP_PKT_RX_IP_CSUM_GOOD;
	if ((m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) == RTE_MBUF_F_RX_L4_CKSUM_GOOD)
		f |= DP_PKT_RX_L4_CSUM_GOOD;
	return f;
}

uint16_t lr_process_burst(struct lr_worker *w, const struct lr_snapshot *s, struct rte_mbuf **rx,
			  uint16_t n, struct rte_mbuf **tx)
{
	struct dp_pkt_dns_job jobs[LR_BURST];
	struct rte_mbuf *jm[LR_BURST];
	unsigned nj = 0;
	uint16_t nt = 0;
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = rx[i];
		struct dp_pkt_info info;
		if (m->nb_segs != 1) { // jumbo chains: not for a DNS service port
			w->stats.verdict[DP_PKT_UNSUPPORTED]++;
			rte_pktmbuf_free(m);
			continue;
		}
		uint8_t *buf = rte_pktmbuf_mtod(m, uint8_t *);
		size_t len = rte_pktmbuf_data_len(m);
		size_t cap = len + rte_pktmbuf_tailroom(m);
		enum dp_pkt_verdict v = dp_pkt_classify(&s->addrs, buf, len, rx_hints(m), &info);
		w->stats.verdict[v]++;
		if (v == DP_PKT_DNS) {
			jobs[nj] = (struct dp_pkt_dns_job){.buf = buf, .len = len, .cap = cap, .info = info};
			jm[nj++] = m;
			continue;
		}
		size_t out = 0;
		if (v == DP_PKT_ARP || v == DP_PKT_ND || v == DP_PKT_ICMP_ECHO || v == DP_PKT_ICMP6_ECHO)
			out = dp_pkt_reply(&s->addrs, &info, buf, len, cap);
		if (out) {
			m->data_len = (uint16_t)out;
			m->pkt_len = (uint32_t)out;
			m->ol_flags = 0;
			tx[nt++] = m;
		} else {
			rte_pktmbuf_free(m);
		}
	}
	if (nj == 0)
		return nt;
	uint32_t now = atomic_load_explicit(&lr.now, memory_order_relaxed);
	dp_pkt_dns_burst(&s->addrs, s->image, &s->cfg, now, s->mtu, s->tx_flags, jobs, nj);
	for (unsigned k = 0; k < nj; k++) {
		struct rte_mbuf *m = jm[k];
		const struct dp_pkt_dns_job *j = &jobs[k];
		if (!j->out) {
			w->stats.dns_dropped++;
			rte_pktmbuf_free(m);
			continue;
		}
		m->data_len = (uint16_t)j->out;
		m->pkt_len = (uint32_t)j->out;
		m->ol_flags = 0;
		if (s->tx_flags & DP_PKT_TX_CSUM_OFFLOAD) {
			m->l2_len = j->l2_len;
			m->l3_len = j->l3_len;
			m->ol_flags = RTE_MBUF_F_TX_UDP_CKSUM |
				      (j->info.family == 4 ? RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM
							   : RTE_MBUF_F_TX_IPV6);
		}
		w->stats.dns_answers++;
		w->stats.rcode[j->answer.rcode & 0xf]++;
		w->stats.template_hits += j->answer.template_hit;
		w->stats.suffix_hits += j->answer.suffix_hit;
		tx[nt++] = m;
	}
	return nt;
}
