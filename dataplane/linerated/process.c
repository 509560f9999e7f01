/* SPDX-License-Identifier: BSD-3-Clause */
// Classification and answering of a burst with the packet core
// (dataplane/pkt): DNS queries go to the answer engine together, in one
// dp_pkt_dns_burst() call; SNMP datagrams go to the trap stage (trap.c);
// ARP, ND and echo requests are answered one by one; fragments are reassembled in the worker's
// rte_ip_frag table and the datagram classified again; everything else is counted by reason and
// freed.
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_ip_frag.h>
#include <rte_mbuf.h>

#include "process.h"
#include "trap.h"

static unsigned rx_hints(const struct rte_mbuf *m)
{
	unsigned f = 0;
	if ((m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) == RTE_MBUF_F_RX_IP_CKSUM_GOOD)
		f |= DP_PKT_RX_IP_CSUM_GOOD;
	if ((m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) == RTE_MBUF_F_RX_L4_CKSUM_GOOD)
		f |= DP_PKT_RX_L4_CSUM_GOOD;
	return f;
}

// A fragment into the reassembly table: the whole datagram in one segment
// when this fragment completes it, NULL otherwise (kept, or dropped by the
// table onto the death row).
static struct rte_mbuf *reassemble(struct lr_worker *w, struct rte_mbuf *m,
				   const struct dp_pkt_info *info, uint64_t tsc)
{
	uint8_t *buf = rte_pktmbuf_mtod(m, uint8_t *);
	struct rte_mbuf *r;
	m->l2_len = info->l2_len;
	m->l3_len = info->l3_len;
	if (info->family == 4) {
		r = rte_ipv4_frag_reassemble_packet(w->frag_tbl, &w->death_row, m, tsc,
						    (struct rte_ipv4_hdr *)(buf + info->l3_off));
	} else if (info->frag_hdr_off == info->l3_off + sizeof(struct rte_ipv6_hdr)) {
		r = rte_ipv6_frag_reassemble_packet(
			w->frag_tbl, &w->death_row, m, tsc,
			(struct rte_ipv6_hdr *)(buf + info->l3_off),
			(struct rte_ipv6_fragment_ext *)(buf + info->frag_hdr_off));
	} else { // DPDK 22.11 reassembles only a fragment header right after the fixed one
		w->stats.frag_failed++;
		rte_pktmbuf_free(m);
		return NULL;
	}
	if (!r)
		return NULL;
	if (r->nb_segs > 1 && rte_pktmbuf_linearize(r) != 0) {
		// longer than one packet mbuf holds: into a big one (a DNS query
		// of up to 9 kB, EDNS padding and all), or dropped
		struct rte_mbuf *big = rte_pktmbuf_copy(r, lr.big_pool, 0, UINT32_MAX);
		rte_pktmbuf_free(r);
		if (!big || big->nb_segs > 1) {
			w->stats.frag_failed++;
			rte_pktmbuf_free(big);
			return NULL;
		}
		r = big;
	}
	w->stats.frag_reassembled++;
	return r;
}

// The burst's DNS queries, gathered for one dp_pkt_dns_burst() call: those
// to answer, and those dns.acl refuses (answered REFUSED).
struct dns_jobs {
	struct dp_pkt_dns_job job[LR_BURST];
	struct rte_mbuf *m[LR_BURST];
	unsigned n;
};

struct dns_lists {
	struct dns_jobs answer, refuse;
};

// dns.acl's action for a query from the IPv4/IPv6 header at ip.
static inline enum dp_acl_action acl_action(const struct lr_snapshot *s, uint8_t family,
					    const uint8_t *ip)
{
	if (!s->acl.n)
		return DP_ACL_ALLOW;
	return dp_acl_match(&s->acl, family, ip + (family == 4 ? 12 : 8));
}

// dns.acl ahead of the fast lane, from the IP header where the lane would
// find it (Ethernet, at most one 802.1Q tag): a frame the list does not
// allow skips the lane, which would parse and hash it only to hand it on,
// and goes straight to the classifier, which drops or refuses it.
// Anything else about the frame is the lane's to check; a frame too short
// or of another type is allowed here and declined there.
static inline bool acl_allows_frame(const struct lr_snapshot *s, const uint8_t *buf, size_t len)
{
	if (!s->acl.n || len < RTE_ETHER_HDR_LEN + 4)
		return true;
	size_t l2 = RTE_ETHER_HDR_LEN;
	uint16_t type = (uint16_t)(buf[12] << 8 | buf[13]);
	if (type == RTE_ETHER_TYPE_VLAN) {
		type = (uint16_t)(buf[16] << 8 | buf[17]);
		l2 += 4;
	}
	if (type == RTE_ETHER_TYPE_IPV4 && len >= l2 + 20)
		return acl_action(s, 4, buf + l2) == DP_ACL_ALLOW;
	if (type == RTE_ETHER_TYPE_IPV6 && len >= l2 + 40)
		return acl_action(s, 6, buf + l2) == DP_ACL_ALLOW;
	return true;
}

