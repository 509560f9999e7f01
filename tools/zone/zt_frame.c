/* SPDX-License-Identifier: BSD-3-Clause */
// Length-prefixed message frames (RFC 1035 §4.2.2 framing) on stdio streams.
#include "zt_frame.h"

static const char *const frame_errors[] = {
#define ZT_FRAME_MSG_(sym, msg) [sym - ZT_FRAME_EBASE_ - 1] = msg,
	ZT_FRAME_ERRORS(ZT_FRAME_MSG_)
#undef ZT_FRAME_MSG_
};

const char *zt_frame_strerror(int err)
{
	if (err > ZT_FRAME_EBASE_ && err < ZT_FRAME_ELAST_)
		return frame_errors[err - ZT_FRAME_EBASE_ - 1];
	return "unknown frame error";
}

int zt_frame_read(FILE *in, uint8_t *buf, size_t cap, size_t limit, size_t *len)
{
	uint8_t prefix[2];
	size_t got = fread(prefix, 1, sizeof(prefix), in);
	*len = 0;
	if (got < sizeof(prefix)) {
		if (ferror(in))
			return ZT_FRAME_EIO;
		return got == 0 ? 0 : ZT_FRAME_ETRUNC_PREFIX;
	}
	*len = (size_t)prefix[0] << 8 | prefix[1];
	if (*len > limit || *len > cap)
		return ZT_FRAME_ETOOBIG;
	if (fread(buf, 1, *len, in) != *len)
		return ferror(in) ? ZT_FRAME_EIO : ZT_FRAME_ETRUNC_BODY;
	return 1;
}

int zt_frame_write(FILE *out, const uint8_t *buf, size_t len)
{
	if (len > ZT_FRAME_MAX)
		return ZT_FRAME_ETOOBIG;
	uint8_t prefix[2] = {(uint8_t)(len >> 8), (uint8_t)len};
	if (fwrite(prefix, 1, sizeof(prefix), out) != sizeof(prefix))
		return ZT_FRAME_EIO;
	// An empty frame may come with buf NULL, which fwrite must never see.
	if (len && fwrite(buf, 1, len, out) != len)
		return ZT_FRAME_EIO;
	return 0;
}
