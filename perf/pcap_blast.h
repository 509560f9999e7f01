/* SPDX-License-Identifier: BSD-3-Clause */
// pcap_blast's parts (pcap_blast.c): the pcap's frames in memory, and the
// AF_XDP sender (pcap_blast_xdp.c, apart because libxdp's headers and
// libpcap's both define struct bpf_insn).
#ifndef LINERATE_PERF_PCAP_BLAST_H
#define LINERATE_PERF_PCAP_BLAST_H

#include <stdint.h>

#define DRAIN_NS 2000000000LL // waiting for the ring to empty at the end
#define NS	 1000000000LL

struct frames {
	uint8_t *data;
	uint32_t *off; // n + 1 offsets into data
	uint32_t n;
};

int64_t mono_ns(void);

// An AF_XDP socket's TX side on ifname's queue 0, copy mode, no XDP
// program loaded. NULL (the reason printed) when it cannot be had, or
// pcap_blast was built without libxdp.
struct xdp_tx *xdp_open(const char *ifname);

// Queues frames [from, from + n) of f (cycled) and has the kernel send
// them; waits for free slots when none is. 0, or a negative errno.
int xdp_send(struct xdp_tx *x, const struct frames *f, uint64_t from, uint32_t n);

// Waits (DRAIN_NS at most) for every frame handed over to complete:
// returns those that did not, and the descriptors the kernel refused.
uint64_t xdp_drain(struct xdp_tx *x);

void xdp_close(struct xdp_tx *x); // NULL: nothing

// The largest frame a slot holds.
#define XDP_FRAME 2048u

#endif
