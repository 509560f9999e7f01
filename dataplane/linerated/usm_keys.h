/* SPDX-License-Identifier: BSD-3-Clause */
// linerated's USM key management (issue #7): the users (from the users
// file and from the control socket), the remote engines an operator
// declared, the key store that keeps every Ku and localised key across
// restarts, the hashing pool, and the users table the workers read
// (lr_trap_users), rebuilt off the workers and published by RCU at every
// change.
//
// Threads: the main lcore (start, stop, the control commands) and the
// journal's drain thread (lr_usm_learn) share the state under one mutex;
// the drain thread only tries it (a busy manager sheds the key request,
// counted: the sender's next message asks again), so rebuilding never
// holds up the records. Hashing runs on the pool's threads.
//
// Secrets never leave here except into the key store file (0600): replies
// show key IDs (ctl_usm_key_id), messages show user names.
#ifndef LINERATED_USM_KEYS_H
#define LINERATED_USM_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ctl_config.h"
#include "ctl_server.h"
#include "ctl_usm_users.h"

#define LR_USM_LEARN_ROOM  1024 // learned (any-engine user, engine) entries between rebuilds
#define LR_USM_ENGINES_MAX 4096 // remote engines declared with `usm engine add`

struct lr_usm_stats {
	uint64_t hashes;	// passwords hashed to Ku (the megabyte each)
	uint64_t localised;	// (user, engine) keys localised
	uint64_t loaded_users;	// users whose Ku came from the key store
	uint64_t loaded_keys;	// (user, engine) keys taken from the key store
	uint64_t learned;	// any-engine users localised for an engine they sent from
	uint64_t learn_refused; // key requests refused (HMAC wrong, no such user, full)
	uint64_t learn_shed;	// key requests met while the manager was busy
	uint64_t tables;	// users tables published
	uint64_t store_saves;	// key store files written
	uint64_t store_errors;	// key store files that could not be written
};

// Load the key store (store_path; a damaged or too open one is reported
// and replaced), the users file (hashing only what the store lacks, on
// `threads` pool threads), build and publish the first table for our
// engine. 0, or -1 with a message on stderr. Main lcore, before workers.
int lr_usm_start(const struct ctl_config *cfg, const uint8_t *engine_id, size_t engine_len,
		 const char *store_path, unsigned threads);
// The users file again (SIGHUP): its users replace the file's previous ones
// (users added by linerate-ctl stay), only new or changed passwords are
// hashed, and a new table is published. A file that does not load changes
// nothing. 0, or -1 and why. Main lcore.
int lr_usm_reload(char *err, size_t errlen);
// Save the key store, free everything. After the workers stopped.
void lr_usm_stop(void);

// A message (msg[0..len)) from an any-engine user at an engine the table
// has no keys for: localised, HMAC checked, added (snmp_usm.h PENDING_KEY).
// 1 added, 0 already there, -1 refused, -2 shed (busy). The drain thread.
int lr_usm_learn(const uint8_t *msg, size_t len);

void lr_usm_get_stats(struct lr_usm_stats *s);
// The counters as a JSON object (stats, status).
json_t *lr_usm_stats_json(void);

// The control socket's `usm ...` commands (control_usm.c).
extern const struct ctl_command lr_usm_commands[];
extern const size_t lr_usm_n_commands;

// --- what control_usm.c calls (main lcore) ----------------------------------

// Add users (as the users file gives them, passwords kept). All or none:
// a name and engine already present refuses the batch. *hashed: passwords
// hashed (the others' Ku came from the key store). 0, or a negative errno
// and a message.
int lr_usm_users_add(struct ctl_usm_users *u, size_t *hashed, char *err, size_t errlen);
// Remove the user of that name and engine (engine_len 0: the any-engine
// one). 0, -ENOENT, or -EPERM (from the users file).
int lr_usm_user_remove(const uint8_t *name, size_t name_len, const uint8_t *engine,
		       size_t engine_len, char *err, size_t errlen);
// Every user, masked: name, engine, protocols, origin, key IDs.
json_t *lr_usm_users_json(void);
// Declare a remote engine (boots, time as the operator knows them): every
// any-engine user is localised for it. 0 or a negative errno.
int lr_usm_engine_add(const uint8_t *id, size_t len, uint32_t boots, uint32_t time, char *err,
		      size_t errlen);
int lr_usm_engine_remove(const uint8_t *id, size_t len, char *err, size_t errlen);
json_t *lr_usm_engines_json(void);
// The engine cache the workers learned from authenticated messages, and
// the any-engine users' learned localisations.
json_t *lr_usm_cache_json(void);
// Forget both (the workers clear theirs at their next loop). 0 or errno.
int lr_usm_cache_clear(char *err, size_t errlen);
// Localise every user for every known engine now and save the store.
int lr_usm_hash_all(json_t *reply, char *err, size_t errlen);

#endif
