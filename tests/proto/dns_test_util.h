/* SPDX-License-Identifier: BSD-3-Clause */
// Helpers shared by the DNS message tests: a compact hex notation for
// hand-written messages and names from text.
#ifndef LINERATE_TESTS_DNS_TEST_UTIL_H
#define LINERATE_TESTS_DNS_TEST_UTIL_H

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linerate/dns_name.h>

static inline int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

// Hex with blanks anywhere between octets; "N*XX" repeats octet XX N times
// (decimal N), so a 63-octet label is "3f 63*61". Returns the length, or
// -1 on bad input or overflow.
static inline int hex_decode(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	while (*s) {
		if (isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		size_t rep = 1;
		const char *star = s;
		while (isdigit((unsigned char)*star))
			star++;
		if (*star == '*') {
			rep = strtoul(s, NULL, 10);
			s = star + 1;
		}
		int hi = hexval(s[0]), lo = hi < 0 ? -1 : hexval(s[1]);
		if (lo < 0 || n + rep > cap)
			return -1;
		memset(out + n, hi << 4 | lo, rep);
		n += rep;
		s += 2;
	}
	return (int)n;
}

// Wire form of a name in text; aborts the test on bad input.
static inline const uint8_t *name_of(const char *text, uint8_t buf[DNS_NAME_MAXLEN])
{
	if (dns_name_from_text(text, strlen(text), NULL, buf) < 0)
		abort();
	return buf;
}

#endif
