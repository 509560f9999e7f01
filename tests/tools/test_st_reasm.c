/* SPDX-License-Identifier: BSD-3-Clause */
// linerate-snmp's fragments: what st_frame reads of them, and the
// reassembly table's answers to overlaps, lying ends, oversize, eviction,
// time and the end of the capture.
#include <criterion/criterion.h>
#include <pcap/dlt.h>
#include <string.h>
#include <sys/socket.h>

#include "st_frame.h"
#include "st_reasm.h"

// A raw IPv4 fragment: id, offset in 8-octet units, MF, n payload octets
// of `fill` (or from data).
static size_t ipv4_frag(uint8_t *out, uint16_t id, unsigned units, bool more, const uint8_t *data,
			size_t n, uint8_t proto)
{
	size_t total = 20 + n;
	uint16_t fo = (uint16_t)(units | (more ? 0x2000 : 0));
	uint8_t h[20] = {0x45,
			 0,
			 (uint8_t)(total >> 8),
			 (uint8_t)total,
			 (uint8_t)(id >> 8),
			 (uint8_t)id,
			 (uint8_t)(fo >> 8),
			 (uint8_t)fo,
			 64,
			 proto,
			 0,
			 0,
			 192,
			 0,
			 2,
			 1,
			 192,
			 0,
			 2,
			 53};
	memcpy(out, h, 20);
	memcpy(out + 20, data, n);
	return total;
}

// A raw IPv6 packet with a Fragment header.
static size_t ipv6_frag(uint8_t *out, uint32_t id, unsigned units, bool more, const uint8_t *data,
			size_t n)
{
	size_t plen = 8 + n;
	memset(out, 0, 48);
	out[0] = 0x60;
	out[4] = (uint8_t)(plen >> 8);
	out[5] = (uint8_t)plen;
	out[6] = 44;
	out[7] = 64;
	out[8] = out[24] = 0x20; // 2001:db8::1 → 2001:db8::53
	out[9] = out[25] = 0x01;
	out[10] = out[26] = 0x0d;
	out[11] = out[27] = 0xb8;
	out[23] = 1;
	out[39] = 0x53;
	uint16_t fo = (uint16_t)(units << 3 | more);
	uint8_t fh[8] = {17,
			 0,
			 (uint8_t)(fo >> 8),
			 (uint8_t)fo,
			 (uint8_t)(id >> 24),
			 (uint8_t)(id >> 16),
			 (uint8_t)(id >> 8),
			 (uint8_t)id};
	memcpy(out + 40, fh, 8);
	memcpy(out + 48, data, n);
	return 48 + n;
}

static uint8_t payload[4096];
static uint8_t frame[8192];

static void init_payload(void)
{
	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 7 + 3);
}

TestSuite(st_frame_frag, .init = init_payload);
TestSuite(st_reasm, .init = init_payload);

Test(st_frame_frag, ipv4_fragment_key_offset_and_payload)
{
	struct st_udp u;
	size_t n = ipv4_frag(frame, 0xbeef, 3, true, payload, 16, 17);
	cr_assert_eq(st_frame_udp(DLT_RAW, frame, n, n, &u), ST_FRAGMENT);
	cr_assert_eq(u.family, AF_INET);
	cr_assert_eq(u.frag.id, 0xbeef);
	cr_assert_eq(u.frag.proto, 17);
	cr_assert_eq(u.frag.offset, 24);
	cr_assert(u.frag.more);
	cr_assert_not(u.frag.cut);
	cr_assert_eq(u.frag.data, frame + 20);
	cr_assert_eq(u.frag.len, 16);
	cr_assert_eq(u.src[3], 1);
	cr_assert_eq(u.dst[3], 53);
	// cut by the snap length: reported so
	cr_assert_eq(st_frame_udp(DLT_RAW, frame, n - 4, n, &u), ST_FRAGMENT);
	cr_assert(u.frag.cut);
}

Test(st_frame_frag, ipv6_fragment_header_read)
{
	struct st_udp u;
	size_t n = ipv6_frag(frame, 0x12345678, 8191, false, payload, 5);
	cr_assert_eq(st_frame_udp(DLT_IPV6, frame, n, n, &u), ST_FRAGMENT);
	cr_assert_eq(u.family, AF_INET6);
	cr_assert_eq(u.frag.id, 0x12345678);
	cr_assert_eq(u.frag.proto, 17);
	cr_assert_eq(u.frag.offset, 8191 * 8);
	cr_assert_not(u.frag.more);
	cr_assert_eq(u.frag.data, frame + 48);
	cr_assert_eq(u.frag.len, 5);
}

