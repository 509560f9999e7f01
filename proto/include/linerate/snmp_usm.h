/* SPDX-License-Identifier: BSD-3-Clause */
// SNMPv3 User-based Security Model (RFC 3414), with the SHA-2 HMACs of
// RFC 7860, AES-128 of RFC 3826, 3DES-EDE of draft-reeder-snmpv3-usm-3desede
// and AES-192/256 of draft-blumenthal-aes-usm-04 with both key extensions.
//
// This module sees bytes, never BER: the message layer (snmp_msg.h) decodes
// the header and msgSecurityParameters and hands over plain values and the
// spans USM needs (the whole message, where msgAuthenticationParameters sits
// in it, msgPrivacyParameters, the encryptedPDU).
//
// Who calls what:
//  - the control plane (may allocate, may take milliseconds):
//    usm_password_to_ku, usm_localize_key, usm_priv_key_extend,
//    usm_user_localize, usm_table_new/add/add_any/grow/free,
//    usm_engine_id_build;
//  - workers (no allocation, no locks, no logging): usm_process_in and the
//    steps it is made of (usm_check_user, usm_auth_verify, usm_time_check_*,
//    usm_decrypt), usm_auth_sign and usm_encrypt for what they send, each
//    with the worker's own struct usm_ctx;
//  - a published struct usm_table is read by any number of workers without
//    locks while one control-plane thread may still usm_table_add to it.
//
// Secrets: struct usm_user_cfg, struct usm_user and struct usm_table hold
// keys; they are wiped when freed (usm_table_free) or by the owner
// (usm_user_cfg_wipe). No function here prints anything.
#ifndef LINERATE_SNMP_USM_H
#define LINERATE_SNMP_USM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define USM_ENGINE_ID_MIN	5 // RFC 3411 §5 SnmpEngineID SIZE(5..32)
#define USM_ENGINE_ID_MAX	32
#define USM_NAME_MAX		32	    // RFC 3414 usmUserName SnmpAdminString (SIZE(1..32))
#define USM_PASSWORD_MIN	8	    // RFC 3414 §11.2: shorter ones are refused
#define USM_PASSWORD_MAX	256	    // ours: a pass phrase, not a file
#define USM_DIGEST_MAX		64	    // SHA-512
#define USM_MAC_MAX		48	    // HMAC-SHA-512-384
#define USM_PRIV_KEY_MAX	32	    // 3DES key + pre-IV, AES-256 key
#define USM_SALT_LEN		8	    // msgPrivacyParameters
#define USM_TIME_WINDOW_DEFAULT 150	    // RFC 3414 §3.2 step 7
#define USM_BOOTS_MAX		2147483647u // snmpEngineBoots latches here (RFC 3414 §2.2.2)
#define USM_TIME_MAX		2147483647u

// msgFlags (RFC 3412 §6.4)
#define USM_FLAG_AUTH	    0x01
#define USM_FLAG_PRIV	    0x02
#define USM_FLAG_REPORTABLE 0x04

// --- registries -----------------------------------------------------------

// X(sym, name in the users file, digest octets, MAC octets sent, OID)
#define USM_AUTH_PROTOCOLS(X)                                                                      \
	X(NONE, "none", 0, 0, "1.3.6.1.6.3.10.1.1.1")                                              \
	X(MD5, "md5", 16, 12, "1.3.6.1.6.3.10.1.1.2")                                              \
	X(SHA1, "sha", 20, 12, "1.3.6.1.6.3.10.1.1.3")                                             \
	X(SHA224, "sha224", 28, 16, "1.3.6.1.6.3.10.1.1.4")                                        \
	X(SHA256, "sha256", 32, 24, "1.3.6.1.6.3.10.1.1.5")                                        \
	X(SHA384, "sha384", 48, 32, "1.3.6.1.6.3.10.1.1.6")                                        \
	X(SHA512, "sha512", 64, 48, "1.3.6.1.6.3.10.1.1.7")

enum usm_auth {
#define USM_AUTH_ENUM_(sym, name, dlen, mlen, oid) USM_AUTH_##sym,
	USM_AUTH_PROTOCOLS(USM_AUTH_ENUM_)
#undef USM_AUTH_ENUM_
		USM_AUTH_COUNT
};

