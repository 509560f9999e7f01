/* SPDX-License-Identifier: BSD-3-Clause */
// linerate-zone's batch framing: a stream of messages, each preceded by its
// length as two octets in network order, exactly as DNS over TCP frames them
// (RFC 1035 §4.2.2), so any DNS tool can write the input. `linerate-zone
// answer` reads query frames and writes one response frame per query; a
// zero-length response frame means the engine sent nothing.
#ifndef LINERATE_TOOLS_ZT_FRAME_H
#define LINERATE_TOOLS_ZT_FRAME_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

// The largest UDP payload over IPv4 (65535 − 20 − 8): a frame longer than
// this cannot be a UDP query.
#define ZT_FRAME_UDP_MAX 65507
#define ZT_FRAME_MAX	 65535

// X(symbol, message)
#define ZT_FRAME_ERRORS(X)                                                                         \
	X(ZT_FRAME_ETRUNC_PREFIX, "input ends inside a length prefix")                             \
	X(ZT_FRAME_ETRUNC_BODY, "input ends before the length the prefix announced")               \
	X(ZT_FRAME_ETOOBIG, "frame longer than the limit")                                         \
	X(ZT_FRAME_EIO, "read or write error")

enum zt_frame_err {
	ZT_FRAME_EBASE_ = -3000,
#define ZT_FRAME_ENUM_(sym, msg) sym,
	ZT_FRAME_ERRORS(ZT_FRAME_ENUM_)
#undef ZT_FRAME_ENUM_
		ZT_FRAME_ELAST_,
};

// Read one frame into buf, accepting at most limit octets (limit ≤ cap).
// Returns 1 with *len set, 0 at a clean end of input (between frames), or
// a ZT_FRAME_E* code; the announced length is in *len for ZT_FRAME_ETOOBIG
// and ZT_FRAME_ETRUNC_BODY.
int zt_frame_read(FILE *in, uint8_t *buf, size_t cap, size_t limit, size_t *len);

// Write len octets (≤ 65535) as one frame. 0, ZT_FRAME_ETOOBIG or ZT_FRAME_EIO.
int zt_frame_write(FILE *out, const uint8_t *buf, size_t len);

// Message of a ZT_FRAME_E* code; never NULL.
const char *zt_frame_strerror(int err);

#endif
