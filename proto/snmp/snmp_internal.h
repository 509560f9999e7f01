/* SPDX-License-Identifier: BSD-3-Clause */
// Shared inside proto/snmp: the PDU reader the message decoders call with
// their own cursor, and the PDU writer the message encoders call with
// their own writer.
#ifndef LINERATE_SNMP_INTERNAL_H
#define LINERATE_SNMP_INTERNAL_H

#include <linerate/snmp_ber.h>
#include <linerate/snmp_msg.h>

// A struct snmp_bytes over a constant OID's contents octets.
#define OID_BYTES(...)                                                                             \
	{                                                                                          \
		.ptr = (const uint8_t[]){__VA_ARGS__},                                             \
		.len = sizeof((const uint8_t[]){__VA_ARGS__}),                                     \
	}

// Reads one PDU at the cursor (errors recorded in c).
int snmp_pdu_read(struct ber_cur *c, int32_t version, struct snmp_pdu *pdu, struct snmp_varbind *vb,
		  uint32_t vb_cap);

// Writes one PDU (backwards, so last of what precedes it in the message).
void snmp_pdu_write(struct ber_wr *w, const struct snmp_pdu *pdu);

#endif
