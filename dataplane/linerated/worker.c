/* SPDX-License-Identifier: BSD-3-Clause */
// The worker loop (DESIGN.md, fast-path rules): bursts of 32 from the
// worker's RX queue on each port it polls in turn, every packet handled in
// its own mbuf, one tx_burst per batch on the queue pair it came from, a
// quiescent-state report per loop so the main lcore can free replaced zone
// images. No lock, no allocation, no log on this path.
#include <rte_ethdev.h>
#include <rte_ip_frag.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "lr.h"
#include "process.h"
#include "trace.h"
#include "trap.h"

uint16_t lr_poll(struct lr_worker *w, const struct lr_polled *p, const struct lr_snapshot *s)
{
	struct rte_mbuf *rx[LR_BURST], *tx[LR_BURST];
	uint16_t n = rte_eth_rx_burst(p->port_id, w->queue, rx, LR_BURST);
	if (!n)
		return 0;
	struct lr_port_stats *ps = &w->port_stats[p->index];
	uint64_t answers = w->stats.dns_answers;
	for (uint16_t i = 0; i < n && i < LR_PREFETCH_AHEAD; i++)
		lr_prefetch_frame(rx[i]);
	w->stats.rx += n;
	lr_trace_hook(w, s, p, rx, n); // before answers rewrite the frames
	uint16_t nt = lr_process_burst(w, s, &s->port[p->index], rx, n, tx);
	uint16_t sent = nt ? rte_eth_tx_burst(p->port_id, w->queue, tx, nt) : 0;
	w->stats.tx += sent;
	if (sent < nt) { // TX ring full: count and drop the rest
		w->stats.tx_full += nt - sent;
		rte_pktmbuf_free_bulk(tx + sent, nt - sent);
	}
	ps->rx += n;
	ps->tx += sent;
	ps->tx_full += nt - sent;
	ps->dns_answers += w->stats.dns_answers - answers;
	ps->unanswered += n > nt ? n - nt : 0; // a reassembled datagram may answer more than came
	return n;
}

int lr_worker_main(void *arg)
{
	struct lr_worker *w = arg;
	rte_rcu_qsbr_thread_register(lr.rcu, w->rcu_id);
	rte_rcu_qsbr_thread_online(lr.rcu, w->rcu_id);
	while (!atomic_load_explicit(&lr.stop, memory_order_relaxed)) {
		const struct lr_snapshot *s = atomic_load_explicit(&lr.snap, memory_order_acquire);
		for (unsigned k = 0; k < w->npolled; k++)
			lr_poll(w, &w->polled[k], s);
		// inform Responses whose records the journal has made durable
		if (w->trap)
			lr_trap_tx_acked(w);
		// fragments the table gave up on (expired, table full)
		rte_ip_frag_free_death_row(&w->death_row, 3);
		// the snapshot read above is not used past this point
		rte_rcu_qsbr_quiescent(lr.rcu, w->rcu_id);
	}
	rte_rcu_qsbr_thread_offline(lr.rcu, w->rcu_id);
	rte_rcu_qsbr_thread_unregister(lr.rcu, w->rcu_id);
	return 0;
}
