/* SPDX-License-Identifier: BSD-3-Clause */
// The growing arrays of the zone loader and compiler (control plane only).
#ifndef LINERATE_DNS_GROW_H
#define LINERATE_DNS_GROW_H

#include <stdint.h>
#include <stdlib.h>

// buf (of *cap elements of size octets) made to hold at least need of
// them: the capacity doubles, from initial for an empty array. Returns the
// array, moved or not, with *cap updated; NULL when out of memory, buf then
// unchanged and still the caller's.
static inline void *dns_grow(void *buf, size_t *cap, size_t need, size_t size, size_t initial)
{
	if (need <= *cap)
		return buf;
	size_t nc = *cap ? *cap : initial;
	while (nc < need) {
		if (nc > SIZE_MAX / 2)
			return NULL;
		nc *= 2;
	}
	if (nc > SIZE_MAX / size)
		return NULL;
	void *p = realloc(buf, nc * size);
	if (p)
		*cap = nc;
	return p;
}

#endif
