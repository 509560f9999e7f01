/* SPDX-License-Identifier: BSD-3-Clause */
// The DNS stage: a burst of classified queries answered with one
// dns_answer_burst() call, each frame turned into its reply in place.
#include <string.h>

#include "pkt_internal.h"

#define DEFAULT_MTU 1500

// Turn the frame around and point the answer job at its DNS message, now
// right after the fixed IP header and UDP. False when it cannot be answered.
static bool prepare(const struct dp_pkt_addrs *a, struct dp_pkt_dns_job *j, uint16_t mtu,
		    uint32_t now, struct dns_answer_job *aj)
{
	const struct dp_pkt_info *info = &j->info;
	if (info->verdict != DP_PKT_DNS || j->len > j->cap ||
	    (size_t)info->l4_off + info->l4_len > j->len || info->l4_len < UDP_HLEN + DNS_HLEN ||
	    (info->family != 4 && info->family != 6))
		return false;
	uint8_t *ip = j->buf + info->l3_off;
	memset(&aj->client, 0, sizeof(aj->client));
	aj->client.transport = DNS_TRANSPORT_UDP;
	aj->client.family = info->family;
	aj->client.now = now;
	if (info->family == 4) // constant sizes: moves, not a memcpy call
		memcpy(aj->client.addr, ip + 12, 4);
	else
		memcpy(aj->client.addr, ip + 8, 16);
	uint16_t l4 = dp_pkt_udp_turn(a, info, j->buf);
	size_t dns_off = (size_t)l4 + UDP_HLEN;
	if (dns_off >= j->cap)
		return false;
	size_t cap = j->cap - dns_off;
	size_t room = (size_t)mtu - (l4 - info->l3_off) - UDP_HLEN;
	aj->pkt = j->buf + dns_off;
	aj->len = info->l4_len - UDP_HLEN;
	// the buffer bounds the work space (a long query, reassembled from
	// fragments, is answered in place too); the MTU bounds the answer
	aj->cap = cap;
	aj->client.max_size = (uint16_t)(room < UINT16_MAX ? room : UINT16_MAX);
	j->l2_len = info->l2_len;
	j->l3_len = (uint16_t)(l4 - info->l3_off);
	return true;
}

unsigned dp_pkt_dns_burst(const struct dp_pkt_addrs *a, const void *img,
			  const struct dns_answer_cfg *cfg, uint32_t now, uint16_t mtu,
			  unsigned tx_flags, struct dp_pkt_dns_job *jobs, unsigned n)
{
	struct dns_answer_job aj[DNS_ANSWER_BURST_MAX];
	unsigned idx[DNS_ANSWER_BURST_MAX], m = 0, sent = 0;
	if (mtu < 576) // RFC 791: what every host must accept
		mtu = mtu ? 576 : DEFAULT_MTU;
	if (n > DNS_ANSWER_BURST_MAX)
		n = DNS_ANSWER_BURST_MAX;
	for (unsigned i = 0; i < n; i++) {
		jobs[i].out = 0;
		if (prepare(a, &jobs[i], mtu, now, &aj[m]))
			idx[m++] = i;
		else
			memset(&jobs[i].answer, 0, sizeof(jobs[i].answer));
	}
	if (m == 0)
		return 0;
	dns_answer_burst(img, cfg, aj, m);
	for (unsigned k = 0; k < m; k++) {
		struct dp_pkt_dns_job *j = &jobs[idx[k]];
		j->answer = aj[k].info;
		if (aj[k].out == 0)
			continue;
		j->out = dp_pkt_ip_finish(j->buf, &j->info, UDP_HLEN + aj[k].out, 6,
					  tx_flags & DP_PKT_TX_CSUM_OFFLOAD);
		sent++;
	}
	return sent;
}
