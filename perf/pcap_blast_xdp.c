/* SPDX-License-Identifier: BSD-3-Clause */
// pcap_blast -m xdp (pcap_blast.h): frames through an AF_XDP socket's TX
// ring with libxdp's xsk API. Copy mode on queue 0 and no XDP program of
// its own (it receives nothing): a frame counts as sent once its UMEM slot
// comes back on the completion ring.
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>

#include "pcap_blast.h"

#ifdef HAVE_LIBXDP
#include <linux/if_xdp.h>
#include <xdp/xsk.h>

#define XDP_SLOTS 4096u // frames of UMEM, and the size of every ring

struct xdp_tx {
	struct xsk_umem *umem;
	struct xsk_socket *xsk;
	struct xsk_ring_prod fq, tx;
	struct xsk_ring_cons cq;
	uint8_t *area;
	uint64_t free[XDP_SLOTS]; // free slots' addresses, a stack
	uint32_t nfree;
	uint32_t outstanding; // handed to the kernel, not yet completed
};

struct xdp_tx *xdp_open(const char *ifname)
{
	struct xdp_tx *x = calloc(1, sizeof(*x));
	if (x == NULL)
		return NULL;
	size_t size = (size_t)XDP_SLOTS * XDP_FRAME;
	x->area = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (x->area == MAP_FAILED) {
		fprintf(stderr, "pcap_blast: UMEM: %s\n", strerror(errno));
		x->area = NULL;
		xdp_close(x);
		return NULL;
	}
	struct xsk_umem_config ucfg = {
		.fill_size = XDP_SLOTS,
		.comp_size = XDP_SLOTS,
		.frame_size = XDP_FRAME,
	};
	// TX only: no receive ring, and no XDP program loaded on the device
	struct xsk_socket_config scfg = {
		.tx_size = XDP_SLOTS,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.bind_flags = XDP_COPY,
	};
	int rc = xsk_umem__create(&x->umem, x->area, size, &x->fq, &x->cq, &ucfg);
	if (rc == 0)
		rc = xsk_socket__create(&x->xsk, ifname, 0, x->umem, NULL, &x->tx, &scfg);
	if (rc != 0) {
		fprintf(stderr, "pcap_blast: AF_XDP socket on %s: %s\n", ifname, strerror(-rc));
		xdp_close(x);
		return NULL;
	}
	for (uint32_t i = 0; i < XDP_SLOTS; i++)
		x->free[x->nfree++] = (uint64_t)i * XDP_FRAME;
	return x;
}

// Slots the kernel is done with back on the free stack.
static void xdp_reclaim(struct xdp_tx *x)
{
	uint32_t idx;
	uint32_t n = xsk_ring_cons__peek(&x->cq, XDP_SLOTS, &idx);
	for (uint32_t i = 0; i < n; i++)
		x->free[x->nfree++] = *xsk_ring_cons__comp_addr(&x->cq, idx + i);
	xsk_ring_cons__release(&x->cq, n);
	x->outstanding -= n;
}

// Has the kernel send what the TX ring holds (copy mode sends inside it).
static int xdp_kick(const struct xdp_tx *x)
{
	if (sendto(xsk_socket__fd(x->xsk), NULL, 0, MSG_DONTWAIT, NULL, 0) >= 0)
		return 0;
	if (errno == EAGAIN || errno == EBUSY || errno == ENOBUFS || errno == EINTR)
		return 0; // full for now: kicked again later
	return -errno;
}

// Queues frames [from, from + n) of f (cycled) on the TX ring, kicking
// once per run of free slots; waits for slots when none is free.
int xdp_send(struct xdp_tx *x, const struct frames *f, uint64_t from, uint32_t n)
{
	for (uint32_t done = 0; done < n;) {
		xdp_reclaim(x);
		uint32_t want = n - done < x->nfree ? n - done : x->nfree, idx = 0;
		if (want == 0 || xsk_ring_prod__reserve(&x->tx, want, &idx) != want) {
			int rc = xdp_kick(x);
			if (rc != 0)
				return rc;
			struct pollfd pfd = {.fd = xsk_socket__fd(x->xsk), .events = POLLOUT};
			(void)poll(&pfd, 1, 1);
			continue;
		}
		for (uint32_t k = 0; k < want; k++) {
			uint32_t j = (uint32_t)((from + done + k) % f->n);
			uint32_t len = f->off[j + 1] - f->off[j];
			uint64_t addr = x->free[--x->nfree];
			memcpy(xsk_umem__get_data(x->area, addr), f->data + f->off[j], len);
			struct xdp_desc *d = xsk_ring_prod__tx_desc(&x->tx, idx + k);
			d->addr = addr;
			d->len = len;
		}
		xsk_ring_prod__submit(&x->tx, want);
		x->outstanding += want;
		done += want;
		int rc = xdp_kick(x);
		if (rc != 0)
			return rc;
	}
	return 0;
}

// Waits (DRAIN_NS at most) for every frame handed over to complete; the
// rest, and the descriptors the kernel found invalid, are failed.
uint64_t xdp_drain(struct xdp_tx *x)
{
	int64_t end = mono_ns() + DRAIN_NS;
	while (x->outstanding != 0 && mono_ns() < end) {
		(void)xdp_kick(x);
		xdp_reclaim(x);
		struct timespec ts = {0, 100000};
		nanosleep(&ts, NULL);
	}
	struct xdp_statistics st = {0};
	socklen_t sl = sizeof(st);
	uint64_t invalid = 0;
	if (getsockopt(xsk_socket__fd(x->xsk), SOL_XDP, XDP_STATISTICS, &st, &sl) == 0)
		invalid = st.tx_invalid_descs;
	return x->outstanding + invalid;
}

void xdp_close(struct xdp_tx *x)
{
	if (x == NULL)
		return;
	if (x->xsk)
		xsk_socket__delete(x->xsk);
	if (x->umem)
		xsk_umem__delete(x->umem);
	if (x->area)
		munmap(x->area, (size_t)XDP_SLOTS * XDP_FRAME);
	free(x);
}
#else
struct xdp_tx *xdp_open(const char *ifname)
{
	fprintf(stderr, "pcap_blast: built without libxdp: no -m xdp on %s\n", ifname);
	return NULL;
}

int xdp_send(struct xdp_tx *x, const struct frames *f, uint64_t from, uint32_t n)
{
	(void)x, (void)f, (void)from, (void)n;
	return -ENOSYS;
}

uint64_t xdp_drain(struct xdp_tx *x)
{
	(void)x;
	return 0;
}

void xdp_close(struct xdp_tx *x)
{
	(void)x;
}
#endif
