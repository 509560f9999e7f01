/* SPDX-License-Identifier: BSD-3-Clause */
// Private to usm_keys.c (the key management) and usm_views.c (what
// `usm user list`, `usm engine list` and `usm cache show` print of it):
// the one state they share, under its lock.
#ifndef LINERATE_LR_USM_KEYS_INTERNAL_H
#define LINERATE_LR_USM_KEYS_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "ctl_usm_keys.h"
#include "ctl_usm_pool.h"
#include "usm_keys.h"

// A remote engine declared by the operator (`usm engine add`): id, len,
// boots and time as given, added (UNIX seconds: when they were true); kept
// in the key store across restarts.
struct engine_decl {
	struct ctl_usm_engine e;
	uint64_t gen; // the declarations' generation that set it
};

_Static_assert(LR_USM_ENGINES_MAX <= CTL_USM_ENGINES_MAX, "the key store keeps every engine");

struct lr_usm_state {
	pthread_mutex_t lock;
	bool started;
	struct ctl_usm_keys *store; // every user: Ku and localisations
	struct ctl_usm_pool *pool;
	char *path;
	char *users_path;		  // the users file, NULL: none
	uint8_t local[USM_ENGINE_ID_MAX]; // our engine
	size_t local_len;
	struct engine_decl *engines;
	size_t n_engines;
	uint64_t gen;	 // of the latest declaration
	uint32_t *index; // users by (name, engine): store position + 1
	size_t index_mask;
	bool index_dirty;	 // the store changed since the index was built
	struct usm_table *table; // published in lr_trap_users
	size_t learn_room;	 // learned entries the table still takes
	struct lr_usm_stats st;	 // written under lock; read without (64-bit loads)
};

extern struct lr_usm_state lr_usm_state;
#define M lr_usm_state // the two files' short name for it

// An empty engine (any-engine users) may come as NULL: gcc -O3 sees such a
// call inlined and would warn of memcmp's non-null arguments without the
// pointer tests.
static inline bool same_engine(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	return alen == blen && (alen == 0 || (a && b && !memcmp(a, b, alen)));
}

// Octets as hex text (64 at most), for engine IDs.
json_t *lr_usm_hex_json(const uint8_t *p, size_t len);

#endif
