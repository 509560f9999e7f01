/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LINERATED_PROCESS_H
#define LINERATED_PROCESS_H

#include <rte_mbuf.h>

#include "lr.h"

// m, holding a reply frame of len octets built in place, made ready for
// tx_burst: lengths, and the checksum offload flags when the port does them
// (the frame's checksum fields were prepared for it: DP_PKT_TX_CSUM_OFFLOAD).
static inline void lr_tx_ready(struct rte_mbuf *m, size_t len, uint16_t l2_len, uint16_t l3_len,
			       uint8_t family, unsigned tx_flags)
{
	m->data_len = (uint16_t)len;
	m->pkt_len = (uint32_t)len;
	m->ol_flags = 0;
	if (tx_flags & DP_PKT_TX_CSUM_OFFLOAD) {
		m->l2_len = l2_len;
		m->l3_len = l3_len;
		m->ol_flags = RTE_MBUF_F_TX_UDP_CKSUM |
			      (family == 4 ? RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM
					   : RTE_MBUF_F_TX_IPV6);
	}
}

// Handle a received burst: answer what is ours in place (moved to tx, in
// order), free the rest with its drop counted. Returns how many are in tx.
// ps is the port's part of s (s->port[i]) the burst came from.
uint16_t lr_process_burst(struct lr_worker *w, const struct lr_snapshot *s,
			  const struct lr_port_snap *ps, struct rte_mbuf **rx, uint16_t n,
			  struct rte_mbuf **tx);

#endif
