/* SPDX-License-Identifier: BSD-3-Clause */
// SNMP messages: v1 and v2c (RFC 1157, RFC 1901, RFC 3416) and v3 (RFC 3412
// header, RFC 3414 §2.4 USM security parameters, scoped PDU), their PDUs and
// varbinds, the RFC 3584 §3.1 translation of v1 traps, and encoders.
//
// Decoding is zero-copy: strings, OIDs and addresses are spans into the
// caller's buffer, varbinds land in a caller-provided array, nothing is
// allocated. Decoded structures stay valid as long as that buffer does.
// No crypto and no USM lookup here: a v3 message exposes its security
// parameters (and the offset of msgAuthenticationParameters in the whole
// message) for the USM layer, which verifies, decrypts, and hands the
// plaintext back to snmp_scoped_pdu_decode.
//
// Every function is thread-compatible (no global state); decoders return 0
// or a negative SNMP_E_* and then set err_off, the offset (from the start
// of the decoded buffer) of the element at fault.
#ifndef LINERATE_SNMP_MSG_H
#define LINERATE_SNMP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linerate/snmp_ber.h>
#include <linerate/snmp_err.h>

// msgVersion values on the wire.
enum snmp_version {
	SNMP_V1 = 0,
	SNMP_V2C = 1,
	SNMP_V3 = 3,
};

// PDU types, as their BER identifiers (RFC 1157 §4.1, RFC 3416 §3).
enum snmp_pdu_type {
	SNMP_PDU_GET = 0xa0,
	SNMP_PDU_GETNEXT = 0xa1,
	SNMP_PDU_RESPONSE = 0xa2,
	SNMP_PDU_SET = 0xa3,
	SNMP_PDU_TRAP_V1 = 0xa4,
	SNMP_PDU_GETBULK = 0xa5,
	SNMP_PDU_INFORM = 0xa6,
	SNMP_PDU_TRAP_V2 = 0xa7,
	SNMP_PDU_REPORT = 0xa8,
};

// Varbind value types, as their BER identifiers (RFC 3416 §3, RFC 2578
// §7.1, RFC 1442 for UInteger32).
enum snmp_type {
	SNMP_T_INTEGER = 0x02,
	SNMP_T_OCTET_STRING = 0x04,
	SNMP_T_NULL = 0x05,
	SNMP_T_OID = 0x06,
	SNMP_T_IPADDRESS = 0x40,
	SNMP_T_COUNTER32 = 0x41,
	SNMP_T_GAUGE32 = 0x42, // also Unsigned32
	SNMP_T_TIMETICKS = 0x43,
	SNMP_T_OPAQUE = 0x44,
	SNMP_T_NSAPADDRESS = 0x45,
	SNMP_T_COUNTER64 = 0x46,
	SNMP_T_UINTEGER32 = 0x47,
	SNMP_T_NO_SUCH_OBJECT = 0x80,
	SNMP_T_NO_SUCH_INSTANCE = 0x81,
	SNMP_T_END_OF_MIB_VIEW = 0x82,
};

// msgFlags bits (RFC 3412 §6.4).
#define SNMP_FLAG_AUTH	     0x01
#define SNMP_FLAG_PRIV	     0x02
#define SNMP_FLAG_REPORTABLE 0x04

#define SNMP_SEC_MODEL_USM 3
// RFC 3412 §6: msgMaxSize INTEGER (484..2147483647).
#define SNMP_MAX_SIZE_MIN 484
// RFC 3414 §2.4: msgUserName SIZE(0..32); RFC 3411 SnmpEngineID SIZE(5..32).
#define SNMP_USER_NAME_MAX 32
#define SNMP_ENGINE_ID_MIN 5
#define SNMP_ENGINE_ID_MAX 32

// A view of bytes inside a buffer the caller owns.
struct snmp_bytes {
	const uint8_t *ptr;
	uint32_t len;
};

struct snmp_varbind {
	struct snmp_bytes oid; // name: OBJECT IDENTIFIER contents (checked)
	uint8_t type;	       // enum snmp_type
	union {
		int32_t i32;  // INTEGER
		uint32_t u32; // Counter32, Gauge32, TimeTicks, UInteger32
		uint64_t u64; // Counter64
	} num;
	// OCTET STRING, OID (contents, checked), IpAddress (4 octets),
	// Opaque, NsapAddress; empty for the others
	struct snmp_bytes data;
};

struct snmp_pdu {
	uint8_t type; // enum snmp_pdu_type
	int32_t request_id;
	int32_t error_status; // non-repeaters in GetBulk
	int32_t error_index;  // max-repetitions in GetBulk
	// Trap-v1 only (RFC 1157 §4.1.6): enterprise OID contents, agent-addr
	// (4 octets), generic-trap 0..6, specific-trap, time-stamp.
	struct snmp_bytes enterprise;
	struct snmp_bytes agent_addr;
	int32_t generic_trap;
	int32_t specific_trap;
	uint32_t timestamp;
	struct snmp_varbind *vb;
	uint32_t vb_count;
};

