/* SPDX-License-Identifier: BSD-3-Clause */
// pcap_blast: the frames of a pcap sent on an interface at a given rate, for
// perf/traps_bench.py (traps-vs-snmptrapd, trap-burst), where tcpreplay tops
// out near 60k pps onto a veth. The pcap is read into memory once (libpcap)
// and its frames are cycled through an AF_PACKET TX ring (TPACKET_V2,
// PACKET_QDISC_BYPASS): a batch of due frames is copied into the ring and
// handed to the kernel with one send(). Pacing is by the monotonic clock: at
// each step the frames due since the start (rate x elapsed) are queued, at
// most BATCH at once; ahead of time it sleeps until the next one is due (it
// never spins: on a 2-core machine its core is shared with threads it must not
// starve, and frames a late wake-up leaves due go out together in the next
// batch). Bounded by the count and by seconds. The last line:
//   pcap_blast: sent N frames in S s: R pps (asked A pps), F failed, C CPU s (P% of a core)
// A frame counts as sent once the kernel has taken it from the ring; on a
// veth, the receiving end's stack runs inside that send, on the caller's core.
//
// With -m xdp the frames go through an AF_XDP socket's TX ring instead (copy
// mode, queue 0, no XDP program of its own: libxdp's xsk API): no
// AF_PACKET socket and no qdisc on the way, and a frame counts as sent once
// its slot comes back on the completion ring. Into a receiver on an AF_XDP
// socket too (linerated on net_af_xdp), no skb reaches an IP stack on
// either end: on this veth that more than doubles what one core offers.
//
// usage: pcap_blast -i IFACE -r PCAP [-p PPS] [-n COUNT] [-t SECONDS] [-b BATCH]
//        [-m ring|mmsg|xdp]  (mmsg: sendmmsg() of BATCH frames instead of the TX ring)
//        (root or CAP_NET_RAW; PPS 0 is as fast as it goes)
#include <errno.h>
#include <inttypes.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "pcap_blast.h"

#define MAX_FRAMES     1000000u		 // frames kept from the pcap
#define MAX_OCTETS     (256u << 20)	 // octets kept from the pcap
#define MAX_COUNT      100000000ULL	 // frames a run sends at most
#define MAX_SECONDS    60.0
#define MAX_BATCH      1024u
#define RING_FRAME     2048u		 // octets a ring slot
#define RING_BLOCK     (1u << 16)	 // octets a ring block
#define RING_SLOTS     8192u		 // 16 MiB of ring

enum mode { MODE_RING, MODE_MMSG, MODE_XDP };

struct ring {
	int fd;
	uint8_t *map; // NULL: no TX ring, frames go by sendmmsg()
	uint32_t next; // the slot to fill next
	uint32_t data_off;
	uint64_t failed; // slots the kernel gave back as TP_STATUS_WRONG_FORMAT
};

int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NS + ts.tv_nsec;
}

static int frames_load(struct frames *f, const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);
	if (p == NULL) {
		fprintf(stderr, "pcap_blast: %s: %s\n", path, err);
		return -EINVAL;
	}
	int rc = -EINVAL;
	size_t cap = 1u << 20, used = 0, ncap = 1024;
	f->data = malloc(cap);
	f->off = malloc(ncap * sizeof(*f->off));
	f->n = 0;
	if (f->data == NULL || f->off == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	if (pcap_datalink(p) != DLT_EN10MB) {
		fprintf(stderr, "pcap_blast: %s: not Ethernet frames\n", path);
		goto out;
	}
	struct pcap_pkthdr *h;
	const u_char *b;
	int r;
	while ((r = pcap_next_ex(p, &h, &b)) == 1) {
		if (h->caplen != h->len || h->caplen < ETH_HLEN) {
			fprintf(stderr, "pcap_blast: frame %" PRIu32 " truncated in the pcap\n", f->n);
			goto out;
		}
		if (f->n == MAX_FRAMES || used + h->caplen > MAX_OCTETS)
			break; // enough to cycle through
		if (used + h->caplen > cap) {
			cap = cap * 2 > MAX_OCTETS ? MAX_OCTETS : cap * 2;
			uint8_t *d = realloc(f->data, cap);
			if (d == NULL) {
				rc = -ENOMEM;
				goto out;
			}
			f->data = d;
		}
		if (f->n + 2 > ncap) {
			ncap *= 2;
			uint32_t *o = realloc(f->off, ncap * sizeof(*o));
			if (o == NULL) {
				rc = -ENOMEM;
				goto out;
			}
			f->off = o;
		}
		f->off[f->n++] = (uint32_t)used;
		memcpy(f->data + used, b, h->caplen);
		used += h->caplen;
	}
	if (r == -1) {
		fprintf(stderr, "pcap_blast: %s: %s\n", path, pcap_geterr(p));
		goto out;
	}
	if (f->n == 0) {
		fprintf(stderr, "pcap_blast: %s: no frames\n", path);
		goto out;
	}
	f->off[f->n] = (uint32_t)used;
	rc = 0;
out:
	pcap_close(p);
	return rc;
}

