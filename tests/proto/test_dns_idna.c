/* SPDX-License-Identifier: BSD-3-Clause */
#include <criterion/criterion.h>
#include <string.h>

#include <linerate/dns_err.h>
#include <linerate/dns_idna.h>

Test(dns_idna, utf8_becomes_a_labels)
{
	uint8_t n[DNS_NAME_MAXLEN];
	char t[DNS_NAME_TEXT_MAX];
	cr_assert_gt(dns_name_from_idna("bücher.example", n), 0);
	dns_name_to_text(n, t, sizeof(t));
	cr_assert_str_eq(t, "xn--bcher-kva.example.");
	cr_assert_gt(dns_name_to_idna(n, t, sizeof(t)), 0);
	cr_assert_str_eq(t, "bücher.example.");
}

Test(dns_idna, ascii_passes_through)
{
	uint8_t n[DNS_NAME_MAXLEN];
	char t[DNS_NAME_TEXT_MAX];
	cr_assert_gt(dns_name_from_idna("Www.Example.", n), 0);
	dns_name_to_text(n, t, sizeof(t));
	cr_assert_str_eq(t, "Www.Example.");
}

Test(dns_idna, invalid_input_is_refused)
{
	uint8_t n[DNS_NAME_MAXLEN];
	// a lone combining mark cannot start a label (IDNA2008)
	cr_assert_eq(dns_name_from_idna("\xcc\x81x.example", n), DNS_EIDNA);
	cr_assert_eq(dns_name_from_idna("", n), DNS_EINVAL);
}