// RFC 3414 §2.4 UsmSecurityParameters, decoded from msgSecurityParameters.
struct snmp_usm_params {
	struct snmp_bytes engine_id;   // msgAuthoritativeEngineID
	uint32_t boots;		       // msgAuthoritativeEngineBoots
	uint32_t time;		       // msgAuthoritativeEngineTime
	struct snmp_bytes user_name;   // msgUserName
	struct snmp_bytes auth_params; // msgAuthenticationParameters
	// offset of auth_params' first octet in the whole message: USM zeroes
	// auth_params.len octets there to compute the HMAC (RFC 3414 §6.3.2)
	uint32_t auth_params_off;
	struct snmp_bytes priv_params; // msgPrivacyParameters (the salt)
};

struct snmp_msg {
	const uint8_t *wire;
	uint32_t len;
	int32_t version;	     // enum snmp_version
	struct snmp_bytes community; // v1, v2c
	// v3: RFC 3412 §6 HeaderData
	int32_t msg_id;
	int32_t max_size;
	uint8_t flags; // SNMP_FLAG_*
	int32_t security_model;
	struct snmp_usm_params usm;
	// v3 msgData: either plaintext (context_* and pdu decoded) or, with the
	// priv flag, the encryptedPDU contents for USM to decrypt
	struct snmp_bytes context_engine_id;
	struct snmp_bytes context_name;
	struct snmp_bytes encrypted;
	bool pdu_decoded; // false until the (decrypted) scoped PDU is decoded
	struct snmp_pdu pdu;
	uint32_t err_off; // where decoding failed (offset in the decoded buffer)
};

// Decodes a whole UDP payload: version, then community and PDU (v1/v2c),
// or header, USM parameters and the plaintext scoped PDU or the encrypted
// span (v3). Varbinds go to vb[0..vb_cap). Bytes after the message are
// refused (SNMP_E_TRAILING). On error, m keeps what was decoded before the
// fault (for v3 the header and USM parameters once they decoded, so a
// Report can still be built) and m->err_off says where.
int snmp_msg_decode(struct snmp_msg *m, const uint8_t *wire, size_t len, struct snmp_varbind *vb,
		    uint32_t vb_cap);

// Decodes a scopedPDU (contextEngineID, contextName, PDU) from plaintext
// that USM decrypted, into m (whose v3 header stays as decoded). Octets
// after the scopedPDU are ignored: block ciphers pad (RFC 3414 §8.1.1.2).
// Spans point into plain, and m->err_off counts from its start.
int snmp_scoped_pdu_decode(struct snmp_msg *m, const uint8_t *plain, size_t len,
			   struct snmp_varbind *vb, uint32_t vb_cap);

// Decodes one PDU (a complete TLV at the start of buf[0..len)) for the
// given version; returns the number of octets it took or an error, with
// *err_off set (may be NULL).
int snmp_pdu_decode(struct snmp_pdu *pdu, int32_t version, const uint8_t *buf, size_t len,
		    struct snmp_varbind *vb, uint32_t vb_cap, uint32_t *err_off);

// Same name, type and value (the value read through the member the type
// uses, the octets compared for the span types).
bool snmp_varbind_equal(const struct snmp_varbind *a, const struct snmp_varbind *b);

// Names for logs and tools ("trap-v1", "counter64"); never NULL.
const char *snmp_pdu_type_name(uint8_t type);
const char *snmp_type_name(uint8_t type);

// Whether a PDU type may travel in a message of this version.
bool snmp_pdu_allowed(int32_t version, uint8_t type);

// --- encoders -------------------------------------------------------------
// Every encoder writes into out[0..cap) and returns the message length, or
// SNMP_E_NOSPACE, or the error of an input that no decoder here would
// accept (SNMP_E_PDU_VERSION, SNMP_E_IPADDR_LEN, OID codes, ...). out must
// not overlap any span the inputs point into (a decoded request's varbinds
// point into the request). Integers are written in minimal form.

// A v1 or v2c message: version, community, pdu.
int snmp_msg_encode(uint8_t *out, size_t cap, int32_t version, struct snmp_bytes community,
		    const struct snmp_pdu *pdu);

// A v3 scopedPDU, the plaintext USM encrypts for authPriv (RFC 3412 §6).
int snmp_scoped_pdu_encode(uint8_t *out, size_t cap, struct snmp_bytes context_engine_id,
			   struct snmp_bytes context_name, const struct snmp_pdu *pdu);

// What the sender of a v3 message chooses; USM fills the auth parameters.
struct snmp_v3_out {
	int32_t msg_id;
	int32_t max_size;
	uint8_t flags;		     // SNMP_FLAG_*
	struct snmp_bytes engine_id; // msgAuthoritativeEngineID
	uint32_t boots;
	uint32_t time;
	struct snmp_bytes user_name;
	// msgAuthenticationParameters is written as this many zero octets (12
	// for HMAC-MD5-96/SHA-96, ... RFC 7860 §4.2.2); USM computes the HMAC
	// over the whole message and writes it at *auth_params_off
	uint32_t auth_params_len;
	struct snmp_bytes priv_params;
};

