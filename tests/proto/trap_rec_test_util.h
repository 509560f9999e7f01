/* SPDX-License-Identifier: BSD-3-Clause */
// Shared by the trap record tests and the fuzz harness: re-encoding a
// decoded record from its fields.
#ifndef LINERATE_TESTS_TRAP_REC_TEST_UTIL_H
#define LINERATE_TESTS_TRAP_REC_TEST_UTIL_H

#include <stdint.h>
#include <string.h>

#include <linerate/snmp_msg.h>
#include <linerate/trap_record.h>

// The varbinds of r into vb[0..cap) and a fresh record from its fields
// into out; returns trap_rec_write's result, or TRAP_REC_E_INVAL when cap
// is too small.
static inline int trap_rec_reencode(const struct trap_rec *r, struct snmp_varbind *vb, uint32_t cap,
				    uint8_t *out, size_t out_cap)
{
	struct trap_rec_iter it;
	uint32_t n = 0;
	if (r->vb_count > cap)
		return TRAP_REC_E_INVAL;
	trap_rec_vb_first(r, &it);
	while (n < cap && trap_rec_vb_next(&it, &vb[n]))
		n++;
	if (n != r->vb_count)
		return TRAP_REC_E_INVAL;
	return trap_rec_write(out, out_cap, r, vb, n);
}

#endif
