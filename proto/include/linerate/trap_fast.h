/* SPDX-License-Identifier: BSD-3-Clause */
// The trap fast lane: the common notification a trap collector
// receives, an SNMPv2c message (RFC 1901) carrying an SNMPv2-Trap-PDU or
// InformRequest-PDU (RFC 3416 §4.2.6, §4.2.7) that starts with sysUpTime.0
// and snmpTrapOID.0, short-form varbinds of the ordinary types, decoded in
// one pass straight into its trap record (trap_record.h). No varbind array
// and no second pass to size the record.
//
// The lane either takes a message whole or declines it: whatever it does
// not take (v1, v3, other PDUs, long-form varbinds, anything malformed, a
// record that would not fit) it leaves for the general path,
// snmp_msg_decode() then trap_rec_encode(), which must be called next. For
// a message the lane takes, that general path would decode it and encode
// the very same record octets (tests/proto/test_trap_fast.c holds the two
// to that over the golden and corpus messages and every one-octet
// corruption and truncation of good ones; fuzz_snmp_msg does the same
// over whatever it finds).
//
// The same lane takes the scoped PDU of a v3 message USM has accepted
// (and, for authPriv, decrypted): trap_fast_scoped() stands in for
// snmp_scoped_pdu_decode() then trap_rec_encode(), held to the same
// octets the same way.
//
// Pure, thread-compatible, no allocation.
#ifndef LINERATE_TRAP_FAST_H
#define LINERATE_TRAP_FAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linerate/snmp_msg.h>
#include <linerate/trap_record.h>

// Which PDU types the lane may take.
#define TRAP_FAST_TRAP	 0x01 // SNMPv2-Trap
#define TRAP_FAST_INFORM 0x02 // InformRequest

// What the caller still has to check of a message the lane took.
struct trap_fast_v2c {
	struct snmp_bytes community; // in the message
	uint8_t pdu_type;	     // SNMP_PDU_TRAP_V2 or SNMP_PDU_INFORM
};

// Whether wire[0..len) starts as a v2c message does (SEQUENCE, then
// version 1 in one octet): a cheap look before the caller commits an
// output buffer to trap_fast_v2c().
static inline bool trap_fast_is_v2c(const uint8_t *wire, size_t len)
{
	if (len < 8 || wire[0] != 0x30)
		return false;
	size_t h = wire[1] < 0x80 ? 2 : 2 + (wire[1] & 0x7fu);
	return h + 3 <= len && wire[h] == 0x02 && wire[h + 1] == 0x01 && wire[h + 2] == SNMP_V2C;
}

// Takes the v2c message wire[0..len) when it is of the common shape, a
// PDU type in `pdus` (TRAP_FAST_*) and at most vb_max varbinds (the
// general path's varbind array): writes its record, with meta, to
// out[0..cap) and fills *res. Returns the record's length, or 0 when it
// declines (out's contents are then undefined; the message is untouched).
// out must not overlap wire.
int trap_fast_v2c(uint8_t *out, size_t cap, const struct trap_rec_meta *meta, const uint8_t *wire,
		  size_t len, uint32_t vb_max, unsigned pdus, struct trap_fast_v2c *res);

// The v3 lane: the scopedPDU plain[0..len) (RFC 3412 §6) of the v3
// message m, whose header and USM parameters snmp_msg_decode() read and
// whose plaintext USM produced. Writes the record trap_rec_encode() would
// write of m once snmp_scoped_pdu_decode(m, plain, len, ...) read it, and
// *pdu_type; returns its length, or 0 when it declines (as above).
int trap_fast_scoped(uint8_t *out, size_t cap, const struct trap_rec_meta *meta,
		     const struct snmp_msg *m, const uint8_t *plain, size_t len, uint32_t vb_max,
		     unsigned pdus, uint8_t *pdu_type);

#endif
