/* SPDX-License-Identifier: BSD-3-Clause */
// Trap records: one accepted SNMP notification (Trap-v1, SNMPv2-Trap or
// InformRequest) as a compact, versioned, self-delimiting binary record.
// A worker writes it with no allocation into a buffer it owns; the journal
// stores it as opaque bytes; sinks decode it (bounds-checked) and turn it
// into events. Decoding to text happens in the sinks, never on a worker.
//
// Layout (version 1; integers big-endian, offsets in octets):
//
//    0  u8   format version (TRAP_REC_VERSION)
//    1  u8   PDU type: 0xa4 Trap-v1, 0xa6 InformRequest, 0xa7 SNMPv2-Trap
//    2  u16  flags (TRAP_REC_F_*)
//    4  u32  record length, this header included
//    8  u64  receive time, ns since the Unix epoch
//   16  u8   SNMP version (0 v1, 1 v2c, 3 v3)
//   17  u8   security level (RFC 3411 SnmpSecurityLevel: 1 noAuthNoPriv,
//            2 authNoPriv, 3 authPriv; always 1 for v1 and v2c)
//   18  u8   source address family (4 or 6)
//   19  u8   destination address family (4 or 6)
//   20  16   source address (IPv4: 4 octets, then 12 zero octets)
//   36  16   destination address (same)
//   52  u16  source port
//   54  u16  destination port
//   56  i32  request-id (0 for Trap-v1, which has none)
//   60  u32  sysUpTime in TimeTicks (Trap-v1: time-stamp)
//   64  i32  Trap-v1 generic-trap (0 otherwise)
//   68  i32  Trap-v1 specific-trap (0 otherwise)
//   72  4    Trap-v1 agent-addr (zero otherwise)
//   76  u16  varbind count
//   78  u16  zero
//   80  then five strings, each a u16 length and its octets: security name
//       (community for v1/v2c, msgUserName for v3), contextEngineID,
//       contextName, Trap-v1 enterprise (OID contents), snmpTrapOID.0
//       value (OID contents; RFC 3584 §3.1 translation for Trap-v1)
//       then the varbinds, each: u16 name length, name (OID contents), u8
//       type (BER identifier, enum snmp_type), u16 value length, value.
//       Values: INTEGER, Counter32, Gauge32, TimeTicks, UInteger32 as 4
//       octets, Counter64 as 8, NULL and the exceptions empty, OBJECT
//       IDENTIFIER as its contents, IpAddress as 4 octets, OCTET STRING,
//       Opaque and NsapAddress as their octets.
//
// For SNMPv2-Trap and InformRequest whose first two varbinds are
// sysUpTime.0 and snmpTrapOID.0 (RFC 3416 §4.2.6), those two are stored
// in the header (flag TRAP_REC_F_HEAD) and not again as varbinds; a
// notification that lacks them keeps all its varbinds and has no flag.
// Trap-v1s keep their v1 fields and also get the translated snmpTrapOID.0.
//
// All functions are pure and thread-compatible; nothing allocates.
#ifndef LINERATE_TRAP_RECORD_H
#define LINERATE_TRAP_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linerate/snmp_msg.h>

#define TRAP_REC_VERSION 1
#define TRAP_REC_HDR_LEN 80
#define TRAP_REC_STR_MAX UINT16_MAX // longest string or varbind value
#define TRAP_REC_VB_MAX	 UINT16_MAX // most varbinds in one record

// Flags.
#define TRAP_REC_F_HEAD 0x0001 // uptime and trap_oid are the notification's own
#define TRAP_REC_F_ALL	TRAP_REC_F_HEAD

// RFC 3411 SnmpSecurityLevel.
enum trap_rec_sec_level {
	TRAP_REC_NO_AUTH_NO_PRIV = 1,
	TRAP_REC_AUTH_NO_PRIV = 2,
	TRAP_REC_AUTH_PRIV = 3,
};

// X(symbol, message); negative from -4999 up, clear of errno, the wire
// cursor's, proto/dns's, proto/snmp's and USM's codes.
#define TRAP_REC_ERRORS(X)                                                                         \
	X(TRAP_REC_E_INVAL, "invalid argument")                                                    \
	X(TRAP_REC_E_NOSPACE, "output buffer too small")                                           \
	X(TRAP_REC_E_PDU, "PDU is not a Trap-v1, SNMPv2-Trap or InformRequest")                    \
	X(TRAP_REC_E_TOO_BIG, "a string or value over 65535 octets, or too many varbinds")         \
	X(TRAP_REC_E_TRUNCATED, "record shorter than its header or its stated length")             \
	X(TRAP_REC_E_FORMAT, "unknown record format version")                                      \
	X(TRAP_REC_E_LENGTH, "stated record length below the header or past the buffer")           \
	X(TRAP_REC_E_FIELD, "a header field out of range (version, level, family, flags)")         \
	X(TRAP_REC_E_OID, "malformed OID (trap OID, enterprise, varbind name or value)")           \
	X(TRAP_REC_E_VALUE, "unknown varbind type or a value of the wrong length")                 \
	X(TRAP_REC_E_EXTRA, "octets after the last varbind inside the record")

