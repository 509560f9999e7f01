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

// Writes a ScopedPDU (RFC 3412 §6) the same way.
void snmp_scoped_pdu_write(struct ber_wr *w, struct snmp_bytes ctx_engine_id,
			   struct snmp_bytes ctx_name, const struct snmp_pdu *pdu);

// Everything of a v3 message before msgData, which w already holds: USM
// security parameters, HeaderData, version, and the outer SEQUENCE; then
// finishes w. Returns the message length or an error; *auth_off (may be
// NULL) gets the offset of the msgAuthenticationParameters placeholder.
int snmp_v3_write_head(struct ber_wr *w, const struct snmp_v3_out *h, uint32_t *auth_off);

#endif
