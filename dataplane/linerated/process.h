/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LINERATED_PROCESS_H
#define LINERATED_PROCESS_H

#include <rte_mbuf.h>

#include "lr.h"

// Handle a received burst: answer what is ours in place (moved to tx, in
// order), free the rest with its drop counted. Returns how many are in tx.
// ps is the port's part of s (s->port[i]) the burst came from.
uint16_t lr_process_burst(struct lr_worker *w, const struct lr_snapshot *s,
			  const struct lr_port_snap *ps, struct rte_mbuf **rx, uint16_t n,
			  struct rte_mbuf **tx);

#endif
