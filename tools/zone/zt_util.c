/* SPDX-License-Identifier: BSD-3-Clause */
// Helpers shared by linerate-zone's parsers.
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "zt_util.h"

int zt_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

bool zt_parse_uint(const char *s, unsigned long max, unsigned long *v)
{
	char *end;
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return errno == 0 && *end == '\0' && *v <= max;
}
