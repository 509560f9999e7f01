/* SPDX-License-Identifier: BSD-3-Clause */
// The USM hashing pool (issue #7): a few control-plane pthreads that turn
// passwords into Ku (a megabyte of hashing each) and localise keys per
// engine, so that neither the workers nor the control socket's thread
// hash. A run hands the pool n items and a function; the threads take
// items one at a time until none is left, and the caller waits for the
// last (runs do not overlap: one caller at a time). The threads inherit the
// creator's CPU affinity (in linerated the control plane's cores, never a
// worker's) and run at nice CTL_USM_POOL_NICE, so that hashing 10,000
// passwords does not hold up the journal that acknowledges informs.
//
// Thread-safety: ctl_usm_pool_run from one thread at a time; fn runs on the
// pool's threads, concurrently for different i.
#ifndef LINERATE_CTL_USM_POOL_H
#define LINERATE_CTL_USM_POOL_H

#include <stddef.h>
#include <stdint.h>

#define CTL_USM_POOL_THREADS_DEFAULT 2
#define CTL_USM_POOL_THREADS_MAX     64
#define CTL_USM_POOL_NICE	     10 // the pool's threads run at this nice value

struct ctl_usm_pool;

// threads: 1..CTL_USM_POOL_THREADS_MAX (0: the default). NULL with errno.
struct ctl_usm_pool *ctl_usm_pool_new(unsigned threads);
// Stops and joins the threads. NULL is a no-op.
void ctl_usm_pool_free(struct ctl_usm_pool *p);
unsigned ctl_usm_pool_threads(const struct ctl_usm_pool *p);

// fn(ctx, i) for every i in [0, n) on the pool's threads; returns when all
// are done.
void ctl_usm_pool_run(struct ctl_usm_pool *p, size_t n, void (*fn)(void *ctx, size_t i), void *ctx);

#endif