// One frame the fast lane did not answer: classified, reassembled when a
// fragment, then a DNS query gathered, an SNMP datagram to the trap stage,
// ARP/ND/echo answered, anything else counted and freed. Returns the
// number of replies put in tx.
static uint16_t classify_one(struct lr_worker *w, const struct lr_snapshot *s,
			     const struct lr_port_snap *ps, struct rte_mbuf *m, uint64_t tsc,
			     struct dns_lists *dl, struct rte_mbuf **tx)
{
	struct dp_pkt_info info;
	uint8_t *buf = rte_pktmbuf_mtod(m, uint8_t *);
	size_t len = rte_pktmbuf_data_len(m);
	enum dp_pkt_verdict v = dp_pkt_classify(&ps->addrs, buf, len, rx_hints(m), &info);
	w->stats.verdict[v]++;
	if (v == DP_PKT_FRAGMENT) {
		m = reassemble(w, m, &info, tsc);
		if (!m)
			return 0;
		// the whole datagram, classified as if it came so (a fragment
		// of it again would be a lie: drop it). DPDK zeroes a rebuilt
		// IPv4 header's checksum (it expects TX offload); each
		// fragment's header was checked, so only the UDP checksum over
		// the whole is left to verify.
		buf = rte_pktmbuf_mtod(m, uint8_t *);
		len = rte_pktmbuf_data_len(m);
		v = dp_pkt_classify(&ps->addrs, buf, len, DP_PKT_RX_IP_CSUM_GOOD, &info);
		if (v == DP_PKT_FRAGMENT)
			v = DP_PKT_MALFORMED_L3;
		w->stats.verdict[v]++;
	}
	size_t cap = len + rte_pktmbuf_tailroom(m);
	if (v == DP_PKT_DNS) {
		enum dp_acl_action act = acl_action(s, info.family, buf + info.l3_off);
		if (act == DP_ACL_DROP) {
			w->stats.acl_dropped++;
			rte_pktmbuf_free(m);
			return 0;
		}
		struct dns_jobs *dj = act == DP_ACL_REFUSE ? &dl->refuse : &dl->answer;
		struct dp_pkt_dns_job *j = &dj->job[dj->n]; // the outputs are the stage's to set
		j->buf = buf;
		j->len = len;
		j->cap = cap;
		j->info = info;
		dj->m[dj->n++] = m;
		return 0;
	}
	if (v == DP_PKT_SNMP) {
		if (w->trap && s->trap.enabled)
			m = lr_trap_process(w, &s->trap, ps, m, &info, tsc);
		else
			m = (rte_pktmbuf_free(m), NULL);
		if (!m)
			return 0;
		tx[0] = m;
		return 1;
	}
	size_t out = 0;
	if (v == DP_PKT_ARP || v == DP_PKT_ND || v == DP_PKT_ICMP_ECHO || v == DP_PKT_ICMP6_ECHO)
		out = dp_pkt_reply(&ps->addrs, &info, buf, len, cap);
	if (!out) {
		rte_pktmbuf_free(m);
		return 0;
	}
	m->data_len = (uint16_t)out;
	m->pkt_len = (uint32_t)out;
	m->ol_flags = 0;
	tx[0] = m;
	return 1;
}

// An answer's counters by rcode, qtype and zone.
static inline void count_answer_kind(struct lr_worker *w, const struct dns_answer_info *a)
{
	w->stats.rcode[a->rcode < LR_RCODE_EXTENDED ? a->rcode : LR_RCODE_EXTENDED]++;
	w->stats.qtype[lr_qtype_bucket(a->qtype)]++;
	w->stats.zone[lr_zone_bucket(a->zone)]++;
}

static void count_answer(struct lr_worker *w, const struct dns_answer_info *a)
{
	w->stats.dns_answers++;
	count_answer_kind(w, a);
	w->stats.template_hits += a->template_hit;
	w->stats.suffix_hits += a->suffix_hit;
}

