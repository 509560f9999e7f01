/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <linerate/dns_err.h>
#include <linerate/wire.h>

static const char *const dns_err_msg[] = {
#define DNS_ERR_MSG_(sym, msg) [sym - DNS_EBASE_ - 1] = msg,
	DNS_ERRORS(DNS_ERR_MSG_)
#undef DNS_ERR_MSG_
};

static const char *const dns_err_sym[] = {
#define DNS_ERR_SYM_(sym, msg) [sym - DNS_EBASE_ - 1] = #sym,
	DNS_ERRORS(DNS_ERR_SYM_)
#undef DNS_ERR_SYM_
};

// The wire cursor's codes, which every DNS parser may pass through.
static const struct {
	int code;
	const char *sym;
	const char *msg;
} wire_errs[] = {
	{WIRE_ETRUNC, "WIRE_ETRUNC", "read past the end of the buffer"},
	{WIRE_ENOSPACE, "WIRE_ENOSPACE", "write past the end of the buffer"},
	{WIRE_ERANGE, "WIRE_ERANGE", "seek outside the buffer"},
};

static int wire_err_index(int err)
{
	for (size_t i = 0; i < sizeof(wire_errs) / sizeof(wire_errs[0]); i++)
		if (wire_errs[i].code == err)
			return (int)i;
	return -1;
}

const char *dns_strerror(int err)
{
	if (err == 0)
		return "ok";
	if (err > DNS_EBASE_ && err < DNS_ELAST_)
		return dns_err_msg[err - DNS_EBASE_ - 1];
	int w = wire_err_index(err);
	if (w >= 0)
		return wire_errs[w].msg;
	if (err < 0 && err > -4096)
		return strerror(-err);
	return "unknown error";
}

const char *dns_strerror_sym(int err)
{
	if (err == 0)
		return "OK";
	if (err > DNS_EBASE_ && err < DNS_ELAST_)
		return dns_err_sym[err - DNS_EBASE_ - 1];
	int w = wire_err_index(err);
	return w >= 0 ? wire_errs[w].sym : "UNKNOWN";
}
