/* SPDX-License-Identifier: BSD-3-Clause */
// linerate-zone: a DNS message printed the way dig prints it, read from wire
// with proto's parser (dns_msg.h), so what is printed is what a client would
// receive. The tool's own library: it allocates, prints, and is not for
// workers.
#ifndef LINERATE_TOOLS_ZT_PRINT_H
#define LINERATE_TOOLS_ZT_PRINT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

// Print wire[0..len) as dig does: the header line (opcode, status, id), the
// flags line with the counts, the OPT pseudo-section (version, flags, UDP
// size, options), then the question and each non-empty section with one
// record per line (owner, TTL, class, type, rdata in presentation format),
// and the message size. A message the parser rejects is printed as far as
// its header (when there are 12 octets) followed by ";; malformed message:
// <reason>". Returns 0, the parse error (a DNS_E* code), or -ENOMEM.
int zt_print_msg(FILE *out, const uint8_t *wire, size_t len);

// The flags of a header word in dig's words and order ("qr aa rd"); writes
// at most cap bytes including the NUL and returns out.
char *zt_flags_text(uint16_t flags, char *out, size_t cap);

#endif
