/* SPDX-License-Identifier: BSD-3-Clause */
// The USM key store (issue #7): every user's Ku (or configured keys) and
// its keys localised per engine, kept in memory by the daemon and in a
// file so that a restart hashes nothing (the seeds' hash_passwords and
// on_hash_password: hash once, keep the hashes).
//
// A user is found by its fingerprint: SHA-256 over its name, engine,
// protocols, compat and each secret as given (the password, or the key and
// its form), so a changed password or protocol finds no entry and is
// hashed again; the fingerprint is as secret as Ku (it is in the same
// file) and never shown. What is shown is a key ID: the first 8 hex digits
// of HMAC-SHA-256 of the key under the store's own random 32-octet ID
// secret, enough to tell keys apart, stable across restarts (the secret is
// kept in the file), and no help to test password guesses without the file
// (a plain hash of Ku would let anyone who can list users check guesses
// offline).
//
// The file (mode 0600, written whole to FILE.tmp, fsync, rename):
//
//   header  "LRUSMKEY" | u32 version (3) | u32 users | u32 payload length
//           high, low | SHA-256 of the payload (32) | ID secret (32)
//   payload users, each: fingerprint (32) | origin | name_len | name |
//           engine_len | engine | auth | priv | compat | auth_form |
//           priv_form | priv_key_len | auth key (auth digest length) |
//           priv key (priv_key_len) | u16 localisations, each: engine_len |
//           engine | n_priv_keys | priv_ext[2] | Kul (digest length) |
//           n_priv_keys cipher keys (the priv protocol's key length);
//           then (version 3) the declared engines: u16 count (at most
//           CTL_USM_ENGINES_MAX), each: engine_len | engine | u32 boots |
//           u32 time | u32 added
//
// Integers big-endian. Version 3 added the engines an operator declared
// (`usm engine add`), so that they outlive a restart; a version 2 file
// (the same without them) is read with no engines. A version 1 file (as 2
// without the ID secret) is read with a new secret: its key IDs change
// once. Loading checks the mode (group or other access: refused, the keys
// may have leaked: a new file is written at the next save), the magic, the
// version, the lengths against the file's size, the checksum, and every
// field against the USM registries (engines: ID per usm_engine_id_check,
// boots and time at most 2^31 - 1, no ID twice); any fault refuses the
// whole file with a message naming the offset and the reason.
//
// Thread-safety: a struct ctl_usm_keys belongs to one thread at a time
// (the daemon's control thread, under its lock); the functions that only
// compute (fingerprint, key ID, entry) may run on any thread.
#ifndef LINERATE_CTL_USM_KEYS_H
#define LINERATE_CTL_USM_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linerate/snmp_usm.h>

#include "ctl_usm_users.h"

#define CTL_USM_FP_LEN	      32
#define CTL_USM_KEYS_MAGIC    "LRUSMKEY"
#define CTL_USM_KEYS_VERSION  3
#define CTL_USM_KEYS_HDR_V1   56 // version 1: no ID secret
#define CTL_USM_KEYS_HDR_LEN  88
#define CTL_USM_KEYS_FILE_MAX (2u << 30) // 2 GiB: ten million users with room
#define CTL_USM_KEY_ID_LEN    8		 // hex digits shown for a key
#define CTL_USM_ID_SECRET_LEN 32	 // the key IDs' HMAC key
#define CTL_USM_ENGINES_MAX   4096	 // declared remote engines a store holds

// Where a user came from: the users file (the store only caches its Ku and
// localisations) or the control socket (the store is where it lives).
enum ctl_usm_origin { CTL_USM_ORIGIN_FILE, CTL_USM_ORIGIN_CTL, CTL_USM_ORIGIN_COUNT };

// A user's keys for one engine: what a struct usm_user is rebuilt from
// without hashing.
struct ctl_usm_local {
	uint8_t engine_id[USM_ENGINE_ID_MAX];
	uint8_t engine_len;
	uint8_t n_priv_keys;
	uint8_t priv_ext[2];
	uint8_t kul[USM_DIGEST_MAX];
	uint8_t priv_key[2][USM_PRIV_KEY_MAX];
};

struct ctl_usm_key_user {
	uint8_t fp[CTL_USM_FP_LEN];
	uint8_t origin;		 // enum ctl_usm_origin
	struct usm_user_cfg cfg; // Ku, or the keys as configured
	uint32_t n_local, cap_local;
	struct ctl_usm_local *local;
};

// A remote engine an operator declared (`usm engine add`): its boots and
// snmpEngineTime as given, true at `added` (UNIX seconds), so that the
// engine's clock goes on from there after a restart.
struct ctl_usm_engine {
	uint8_t id[USM_ENGINE_ID_MAX];
	uint8_t len;
	uint32_t boots, time; // ≤ USM_BOOTS_MAX, USM_TIME_MAX
	uint32_t added;
};