// X(sym, name in the users file, key octets the cipher needs (key, then the
// DES pre-IV), OID). AES192/AES256 are the draft's protocols (net-snmp
// "AES-192"); AES192C/AES256C the same ciphers with the Reeder key
// extension as Cisco uses it (net-snmp "AES-192-C", pysnmp's non-standard
// OIDs .101/.102).
#define USM_PRIV_PROTOCOLS(X)                                                                      \
	X(NONE, "none", 0, "1.3.6.1.6.3.10.1.2.1")                                                 \
	X(DES, "des", 16, "1.3.6.1.6.3.10.1.2.2")                                                  \
	X(3DES, "3des", 32, "1.3.6.1.6.3.10.1.2.3")                                                \
	X(AES128, "aes128", 16, "1.3.6.1.6.3.10.1.2.4")                                            \
	X(AES192, "aes192", 24, "1.3.6.1.4.1.9.12.6.1.1")                                          \
	X(AES256, "aes256", 32, "1.3.6.1.4.1.9.12.6.1.2")                                          \
	X(AES192C, "aes192c", 24, "1.3.6.1.4.1.9.12.6.1.101")                                      \
	X(AES256C, "aes256c", 32, "1.3.6.1.4.1.9.12.6.1.102")

enum usm_priv {
#define USM_PRIV_ENUM_(sym, name, klen, oid) USM_PRIV_##sym,
	USM_PRIV_PROTOCOLS(USM_PRIV_ENUM_)
#undef USM_PRIV_ENUM_
		USM_PRIV_COUNT
};

// How a localised key shorter than the cipher needs is extended.
enum usm_key_ext {
	USM_EXT_BLUMENTHAL, // draft-blumenthal-aes-usm-04 §3.1.2.1: Kul || H(Kul)
	USM_EXT_REEDER,	    // draft-reeder-snmpv3-usm-3desede §2.1: Kul || Kul(Ku(Kul))
	USM_EXT_COUNT
};

// Which extension an AES-192/256 user's peers use (CompatibilityMode).
// AUTO tries Blumenthal first, then Reeder, on receive; see usm_user_localize.
enum usm_compat { USM_COMPAT_AUTO, USM_COMPAT_BLUMENTHAL, USM_COMPAT_REEDER, USM_COMPAT_COUNT };

enum usm_level {
	USM_LEVEL_NOAUTH_NOPRIV,
	USM_LEVEL_AUTH_NOPRIV,
	USM_LEVEL_AUTH_PRIV,
	USM_LEVEL_COUNT
};

// Outcomes of processing an incoming message. OK and the six usmStats
// counters (RFC 3414 §5, usmStats 1.3.6.1.6.3.15.1.1), whose OIDs a Report
// carries, then two that are not usmStats:
//  INVALID_MSG  msgFlags has priv without auth: snmpInvalidMsgs, dropped
//               without a Report (RFC 3412 §7.2 step 5);
//  PENDING_KEY  the user is configured for any engine and has no keys for
//               this engine yet: hand the message to the control plane,
//               which localises (usm_user_localize), checks the message's
//               HMAC with the new entry (usm_auth_verify) and only then
//               adds it (usm_table_add), so forged engine IDs cannot fill
//               the table; the worker processes the next message itself.
// X(sym, name, counter OID or NULL)
#define USM_OUTCOMES(X)                                                                            \
	X(OK, "ok", NULL)                                                                          \
	X(UNSUPPORTED_SEC_LEVELS, "unsupportedSecLevels", "1.3.6.1.6.3.15.1.1.1.0")                \
	X(NOT_IN_TIME_WINDOWS, "notInTimeWindows", "1.3.6.1.6.3.15.1.1.2.0")                       \
	X(UNKNOWN_USER_NAMES, "unknownUserNames", "1.3.6.1.6.3.15.1.1.3.0")                        \
	X(UNKNOWN_ENGINE_IDS, "unknownEngineIDs", "1.3.6.1.6.3.15.1.1.4.0")                        \
	X(WRONG_DIGESTS, "wrongDigests", "1.3.6.1.6.3.15.1.1.5.0")                                 \
	X(DECRYPTION_ERRORS, "decryptionErrors", "1.3.6.1.6.3.15.1.1.6.0")                         \
	X(INVALID_MSG, "invalidMsgs", "1.3.6.1.6.3.11.2.1.2.0")                                    \
	X(PENDING_KEY, "pendingKey", NULL)

