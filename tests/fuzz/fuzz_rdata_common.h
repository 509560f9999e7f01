/* SPDX-License-Identifier: BSD-3-Clause */
// The rdata property both harnesses check: valid rdata prints, and what it
// prints reads back to the same octets. A violation traps so libFuzzer
// keeps the input.
#ifndef LINERATE_FUZZ_RDATA_COMMON_H
#define LINERATE_FUZZ_RDATA_COMMON_H

#include <stdint.h>
#include <string.h>

#include <linerate/dns_err.h>
#include <linerate/dns_rdata.h>

// Worst case text: every octet as \DDD inside quotes, plus fields.
#define FUZZ_TEXT_MAX (4 * DNS_RDATA_MAXLEN + 1024)

static inline void fuzz_check_text(uint16_t type, const uint8_t *rdata, size_t len, const char *text,
				   size_t tlen)
{
	static uint8_t back[DNS_RDATA_MAXLEN];
	int n = dns_rdata_from_text(type, text, tlen, NULL, back, sizeof(back), NULL);
	if (n < 0 || (size_t)n != len || memcmp(back, rdata, len) != 0)
		__builtin_trap();
}

// rdata must be valid uncompressed rdata of type (dns_rdata_unpack or
// dns_rdata_from_text accepted it).
static inline void fuzz_rdata_roundtrip(uint16_t type, const uint8_t *rdata, size_t len)
{
	static char text[FUZZ_TEXT_MAX];
	if (dns_rdata_check(type, rdata, len) != 0)
		__builtin_trap();
	int t = dns_rdata_to_text(type, rdata, len, text, sizeof(text));
	if (t == DNS_ENOTYPE) // meta types have no presentation
		return;
	if (t < 0 || (size_t)t != strlen(text))
		__builtin_trap();
	fuzz_check_text(type, rdata, len, text, (size_t)t);
	// The RFC 3597 form is accepted for every type (RFC 3597 §5).
	t = dns_rdata_to_generic(rdata, len, text, sizeof(text));
	if (t < 0)
		__builtin_trap();
	fuzz_check_text(type, rdata, len, text, (size_t)t);
}

#endif
