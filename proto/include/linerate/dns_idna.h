/* SPDX-License-Identifier: BSD-3-Clause */
// IDNA (IDNA2008 with UTS #46 mapping, via libidn2) for names typed by people.
// Lives in its own library (linerate-proto-idna) so the fast path never links
// it: tools call it on text input, never on packets.
#ifndef LINERATE_DNS_IDNA_H
#define LINERATE_DNS_IDNA_H

#include <stdint.h>

#include "dns_name.h"

// UTF-8 text → wire name with A-labels ("bücher.example" → xn--bcher-kva).
// ASCII input behaves as dns_name_from_text with a NULL origin.
// Returns the wire length or DNS_EIDNA / the dns_name_from_text codes.
int dns_name_from_idna(const char *utf8, uint8_t out[DNS_NAME_MAXLEN]);

// Wire name → UTF-8 text with U-labels where they decode, else as
// dns_name_to_text. Returns the string length or a negative code.
int dns_name_to_idna(const uint8_t *name, char *out, size_t cap);

#endif