// The DNS jobs of one list answered with one dp_pkt_dns_burst() call (img
// NULL and no CHAOS or NSID: everything REFUSED), moved to tx.
static uint16_t answer_jobs(struct lr_worker *w, const struct lr_port_snap *ps, const void *img,
			    const struct dns_answer_cfg *cfg, uint32_t now, struct dns_jobs *dj,
			    struct rte_mbuf **tx)
{
	uint16_t nt = 0;
	if (dj->n == 0)
		return 0;
	dp_pkt_dns_burst(&ps->addrs, img, cfg, now, ps->mtu, ps->tx_flags, dj->job, dj->n);
	for (unsigned k = 0; k < dj->n; k++) {
		struct rte_mbuf *m = dj->m[k];
		const struct dp_pkt_dns_job *j = &dj->job[k];
		if (!j->out) {
			w->stats.dns_dropped++;
			rte_pktmbuf_free(m);
			continue;
		}
		lr_tx_ready(m, j->out, j->l2_len, j->l3_len, j->info.family, ps->tx_flags);
		count_answer(w, &j->answer);
		tx[nt++] = m;
	}
	return nt;
}

uint16_t lr_process_burst(struct lr_worker *w, const struct lr_snapshot *s,
			  const struct lr_port_snap *ps, struct rte_mbuf **rx, uint16_t n,
			  struct rte_mbuf **tx)
{
	struct dp_pkt_fast fast[LR_BURST];
	struct rte_mbuf *fm[LR_BURST];
	struct dns_lists dl;
	unsigned nf = 0;
	uint16_t nt = 0;
	uint64_t tsc = rte_rdtsc();
	uint32_t now = atomic_load_explicit(&lr.now, memory_order_relaxed);
	dl.answer.n = dl.refuse.n = 0;
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = rx[i];
		if (i + LR_PREFETCH_AHEAD < n)
			lr_prefetch_frame(rx[i + LR_PREFETCH_AHEAD]);
		if (m->nb_segs != 1) { // jumbo chains: not for a DNS service port
			w->stats.verdict[DP_PKT_UNSUPPORTED]++;
			rte_pktmbuf_free(m);
			continue;
		}
		uint8_t *buf = rte_pktmbuf_mtod(m, uint8_t *);
		size_t len = rte_pktmbuf_data_len(m);
		// a query dns.acl does not allow goes the usual way, which acts on it
		if (acl_allows_frame(s, buf, len) &&
		    dp_pkt_fast_take(&ps->addrs, s->image, &s->cfg, buf, len,
				     len + rte_pktmbuf_tailroom(m), rx_hints(m), &fast[nf])) {
			fm[nf++] = m;
			continue;
		}
		nt += classify_one(w, s, ps, m, tsc, &dl, tx + nt);
	}
	if (nf) {
		uint16_t out[LR_BURST];
		unsigned answered = 0, templates = 0;
		dp_pkt_fast_answer(&ps->addrs, s->image, &s->cfg, now, ps->mtu, ps->tx_flags, fast,
				   nf, out);
		for (unsigned k = 0; k < nf; k++) {
			if (!out[k]) { // declined after all: the usual way
				nt += classify_one(w, s, ps, fm[k], tsc, &dl, tx + nt);
				continue;
			}
			lr_tx_ready(fm[k], out[k], fast[k].l2_len, fast[k].family == 4 ? 20 : 40,
				    fast[k].family, ps->tx_flags);
			count_answer_kind(w, &fast[k].answer);
			templates += fast[k].answer.template_hit;
			answered++;
			tx[nt++] = fm[k];
		}
		// the lane answers from a template or a pointer-shifting one
		w->stats.verdict[DP_PKT_DNS] += answered;
		w->stats.dns_answers += answered;
		w->stats.template_hits += templates;
		w->stats.suffix_hits += answered - templates;
	}
	nt += answer_jobs(w, ps, s->image, &s->cfg, now, &dl.answer, tx + nt);
	if (dl.refuse.n) {
		struct dns_answer_cfg refuse = s->cfg;
		refuse.chaos = false;
		refuse.nsid_len = 0;
		w->stats.acl_refused += dl.refuse.n;
		nt += answer_jobs(w, ps, NULL, &refuse, now, &dl.refuse, tx + nt);
	}
	return nt;
}
