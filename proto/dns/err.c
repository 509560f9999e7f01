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

static const char *wire_err(int err)
{
	switch (err) {
	case WIRE_ETRUNC:
		return "read past the end of the buffer";
	case WIRE_ENOSPACE:
		return "write past the end of the buffer";
	case WIRE_ERANGE:
		return "seek outside the buffer";
	default:
		return NULL;
	}
}

const char *dns_strerror(int err)
{
	if (err == 0)
		return "ok";
	if (err > DNS_EBASE_ && err < DNS_ELAST_)
		return dns_err_msg[err - DNS_EBASE_ - 1];
	const char *w = wire_err(err);
	if (w)
		return w;
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
	switch (err) {
	case WIRE_ETRUNC:
		return "WIRE_ETRUNC";
	case WIRE_ENOSPACE:
		return "WIRE_ENOSPACE";
	case WIRE_ERANGE:
		return "WIRE_ERANGE";
	default:
		return "UNKNOWN";
	}
}
