/* SPDX-License-Identifier: BSD-3-Clause */
// RFC 3584 §3.1: the parameters of a v1 Trap-PDU as SNMPv2 notification
// varbinds.
#include <string.h>

#include <linerate/snmp_msg.h>

#include "snmp_internal.h"

// snmpTraps (1.3.6.1.6.3.1.1.5) and the six generic traps under it, in the
// order of the RFC 3584 §3.1 (3) table: coldStart(1) .. egpNeighborLoss(6).
#define SNMP_TRAPS 0x2b, 6, 1, 6, 3, 1, 1, 5
static const struct snmp_bytes generic_trap_oids[6] = {
	OID_BYTES(SNMP_TRAPS, 1), OID_BYTES(SNMP_TRAPS, 2), OID_BYTES(SNMP_TRAPS, 3),
	OID_BYTES(SNMP_TRAPS, 4), OID_BYTES(SNMP_TRAPS, 5), OID_BYTES(SNMP_TRAPS, 6),
};

static bool same(struct snmp_bytes a, struct snmp_bytes b)
{
	return a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0;
}

static bool has_name(const struct snmp_pdu *trap, struct snmp_bytes name)
{
	for (uint32_t i = 0; i < trap->vb_count; i++)
		if (same(trap->vb[i].oid, name))
			return true;
	return false;
}

// RFC 3584 §3.1 (2): enterprise, then the sub-identifiers 0 and specific.
static int enterprise_specific_oid(const struct snmp_pdu *trap, struct snmp_trap_oid_buf *buf,
				   struct snmp_bytes *oid)
{
	if (trap->specific_trap < 0)
		return SNMP_E_SPECIFIC_TRAP;
	unsigned subids = 1; // the first sub-identifier holds two arcs
	for (uint32_t i = 0; i < trap->enterprise.len; i++)
		subids += !(trap->enterprise.ptr[i] & 0x80);
	if (subids + 2 > SNMP_OID_MAX_SUBIDS)
		return SNMP_E_OID_TOO_LONG;
	uint8_t *p = buf->oid;
	memcpy(p, trap->enterprise.ptr, trap->enterprise.len);
	size_t n = trap->enterprise.len;
	p[n++] = 0;
	uint32_t v = (uint32_t)trap->specific_trap;
	uint8_t tmp[5];
	size_t k = 0;
	do {
		tmp[k++] = v & 0x7f;
		v >>= 7;
	} while (v);
	while (k > 1)
		p[n++] = tmp[--k] | 0x80;
	p[n++] = tmp[0];
	oid->ptr = p;
	oid->len = (uint32_t)n;
	return 0;
}

int snmp_trap_v1_oid(const struct snmp_pdu *trap, struct snmp_trap_oid_buf *buf,
		     struct snmp_bytes *oid)
{
	if (!trap || !buf || !oid || trap->type != SNMP_PDU_TRAP_V1 || trap->generic_trap < 0 ||
	    trap->generic_trap > 6)
		return SNMP_E_INVAL;
	if (trap->generic_trap == 6)
		return enterprise_specific_oid(trap, buf, oid);
	*oid = generic_trap_oids[trap->generic_trap]; // (3)
	return 0;
}

int snmp_trap_v1_to_v2(const struct snmp_pdu *trap, struct snmp_bytes community,
		       struct snmp_varbind *out, uint32_t cap, struct snmp_trap_oid_buf *buf,
		       unsigned flags)
{
	struct snmp_bytes trap_oid;
	if (!out)
		return SNMP_E_INVAL;
	int rc = snmp_trap_v1_oid(trap, buf, &trap_oid);
	if (rc)
		return rc;
	struct snmp_varbind extra[3];
	uint32_t n_extra = 0;
	// (4): appended only when the trap does not carry them already
	if (!has_name(trap, snmp_oid_snmp_trap_address_0))
		extra[n_extra++] = (struct snmp_varbind){.oid = snmp_oid_snmp_trap_address_0,
							 .type = SNMP_T_IPADDRESS,
							 .data = trap->agent_addr};
	if ((flags & SNMP_V1V2_COMMUNITY) && !has_name(trap, snmp_oid_snmp_trap_community_0))
		extra[n_extra++] = (struct snmp_varbind){.oid = snmp_oid_snmp_trap_community_0,
							 .type = SNMP_T_OCTET_STRING,
							 .data = community};
	if (!has_name(trap, snmp_oid_snmp_trap_enterprise_0))
		extra[n_extra++] = (struct snmp_varbind){.oid = snmp_oid_snmp_trap_enterprise_0,
							 .type = SNMP_T_OID,
							 .data = trap->enterprise};
	uint64_t total = 2 + (uint64_t)trap->vb_count + n_extra;
	if (total > cap)
		return SNMP_E_TOO_MANY_VARBINDS;
	snmp_notification_head(out, trap->timestamp, trap_oid); // (1), (2)/(3)
	if (trap->vb_count)
		memcpy(out + 2, trap->vb, trap->vb_count * sizeof(*out));
	memcpy(out + 2 + trap->vb_count, extra, n_extra * sizeof(*out));
	return (int)total;
}