enum usm_outcome {
#define USM_OUTCOME_ENUM_(sym, name, oid) USM_##sym,
	USM_OUTCOMES(USM_OUTCOME_ENUM_)
#undef USM_OUTCOME_ENUM_
		USM_OUTCOME_COUNT
};

// Error codes (from -3999 up, clear of errno, the wire cursor's and
// proto/dns's). res->err of usm_process_in says which check failed, so the
// decode tool can tell "wrongDigests: MAC of the wrong length" from a
// mismatch. X(symbol, message)
#define USM_ERRORS(X)                                                                              \
	X(USM_EINVAL, "invalid argument")                                                          \
	X(USM_ENOSPACE, "output buffer too small")                                                 \
	X(USM_EPASSWORD_SHORT, "password shorter than 8 octets (RFC 3414 §11.2)")                  \
	X(USM_EPASSWORD_LONG, "password longer than 256 octets")                                   \
	X(USM_EAUTH_PROTO, "unknown authentication protocol")                                      \
	X(USM_EPRIV_PROTO, "unknown privacy protocol")                                             \
	X(USM_EPRIV_NO_AUTH, "privacy needs an authentication protocol")                           \
	X(USM_EKEY_LEN, "key length does not fit the protocol")                                    \
	X(USM_EENGINE_LEN, "engine ID not 5..32 octets (RFC 3411 §5)")                             \
	X(USM_EENGINE_VALUE, "engine ID all zeros or all 0xff (RFC 3411 §5)")                      \
	X(USM_EENGINE_FORMAT, "engine ID format data of the wrong length (RFC 3411 §5)")           \
	X(USM_ENAME_LEN, "user name not 1..32 octets")                                             \
	X(USM_EFLAGS, "msgFlags: privacy without authentication (RFC 3412 §7.2)")                  \
	X(USM_EUNKNOWN_ENGINE, "msgAuthoritativeEngineID unknown (RFC 3414 §3.2 step 3)")          \
	X(USM_EUNKNOWN_USER, "msgUserName unknown for this engine (RFC 3414 §3.2 step 4)")         \
	X(USM_ELEVEL_HIGH, "security level above what the user has keys for (§3.2 step 5)")        \
	X(USM_ELEVEL_LOW, "security level below the user's configured level")                      \
	X(USM_EAUTH_LEN, "msgAuthenticationParameters of the wrong length (RFC 3414 §6.3.2)")      \
	X(USM_EAUTH_RANGE, "msgAuthenticationParameters outside the message")                      \
	X(USM_EDIGEST, "HMAC does not match (RFC 3414 §3.2 step 6)")                               \
	X(USM_EBOOTS_LATCHED, "engine boots at 2147483647: no time window (§3.2 step 7)")          \
	X(USM_EBOOTS, "msgAuthoritativeEngineBoots out of step (§3.2 step 7)")                     \
	X(USM_ETIME, "msgAuthoritativeEngineTime outside the time window (§3.2 step 7)")           \
	X(USM_EPRIV_PARAMS_LEN,                                                                    \
	  "msgPrivacyParameters not 8 octets (RFC 3414 §8.3.2, RFC 3826 §3.3.2)")                  \
	X(USM_ECIPHER_LEN, "encrypted data not a multiple of 8 octets (CBC, RFC 3414 §8.3.2)")     \
	X(USM_ECIPHER_EMPTY, "encrypted data empty")                                               \
	X(USM_EPLAINTEXT, "decrypted data is not a scopedPDU SEQUENCE (wrong key or variant?)")    \
	X(USM_ECRYPTO, "libcrypto call failed")

enum usm_err {
	USM_EBASE_ = -4000,
#define USM_ERR_ENUM_(sym, msg) sym,
	USM_ERRORS(USM_ERR_ENUM_)
#undef USM_ERR_ENUM_
		USM_ELAST_,
};