// A v3 message (USM) whose msgData is msg_data: an encoded scopedPDU
// (snmp_scoped_pdu_encode) when flags lack SNMP_FLAG_PRIV, else the
// encryptedPDU octets (wrapped here in an OCTET STRING). *auth_params_off
// (may be NULL) receives the offset of the placeholder in out.
int snmp_v3_msg_encode(uint8_t *out, size_t cap, const struct snmp_v3_out *h,
		       struct snmp_bytes msg_data, uint32_t *auth_params_off);

// The same for a plaintext scoped PDU, encoded in place without a copy
// (flags must lack SNMP_FLAG_PRIV).
int snmp_v3_msg_encode_pdu(uint8_t *out, size_t cap, const struct snmp_v3_out *h,
			   struct snmp_bytes context_engine_id, struct snmp_bytes context_name,
			   const struct snmp_pdu *pdu, uint32_t *auth_params_off);

// The Response to a received InformRequest (RFC 3416 §4.2.7): same
// request-id, no error, the inform's varbinds echoed (resp->vb points at
// req's array).
void snmp_pdu_response_to(struct snmp_pdu *resp, const struct snmp_pdu *req);

// A Report PDU (RFC 3412 §7.1, RFC 3414 §3.2) with one varbind, the
// counter at stats_oid (OID contents, e.g. a usmStats object) as a
// Counter32; vb is the one-element storage the PDU points at.
void snmp_pdu_report(struct snmp_pdu *pdu, struct snmp_varbind *vb, int32_t request_id,
		     struct snmp_bytes stats_oid, uint32_t counter);

// The two varbinds every SNMPv2-Trap and InformRequest starts with (RFC
// 3416 §4.2.6): sysUpTime.0 = uptime, snmpTrapOID.0 = trap_oid (contents).
void snmp_notification_head(struct snmp_varbind vb[2], uint32_t uptime, struct snmp_bytes trap_oid);

// --- RFC 3584 §3.1: v1 traps in v2 form --------------------------------

// Well-known OIDs (contents octets) the notification varbinds use.
extern const struct snmp_bytes snmp_oid_sys_uptime_0;		// 1.3.6.1.2.1.1.3.0
extern const struct snmp_bytes snmp_oid_snmp_trap_oid_0;	// 1.3.6.1.6.3.1.1.4.1.0
extern const struct snmp_bytes snmp_oid_snmp_trap_enterprise_0; // 1.3.6.1.6.3.1.1.4.3.0
extern const struct snmp_bytes snmp_oid_snmp_trap_address_0;	// 1.3.6.1.6.3.18.1.3.0
extern const struct snmp_bytes snmp_oid_snmp_trap_community_0;	// 1.3.6.1.6.3.18.1.4.0

// Also append snmpTrapCommunity.0 (RFC 3584 §3.1 (4) lists it). Off by
// default: the community is a credential, and the translated varbinds end
// up in journals and sinks.
#define SNMP_V1V2_COMMUNITY 0x01

// Storage for a translated enterprise-specific snmpTrapOID.0 value.
struct snmp_trap_oid_buf {
	uint8_t oid[SNMP_OID_ENC_MAX];
};

// The snmpTrapOID.0 value of a decoded Trap-v1 (RFC 3584 §3.1 (2), (3)):
// 1.3.6.1.6.3.1.1.5.(generic+1), or enterprise.0.specific (written to buf)
// for enterpriseSpecific(6). Returns 0 with *oid set, or SNMP_E_INVAL (not
// a Trap-v1), SNMP_E_OID_TOO_LONG, SNMP_E_SPECIFIC_TRAP.
int snmp_trap_v1_oid(const struct snmp_pdu *trap, struct snmp_trap_oid_buf *buf,
		     struct snmp_bytes *oid);

// Translates a decoded Trap-v1 PDU into the varbinds of the equivalent
// SNMPv2-Trap (RFC 3584 §3.1): sysUpTime.0 (time-stamp), snmpTrapOID.0
// (1.3.6.1.6.3.1.1.5.(generic+1), or enterprise.0.specific for
// enterpriseSpecific(6)), the trap's own varbinds, then snmpTrapAddress.0
// (agent-addr), snmpTrapCommunity.0 (with SNMP_V1V2_COMMUNITY) and
// snmpTrapEnterprise.0 (enterprise), each of these three only when the
// trap's varbinds do not already hold it. Returns the number of varbinds
// written to out[0..cap), or SNMP_E_INVAL (not a Trap-v1),
// SNMP_E_TOO_MANY_VARBINDS, SNMP_E_OID_TOO_LONG (enterprise of more than
// 126 sub-identifiers), SNMP_E_SPECIFIC_TRAP. The varbinds point into the
// trap's message, the static OIDs above and buf.
int snmp_trap_v1_to_v2(const struct snmp_pdu *trap, struct snmp_bytes community,
		       struct snmp_varbind *out, uint32_t cap, struct snmp_trap_oid_buf *buf,
		       unsigned flags);

#endif
