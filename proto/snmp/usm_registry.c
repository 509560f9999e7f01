/* SPDX-License-Identifier: BSD-3-Clause */
// The USM registries (protocols, outcomes, error codes) as tables generated
// from the X-macros in snmp_usm.h: names, OIDs, lengths and lookups by name.
#include <string.h>

#include <linerate/snmp_usm.h>

static const struct {
	const char *name;
	const char *oid;
	uint8_t digest_len;
	uint8_t mac_len;
} auth_reg[USM_AUTH_COUNT] = {
#define USM_AUTH_ROW_(sym, name, dlen, mlen, oid) [USM_AUTH_##sym] = {name, oid, dlen, mlen},
	USM_AUTH_PROTOCOLS(USM_AUTH_ROW_)
#undef USM_AUTH_ROW_
};

static const struct {
	const char *name;
	const char *oid;
	uint8_t key_len;
} priv_reg[USM_PRIV_COUNT] = {
#define USM_PRIV_ROW_(sym, name, klen, oid) [USM_PRIV_##sym] = {name, oid, klen},
	USM_PRIV_PROTOCOLS(USM_PRIV_ROW_)
#undef USM_PRIV_ROW_
};

static const struct {
	const char *name;
	const char *oid;
} outcome_reg[USM_OUTCOME_COUNT] = {
#define USM_OUTCOME_ROW_(sym, name, oid) [USM_##sym] = {name, oid},
	USM_OUTCOMES(USM_OUTCOME_ROW_)
#undef USM_OUTCOME_ROW_
};

static const char *const compat_names[USM_COMPAT_COUNT] = {
	[USM_COMPAT_AUTO] = "auto",
	[USM_COMPAT_BLUMENTHAL] = "blumenthal",
	[USM_COMPAT_REEDER] = "reeder",
};

// One accessor per registry column: the value, or `none` out of range.
#define REG_GET(fn, type, arg, reg, count, field, none)                                            \
	type fn(arg i)                                                                             \
	{                                                                                          \
		return (unsigned)i < count ? reg[i].field : none;                                  \
	}
REG_GET(usm_auth_name, const char *, enum usm_auth, auth_reg, USM_AUTH_COUNT, name, "?")
REG_GET(usm_auth_oid, const char *, enum usm_auth, auth_reg, USM_AUTH_COUNT, oid, NULL)
REG_GET(usm_auth_digest_len, size_t, enum usm_auth, auth_reg, USM_AUTH_COUNT, digest_len, 0)
REG_GET(usm_auth_mac_len, size_t, enum usm_auth, auth_reg, USM_AUTH_COUNT, mac_len, 0)
REG_GET(usm_priv_name, const char *, enum usm_priv, priv_reg, USM_PRIV_COUNT, name, "?")
REG_GET(usm_priv_oid, const char *, enum usm_priv, priv_reg, USM_PRIV_COUNT, oid, NULL)
REG_GET(usm_priv_key_len, size_t, enum usm_priv, priv_reg, USM_PRIV_COUNT, key_len, 0)
REG_GET(usm_outcome_name, const char *, enum usm_outcome, outcome_reg, USM_OUTCOME_COUNT, name, "?")
REG_GET(usm_outcome_oid, const char *, enum usm_outcome, outcome_reg, USM_OUTCOME_COUNT, oid, NULL)
#undef REG_GET

const char *usm_compat_name(enum usm_compat c)
{
	return (unsigned)c < USM_COMPAT_COUNT ? compat_names[c] : "?";
}

// Index of name in a registry column; -1 when absent.
#define REG_FIND(reg, count, field)                                                                \
	for (int i = 0; i < (int)(count); i++)                                                     \
		if (strcmp(name, reg[i] field) == 0)                                               \
			return i;                                                                  \
	return -1

int usm_auth_from_name(const char *name)
{
	REG_FIND(auth_reg, USM_AUTH_COUNT, .name);
}

int usm_priv_from_name(const char *name)
{
	REG_FIND(priv_reg, USM_PRIV_COUNT, .name);
}

int usm_compat_from_name(const char *name)
{
	REG_FIND(compat_names, USM_COMPAT_COUNT, );
}

int usm_level_from_flags(uint8_t flags)
{
	// RFC 3412 §7.2 step 5: priv without auth is not a level
	if ((flags & (USM_FLAG_AUTH | USM_FLAG_PRIV)) == USM_FLAG_PRIV)
		return -1;
	if (flags & USM_FLAG_PRIV)
		return USM_LEVEL_AUTH_PRIV;
	return flags & USM_FLAG_AUTH ? USM_LEVEL_AUTH_NOPRIV : USM_LEVEL_NOAUTH_NOPRIV;
}

enum usm_level usm_report_level(enum usm_outcome o)
{
	// RFC 3414 §3.2 step 7a: the notInTimeWindow Report is authenticated so
	// the sender can trust the boots and time it carries; the others cannot
	// be (no user, no key, or a key that just failed)
	return o == USM_NOT_IN_TIME_WINDOWS ? USM_LEVEL_AUTH_NOPRIV : USM_LEVEL_NOAUTH_NOPRIV;
}

// --- error codes ---

static const char *const err_msg[] = {
#define USM_ERR_MSG_(sym, msg) [sym - USM_EBASE_ - 1] = msg,
	USM_ERRORS(USM_ERR_MSG_)
#undef USM_ERR_MSG_
};

static const char *const err_sym[] = {
#define USM_ERR_SYM_(sym, msg) [sym - USM_EBASE_ - 1] = #sym,
	USM_ERRORS(USM_ERR_SYM_)
#undef USM_ERR_SYM_
};

const char *usm_strerror(int err)
{
	if (err == 0)
		return "ok";
	if (err > USM_EBASE_ && err < USM_ELAST_)
		return err_msg[err - USM_EBASE_ - 1];
	if (err < 0 && err > -4096)
		return strerror(-err);
	return "unknown error";
}

const char *usm_strerror_sym(int err)
{
	if (err == 0)
		return "OK";
	if (err > USM_EBASE_ && err < USM_ELAST_)
		return err_sym[err - USM_EBASE_ - 1];
	return "UNKNOWN";
}
