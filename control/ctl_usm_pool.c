/* SPDX-License-Identifier: BSD-3-Clause */
// The USM hashing pool (ctl_usm_pool.h).
#include "ctl_usm_pool.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

struct ctl_usm_pool {
	pthread_mutex_t lock;
	pthread_cond_t wake; // a new run, or stop
	pthread_cond_t done; // the run's last item finished
	uint64_t run;	     // generation of the current run (under lock)
	bool stop;
	void (*fn)(void *ctx, size_t i);
	void *ctx;
	size_t n;
	atomic_size_t next; // the next item to take
	size_t finished;    // items done (under lock)
	unsigned active;    // threads inside a run (under lock): a run's fields
			    // change only when none is
	unsigned nthreads;
	pthread_t thread[];
};

static void *pool_main(void *arg)
{
	struct ctl_usm_pool *p = arg;
	uint64_t seen = 0;
	// hashing yields the CPU to the threads sharing the control-plane
	// cores: the journal's and the drain thread (an inform is answered
	// only once durable) and the control socket's. Linux nice is per thread.
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), CTL_USM_POOL_NICE);
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->stop && p->run == seen)
			pthread_cond_wait(&p->wake, &p->lock);
		if (p->stop)
			break;
		seen = p->run;
		p->active++;
		pthread_mutex_unlock(&p->lock);
		size_t mine = 0, i;
		while ((i = atomic_fetch_add(&p->next, 1)) < p->n) {
			p->fn(p->ctx, i);
			mine++;
		}
		pthread_mutex_lock(&p->lock);
		p->finished += mine;
		p->active--;
		if (!p->active)
			pthread_cond_signal(&p->done);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

struct ctl_usm_pool *ctl_usm_pool_new(unsigned threads)
{
	if (!threads)
		threads = CTL_USM_POOL_THREADS_DEFAULT;
	if (threads > CTL_USM_POOL_THREADS_MAX) {
		errno = EINVAL;
		return NULL;
	}
	struct ctl_usm_pool *p = calloc(1, sizeof(*p) + threads * sizeof(p->thread[0]));
	if (!p) {
		errno = ENOMEM;
		return NULL;
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->wake, NULL);
	pthread_cond_init(&p->done, NULL);
	for (unsigned i = 0; i < threads; i++) {
		int rc = pthread_create(&p->thread[i], NULL, pool_main, p);
		if (rc) {
			ctl_usm_pool_free(p);
			errno = rc;
			return NULL;
		}
		p->nthreads = i + 1;
	}
	return p;
}

void ctl_usm_pool_free(struct ctl_usm_pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_broadcast(&p->wake);
	pthread_mutex_unlock(&p->lock);
	for (unsigned i = 0; i < p->nthreads; i++)
		pthread_join(p->thread[i], NULL);
	pthread_cond_destroy(&p->done);
	pthread_cond_destroy(&p->wake);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

unsigned ctl_usm_pool_threads(const struct ctl_usm_pool *p)
{
	return p->nthreads;
}

void ctl_usm_pool_run(struct ctl_usm_pool *p, size_t n, void (*fn)(void *ctx, size_t i), void *ctx)
{
	if (!n)
		return;
	pthread_mutex_lock(&p->lock);
	while (p->active) // a late thread still leaving the last run
		pthread_cond_wait(&p->done, &p->lock);
	p->fn = fn;
	p->ctx = ctx;
	p->n = n;
	p->finished = 0;
	atomic_store(&p->next, 0);
	p->run++;
	pthread_cond_broadcast(&p->wake);
	while (p->finished < n || p->active)
		pthread_cond_wait(&p->done, &p->lock);
	pthread_mutex_unlock(&p->lock);
}