// Names and lengths from the registries; unknown values give "?" / 0 / NULL.
const char *usm_auth_name(enum usm_auth a);  // "sha256"
const char *usm_auth_oid(enum usm_auth a);   // "1.3.6.1.6.3.10.1.1.5"
size_t usm_auth_digest_len(enum usm_auth a); // 32 (Ku and Kul length)
size_t usm_auth_mac_len(enum usm_auth a);    // 24 (msgAuthenticationParameters)
const char *usm_priv_name(enum usm_priv p);  // "aes128"
const char *usm_priv_oid(enum usm_priv p);
size_t usm_priv_key_len(enum usm_priv p);	  // 16
const char *usm_outcome_name(enum usm_outcome o); // "wrongDigests"
const char *usm_outcome_oid(enum usm_outcome o);  // "1.3.6.1.6.3.15.1.1.5.0", NULL if none
const char *usm_compat_name(enum usm_compat c);	  // "auto"
// A name from the users file → protocol; -1 when unknown.
int usm_auth_from_name(const char *name);
int usm_priv_from_name(const char *name);
int usm_compat_from_name(const char *name);

// Level a message asks for by its msgFlags (priv without auth: -1).
int usm_level_from_flags(uint8_t flags);

// Level the RFC 3412 §7.1 step 3 Report for an outcome is sent at:
// authNoPriv for notInTimeWindows (with the user's keys), else noAuthNoPriv.
enum usm_level usm_report_level(enum usm_outcome o);

// Message for a code (or a negative errno); never NULL.
const char *usm_strerror(int err);
// Symbol of a code ("USM_EDIGEST"); never NULL.
const char *usm_strerror_sym(int err);

// --- key localisation (RFC 3414 A.2, RFC 7860 §9.3): control plane --------
// These hash a megabyte per password: never on a worker.

// Password → Ku: hash 1 MiB of the password repeated. ku gets
// usm_auth_digest_len(a) octets. Returns that length, USM_EPASSWORD_SHORT
// under 8 octets, USM_EPASSWORD_LONG, USM_EAUTH_PROTO, USM_ECRYPTO.
int usm_password_to_ku(enum usm_auth a, const void *password, size_t len, uint8_t *ku);

// Ku → Kul = H(Ku || engineID || Ku). Returns the digest length or an
// error (USM_EENGINE_LEN, USM_EAUTH_PROTO, USM_ECRYPTO).
int usm_localize_key(enum usm_auth a, const uint8_t *ku, const uint8_t *engine_id,
		     size_t engine_len, uint8_t *kul);

// A localised privacy key (digest length, made with the auth protocol's
// hash) → the key the cipher needs (usm_priv_key_len(p) octets): cut when
// long enough, else extended by ext. Reeder re-runs password-to-key over
// Kul, so it hashes a megabyte; Blumenthal hashes once. 3DES always uses
// Reeder (its own draft). Returns the key length or an error.
int usm_priv_key_extend(enum usm_auth a, enum usm_priv p, enum usm_key_ext ext, const uint8_t *kul,
			const uint8_t *engine_id, size_t engine_len, uint8_t out[USM_PRIV_KEY_MAX]);

// --- HMAC (RFC 3414 §6, RFC 7860 §4): per user precomputed -----------------

// HMAC state after the key's ipad and opad blocks: the hash chaining
// values only (what remains of a one-block hash), so a packet starts from a
// copy and never re-keys; 2 × 64 octets whatever the hash.
struct usm_hmac_key {
	uint8_t auth; // enum usm_auth
	uint8_t ipad_state[USM_DIGEST_MAX];
	uint8_t opad_state[USM_DIGEST_MAX];
};

// Precompute from a localised key of usm_auth_digest_len(a) octets.
// Returns 0, USM_EAUTH_PROTO (NONE included) or USM_EKEY_LEN.
int usm_hmac_key_init(struct usm_hmac_key *k, enum usm_auth a, const uint8_t *kul, size_t len);

// Check msgAuthenticationParameters: the MAC over msg[0..len) with the
// field's auth_len octets at auth_off taken as zeros (the message is not
// copied or modified), compared in constant time. Returns 0,
// USM_EAUTH_LEN (auth_len is not the protocol's MAC length),
// USM_EAUTH_RANGE, or USM_EDIGEST. No allocation; any thread.
int usm_auth_verify(const struct usm_hmac_key *k, const uint8_t *msg, size_t len, size_t auth_off,
		    size_t auth_len);

// Write the MAC into msg[auth_off .. auth_off + mac_len), the field's
// current content being taken as zeros. Returns 0 or an error as above.
int usm_auth_sign(const struct usm_hmac_key *k, uint8_t *msg, size_t len, size_t auth_off,
		  size_t auth_len);

