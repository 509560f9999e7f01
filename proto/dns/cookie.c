/* SPDX-License-Identifier: BSD-3-Clause */
// DNS server cookies (RFC 7873) in the interoperable form of RFC 9018:
// Version 1 | Reserved (3) | Timestamp (4) | Hash (8), where Hash is
// SipHash-2-4 keyed with the server secret over Client Cookie | Version |
// Reserved | Timestamp | Client-IP.
#include <string.h>

#include "answer_internal.h"

static inline uint64_t rotl(uint64_t x, int b)
{
	return (x << b) | (x >> (64 - b));
}

static inline uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

#define SIPROUND                                                                   \
	do {                                                                       \
		v0 += v1;                                                          \
		v1 = rotl(v1, 13);                                                 \
		v1 ^= v0;                                                          \
		v0 = rotl(v0, 32);                                                 \
		v2 += v3;                                                          \
		v3 = rotl(v3, 16);                                                 \
		v3 ^= v2;                                                          \
		v0 += v3;                                                          \
		v3 = rotl(v3, 21);                                                 \
		v3 ^= v0;                                                          \
		v2 += v1;                                                          \
		v1 = rotl(v1, 17);                                                 \
		v1 ^= v2;                                                          \
		v2 = rotl(v2, 32);                                                 \
	} while (0)

uint64_t dns_siphash24(const uint8_t key[16], const uint8_t *in, size_t len)
{
	uint64_t k0 = le64(key), k1 = le64(key + 8);
	uint64_t v0 = 0x736f6d6570736575ULL ^ k0;
	uint64_t v1 = 0x646f72616e646f6dULL ^ k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ k0;
	uint64_t v3 = 0x7465646279746573ULL ^ k1;
	size_t full = len & ~(size_t)7;
	for (size_t i = 0; i < full; i += 8) {
		uint64_t m = le64(in + i);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	uint64_t b = (uint64_t)len << 56;
	for (size_t i = 0; i < (len & 7); i++)
		b |= (uint64_t)in[full + i] << (8 * i);
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

// Hash over client cookie | version, reserved, timestamp (the first 8
// octets of the server cookie) | client address.
static void cookie_hash(const uint8_t secret[16], const uint8_t client[8], const uint8_t head[8],
			const struct dns_answer_client *cl, uint8_t out[8])
{
	uint8_t buf[8 + 8 + 16];
	size_t alen = cl->family == 6 ? 16 : cl->family == 4 ? 4 : 0;
	memcpy(buf, client, 8);
	memcpy(buf + 8, head, 8);
	memcpy(buf + 16, cl->addr, alen);
	uint64_t h = dns_siphash24(secret, buf, 16 + alen);
	// RFC 9018 §4.4: the hash is the SipHash output in network... it is the
	// 8 octets as produced (little-endian), as BIND, Knot and Unbound write it.
	for (int i = 0; i < 8; i++)
		out[i] = (uint8_t)(h >> (8 * i));
}

void dns_cookie_make(const uint8_t secret[16], const uint8_t client[8],
		     const struct dns_answer_client *cl, uint8_t out[DNS_SERVER_COOKIE_LEN])
{
	out[0] = 1; // version
	out[1] = out[2] = out[3] = 0;
	out[4] = (uint8_t)(cl->now >> 24);
	out[5] = (uint8_t)(cl->now >> 16);
	out[6] = (uint8_t)(cl->now >> 8);
	out[7] = (uint8_t)cl->now;
	cookie_hash(secret, client, out, cl, out + 8);
}

bool dns_cookie_valid(const uint8_t secret[16], const uint8_t *cookie, size_t len,
		      const struct dns_answer_client *cl)
{
	uint8_t want[8];
	if (len != 8 + DNS_SERVER_COOKIE_LEN)
		return false;
	const uint8_t *sc = cookie + 8;
	if (sc[0] != 1 || sc[1] || sc[2] || sc[3])
		return false;
	uint32_t ts = (uint32_t)sc[4] << 24 | (uint32_t)sc[5] << 16 | (uint32_t)sc[6] << 8 | sc[7];
	// RFC 9018 §4.3: valid for an hour, and up to 5 minutes in the future
	// (serial-number arithmetic on the 32-bit clock, RFC 1982)
	int32_t age = (int32_t)(cl->now - ts);
	if (age > 3600 || age < -300)
		return false;
	cookie_hash(secret, cookie, sc, cl, want);
	uint8_t diff = 0;
	for (int i = 0; i < 8; i++)
		diff |= (uint8_t)(want[i] ^ sc[8 + i]);
	return diff == 0;
}

bool dns_cookie_fresh(const uint8_t *cookie, size_t len, uint32_t now)
{
	// RFC 9018 §4.3: reissue when the cookie is older than half an hour
	const uint8_t *sc = cookie + 8;
	uint32_t ts = (uint32_t)sc[4] << 24 | (uint32_t)sc[5] << 16 | (uint32_t)sc[6] << 8 | sc[7];
	return len == 8 + DNS_SERVER_COOKIE_LEN && (int32_t)(now - ts) <= 1800;
}
