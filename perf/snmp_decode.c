/* SPDX-License-Identifier: BSD-3-Clause */
// snmp-decode: how fast proto decodes what the trap stage sees most, v2c
// SNMPv2-Traps, on one core: snmp_msg_decode of the whole message with its
// varbinds into a caller array (the spans zero-copy, every integer and OID
// checked). The traps are built by hand here (a mix of 2 to 8 varbinds,
// 160 octets on average) so the benchmark does not depend on the encoder it is
// not measuring. Run through perf/run.sh, which pins it to one core.
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include <linerate/snmp_msg.h>

#define NMSG	       64 // distinct traps, cycled
#define MSG_CAP	       512
#define VB_CAP	       16
#define WARMUP_SECONDS 0.3
#define MAX_SECONDS    3.0
#define ITERS	       100000000ULL

struct msg_set {
	uint8_t wire[NMSG][MSG_CAP];
	uint16_t len[NMSG];
	uint64_t octets;
};

// Byte writer building the message front to back; lengths are patched
// when a SEQUENCE closes (all contents here are under 256 octets, so
// every length is 81 xx or short: two octets reserved).
struct bld {
	uint8_t *p;
	size_t n;
	size_t open[8];
	int depth;
};

static void put(struct bld *b, const void *s, size_t n)
{
	memcpy(b->p + b->n, s, n);
	b->n += n;
}

static void open_seq(struct bld *b, uint8_t tag)
{
	b->p[b->n] = tag;
	b->n += 3; // tag, 81, length
	b->open[b->depth++] = b->n;
}

static void close_seq(struct bld *b)
{
	size_t start = b->open[--b->depth], len = b->n - start;
	if (len < 0x80) { // short form: shift the contents one octet left
		memmove(b->p + start - 1, b->p + start, len);
		b->p[start - 2] = (uint8_t)len;
		b->n--;
	} else {
		b->p[start - 2] = 0x81;
		b->p[start - 1] = (uint8_t)len;
	}
}

static void put_tlv(struct bld *b, uint8_t tag, const void *v, size_t n)
{
	uint8_t h[2] = {tag, (uint8_t)n};
	put(b, h, 2);
	put(b, v, n);
}

static void put_u32(struct bld *b, uint8_t tag, uint32_t v)
{
	uint8_t o[5];
	size_t n = 0;
	o[n++] = 0;
	for (int s = 24; s >= 0; s -= 8)
		o[n++] = (uint8_t)(v >> s);
	size_t skip = 0;
	while (skip < 4 && o[skip] == 0 && !(o[skip + 1] & 0x80))
		skip++;
	put_tlv(b, tag, o + skip, n - skip);
}

static void put_vb_begin(struct bld *b, const uint8_t *oid, size_t oid_len)
{
	open_seq(b, 0x30);
	put_tlv(b, 0x06, oid, oid_len);
}

static void make_traps(struct msg_set *s)
{
	static const uint8_t uptime[] = {0x2b, 6, 1, 2, 1, 1, 3, 0};
	static const uint8_t trap_oid[] = {0x2b, 6, 1, 6, 3, 1, 1, 4, 1, 0};
	static const uint8_t link_down[] = {0x2b, 6, 1, 6, 3, 1, 1, 5, 3};
	static const uint8_t if_descr[] = {0x2b, 6, 1, 2, 1, 2, 2, 1, 2, 0};
	static const uint8_t ent_var[] = {0x2b, 6, 1, 4, 1, 0x82, 0x37, 1, 2, 3, 0};
	s->octets = 0;
	for (int i = 0; i < NMSG; i++) {
		struct bld b = {.p = s->wire[i]};
		int extra = i % 7; // 0..6 varbinds after the two of the head
		open_seq(&b, 0x30);
		put_u32(&b, 0x02, 1);
		put_tlv(&b, 0x04, "public", 6);
		open_seq(&b, 0xa7);
		put_u32(&b, 0x02, 0x10000 + (uint32_t)i * 977);
		put_u32(&b, 0x02, 0);
		put_u32(&b, 0x02, 0);
		open_seq(&b, 0x30);
		put_vb_begin(&b, uptime, sizeof(uptime));
		put_u32(&b, 0x43, 1000000u + (uint32_t)i);
		close_seq(&b);
		put_vb_begin(&b, trap_oid, sizeof(trap_oid));
		put_tlv(&b, 0x06, link_down, sizeof(link_down));
		close_seq(&b);
		for (int k = 0; k < extra; k++) {
			uint8_t name[sizeof(if_descr)];
			memcpy(name, if_descr, sizeof(name));
			name[sizeof(name) - 1] = (uint8_t)(k + 1);
			switch (k % 3) {
			case 0:
				put_vb_begin(&b, name, sizeof(name));
				put_tlv(&b, 0x04, "GigabitEthernet0/1 link down", 28);
				break;
			case 1:
				put_vb_begin(&b, name, sizeof(name));
				put_u32(&b, 0x02, (uint32_t)k);
				break;
			default:
				put_vb_begin(&b, ent_var, sizeof(ent_var));
				put_u32(&b, 0x41, 0xfedcba98u);
			}
			close_seq(&b);
		}
		close_seq(&b);
		close_seq(&b);
		close_seq(&b);
		s->len[i] = (uint16_t)b.n;
		s->octets += b.n;
	}
}

// One pass over the set: a checksum so the work cannot be elided; exits
// on a decode error (the benchmark must measure successes).
static uint64_t pass(const struct msg_set *s)
{
	static struct snmp_varbind vb[VB_CAP];
	uint64_t sum = 0;
	struct snmp_msg m;
	for (int i = 0; i < NMSG; i++) {
		int rc = snmp_msg_decode(&m, s->wire[i], s->len[i], vb, VB_CAP);
		if (rc != 0) {
			fprintf(stderr, "snmp-decode: trap %d: %s at %u\n", i, snmp_strerror(rc),
				m.err_off);
			exit(1);
		}
		sum += (uint64_t)m.pdu.request_id + m.pdu.vb_count + vb[0].num.u32;
	}
	return sum;
}

int main(void)
{
	static struct msg_set traps;
	uint64_t sink = 0, done = 0;
	make_traps(&traps);

	double t0 = now();
	while (now() - t0 < WARMUP_SECONDS)
		sink += pass(&traps);
	double start = now(), el = 0;
	while (done < ITERS) {
		for (int k = 0; k < 256; k++)
			sink += pass(&traps);
		done += 256 * NMSG;
		el = now() - start;
		if (el > MAX_SECONDS)
			break;
	}
	double rate = (double)done / el;
	printf("snmp-decode: v2c traps (snmp_msg_decode, 2-8 varbinds, %.0f octets average): "
	       "%.2f M/s (%" PRIu64 " in %.2f s, %.0f ns each)\n",
	       (double)traps.octets / NMSG, rate / 1e6, done, el, 1e9 / rate);
	printf("snmp-decode: checksum %" PRIu64 "\n", sink);
	printf("snmp-decode: %.2f M/s\n", rate / 1e6);
	return 0;
}