// --- engine ID, boots and time (RFC 3411 §5, RFC 3414 §2.2, §3.2 step 7) ---

// RFC 3411 §5 formats for the new-style (first bit 1) engine IDs we build.
enum usm_engine_format {
	USM_ENGINE_FMT_IPV4 = 1,  // 4 octets
	USM_ENGINE_FMT_IPV6 = 2,  // 16 octets
	USM_ENGINE_FMT_MAC = 3,	  // 6 octets
	USM_ENGINE_FMT_TEXT = 4,  // 1..27 octets of administratively assigned text
	USM_ENGINE_FMT_OCTETS = 5 // 1..27 octets
};

// An engine ID that may appear in a message or a users file: 5..32 octets,
// not all 0x00 nor all 0xff. Returns 0, USM_EENGINE_LEN or USM_EENGINE_VALUE.
int usm_engine_id_check(const uint8_t *id, size_t len);

// Build ours: 0x80000000 | enterprise (IANA number, < 2^31), format, data.
// Returns the length (5 + len) or USM_EINVAL / USM_EENGINE_FORMAT.
int usm_engine_id_build(uint32_t enterprise, enum usm_engine_format fmt, const void *data,
			size_t len, uint8_t out[USM_ENGINE_ID_MAX]);

// The local (authoritative) engine. The control plane persists and bumps
// boots at each start (and when time would pass USM_TIME_MAX), and sets
// time_base to the `now` at which snmpEngineTime was 0. Workers read it.
struct usm_local {
	uint8_t engine_id[USM_ENGINE_ID_MAX];
	uint8_t engine_len;
	uint32_t boots;
	uint64_t time_base; // seconds, same clock as the `now` passed below
	uint32_t window;    // seconds; 0 means USM_TIME_WINDOW_DEFAULT
};

// snmpEngineTime at `now` (seconds, monotonic): now - time_base, held at
// USM_TIME_MAX.
uint32_t usm_local_time(const struct usm_local *l, uint64_t now);

// RFC 3414 §3.2 step 7a, we are authoritative (an inform to us): in the
// window when boots match, boots are not latched and |time - ours| ≤ window.
// Returns 0, USM_EBOOTS_LATCHED, USM_EBOOTS or USM_ETIME.
int usm_time_check_local(const struct usm_local *l, uint64_t now, uint32_t boots, uint32_t time);

// Per-worker cache of remote authoritative engines' boots/time (traps from
// agents): snmpEngineBoots, snmpEngineTime and latestReceivedEngineTime per
// engine ID (RFC 3414 §2.3). Fixed capacity, open addressing with a short
// probe window; when the window is full the least recently updated entry is
// replaced (losing an entry only forgets replay state: the next
// authenticated message from that engine sets it again).
struct usm_engine_cache;

// capacity: entries (rounded up to a power of two, at least 16). NULL with
// errno ENOMEM/EINVAL. Control plane or the worker at start.
struct usm_engine_cache *usm_engine_cache_new(size_t capacity);
void usm_engine_cache_free(struct usm_engine_cache *c);

// RFC 3414 §3.2 step 7b for an authenticated message from a remote
// authoritative engine: first update the cached notion (when boots grew, or
// boots equal and time past latestReceivedEngineTime; a new engine is taken
// as it says), then refuse when the cached boots are latched, the message's
// boots are older, or its time is more than window before the cached
// engine's time now. Returns 0, USM_EBOOTS_LATCHED, USM_EBOOTS or USM_ETIME.
// One worker per cache; no allocation.
int usm_time_check_remote(struct usm_engine_cache *c, const uint8_t *engine_id, size_t engine_len,
			  uint32_t boots, uint32_t time, uint64_t now, uint32_t window);
// The cache's notion of a remote engine replaced (an operator's
// declaration): boots, time and latestReceivedEngineTime (RFC 3414 §2.3)
// as if an authentic message had said so at `at` (the clock of
// usm_time_check_remote's now), so the next messages from that engine are
// checked against it (§3.2 step 7b), lower boots than known included. No
// allocation. 0 or USM_EENGINE_LEN.
int usm_engine_cache_set(struct usm_engine_cache *c, const uint8_t *engine_id, size_t engine_len,
			 uint32_t boots, uint32_t time, uint64_t at);