enum trap_rec_err {
	TRAP_REC_E_BASE_ = -5000,
#define TRAP_REC_ERR_ENUM_(sym, msg) sym,
	TRAP_REC_ERRORS(TRAP_REC_ERR_ENUM_)
#undef TRAP_REC_ERR_ENUM_
		TRAP_REC_E_LAST_,
};

// Message for a code of this module, an SNMP_E_* code or a negative errno.
const char *trap_rec_strerror(int err);

struct trap_rec_addr {
	uint8_t family; // 4 or 6
	uint8_t addr[16];
	uint16_t port;
};

// What the receiver knows besides the message.
struct trap_rec_meta {
	uint64_t rx_ns; // receive time, ns since the Unix epoch
	struct trap_rec_addr src;
	struct trap_rec_addr dst;
};

// A record's fields. From trap_rec_decode, the spans point into the record
// and varbinds are read with trap_rec_vb_first/next. For trap_rec_write,
// the caller fills it and passes the varbinds separately.
struct trap_rec {
	uint32_t len; // whole record (decode only)
	uint8_t pdu_type;
	uint16_t flags;
	struct trap_rec_meta meta;
	uint8_t snmp_version;
	uint8_t sec_level;
	struct snmp_bytes sec_name; // community (v1/v2c) or user name (v3)
	struct snmp_bytes context_engine_id;
	struct snmp_bytes context_name;
	int32_t request_id;
	uint32_t uptime;
	struct snmp_bytes trap_oid;
	struct snmp_bytes enterprise;
	uint8_t agent_addr[4];
	int32_t generic_trap;
	int32_t specific_trap;
	uint32_t vb_count;
	struct snmp_bytes vbs; // the encoded varbinds (decode only)
};

// Encodes a decoded notification (m->pdu_decoded, a Trap-v1, SNMPv2-Trap
// or InformRequest; v3 after USM decrypted it) into out[0..cap). Returns
// the record's length, or TRAP_REC_E_INVAL, TRAP_REC_E_PDU,
// TRAP_REC_E_NOSPACE, TRAP_REC_E_TOO_BIG, TRAP_REC_E_FIELD (bad address
// family). A Trap-v1 whose snmpTrapOID.0 cannot be translated (negative
// specific-trap) is still recorded, with an empty trap_oid. out must not
// overlap the message.
int trap_rec_encode(uint8_t *out, size_t cap, const struct trap_rec_meta *meta,
		    const struct snmp_msg *m);

// Writes a record from its fields and vb[0..n) (r->len, r->vbs and
// r->vb_count are ignored). The lower half of trap_rec_encode; also what
// re-encodes a decoded record. Same returns.
int trap_rec_write(uint8_t *out, size_t cap, const struct trap_rec *r,
		   const struct snmp_varbind *vb, uint32_t n);

// Length of the record at buf[0..len) from its header, or
// TRAP_REC_E_TRUNCATED when fewer than 8 octets, TRAP_REC_E_FORMAT.
int64_t trap_rec_peek_len(const uint8_t *buf, size_t len);

// Decodes and checks the whole record at the start of buf[0..len): every
// field, every length, every OID and value. Octets after the record are
// not looked at (r->len says where it ends). Returns 0 or a TRAP_REC_E_*.
int trap_rec_decode(struct trap_rec *r, const uint8_t *buf, size_t len);

// Varbind iteration over a record trap_rec_decode accepted: never fails
// there. Spans point into the record.
struct trap_rec_iter {
	const uint8_t *pos;
	const uint8_t *end;
	uint32_t left;
};

void trap_rec_vb_first(const struct trap_rec *r, struct trap_rec_iter *it);
// Fills *vb and returns true, or false after the last.
bool trap_rec_vb_next(struct trap_rec_iter *it, struct snmp_varbind *vb);

// "trapv1", "trap", "inform"; "unknown" for other values.
const char *trap_rec_pdu_name(uint8_t pdu_type);
// "noAuthNoPriv", "authNoPriv", "authPriv"; "unknown" for other values.
const char *trap_rec_sec_level_name(uint8_t level);

#endif
