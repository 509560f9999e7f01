/* SPDX-License-Identifier: BSD-3-Clause */
// A synthetic zone for the zone benchmarks: nhosts names under example.com.
// with an A and an AAAA each, an MX for every tenth and a TXT for every
// hundredth, plus a wildcard and a delegated child with glue. Returns a
// malloc'd master file and the number of records in it.
#ifndef LINERATE_PERF_ZONE_GEN_H
#define LINERATE_PERF_ZONE_GEN_H

#include <stdio.h>
#include <stdlib.h>

static inline char *zone_gen(unsigned nhosts, size_t *nrecords)
{
	size_t cap = 256 + (size_t)nhosts * 160, len = 0, n = 0;
	char *t = malloc(cap);
	if (!t)
		return NULL;
#define ADD(...) (len += (size_t)snprintf(t + len, cap - len, __VA_ARGS__), n++)
	ADD("$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n");
	ADD("@ NS ns1\n");
	ADD("ns1 A 192.0.2.1\n");
	ADD("*.wild A 192.0.2.2\n");
	ADD("child NS ns.child\n");
	ADD("ns.child A 192.0.2.3\n");
	for (unsigned i = 0; i < nhosts; i++) {
		ADD("h%u A 198.51.100.%u\n", i, i % 256);
		ADD("h%u AAAA 2001:db8::%x:%x\n", i, i >> 16, i & 0xffff);
		if (i % 10 == 0)
			ADD("h%u MX 10 h%u\n", i, (i + 1) % nhosts);
		if (i % 100 == 0)
			ADD("h%u TXT \"host %u of the benchmark zone\"\n", i, i);
	}
#undef ADD
	*nrecords = n;
	return t;
}

#endif