// One cached engine as usm_engine_cache_walk shows it: boots, its time
// when last updated, and our `now` then.
struct usm_engine_seen {
	uint8_t engine_id[USM_ENGINE_ID_MAX];
	uint8_t engine_len;
	uint32_t boots, time;
	uint64_t at;
};

struct usm_ctx;

// fn for every engine in the worker ctx's cache, for display by another
// thread (`usm cache show`): no lock, so an entry the worker updates at that
// moment may show a mix of its old and new boots/time, never bytes outside
// the cache. No allocation.
void usm_ctx_engines_walk(const struct usm_ctx *ctx,
			  void (*fn)(void *arg, const struct usm_engine_seen *e), void *arg);
// Forget every cached engine (`usm cache clear`): the worker that owns ctx
// only. The next authenticated message from each engine is taken as it says.
void usm_ctx_engines_clear(struct usm_ctx *ctx);
// Set the ctx's notion of a remote engine as an operator declared it
// (`usm engine add`): see usm_engine_cache_set. The worker that owns ctx
// only.
int usm_ctx_engine_set(struct usm_ctx *ctx, const uint8_t *engine_id, size_t engine_len,
		       uint32_t boots, uint32_t time, uint64_t at);

// --- users and the table ----------------------------------------------------

// How a secret in struct usm_user_cfg was given.
enum usm_key_form {
	USM_KEY_KU,	  // Ku (from a password, usm_password_to_ku): localised per engine
	USM_KEY_LOCAL,	  // Kul, localised for cfg->engine_id (needs one)
	USM_KEY_EXTENDED, // priv only: the cipher's whole key (usm_priv_key_len octets)
};

// One configured user, as the users-file loader gives it: the control
// plane's copy, holding its secrets. No password is kept: Ku is computed once
// per user (the megabyte of hashing) and localised once per engine.
struct usm_user_cfg {
	uint8_t name[USM_NAME_MAX];
	uint8_t name_len;
	uint8_t engine_id[USM_ENGINE_ID_MAX];
	uint8_t engine_len; // 0: any engine (localised lazily, per remote engine)
	uint8_t auth;	    // enum usm_auth
	uint8_t priv;	    // enum usm_priv
	uint8_t compat;	    // enum usm_compat (AES192/AES256 only)
	uint8_t auth_form;  // enum usm_key_form
	uint8_t priv_form;
	uint8_t priv_key_len;
	uint8_t auth_key[USM_DIGEST_MAX]; // usm_auth_digest_len(auth) octets
	uint8_t priv_key[USM_DIGEST_MAX]; // digest length, or the cipher's (EXTENDED)
};

void usm_user_cfg_wipe(struct usm_user_cfg *c);

// Level a user's protocols give: authPriv, authNoPriv or noAuthNoPriv.
enum usm_level usm_user_cfg_level(const struct usm_user_cfg *c);

// One (engine, user) entry of the table: what a worker needs, keys
// localised and the HMAC precomputed. 265 octets.
struct usm_user {
	uint8_t engine_id[USM_ENGINE_ID_MAX];
	uint8_t name[USM_NAME_MAX];
	uint8_t engine_len;
	uint8_t name_len;
	uint8_t auth;	     // enum usm_auth
	uint8_t priv;	     // enum usm_priv as configured
	uint8_t level;	     // enum usm_level: the one level accepted from this user
	uint8_t n_priv_keys; // 0; 1; 2 for AES-192/256 in compat auto when the variants differ
	uint8_t priv_ext[2]; // enum usm_key_ext of each key (for diagnostics)
	struct usm_hmac_key hmac;
	uint8_t priv_key[2][USM_PRIV_KEY_MAX]; // tried in this order on receive
};

// cfg (localised or not) for one engine → a table entry. With an engine in
// cfg, engine_id must be it. AES-192/256: compat BLUMENTHAL or REEDER gives
// one key; AUTO gives both, Blumenthal first: it is what the protocols'
// own draft and net-snmp's plain "AES-192" mean, so a correctly configured
// peer is matched at the first try; Reeder (Cisco's, "AES-192-C") second.
// When the localised key is already long enough (SHA-224 and up with
// AES-192, SHA-256 and up with AES-256) the variants agree and one key is
// kept. AES192C/AES256C and 3DES always use Reeder. Control plane: may hash
// a megabyte (Reeder, KU forms). Returns 0 or an error.
int usm_user_localize(const struct usm_user_cfg *cfg, const uint8_t *engine_id, size_t engine_len,
		      struct usm_user *out);

