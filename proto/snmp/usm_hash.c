/* SPDX-License-Identifier: BSD-3-Clause */
// SipHash-1-3 over two concatenated byte strings (engine ID then user name),
// written from the SipHash paper (Aumasson, Bernstein 2012): one SipRound
// per message word, three to finish.
#include <string.h>

#include "usm_internal.h"

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

struct sip {
	uint64_t v0, v1, v2, v3;
	uint64_t tail; // bytes not yet a whole word, little-endian
	size_t ntail;
	size_t total;
};

static void round1(struct sip *s)
{
	s->v0 += s->v1;
	s->v1 = ROTL(s->v1, 13);
	s->v1 ^= s->v0;
	s->v0 = ROTL(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = ROTL(s->v3, 16);
	s->v3 ^= s->v2;
	s->v0 += s->v3;
	s->v3 = ROTL(s->v3, 21);
	s->v3 ^= s->v0;
	s->v2 += s->v1;
	s->v1 = ROTL(s->v1, 17);
	s->v1 ^= s->v2;
	s->v2 = ROTL(s->v2, 32);
}

static void word(struct sip *s, uint64_t m)
{
	s->v3 ^= m;
	round1(s);
	s->v0 ^= m;
}

static void feed(struct sip *s, const uint8_t *p, size_t n)
{
	s->total += n;
	for (size_t i = 0; i < n; i++) {
		s->tail |= (uint64_t)p[i] << (8 * s->ntail);
		if (++s->ntail == 8) {
			word(s, s->tail);
			s->tail = 0;
			s->ntail = 0;
		}
	}
}

uint64_t usm_hash(const uint64_t k[2], const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	struct sip s = {
		.v0 = k[0] ^ 0x736f6d6570736575ull,
		.v1 = k[1] ^ 0x646f72616e646f6dull,
		.v2 = k[0] ^ 0x6c7967656e657261ull,
		.v3 = k[1] ^ 0x7465646279746573ull,
	};
	// the first string's length goes first, so ("ab", "c") and ("a", "bc")
	// differ
	uint8_t l = (uint8_t)alen;
	feed(&s, &l, 1);
	feed(&s, a, alen);
	feed(&s, b, blen);
	word(&s, s.tail | (uint64_t)(s.total & 0xff) << 56);
	s.v2 ^= 0xff;
	round1(&s);
	round1(&s);
	round1(&s);
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}
