/* SPDX-License-Identifier: BSD-3-Clause */
// The SNMPv3 users file (issue #5), read by `linerate-snmp decode --users`
// and later by the daemon:
//
//   users:
//     - name: alice
//       engine_id: "0x800000090300c0ffee000001"   # optional: any engine
//       auth: sha256            # none|md5|sha|sha224|sha256|sha384|sha512
//       auth_password: "maplesyrup"               # or auth_key: hex (localised)
//       priv: aes128            # none|des|3des|aes128|aes192|aes256|aes192c|aes256c
//       priv_password: "maplesyrup"               # or priv_key: hex (localised)
//       compat: auto            # blumenthal|reeder|auto (aes192/aes256 only)
//
// Loading turns each password into Ku at once (the megabyte of hashing, once
// per user) and keeps no password. A file loads whole or not at all; errors
// name the line, key path, value and reason, and never show a password or
// key ("(secret)"). Unknown and duplicate keys are errors, as are two users
// with the same name and engine.
//
// priv_key may be the localised key (the auth hash's length) or the
// cipher's whole key (usm_priv_key_len: already extended, used as given).
//
// Thread-safety: a loaded struct is never modified; the control thread
// loads, builds tables from it and frees it (which wipes the keys).
#ifndef LINERATE_CTL_USM_USERS_H
#define LINERATE_CTL_USM_USERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linerate/snmp_usm.h>

#define CTL_USM_USERS_FILE_MAX (64u << 20)
#define CTL_USM_USERS_MAX      1000000

// The passwords of one user as given (auth, priv), for the key pool and
// the key store (ctl_usm_keys.h): len 0 when that side has a key or no
// protocol. Secret: wiped by ctl_usm_users_forget_pw and at free.
struct ctl_usm_pw {
	uint16_t len[2]; // [0] auth, [1] priv
	uint8_t pw[2][USM_PASSWORD_MAX];
};

struct ctl_usm_users {
	size_t n;
	struct usm_user_cfg *users; // in file order
	// NULL, unless loaded with keep_pw: then pw[i] holds user i's
	// passwords and users[i] has no Ku yet for a side given by password
	// (its form is USM_KEY_KU and its key zeros, priv_key_len set): the
	// caller fills Ku (from the key store, or hashing) and forgets them
	struct ctl_usm_pw *pw;
	bool keep_pw; // how it was loaded
};

// Parse a file or text. A new struct (free with ctl_usm_users_free), or
// NULL with errno set (EINVAL: bad file; others: I/O) and the message in
// err[0..errlen).
struct ctl_usm_users *ctl_usm_users_load_file(const char *path, char *err, size_t errlen);
struct ctl_usm_users *ctl_usm_users_load_string(const char *text, size_t len, char *err,
						size_t errlen);

// The same, keeping the passwords in u->pw instead of hashing them (the
// daemon's key pool hashes those the key store does not know).
struct ctl_usm_users *ctl_usm_users_load_pw(const char *path, const char *text, size_t len,
					    char *err, size_t errlen);

// Wipe and free u->pw (the Ku are in u->users by now). NULL is a no-op.
void ctl_usm_users_forget_pw(struct ctl_usm_users *u);

// Wipe every key and free. NULL is a no-op.
void ctl_usm_users_free(struct ctl_usm_users *u);

// The workers' table for these users: each user with an engine localised
// for it; each any-engine user registered by name (usm_table_add_any) and
// localised for our own engine (informs to us); room for `learn` entries
// more (any-engine users met at other engines, added later). Hashes up to
// a megabyte per Reeder-extended key. NULL with errno and a message naming
// the user.
struct usm_table *ctl_usm_table_build(const struct ctl_usm_users *u, const uint8_t *local_engine,
				      size_t local_len, size_t learn, char *err, size_t errlen);

#endif
