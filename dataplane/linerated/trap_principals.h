/* SPDX-License-Identifier: BSD-3-Clause */
// Accepted notifications counted by principal (SNMPv3 user, or v1/v2c
// community) and security level (issue #7), for `linerate-ctl stats` and
// the metrics. The journal's drain thread counts each record it appends
// (reading only the record's header and security name); the control
// socket and the metrics thread read a sorted copy. Never on a worker.
//
// The table is bounded: LR_PRINCIPALS_MAX distinct (principal, level)
// pairs, the rest summed per level under "(other)". Communities are
// secrets (RFC 3584 §3.1): the table keeps them to tell them apart and
// wipes them when freed; their text is "community:" plus at most their
// first 2 characters (fewer for short ones: never more than half) and a
// fingerprint keyed by a per-start random key, never the whole string.
//
// Threads: lr_principals_count from one thread (the drain thread);
// lr_principals_read from any; a mutex is held for one increment or one
// copy, so neither blocks the other for long.
#ifndef LR_TRAP_PRINCIPALS_H
#define LR_TRAP_PRINCIPALS_H

#include <stddef.h>
#include <stdint.h>

#define LR_PRINCIPALS_MAX   1024 // distinct (principal, level) pairs
#define LR_PRINCIPALS_TOP   64	 // rows in the stats reply and the metrics
#define LR_PRINCIPAL_KEY    255	 // octets of a name told apart (a community's most)
#define LR_PRINCIPAL_TEXT   80	 // the shown name, NUL included
#define LR_PRINCIPAL_FP_KEY 32	 // octets of the fingerprint key
#define LR_PRINCIPAL_OTHER  "(other)"

// Security level as counted: v3's three (RFC 3411), and v1/v2c's community.
#define LR_PRINCIPAL_LEVELS(X)                                                                     \
	X(NO_AUTH_NO_PRIV, "noAuthNoPriv")                                                         \
	X(AUTH_NO_PRIV, "authNoPriv")                                                              \
	X(AUTH_PRIV, "authPriv")                                                                   \
	X(COMMUNITY, "community")

enum lr_principal_level {
#define LR_PRINCIPAL_LEVEL_ENUM(sym, name) LR_PLEVEL_##sym,
	LR_PRINCIPAL_LEVELS(LR_PRINCIPAL_LEVEL_ENUM)
#undef LR_PRINCIPAL_LEVEL_ENUM
		LR_PLEVEL_COUNT
};

const char *lr_principal_level_name(enum lr_principal_level l);

struct lr_principal_row {
	char principal[LR_PRINCIPAL_TEXT]; // printable ASCII (others as \xNN)
	const char *kind;		   // "user" or "community"
	enum lr_principal_level level;
	uint64_t traps; // Trap-v1 and SNMPv2-Trap
	uint64_t informs;
};

struct lr_principals_totals {
	uint64_t by_level[LR_PLEVEL_COUNT][2]; // [level][0 traps, 1 informs]
	uint64_t unparsed;		       // records whose header did not read
	uint64_t distinct;		       // rows in use, "(other)" ones included
};

struct lr_principals;

// An empty table, its fingerprints keyed by key[0..LR_PRINCIPAL_FP_KEY);
// NULL with errno set. lr_principals_free wipes the names; NULL is a no-op.
struct lr_principals *lr_principals_new(const uint8_t key[LR_PRINCIPAL_FP_KEY]);
void lr_principals_free(struct lr_principals *p);

// Counts the trap record rec[0..len) (trap_record.h). Returns 0, or a
// TRAP_REC_E_* when its header does not read (counted as unparsed).
int lr_principals_count(struct lr_principals *p, const uint8_t *rec, size_t len);

// The at most max rows with the most notifications (traps + informs),
// most first, ties by name; returns how many. *t (may be NULL) gets the
// totals by level.
size_t lr_principals_read(struct lr_principals *p, struct lr_principal_row *out, size_t max,
			  struct lr_principals_totals *t);

// The daemon's table (trap_journal.c), NULL when the trap collector is
// off. Valid until lr_traps_stop.
struct lr_principals *lr_traps_principals(void);

#endif