Test(st_frame_frag, bad_fragments_are_bad_headers)
{
	struct st_udp u;
	// more to come but not a multiple of 8 octets (RFC 8200 §4.5), or empty
	size_t n = ipv4_frag(frame, 1, 0, true, payload, 12, 17);
	cr_assert_eq(st_frame_udp(DLT_RAW, frame, n, n, &u), ST_BAD_HEADERS);
	n = ipv4_frag(frame, 1, 1, true, payload, 0, 17);
	cr_assert_eq(st_frame_udp(DLT_RAW, frame, n, n, &u), ST_BAD_HEADERS);
	n = ipv6_frag(frame, 1, 0, true, payload, 12);
	cr_assert_eq(st_frame_udp(DLT_RAW, frame, n, n, &u), ST_BAD_HEADERS);
	// a Fragment header cut short, whatever the payload length says
	n = ipv6_frag(frame, 1, 0, false, payload, 0);
	for (size_t cap = 40; cap < n; cap++)
		cr_assert_eq(st_frame_udp(DLT_RAW, frame, cap, cap, &u), ST_BAD_HEADERS, "%zu",
			     cap);
	frame[5] = 4; // payload length 4: shorter than the Fragment header
	cr_assert_eq(st_frame_udp(DLT_RAW, frame, n, n, &u), ST_BAD_HEADERS);
}

Test(st_frame_frag, reassembled_udp_length_must_match)
{
	struct st_udp u = {0};
	uint8_t d[20] = {0x9c, 0x40, 0, 162, 0, 20, 0, 0};
	cr_assert_eq(st_frame_reassembled(d, 20, &u), ST_UDP);
	cr_assert_eq(u.dport, 162);
	cr_assert_eq(u.len, 12);
	cr_assert_eq(u.payload, d + 8);
	cr_assert_eq(st_frame_reassembled(d, 19, &u), ST_BAD_HEADERS);
	d[5] = 12;
	cr_assert_eq(st_frame_reassembled(d, 20, &u), ST_BAD_HEADERS);
	cr_assert_eq(st_frame_reassembled(d, 7, &u), ST_BAD_HEADERS);
}

// One fragment of `payload`, [units*8, +n), through st_frame: IPv4 or
// IPv6, the last `cut` octets not captured, payload[flip - 1] changed.
struct step {
	bool v6;
	uint16_t id;
	unsigned units;
	bool more;
	size_t n, cut, flip;
	enum st_reasm_result want;
};

static enum st_reasm_result add(struct st_reasm *r, const struct step *s, int64_t now,
				struct st_reasm_datagram *out)
{
	struct st_udp u;
	// offsets past the buffer: their octets do not matter
	const uint8_t *data = payload + s->units * 8 % 2048;
	if (s->flip)
		payload[s->flip - 1] ^= 1;
	size_t len = s->v6 ? ipv6_frag(frame, s->id, s->units, s->more, data, s->n)
			   : ipv4_frag(frame, s->id, s->units, s->more, data, s->n, 17);
	cr_assert_eq(st_frame_udp(DLT_RAW, frame, len - s->cut, len, &u), ST_FRAGMENT);
	enum st_reasm_result got = st_reasm_add(r, &u, now, out);
	if (s->flip)
		payload[s->flip - 1] ^= 1;
	return got;
}

static void run(struct st_reasm *r, const struct step *s, size_t count,
		struct st_reasm_datagram *out)
{
	for (size_t i = 0; i < count; i++)
		cr_assert_eq(add(r, &s[i], 0, out), s[i].want, "step %zu", i);
}

#define RUN(r, steps, dg) run(r, steps, sizeof(steps) / sizeof(steps[0]), dg)

// An IPv4 fragment of datagram id.
static enum st_reasm_result add4(struct st_reasm *r, uint16_t id, unsigned units, bool more,
				 size_t n, int64_t now, struct st_reasm_datagram *out)
{
	struct step s = {.id = id, .units = units, .more = more, .n = n};
	return add(r, &s, now, out);
}

Test(st_reasm, any_order_and_duplicates_rebuild_the_datagram)
{
	static const struct step steps[] = {
		{.id = 7, .units = 4, .n = 5, .want = ST_REASM_HELD},		  // [32, 37)
		{.id = 7, .units = 2, .more = 1, .n = 16, .want = ST_REASM_HELD}, // [16, 32)
		{.id = 7, .units = 2, .more = 1, .n = 16, .want = ST_REASM_HELD}, // again
		{.id = 8, .more = 1, .n = 8, .want = ST_REASM_HELD},		  // another one
		{.id = 7, .more = 1, .n = 24, .want = ST_REASM_DONE}, // overlaps, the same
	};
	struct st_reasm *r = st_reasm_new(4);
	struct st_reasm_datagram dg;
	RUN(r, steps, &dg);
	cr_assert_eq(dg.len, 37);
	cr_assert_eq(dg.proto, 17);
	cr_assert_eq(dg.fragments, 3);
	cr_assert_arr_eq(dg.data, payload, 37);
	st_reasm_finish(r);
	const struct st_reasm_stats *n = st_reasm_stats(r);
	cr_assert_eq(n->fragments, 5);
	cr_assert_eq(n->reassembled, 1);
	cr_assert_eq(n->incomplete, 1);
	st_reasm_free(r);
}

