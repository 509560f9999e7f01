/* SPDX-License-Identifier: BSD-3-Clause */
// The worker's side of USM key management (usm_keys.c is the control
// side): its engine cache cleared on `usm cache clear`, and given the
// remote engines an operator declared, so that RFC 3414 §3.2 step 7b
// checks their messages against the declared boots and time from the
// first one. No lock: a generation counter and an RCU-published set.
#include "trap.h"

_Atomic(const struct lr_usm_decls *) lr_usm_decls;
_Atomic uint64_t lr_usm_decl_gen;

void lr_usm_worker_sync(struct lr_trap_worker *t)
{
	unsigned clear = atomic_load_explicit(&t->clear_req, memory_order_relaxed);
	uint64_t gen = atomic_load_explicit(&lr_usm_decl_gen, memory_order_acquire);
	uint64_t since = t->decl_done;
	if (clear != t->clear_done) {
		usm_ctx_engines_clear(t->usm);
		t->clear_done = clear;
		since = 0; // the operator's declarations are not learned: they stay
	}
	if (gen == since)
		return;
	// published before gen, so at least as new; read until this worker's
	// next quiescent report
	const struct lr_usm_decls *d = atomic_load_explicit(&lr_usm_decls, memory_order_acquire);
	for (size_t i = 0; d && i < d->n; i++) {
		const struct lr_usm_decl *e = &d->e[i];
		if (e->gen > since)
			usm_ctx_engine_set(t->usm, e->id, e->len, e->boots, e->time, e->at);
	}
	t->decl_done = gen;
}
