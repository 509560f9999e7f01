/* SPDX-License-Identifier: BSD-3-Clause */
// Trap records, as a sink reads them from the journal. Anything
// trap_rec_decode accepts must iterate to exactly vb_count varbinds, print
// its OIDs, and re-encode from its fields to the very same octets (one
// record, one meaning); anything it refuses must be refused with one of
// its codes. Never a crash, a hang or a read past the input.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <linerate/snmp_ber.h>
#include <linerate/trap_record.h>

#include "../proto/trap_rec_test_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define VB_CAP	UINT16_MAX
#define REC_MAX (1u << 20)

static void check_oid(struct snmp_bytes oid)
{
	static char text[SNMP_OID_TEXT_MAX];
	if (oid.len && snmp_oid_to_text(oid.ptr, oid.len, text, sizeof(text)) <= 0)
		__builtin_trap(); // the decoder checked it
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct snmp_varbind vb[VB_CAP];
	static uint8_t out[REC_MAX];
	struct trap_rec r;
	if (size > REC_MAX)
		return 0;
	int rc = trap_rec_decode(&r, data, size);
	if (rc != 0) {
		if (rc <= TRAP_REC_E_BASE_ || rc >= TRAP_REC_E_LAST_)
			__builtin_trap();
		return 0;
	}
	if (r.len > size || trap_rec_peek_len(data, size) != r.len)
		__builtin_trap();
	check_oid(r.trap_oid);
	check_oid(r.enterprise);
	int len = trap_rec_reencode(&r, vb, VB_CAP, out, sizeof(out));
	if (len != (int)r.len || memcmp(out, data, r.len) != 0)
		__builtin_trap();
	for (uint32_t i = 0; i < r.vb_count; i++) {
		check_oid(vb[i].oid);
		if (vb[i].type == SNMP_T_OID)
			check_oid(vb[i].data);
	}
	return 0;
}
