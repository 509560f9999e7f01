/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdbool.h>
#include <string.h>

#include <linerate/snmp_err.h>
#include <linerate/snmp_usm.h>

static const struct {
	const char *sym;
	const char *msg;
} snmp_errs[] = {
#define SNMP_ERR_ROW_(sym, msg) [sym - SNMP_E_BASE_ - 1] = {#sym, msg},
	SNMP_ERRORS(SNMP_ERR_ROW_)
#undef SNMP_ERR_ROW_
};

static bool is_snmp_err(int err)
{
	return err > SNMP_E_BASE_ && err < SNMP_E_LAST_;
}

const char *snmp_strerror(int err)
{
	if (err == 0)
		return "ok";
	if (is_snmp_err(err))
		return snmp_errs[err - SNMP_E_BASE_ - 1].msg;
	if (err > USM_EBASE_ && err < USM_ELAST_)
		return usm_strerror(err);
	if (err < 0 && err > -4096)
		return strerror(-err);
	return "unknown error";
}

const char *snmp_strerror_sym(int err)
{
	if (err == 0)
		return "OK";
	if (err > USM_EBASE_ && err < USM_ELAST_)
		return usm_strerror_sym(err);
	return is_snmp_err(err) ? snmp_errs[err - SNMP_E_BASE_ - 1].sym : "UNKNOWN";
}
