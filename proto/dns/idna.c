/* SPDX-License-Identifier: BSD-3-Clause */
// IDNA for names people type (tools only; see linerate/dns_idna.h).
#include <idn2.h>
#include <stdlib.h>
#include <string.h>

#include <linerate/dns_err.h>
#include <linerate/dns_idna.h>

static bool is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s & 0x80)
			return false;
	return true;
}

int dns_name_from_idna(const char *utf8, uint8_t out[DNS_NAME_MAXLEN])
{
	if (!utf8 || !*utf8)
		return DNS_EINVAL;
	if (is_ascii(utf8))
		return dns_name_from_text(utf8, strlen(utf8), NULL, out);

	char *alabels = NULL;
	// UTS #46 non-transitional mapping, as browsers and dig (IDN_ENABLE) do.
	int rc = idn2_to_ascii_8z(utf8, &alabels, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
	if (rc != IDN2_OK)
		return DNS_EIDNA;
	int n = dns_name_from_text(alabels, strlen(alabels), NULL, out);
	idn2_free(alabels);
	return n;
}

int dns_name_to_idna(const uint8_t *name, char *out, size_t cap)
{
	char ascii[DNS_NAME_TEXT_MAX];
	int n = dns_name_to_text(name, ascii, sizeof(ascii));
	if (n < 0)
		return n;
	char *u = NULL;
	if (idn2_to_unicode_8z8z(ascii, &u, 0) != IDN2_OK) {
		if ((size_t)n + 1 > cap)
			return DNS_ENOSPACE;
		memcpy(out, ascii, (size_t)n + 1);
		return n;
	}
	size_t ul = strlen(u);
	if (ul + 1 > cap) {
		idn2_free(u);
		return DNS_ENOSPACE;
	}
	memcpy(out, u, ul + 1);
	idn2_free(u);
	return (int)ul;
}
