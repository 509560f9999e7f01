/* SPDX-License-Identifier: BSD-3-Clause */
// linerate-snmp's frame reader and fragment reassembly, over a capture the
// input describes: a link type, then frames as (2-octet length, octets),
// a second apart. Whatever st_frame_udp returns must point inside its
// frame, and whatever the table rebuilds must fit its bounds. Never a
// crash, a hang, a leak or a read past the input.
#include <pcap/dlt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "st_frame.h"
#include "st_reasm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int links[] = {DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW,
			    DLT_IPV4,	DLT_IPV6,      DLT_NULL,       DLT_LOOP};

static void inside(const uint8_t *p, size_t n, const uint8_t *frame, size_t caplen)
{
	if (p < frame || p + n > frame + caplen)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct st_reasm *r;
	if (!r && !(r = st_reasm_new(4))) // small: eviction gets exercised
		abort();
	if (size < 1)
		return 0;
	int link = links[data[0] % (sizeof(links) / sizeof(links[0]))];
	// the top bits: octets the capture dropped after each frame
	size_t dropped = data[0] >> 4, pos = 1;
	for (int64_t now = 0; size - pos >= 2; now++) {
		size_t n = (size_t)(data[pos] << 8 | data[pos + 1]);
		pos += 2;
		n = n < size - pos ? n : size - pos;
		// a copy of its own, so that ASan sees a read past the frame
		uint8_t *frame = malloc(n ? n : 1);
		if (!frame)
			abort();
		for (size_t i = 0; i < n; i++)
			frame[i] = data[pos + i];
		pos += n;
		struct st_udp u;
		struct st_reasm_datagram dg;
		switch (st_frame_udp(link, frame, n, n + dropped, &u)) {
		case ST_UDP:
		case ST_UDP_CUT:
			inside(u.payload, u.len, frame, n);
			break;
		case ST_FRAGMENT:
			inside(u.frag.data, u.frag.cut ? 0 : u.frag.len, frame, n);
			if (st_reasm_add(r, &u, now, &dg) != ST_REASM_DONE)
				break;
			if (dg.len > ST_REASM_MAX || dg.fragments < 1)
				__builtin_trap();
			if (st_frame_reassembled(dg.data, dg.len, &u) == ST_UDP &&
			    u.len + 8 != dg.len)
				__builtin_trap();
			break;
		default:
			break;
		}
		free(frame);
	}
	st_reasm_finish(r);
	return 0;
}
