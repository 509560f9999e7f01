/* SPDX-License-Identifier: BSD-3-Clause */
// Small helpers every benchmark in perf/ uses.
#ifndef LINERATE_PERF_BENCH_H
#define LINERATE_PERF_BENCH_H

#include <stdint.h>
#include <time.h>

// Monotonic seconds.
static inline double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

// Big-endian 16 bits at p; returns 2 (octets written).
static inline size_t put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return 2;
}

#endif