static int ring_open(struct ring *r, const char *ifname, bool use_ring)
{
	unsigned int ifindex = if_nametoindex(ifname);
	if (ifindex == 0) {
		fprintf(stderr, "pcap_blast: %s: %s\n", ifname, strerror(errno));
		return -errno;
	}
	// protocol 0: the socket sends only, it receives nothing
	r->fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (r->fd < 0) {
		fprintf(stderr, "pcap_blast: AF_PACKET socket: %s\n", strerror(errno));
		return -errno;
	}
	int v2 = TPACKET_V2, one = 1;
	struct tpacket_req req = {
		.tp_block_size = RING_BLOCK,
		.tp_block_nr = RING_SLOTS / (RING_BLOCK / RING_FRAME),
		.tp_frame_size = RING_FRAME,
		.tp_frame_nr = RING_SLOTS,
	};
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_ifindex = (int)ifindex,
	};
	if (setsockopt(r->fd, SOL_PACKET, PACKET_VERSION, &v2, sizeof(v2)) != 0 ||
	    setsockopt(r->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) != 0 ||
	    (use_ring && setsockopt(r->fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof(req)) != 0) ||
	    bind(r->fd, (struct sockaddr *)&sll, sizeof(sll)) != 0) {
		fprintf(stderr, "pcap_blast: TX ring on %s: %s\n", ifname, strerror(errno));
		close(r->fd);
		return -errno;
	}
	r->next = 0;
	r->failed = 0;
	r->data_off = TPACKET_ALIGN(sizeof(struct tpacket2_hdr));
	r->map = NULL;
	if (!use_ring)
		return 0;
	r->map = mmap(NULL, (size_t)RING_SLOTS * RING_FRAME, PROT_READ | PROT_WRITE, MAP_SHARED,
		      r->fd, 0);
	if (r->map == MAP_FAILED) {
		fprintf(stderr, "pcap_blast: mmap of the TX ring: %s\n", strerror(errno));
		r->map = NULL;
		close(r->fd);
		return -errno;
	}
	return 0;
}

static struct tpacket2_hdr *slot(const struct ring *r, uint32_t i)
{
	return (struct tpacket2_hdr *)(r->map + (size_t)i * RING_FRAME);
}

static uint32_t slot_status(const struct tpacket2_hdr *h)
{
	return __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
}

// Hands the queued slots to the kernel; 0, or a negative errno.
static int ring_kick(const struct ring *r)
{
	if (send(r->fd, NULL, 0, MSG_DONTWAIT) >= 0)
		return 0;
	if (errno == EAGAIN || errno == ENOBUFS || errno == EINTR)
		return 0; // the ring is full or the device busy: kicked again later
	return -errno;
}

// Waits until slot i is free (its frame sent and its buffer released).
static int ring_wait_slot(struct ring *r, uint32_t i)
{
	struct tpacket2_hdr *h = slot(r, i);
	for (;;) {
		uint32_t st = slot_status(h);
		if (st == TP_STATUS_AVAILABLE)
			return 0;
		if (st == TP_STATUS_WRONG_FORMAT) {
			r->failed++;
			__atomic_store_n(&h->tp_status, TP_STATUS_AVAILABLE, __ATOMIC_RELEASE);
			return 0;
		}
		int rc = ring_kick(r);
		if (rc != 0)
			return rc;
		struct pollfd pfd = {.fd = r->fd, .events = POLLOUT};
		(void)poll(&pfd, 1, 1);
	}
}

