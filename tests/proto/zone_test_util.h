/* SPDX-License-Identifier: BSD-3-Clause */
// A zone loaded from text for tests that need an image: failing to load is
// a test failure naming file:line:col.
#ifndef LINERATE_TESTS_ZONE_TEST_UTIL_H
#define LINERATE_TESTS_ZONE_TEST_UTIL_H

#include <criterion/criterion.h>
#include <string.h>

#include <linerate/dns_name.h>
#include <linerate/dns_types.h>
#include <linerate/dns_zone_set.h>

static inline struct dns_zone *test_zone(const char *apex_text, const char *text)
{
	uint8_t apex[DNS_NAME_MAXLEN];
	cr_assert_gt(dns_name_from_text(apex_text, strlen(apex_text), NULL, apex), 0);
	struct dns_zone *z = dns_zone_new(apex, DNS_CLASS_IN);
	cr_assert_not_null(z);
	struct dns_zone_diag d;
	int rc = dns_zone_load_text(z, apex_text, text, strlen(text), 3600, NULL, NULL, &d);
	cr_assert_eq(rc, 0, "%s:%u:%u: %s", d.file, d.line, d.col, d.msg);
	return z;
}

#endif