// What a worker learns about a user configured without an engine: enough to
// pick the outcome (PENDING_KEY or unsupportedSecLevels), no keys.
struct usm_any_user {
	uint8_t name[USM_NAME_MAX];
	uint8_t name_len;
	uint8_t auth, priv, level;
};

// The table: (engine ID, user name) → struct usm_user, by open addressing
// over a keyed hash (SipHash-1-3, random key per table) at load ≤ 1/2; one
// slot per user plus one per distinct engine (to tell unknownEngineIDs from
// unknownUserNames); a small name-only table of any-engine users.
//
// Concurrency: entries are added by one control-plane thread at a time;
// each is written in full before its slot is published (release store), and
// lookups read slots with acquire loads, so workers read a published table
// without locks while the control plane keeps adding (learned any-engine
// entries). Nothing is ever removed or changed: to drop or change users,
// build a new table and publish it (RCU), then usm_table_free the old one.
struct usm_table;

// capacity: users (configured plus room for learned ones); any_capacity:
// any-engine user names. NULL with errno (EINVAL, ENOMEM). Control plane.
struct usm_table *usm_table_new(size_t capacity, size_t any_capacity);

// Wipe all keys and free. NULL is a no-op. Only after the workers are
// quiescent (RCU).
void usm_table_free(struct usm_table *t);

// Add a user entry (copied). Returns 0, -EEXIST (same engine and name),
// -ENOSPC (full: usm_table_grow), or an error for a bad entry. One writer.
int usm_table_add(struct usm_table *t, const struct usm_user *u);

// Register a user configured for any engine (no keys are stored). Returns
// 0, -EEXIST, -ENOSPC, or an error.
int usm_table_add_any(struct usm_table *t, const struct usm_user_cfg *cfg);

// A new table with all of t's entries and room for capacity users (≥ the
// count). NULL with errno. t is unchanged.
struct usm_table *usm_table_grow(const struct usm_table *t, size_t capacity, size_t any_capacity);

// Lookups: O(1), no allocation, lock-free; NULL when absent.
const struct usm_user *usm_table_find(const struct usm_table *t, const uint8_t *engine_id,
				      size_t engine_len, const uint8_t *name, size_t name_len);
const struct usm_any_user *usm_table_find_any(const struct usm_table *t, const uint8_t *name,
					      size_t name_len);
// Has the table any user for this engine?
bool usm_table_has_engine(const struct usm_table *t, const uint8_t *engine_id, size_t engine_len);

size_t usm_table_count(const struct usm_table *t);
size_t usm_table_memory(const struct usm_table *t); // octets allocated

// --- per-worker context -----------------------------------------------------

// Cipher contexts (made once, re-keyed per packet without allocation), the
// salt counters (RFC 3414 §8.1.1.1, RFC 3826 §3.1.2.1; randomly seeded),
// and the remote engine time cache. One per worker; never shared.
struct usm_ctx;

// remote_engines: capacity of the engine time cache; also sizes the keyed
// AES-128 contexts kept (about two per remote engine, up to 8,192, each
// ~700 octets of OpenSSL's: 1,024 engines take ~1.4 MB). NULL with errno.
struct usm_ctx *usm_ctx_new(size_t remote_engines);
void usm_ctx_free(struct usm_ctx *ctx);

// Set the next salts (the AES 64-bit counter, the DES 32-bit counter):
// known-answer tests and reproducible captures only; never in production,
// where the random start is what keeps salts from repeating across restarts.
void usm_ctx_set_salt(struct usm_ctx *ctx, uint64_t aes, uint32_t des);

// --- privacy (RFC 3414 §8, RFC 3826 §3, the 3DES and AES-192/256 drafts) ----

// Ciphertext length for plain_len octets: CBC (DES, 3DES) pads to 8, CFB
// does not pad.
size_t usm_encrypted_len(enum usm_priv p, size_t plain_len);