// Each a datagram of its own, none completed: which counter says why.
Test(st_reasm, disagreements_and_bounds_discard_the_datagram)
{
	static const struct step steps[] = {
		// other data where it overlaps; the rest of it, even agreeing, is
		// discarded too (RFC 5722 §4)
		{.id = 1, .more = 1, .n = 16, .want = ST_REASM_HELD},
		{.id = 1, .units = 1, .n = 16, .flip = 10, .want = ST_REASM_DROPPED},
		{.id = 1, .units = 1, .n = 16, .want = ST_REASM_DROPPED},
		// two last fragments ending at different places
		{.id = 2, .units = 1, .n = 8, .want = ST_REASM_HELD},
		{.id = 2, .units = 1, .n = 9, .want = ST_REASM_DROPPED},
		// data past the end a last fragment sets, before it or after it
		{.id = 3, .units = 2, .more = 1, .n = 8, .want = ST_REASM_HELD},
		{.id = 3, .units = 1, .n = 4, .want = ST_REASM_DROPPED},
		{.id = 4, .units = 1, .n = 4, .want = ST_REASM_HELD},
		{.id = 4, .units = 1, .more = 1, .n = 8, .want = ST_REASM_DROPPED},
		// past 65535 octets, and the rest of that datagram
		{.v6 = 1, .id = 5, .units = 8191, .n = 8, .want = ST_REASM_DROPPED},
		{.v6 = 1, .id = 5, .more = 1, .n = 8, .want = ST_REASM_DROPPED},
		// the longest that fits: 65535 octets end to end
		{.v6 = 1, .id = 6, .units = 8191, .n = 7, .want = ST_REASM_HELD},
		// cut by the snap length
		{.v6 = 1, .id = 7, .units = 1, .n = 8, .cut = 1, .want = ST_REASM_DROPPED},
	};
	struct st_reasm *r = st_reasm_new(8);
	struct st_reasm_datagram dg;
	RUN(r, steps, &dg);
	st_reasm_finish(r);
	const struct st_reasm_stats *n = st_reasm_stats(r);
	cr_assert_eq(n->overlapping, 4);
	cr_assert_eq(n->oversize, 1);
	cr_assert_eq(n->cut, 1);
	cr_assert_eq(n->incomplete, 1); // 6
	cr_assert_eq(n->reassembled, 0);
	st_reasm_free(r);
}

Test(st_reasm, atomic_fragment_stands_alone)
{
	static const struct step steps[] = {
		{.id = 5, .more = 1, .n = 8, .want = ST_REASM_HELD},
		{.v6 = 1, .id = 5, .n = 30, .want = ST_REASM_DONE}, // RFC 6946
	};
	struct st_reasm_datagram dg;
	struct st_reasm *r = st_reasm_new(1);
	RUN(r, steps, &dg);
	cr_assert_eq(dg.len, 30);
	cr_assert_eq(dg.fragments, 1);
	cr_assert_eq(st_reasm_stats(r)->evicted, 0);
	st_reasm_free(r);
}

Test(st_reasm, full_table_evicts_the_oldest)
{
	struct st_reasm_datagram dg;
	struct st_reasm *r = st_reasm_new(3);
	for (uint16_t id = 0; id < 5; id++)
		cr_assert_eq(add4(r, id, 0, true, 8, 0, &dg), ST_REASM_HELD);
	cr_assert_eq(st_reasm_stats(r)->evicted, 2);
	cr_assert_eq(add4(r, 2, 1, false, 8, 0, &dg), ST_REASM_DONE); // kept
	cr_assert_eq(add4(r, 0, 1, false, 8, 0, &dg), ST_REASM_HELD); // evicted: anew
	// a discarded datagram's slot is taken before one in progress
	payload[0] ^= 1;
	cr_assert_eq(add4(r, 3, 0, true, 8, 0, &dg), ST_REASM_DROPPED);
	payload[0] ^= 1;
	cr_assert_eq(add4(r, 9, 0, true, 8, 0, &dg), ST_REASM_HELD);
	cr_assert_eq(st_reasm_stats(r)->evicted, 2);
	st_reasm_finish(r);
	cr_assert_eq(st_reasm_stats(r)->incomplete, 3); // 4, 0, 9
	st_reasm_free(r);
}

Test(st_reasm, a_datagram_past_its_time_is_let_go)
{
	struct st_reasm_datagram dg;
	struct st_reasm *r = st_reasm_new(2);
	cr_assert_eq(add4(r, 1, 0, true, 8, 100, &dg), ST_REASM_HELD);
	cr_assert_eq(add4(r, 1, 1, false, 8, 100 + ST_REASM_TIMEOUT, &dg), ST_REASM_DONE);
	cr_assert_eq(add4(r, 1, 0, true, 8, 200, &dg), ST_REASM_HELD);
	cr_assert_eq(add4(r, 1, 1, false, 8, 201 + ST_REASM_TIMEOUT, &dg), ST_REASM_HELD);
	cr_assert_eq(st_reasm_stats(r)->incomplete, 1);
	st_reasm_free(r); // frees what it holds
}

Test(st_reasm, new_rejects_zero_and_free_takes_null)
{
	cr_assert_null(st_reasm_new(0));
	st_reasm_free(NULL);
}
