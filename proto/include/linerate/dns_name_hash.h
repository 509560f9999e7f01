/* SPDX-License-Identifier: BSD-3-Clause */
// Wire names lowered eight octets at a time and hashed sixteen, inline:
// the zone image's name hash (dns_name_hash_len and dns_name_lower_hash
// are these), here so the workers' fast lane (dns_fast.h) runs it without
// a call.
#ifndef LINERATE_DNS_NAME_HASH_H
#define LINERATE_DNS_NAME_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

// Eight octets with their ASCII capitals lowered, all at once (SWAR). A
// label length octet is at most 63, below 'A', so a whole wire name can be
// lowered this way.
static inline uint64_t dns_name_lower8(uint64_t w)
{
	const uint64_t hi = 0x8080808080808080ULL;
	uint64_t low7 = w & ~hi;
	uint64_t ge_a = low7 + 0x3f3f3f3f3f3f3f3fULL; // bit 7 set where ≥ 'A'
	uint64_t gt_z = low7 + 0x2525252525252525ULL; // bit 7 set where > 'Z'
	uint64_t upper = ge_a & ~gt_z & ~w & hi;
	return w | (upper >> 2);
}

static inline uint64_t dns_name_load8(const uint8_t *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return w;
}

// The 128-bit product of a and b, its halves folded together (wyhash's
// "mum"): one multiply mixes every bit of both words into the result.
static inline uint64_t dns_name_mum(uint64_t a, uint64_t b)
{
	unsigned __int128 r = (unsigned __int128)a * b;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

// The image's name hash of the len-octet wire name at src (len ≥ 1), the
// same for any letter case: each word taken with bit 5 of every octet set
// (a capital's and its small letter's one difference; other octets only
// merge with octets that differ in that bit alone, a collision the
// comparison settles). Sixteen octets a multiply, the way wyhash goes: the
// last 8 to 16 as two words that may overlap the octets before them (a
// name under 8 octets in one word, zeros above), then the length. A
// typical owner name (10-30 octets) costs two or three multiplies. No
// lowering and no copy: the workers hash the name where it lies in the
// query.
static inline uint32_t dns_name_hash_inline(const uint8_t *src, size_t len, uint32_t seed)
{
	const uint64_t b5 = 0x2020202020202020ULL;
	const uint64_t k0 = 0xa0761d6478bd642fULL, k1 = 0xe7037ed1a0b428dbULL;
	uint64_t h = seed ^ k0, a, b = 0;
	if (len > 16) {
		for (size_t i = 0; i + 16 < len; i += 16)
			h = dns_name_mum((dns_name_load8(src + i) | b5) ^ k1,
					 (dns_name_load8(src + i + 8) | b5) ^ h);
		a = dns_name_load8(src + len - 16) | b5;
		b = dns_name_load8(src + len - 8) | b5;
	} else if (len >= 8) {
		a = dns_name_load8(src) | b5;
		b = dns_name_load8(src + len - 8) | b5;
	} else {
		a = 0;
		memcpy(&a, src, len);
		uint64_t m = 0;
		memset(&m, 0x20, len);
		a |= m;
	}
	h = dns_name_mum(a ^ k1, b ^ h);
	return (uint32_t)dns_name_mum(h ^ k0, (uint64_t)len ^ k1);
}

// Whether the lower-cased name at lower and the name at any (any letter
// case), both len octets, are the same name: equal octets up to the root
// label. A word at a time, exactly first (most queries come in lower
// case), then with any's capitals lowered.
static inline bool dns_name_equal_icase(const uint8_t *lower, const uint8_t *any, size_t len)
{
	if (len < 8) {
		uint64_t a = 0, l = 0;
		memcpy(&l, lower, len);
		memcpy(&a, any, len);
		return l == dns_name_lower8(a);
	}
	uint64_t la = dns_name_load8(lower + len - 8), aa = dns_name_load8(any + len - 8);
	uint64_t diff = la ^ aa;
	for (size_t i = 0; i + 8 <= len; i += 8)
		diff |= dns_name_load8(lower + i) ^ dns_name_load8(any + i);
	if (diff == 0)
		return true;
	diff = la ^ dns_name_lower8(aa);
	for (size_t i = 0; i + 8 <= len; i += 8)
		diff |= dns_name_load8(lower + i) ^ dns_name_lower8(dns_name_load8(any + i));
	return diff == 0;
}

#endif
