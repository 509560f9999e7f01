/* SPDX-License-Identifier: BSD-3-Clause */
// Bounded reader and writer over a byte buffer, after Knot DNS's wire_ctx.
//
// Every read checks what remains. The first failure sets a sticky error and
// parks the cursor; later reads return zero and write nothing, so a parser
// reads a whole structure and checks `err` once at the end. All functions are
// inline, allocation-free and thread-compatible (one cursor, one thread).
#ifndef LINERATE_WIRE_H
#define LINERATE_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

// Errors of the cursor itself; protocol modules map them to their own codes.
enum {
	WIRE_OK = 0,
	WIRE_ETRUNC = -1001,  // read past the end
	WIRE_ENOSPACE = -1002, // write past the end
	WIRE_ERANGE = -1003,  // seek outside the buffer
};

struct wire_cur {
	const uint8_t *start;
	const uint8_t *pos;
	const uint8_t *end;
	int err;
};

struct wire_wr {
	uint8_t *start;
	uint8_t *pos;
	uint8_t *end;
	int err;
};

static inline void wire_cur_init(struct wire_cur *c, const void *buf, size_t len)
{
	c->start = (const uint8_t *)buf;
	c->pos = c->start;
	c->end = c->start + len;
	c->err = WIRE_OK;
}

static inline size_t wire_cur_left(const struct wire_cur *c)
{
	return c->err ? 0 : (size_t)(c->end - c->pos);
}

static inline size_t wire_cur_offset(const struct wire_cur *c)
{
	return (size_t)(c->pos - c->start);
}

static inline bool wire_cur_need(struct wire_cur *c, size_t n)
{
	if (c->err)
		return false;
	if ((size_t)(c->end - c->pos) < n) {
		c->err = WIRE_ETRUNC;
		return false;
	}
	return true;
}

static inline void wire_cur_seek(struct wire_cur *c, size_t off)
{
	if (c->err)
		return;
	if (off > (size_t)(c->end - c->start)) {
		c->err = WIRE_ERANGE;
		return;
	}
	c->pos = c->start + off;
}

static inline void wire_cur_skip(struct wire_cur *c, size_t n)
{
	if (wire_cur_need(c, n))
		c->pos += n;
}

static inline uint8_t wire_read_u8(struct wire_cur *c)
{
	if (!wire_cur_need(c, 1))
		return 0;
	return *c->pos++;
}

static inline uint16_t wire_read_u16(struct wire_cur *c)
{
	if (!wire_cur_need(c, 2))
		return 0;
	uint16_t v = (uint16_t)((c->pos[0] << 8) | c->pos[1]);
	c->pos += 2;
	return v;
}

static inline uint32_t wire_read_u32(struct wire_cur *c)
{
	if (!wire_cur_need(c, 4))
		return 0;
	uint32_t v = ((uint32_t)c->pos[0] << 24) | ((uint32_t)c->pos[1] << 16) |
		     ((uint32_t)c->pos[2] << 8) | c->pos[3];
	c->pos += 4;
	return v;
}

static inline uint64_t wire_read_u48(struct wire_cur *c)
{
	uint64_t hi = wire_read_u16(c);
	return (hi << 32) | wire_read_u32(c);
}

static inline void wire_read_bytes(struct wire_cur *c, void *dst, size_t n)
{
	if (!wire_cur_need(c, n))
		return;
	memcpy(dst, c->pos, n);
	c->pos += n;
}

// A view of the next n bytes, or NULL (with the error set) if fewer remain.
static inline const uint8_t *wire_read_view(struct wire_cur *c, size_t n)
{
	if (!wire_cur_need(c, n))
		return NULL;
	const uint8_t *p = c->pos;
	c->pos += n;
	return p;
}

static inline void wire_wr_init(struct wire_wr *w, void *buf, size_t cap)
{
	w->start = (uint8_t *)buf;
	w->pos = w->start;
	w->end = w->start + cap;
	w->err = WIRE_OK;
}

static inline size_t wire_wr_len(const struct wire_wr *w)
{
	return (size_t)(w->pos - w->start);
}

static inline size_t wire_wr_left(const struct wire_wr *w)
{
	return w->err ? 0 : (size_t)(w->end - w->pos);
}

static inline bool wire_wr_need(struct wire_wr *w, size_t n)
{
	if (w->err)
		return false;
	if ((size_t)(w->end - w->pos) < n) {
		w->err = WIRE_ENOSPACE;
		return false;
	}
	return true;
}

static inline void wire_write_u8(struct wire_wr *w, uint8_t v)
{
	if (wire_wr_need(w, 1))
		*w->pos++ = v;
}

static inline void wire_write_u16(struct wire_wr *w, uint16_t v)
{
	if (!wire_wr_need(w, 2))
		return;
	w->pos[0] = (uint8_t)(v >> 8);
	w->pos[1] = (uint8_t)v;
	w->pos += 2;
}

static inline void wire_write_u32(struct wire_wr *w, uint32_t v)
{
	if (!wire_wr_need(w, 4))
		return;
	w->pos[0] = (uint8_t)(v >> 24);
	w->pos[1] = (uint8_t)(v >> 16);
	w->pos[2] = (uint8_t)(v >> 8);
	w->pos[3] = (uint8_t)v;
	w->pos += 4;
}

static inline void wire_write_u48(struct wire_wr *w, uint64_t v)
{
	wire_write_u16(w, (uint16_t)(v >> 32));
	wire_write_u32(w, (uint32_t)v);
}

static inline void wire_write_bytes(struct wire_wr *w, const void *src, size_t n)
{
	if (!wire_wr_need(w, n))
		return;
	if (n)
		memcpy(w->pos, src, n);
	w->pos += n;
}

static inline void wire_put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline uint16_t wire_get_u16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t wire_get_u32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline void wire_put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

#endif
