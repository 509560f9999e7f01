/* SPDX-License-Identifier: BSD-3-Clause */
// Shared by the answer engine, its templates and server cookies.
#ifndef LINERATE_ANSWER_INTERNAL_H
#define LINERATE_ANSWER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linerate/dns_answer.h>
#include <linerate/dns_fast.h>
#include <linerate/dns_msg.h>

#define DNS_SERVER_COOKIE_LEN DNS_FAST_SERVER_COOKIE
#define UDP_MIN		      DNS_FAST_UDP_MIN
#define OPT_FIXED	      DNS_FAST_OPT_FIXED

static inline uint16_t get16(const uint8_t *p)
{
	return dns_fast_get16(p);
}

static inline void put16(uint8_t *p, uint16_t v)
{
	dns_fast_put16(p, v);
}

uint64_t dns_siphash24(const uint8_t key[16], const uint8_t *in, size_t len);

// Server cookie for this client cookie and client (RFC 9018 §4).
void dns_cookie_make(const uint8_t secret[16], const uint8_t client[8],
		     const struct dns_answer_client *cl, uint8_t out[DNS_SERVER_COOKIE_LEN]);

// cookie is the whole COOKIE option payload (client + server cookie): is
// the server cookie one we made for this client within its lifetime?
bool dns_cookie_valid(const uint8_t secret[16], const uint8_t *cookie, size_t len,
		      const struct dns_answer_client *cl);

// A valid cookie young enough to be echoed rather than renewed.
bool dns_cookie_fresh(const uint8_t *cookie, size_t len, uint32_t now);

// The full path, on an image that may have no templates yet (the template
// builder calls it to make them). Same contract as dns_answer().
size_t dns_answer_full(const void *img, const struct dns_answer_cfg *cfg,
		       const struct dns_answer_client *cl, uint8_t *pkt, size_t len, size_t cap,
		       struct dns_answer_info *info);

// The closest node at or above the lower-cased name lname (len octets),
// trying its suffixes from offset `from` (a label boundary) up to the root;
// *at is the offset of the one found. DNS_IMAGE_NONE when no zone holds it.
uint32_t dns_answer_closest_lower(const uint8_t *img, const uint8_t *lname, size_t len, size_t from,
				  size_t *at);

// Append a response template for every RRset that an exact-match query
// answers directly, and the pointer-shifting templates; *img may move
// (realloc). The RRsets' templates come last, from *tmpl_from on, for the
// template index to take over (image.c). 0, or -1 with errno ENOMEM.
int dns_image_add_templates(uint8_t **img, size_t *size, size_t *tmpl_from);

#endif