struct ctl_usm_keys;

// An empty store with a new random ID secret; NULL with errno ENOMEM.
struct ctl_usm_keys *ctl_usm_keys_new(void);
// Wipe every key and free. NULL is a no-op.
void ctl_usm_keys_free(struct ctl_usm_keys *k);

size_t ctl_usm_keys_count(const struct ctl_usm_keys *k);
// The i-th user (0 ≤ i < count); the order changes when one is removed.
struct ctl_usm_key_user *ctl_usm_keys_at(struct ctl_usm_keys *k, size_t i);
// By fingerprint; NULL when absent.
struct ctl_usm_key_user *ctl_usm_keys_find(struct ctl_usm_keys *k,
					   const uint8_t fp[CTL_USM_FP_LEN]);
// Add the user with this fingerprint; when it is there (the same secrets),
// update its origin and keep its localisations. The entry, or NULL with errno ENOMEM. Pointers from
// earlier calls may move.
struct ctl_usm_key_user *ctl_usm_keys_put(struct ctl_usm_keys *k, const uint8_t fp[CTL_USM_FP_LEN],
					  uint8_t origin, const struct usm_user_cfg *cfg);
// Remove (wiped); false when absent.
bool ctl_usm_keys_remove(struct ctl_usm_keys *k, const uint8_t fp[CTL_USM_FP_LEN]);

// The user's keys for an engine, NULL when not localised yet.
const struct ctl_usm_local *ctl_usm_key_user_local(const struct ctl_usm_key_user *u,
						   const uint8_t *engine_id, size_t engine_len);
// Keep l (copied; replaces the same engine's). 0 or -ENOMEM.
int ctl_usm_key_user_keep(struct ctl_usm_key_user *u, const struct ctl_usm_local *l);
// Forget every localisation of the user for engines other than its own
// configured one (learned ones: `usm cache clear`).
void ctl_usm_key_user_forget(struct ctl_usm_key_user *u);

// Replace the store's declared engines with e[0..n) (copied; saved with
// the users). 0, -E2BIG (n over CTL_USM_ENGINES_MAX), -EINVAL (an engine
// the loader would refuse: ID not 5..32 octets or all zeros or 0xff,
// boots or time over their maximum, the same ID twice; the store keeps
// its list) or -ENOMEM.
int ctl_usm_keys_set_engines(struct ctl_usm_keys *k, const struct ctl_usm_engine *e, size_t n);
// The declared engines: *n of them, valid until the next set or free.
const struct ctl_usm_engine *ctl_usm_keys_engines(const struct ctl_usm_keys *k, size_t *n);

// The fingerprint of cfg with the passwords pw (NULL, or len 0 for a side
// given as a key in cfg). Any thread.
void ctl_usm_fingerprint(const struct usm_user_cfg *cfg, const struct ctl_usm_pw *pw,
			 uint8_t fp[CTL_USM_FP_LEN]);
// The key ID of key[0..len) in store k: 8 hex digits of HMAC-SHA-256
// under k's ID secret, and a NUL. The thread that owns k.
void ctl_usm_key_id(const struct ctl_usm_keys *k, const uint8_t *key, size_t len,
		    char out[CTL_USM_KEY_ID_LEN + 1]);

// Localise cfg (Ku or keys) for an engine: the table entry and what the
// store keeps of it. May hash a megabyte (Reeder extension). 0 or a USM
// error. Any thread.
int ctl_usm_localize(const struct usm_user_cfg *cfg, const uint8_t *engine_id, size_t engine_len,
		     struct usm_user *entry, struct ctl_usm_local *keep);
// Rebuild the entry from kept keys: no hashing beyond the HMAC's pads. 0
// or a USM error. Any thread.
int ctl_usm_entry(const struct usm_user_cfg *cfg, const struct ctl_usm_local *l,
		  struct usm_user *entry);

// Write the store to path (mode 0600, atomically). 0, or a negative errno
// and a message.
int ctl_usm_keys_save(struct ctl_usm_keys *k, const char *path, char *err, size_t errlen);
// Read path into a new store. NULL with errno and a message: ENOENT (no
// file yet), EPERM (group or other may read it), EINVAL (damaged: which
// offset and why), others (I/O).
struct ctl_usm_keys *ctl_usm_keys_load(const char *path, char *err, size_t errlen);
// The same from bytes (tests, fuzzing): no mode check.
struct ctl_usm_keys *ctl_usm_keys_parse(const uint8_t *buf, size_t len, char *err, size_t errlen);

#endif