// Queues frames [from, from + n) of f (cycled) and kicks once.
static int ring_send(struct ring *r, const struct frames *f, uint64_t from, uint32_t n)
{
	for (uint32_t k = 0; k < n; k++) {
		uint32_t j = (uint32_t)((from + k) % f->n);
		uint32_t len = f->off[j + 1] - f->off[j];
		int rc = ring_wait_slot(r, r->next);
		if (rc != 0)
			return rc;
		struct tpacket2_hdr *h = slot(r, r->next);
		memcpy((uint8_t *)h + r->data_off, f->data + f->off[j], len);
		h->tp_len = len;
		__atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
		r->next = (r->next + 1) % RING_SLOTS;
	}
	return ring_kick(r);
}

// Sends frames [from, from + n) of f (cycled, n <= MAX_BATCH) with
// sendmmsg(), straight from the pcap's copy in memory; a full device queue
// is waited out.
static int mmsg_send(const struct ring *r, const struct frames *f, uint64_t from, uint32_t n)
{
	static struct mmsghdr mm[MAX_BATCH];
	static struct iovec iov[MAX_BATCH];
	for (uint32_t k = 0; k < n; k++) {
		uint32_t j = (uint32_t)((from + k) % f->n);
		iov[k] = (struct iovec){f->data + f->off[j], f->off[j + 1] - f->off[j]};
		mm[k] = (struct mmsghdr){.msg_hdr = {.msg_iov = &iov[k], .msg_iovlen = 1}};
	}
	for (uint32_t done = 0; done < n;) {
		int k = sendmmsg(r->fd, mm + done, n - done, 0);
		if (k > 0) {
			done += (uint32_t)k;
		} else if (k < 0 && errno != EAGAIN && errno != ENOBUFS && errno != EINTR) {
			return -errno;
		} else {
			struct pollfd pfd = {.fd = r->fd, .events = POLLOUT};
			(void)poll(&pfd, 1, 1);
		}
	}
	return 0;
}

// Waits (DRAIN_NS at most) for every slot to leave the ring; the frames
// still in it then are counted as failed.
static void ring_drain(struct ring *r)
{
	if (r->map == NULL)
		return; // sendmmsg() returned once the kernel had every frame
	int64_t end = mono_ns() + DRAIN_NS;
	uint32_t left;
	do {
		left = 0;
		for (uint32_t i = 0; i < RING_SLOTS; i++) {
			uint32_t st = slot_status(slot(r, i));
			if (st == TP_STATUS_WRONG_FORMAT) {
				r->failed++;
				__atomic_store_n(&slot(r, i)->tp_status, TP_STATUS_AVAILABLE,
						 __ATOMIC_RELEASE);
			} else if (st != TP_STATUS_AVAILABLE) {
				left++;
			}
		}
		if (left != 0) {
			(void)ring_kick(r);
			struct timespec ts = {0, 1000000};
			nanosleep(&ts, NULL);
		}
	} while (left != 0 && mono_ns() < end);
	r->failed += left;
}

// CPU seconds this process has used (user and system: on a veth, the
// receiving stack's softirq work inside send() is charged here too).
static double cpu_seconds(void)
{
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0.0;
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

static void sleep_until(int64_t t)
{
	struct timespec ts = {(time_t)(t / NS), (long)(t % NS)};
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: pcap_blast -i IFACE -r PCAP [-p PPS] [-n COUNT (1..%llu)] "
		"[-t SECONDS (<= %.0f)] [-b BATCH (1..%u)] [-m ring|mmsg|xdp]\n",
		MAX_COUNT, MAX_SECONDS, MAX_BATCH);
	exit(2);
}

static unsigned long long arg_num(const char *s, unsigned long long lo, unsigned long long hi)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || *s == '-' || v < lo || v > hi)
		usage();
	return v;
}