// Decrypt an encryptedPDU with u->priv_key[key] (out may be in; cap ≥ len).
// boots/time: msgAuthoritativeEngineBoots/Time (AES IV); salt:
// msgPrivacyParameters. Returns len, USM_EPRIV_PARAMS_LEN, USM_ECIPHER_LEN
// (CBC, not a multiple of 8), USM_ECIPHER_EMPTY, USM_ENOSPACE, USM_ECRYPTO.
int usm_decrypt(struct usm_ctx *ctx, const struct usm_user *u, unsigned key, uint32_t boots,
		uint32_t time, const uint8_t *salt, size_t salt_len, const uint8_t *in, size_t len,
		uint8_t *out, size_t cap);

// Encrypt a scopedPDU with u->priv_key[key] (for a Response, the key that
// decrypted the request: usm_result.priv_key). boots/time: the values this
// message carries as msgAuthoritativeEngineBoots/Time. Writes the salt for
// msgPrivacyParameters. Returns the ciphertext length
// (usm_encrypted_len) or an error. out may be plain itself (encryption in
// place, as snmp_rx_inform_response does; libcrypto allows exactly that),
// and may not otherwise overlap it.
int usm_encrypt(struct usm_ctx *ctx, const struct usm_user *u, unsigned key, uint32_t boots,
		uint32_t time, const uint8_t *plain, size_t len, uint8_t *out, size_t cap,
		uint8_t salt[USM_SALT_LEN]);

// Length of the scopedPDU SEQUENCE at the start of decrypted data (tag,
// length, and the contextEngineID OCTET STRING tag that must follow), with
// at most one cipher block of padding after it. How a wrong key or key
// variant is told from a right one; not a BER decoder. Returns the length or
// USM_EPLAINTEXT.
int usm_scoped_pdu_len(const uint8_t *p, size_t len);

// --- processing an incoming message (RFC 3414 §3.2) -------------------------

// What the message layer decoded: values and spans into the message.
struct usm_in {
	const uint8_t *msg; // the whole message as received: the HMAC covers it
	size_t msg_len;
	uint8_t flags;		  // msgFlags
	const uint8_t *engine_id; // msgAuthoritativeEngineID
	size_t engine_len;
	uint32_t boots;	     // msgAuthoritativeEngineBoots
	uint32_t time;	     // msgAuthoritativeEngineTime
	const uint8_t *user; // msgUserName
	size_t user_len;
	size_t auth_off; // msgAuthenticationParameters value: offset and length in msg
	size_t auth_len;
	const uint8_t *priv_params; // msgPrivacyParameters value
	size_t priv_params_len;
	const uint8_t *data; // authPriv: the encryptedPDU OCTET STRING value
	size_t data_len;
};

struct usm_result {
	enum usm_outcome outcome;
	int err;		     // the precise USM_E* reason, 0 when ok
	const struct usm_user *user; // entry found (NULL before step 4 passes)
	bool authoritative;	     // msgAuthoritativeEngineID is ours (an inform to us)
	uint8_t level;		     // enum usm_level the message asked for
	uint8_t priv_key;	     // authPriv: index of the key that decrypted
	size_t plain_len;	     // authPriv: scopedPDU octets written to out
};

// RFC 3414 §3.2 steps 3–5, without crypto: is msgAuthoritativeEngineID ours
// or known, is the user known for it, does the level fit. Pure; sets
// res->outcome/err/user/authoritative/level and returns the outcome.
enum usm_outcome usm_check_user(const struct usm_table *t, const struct usm_local *local,
				const struct usm_in *in, struct usm_result *res);

// RFC 3414 §3.2 steps 3–8 in the RFC's order: usm_check_user, then the HMAC
// (6), timeliness (7: against our clock when we are authoritative, else the
// ctx's remote engine cache, updated), decryption (8; compat AUTO tries the
// second key when the first does not give a scopedPDU). authPriv: the
// scopedPDU goes to out[0..res->plain_len) (out may be in->data: decrypts in
// place); other levels: out is untouched, the scopedPDU is in the message.
// Returns res->outcome. No allocation, no locks: a worker's fast path.
enum usm_outcome usm_process_in(struct usm_ctx *ctx, const struct usm_table *t,
				const struct usm_local *local, uint64_t now,
				const struct usm_in *in, uint8_t *out, size_t cap,
				struct usm_result *res);

#endif
