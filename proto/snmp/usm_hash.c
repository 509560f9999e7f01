/* SPDX-License-Identifier: BSD-3-Clause */
// SipHash-1-3 over two concatenated byte strings (engine ID then user name),
// written from the SipHash paper (Aumasson, Bernstein 2012): one SipRound
// per message word, three to finish.
#include <endian.h>
#include <string.h>

#include "usm_internal.h"

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

struct sip {
	uint64_t v0, v1, v2, v3;
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

static uint64_t le64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8); // one load: gcc left the octet loop a loop
	return le64toh(v);
}

uint64_t usm_hash(const uint64_t k[2], const uint8_t *a, size_t alen, const uint8_t *b,
		  size_t blen)
{
	// both strings are at most 32 octets (engine ID, user name): one
	// buffer, hashed a word at a time. The first string's length goes
	// first, so ("ab", "c") and ("a", "bc") differ.
	// Only the octets after the strings are zeroed (the last word's): a
	// whole-buffer initialiser is a rep stos longer than the hash.
	uint8_t buf[1 + USM_ENGINE_ID_MAX + USM_NAME_MAX + 8];
	alen = alen > USM_ENGINE_ID_MAX ? USM_ENGINE_ID_MAX : alen;
	blen = blen > USM_NAME_MAX ? USM_NAME_MAX : blen;
	size_t n = 1 + alen + blen;
	buf[0] = (uint8_t)alen;
	if (alen)
		memcpy(buf + 1, a, alen);
	if (blen)
		memcpy(buf + 1 + alen, b, blen);
	memset(buf + n, 0, 8);
	struct sip s = {
		.v0 = k[0] ^ 0x736f6d6570736575ull,
		.v1 = k[1] ^ 0x646f72616e646f6dull,
		.v2 = k[0] ^ 0x6c7967656e657261ull,
		.v3 = k[1] ^ 0x7465646279746573ull,
	};
	size_t whole = n / 8 * 8;
	for (size_t i = 0; i < whole; i += 8)
		word(&s, le64(buf + i));
	// the last word: the remaining octets (zeros after them), length on top
	word(&s, le64(buf + whole) | (uint64_t)(n & 0xff) << 56);
	s.v2 ^= 0xff;
	round1(&s);
	round1(&s);
	round1(&s);
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}
