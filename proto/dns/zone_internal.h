/* SPDX-License-Identifier: BSD-3-Clause */
// Shared by the master-file reader and the zone model.
#ifndef LINERATE_ZONE_INTERNAL_H
#define LINERATE_ZONE_INTERNAL_H

#include <stdarg.h>

#include <linerate/dns_zone.h>

// Fill d (all of it): where, the code (0 for a warning), the message.
// Returns code.
int dns_zone_diag_vset(struct dns_zone_diag *d, const char *file, unsigned line, unsigned col,
		       int code, const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));

#endif
