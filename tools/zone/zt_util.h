/* SPDX-License-Identifier: BSD-3-Clause */
// linerate-zone: small helpers its command-line parsers share.
#ifndef LINERATE_TOOLS_ZT_UTIL_H
#define LINERATE_TOOLS_ZT_UTIL_H

#include <stdbool.h>
#include <stddef.h>

// Format a message into err (errlen bytes) and return -EINVAL.
int zt_fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

// A whole decimal number (digits only) in [0, max].
bool zt_parse_uint(const char *s, unsigned long max, unsigned long *v);

#endif
