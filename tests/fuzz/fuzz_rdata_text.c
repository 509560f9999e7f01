/* SPDX-License-Identifier: BSD-3-Clause */
// Presentation → rdata. The first two octets pick the type (big endian),
// the rest is the rdata text. Whatever is accepted must be valid rdata that
// prints and reads back to the same octets.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <linerate/dns_rdata.h>

#include "fuzz_rdata_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t rdata[DNS_RDATA_MAXLEN];
	if (size < 2 || size > 2 + FUZZ_TEXT_MAX)
		return 0;
	uint16_t type = (uint16_t)(data[0] << 8 | data[1]);
	const char *text = (const char *)data + 2;
	size_t n = size - 2;
	if (memchr(text, '\0', n)) // the zone reader never hands over a NUL
		return 0;
	size_t err_off = 0;
	int len = dns_rdata_from_text(type, text, n, NULL, rdata, sizeof(rdata), &err_off);
	if (len < 0) {
		if (err_off > n)
			__builtin_trap();
		return 0;
	}
	fuzz_rdata_roundtrip(type, rdata, (size_t)len);
	return 0;
}
