/* SPDX-License-Identifier: BSD-3-Clause */
// Classification and answering of a burst. Until the packet library
// (dataplane/pkt: Ethernet/VLAN/IPv4/IPv6/UDP, ARP, ND, ICMP, in-place DNS
// replies) is wired in, every packet is counted and dropped: this file is
// the seam where it plugs in.
#include "process.h"

uint16_t lr_process_burst(struct lr_worker *w, const struct lr_snapshot *s, struct rte_mbuf **rx,
			  uint16_t n, struct rte_mbuf **tx)
{
	(void)s;
	(void)tx;
	w->stats.drop_not_dns += n;
	rte_pktmbuf_free_bulk(rx, n);
	return 0;
}