int main(int argc, char **argv)
{
	const char *ifname = NULL, *path = NULL;
	uint64_t pps = 0, count = 0;
	double seconds = 10.0;
	uint32_t batch = 64;
	int c;
	enum mode mode = MODE_RING;
	while ((c = getopt(argc, argv, "i:r:p:n:t:b:m:")) != -1) {
		switch (c) {
		case 'i': ifname = optarg; break;
		case 'r': path = optarg; break;
		case 'p': pps = arg_num(optarg, 0, 100000000); break;
		case 'n': count = arg_num(optarg, 1, MAX_COUNT); break;
		case 't': seconds = (double)arg_num(optarg, 1, (unsigned long long)MAX_SECONDS); break;
		case 'b': batch = (uint32_t)arg_num(optarg, 1, MAX_BATCH); break;
		case 'm':
			if (strcmp(optarg, "ring") == 0)
				mode = MODE_RING;
			else if (strcmp(optarg, "mmsg") == 0)
				mode = MODE_MMSG;
			else if (strcmp(optarg, "xdp") == 0)
				mode = MODE_XDP;
			else
				usage();
			break;
		default: usage();
		}
	}
	if (ifname == NULL || path == NULL || optind != argc)
		usage();

	struct frames f;
	if (frames_load(&f, path) != 0)
		return 1;
	for (uint32_t j = 0; j < f.n; j++)
		if (f.off[j + 1] - f.off[j] >
			    RING_FRAME - TPACKET_ALIGN(sizeof(struct tpacket2_hdr)) ||
		    f.off[j + 1] - f.off[j] > XDP_FRAME) {
			fprintf(stderr, "pcap_blast: frame %" PRIu32 " too long for a ring slot\n", j);
			return 1;
		}
	if (count == 0)
		count = f.n;
	struct ring r = {.fd = -1};
	struct xdp_tx *x = NULL;
	if (mode == MODE_XDP ? (x = xdp_open(ifname)) == NULL
			     : ring_open(&r, ifname, mode == MODE_RING) != 0)
		return 1;

	double cpu0 = cpu_seconds();
	int64_t t0 = mono_ns(), deadline = t0 + (int64_t)(seconds * (double)NS), t = t0;
	uint64_t queued = 0;
	int rc = 0;
	while (queued < count && t < deadline) {
		uint64_t due = count;
		if (pps != 0) {
			// frames due by now: ((t - t0) * pps) / 1e9, in 128 bits
			unsigned __int128 d = (unsigned __int128)(t - t0) * pps / NS + 1;
			due = d < count ? (uint64_t)d : count;
		}
		if (due > queued) {
			uint64_t n = due - queued;
			uint32_t k = n > batch ? batch : (uint32_t)n;
			switch (mode) {
			case MODE_RING:
				rc = ring_send(&r, &f, queued, k);
				break;
			case MODE_MMSG:
				rc = mmsg_send(&r, &f, queued, k);
				break;
			case MODE_XDP:
				rc = xdp_send(x, &f, queued, k);
				break;
			}
			if (rc != 0)
				break;
			queued += k;
		} else {
			sleep_until(t0 + (int64_t)((unsigned __int128)queued * NS / pps));
		}
		t = mono_ns();
	}
	// the rate over the sending; the ring's drain after it is not pacing
	double secs = (double)(mono_ns() - t0) / (double)NS, cpu = cpu_seconds() - cpu0;
	if (x != NULL)
		r.failed = xdp_drain(x);
	else
		ring_drain(&r);
	uint64_t sent = queued - (r.failed < queued ? r.failed : queued);
	printf("pcap_blast: sent %" PRIu64 " frames in %.3f s: %.0f pps (asked %" PRIu64
	       " pps), %" PRIu64 " failed, %.2f CPU s (%.0f%% of a core)%s%s\n",
	       sent, secs, secs > 0 ? (double)sent / secs : 0.0, pps, r.failed, cpu,
	       secs > 0 ? 100.0 * cpu / secs : 0.0,
	       queued < count ? "; stopped early: " : "",
	       queued < count ? (rc != 0 ? strerror(-rc) : "time limit") : "");
	if (r.map != NULL)
		munmap(r.map, (size_t)RING_SLOTS * RING_FRAME);
	if (r.fd >= 0)
		close(r.fd);
	xdp_close(x);
	free(f.data);
	free(f.off);
	return rc != 0 || queued < count ? 1 : 0;
}
