/* SPDX-License-Identifier: BSD-3-Clause */
// One received SNMP message, end to end: the glue between the message codec
// (snmp_msg.h) and USM (snmp_usm.h) that a worker calls once per datagram,
// and the two answers a trap collector sends: a Report (RFC 3412 §7.1 step
// 3, RFC 3414 §3.2, discovery per RFC 3414 §4) and the Response to an
// InformRequest (RFC 3416 §4.2.7), at the request's security level.
//
// snmp_rx_process decodes; v1/v2c hand the community back for the caller
// to check; v3 goes through RFC 3414 §3.2 steps 3-8 (engine, user, level,
// HMAC, timeliness, decryption) and the decrypted scopedPDU is decoded. The
// result says what to do: accept, drop as malformed, count the usmStats
// outcome (and send the Report it asks for), or hand the message to the
// control plane to localise a key (USM_PENDING_KEY).
//
// No allocation, no I/O, no locks, no global state: a DPDK worker calls it
// with its own struct usm_ctx and the published (RCU) users table. Outputs
// go to caller buffers; decoded spans point into the received message or
// the caller's plaintext buffer and live as long as those do.
#ifndef LINERATE_SNMP_V3_H
#define LINERATE_SNMP_V3_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linerate/snmp_msg.h>
#include <linerate/snmp_usm.h>

// msgMaxSize we advertise when the caller leaves it 0: the largest UDP
// payload over IPv4.
#define SNMP_RX_MAX_SIZE_DEFAULT 65507

// What a worker brings to every call. The worker owns usm (salts, the remote
// engine time cache); users and local are read only.
struct snmp_rx_env {
	struct usm_ctx *usm;
	// the published users table; NULL: decode only, v3 messages are left
	// unchecked (SNMP_RX_UNCHECKED): a tool run without a users file
	const struct usm_table *users;
	// our engine (informs to us: we are authoritative). NULL or an empty
	// engine ID: we are never authoritative, every message's engine is a
	// remote one (traps), and neither Reports nor inform Responses can be
	// built
	const struct usm_local *local;
	int32_t max_size; // msgMaxSize we send; 0: SNMP_RX_MAX_SIZE_DEFAULT
	// an authPriv message's decrypted scopedPDU is left in plain, unread
	// (status OK, msg.pdu_decoded false): the caller's fast lane may take
	// it, else snmp_rx_scoped() reads it
	bool defer_scoped;
};

// X(sym, name)
#define SNMP_RX_STATUSES(X)                                                                        \
	X(OK, "ok")		      /* decoded; v3: USM accepted it */                           \
	X(MALFORMED, "malformed")     /* err says why: drop, snmpInASNParseErrs */                 \
	X(REFUSED, "refused")	      /* v3: usm.outcome is the usmStats counter */                \
	X(PENDING_KEY, "pending-key") /* v3: an any-engine user needs a key first */               \
	X(UNCHECKED, "unchecked")     /* v3 with no users table: nothing verified */

enum snmp_rx_status {
#define SNMP_RX_ENUM_(sym, name) SNMP_RX_##sym,
	SNMP_RX_STATUSES(SNMP_RX_ENUM_)
#undef SNMP_RX_ENUM_
		SNMP_RX_STATUS_COUNT
};

struct snmp_rx {
	enum snmp_rx_status status;
	// MALFORMED: the SNMP_E_* that stopped decoding, at msg.err_off in the
	// message, or in the decrypted plaintext when err_in_plain
	int err;
	bool err_in_plain;
	// as decoded: v1/v2c community, v3 header and USM parameters, and the
	// PDU when msg.pdu_decoded (from the plaintext after decryption)
	struct snmp_msg msg;
	// v3 once USM ran (status OK, REFUSED, PENDING_KEY): outcome, the
	// precise reason (usm.err), the user entry, whether msgAuthoritative-
	// EngineID is ours, the level asked for and the key that decrypted.
	// v1/v2c and unchecked v3: outcome USM_OK, user NULL.
	struct usm_result usm;
	// RFC 3414 §4 discovery probe: noAuthNoPriv, reportable, empty
	// msgUserName, msgAuthoritativeEngineID empty or not ours
	bool discovery;
	// a Report is due (snmp_rx_report builds it): the message was
	// reportable (msgFlags, and a PDU of the Confirmed class when it could
	// be read, RFC 3412 §6.4), USM refused it with a usmStats outcome, and
	// we have an engine to answer from (notInTimeWindows: only when we are
	// authoritative, the Report being signed with the user's key for us)
	bool report;
};

// Names for logs and tools ("pending-key"); never NULL.
const char *snmp_rx_status_name(enum snmp_rx_status s);

// Decodes and checks one UDP payload wire[0..len) received at `now`
// (seconds, env->local's clock). authPriv scopedPDUs are decrypted into
// plain[0..plain_cap), which must hold len octets (less: decryptionErrors
// with USM_ENOSPACE) and may not overlap wire; varbinds go to vb[0..vb_cap).
// Fills *rx and returns rx->status. Updates env->usm's remote engine cache
// for authenticated messages from remote authoritative engines.
enum snmp_rx_status snmp_rx_process(const struct snmp_rx_env *env, uint64_t now,
				    const uint8_t *wire, size_t len, uint8_t *plain,
				    size_t plain_cap, struct snmp_varbind *vb, uint32_t vb_cap,
				    struct snmp_rx *rx);

// An authPriv message snmp_rx_process() left with its scopedPDU unread
// (env->defer_scoped): reads it from plain, as snmp_rx_process() would
// have. Returns rx->status (OK or MALFORMED, the error in plain); OK
// without a look for a message whose PDU is already read.
enum snmp_rx_status snmp_rx_scoped(struct snmp_rx *rx, const uint8_t *plain,
				   struct snmp_varbind *vb, uint32_t vb_cap);

// The Report rx->report asks for (RFC 3412 §7.1 step 3, RFC 3414 §3.1):
// msgID of the request; our engine ID, boots and time at `now`; the
// request's msgUserName; at usm_report_level(rx->usm.outcome) (authNoPriv,
// signed with the user's key, for notInTimeWindows); contextEngineID ours,
// contextName empty; a Report PDU with the request-id of the received PDU
// when it could be read (else 0) and one varbind, the outcome's usmStats
// OID = counter (Counter32: the caller's count, this message included).
// Writes out[0..cap) and returns the length, SNMP_E_NO_REPORT (none is
// due), SNMP_E_NOSPACE, or a USM_E* code of signing. out may not overlap
// the received message or plain.
int snmp_rx_report(const struct snmp_rx_env *env, uint64_t now, const struct snmp_rx *rx,
		   uint32_t counter, uint8_t *out, size_t cap);

// The Response to an accepted InformRequest (RFC 3416 §4.2.7): same
// request-id, no error, the varbinds echoed. v2c: same community. v3 (RFC
// 3412 §7.1, RFC 3414 §3.1): same msgID, user, contextEngineID and
// contextName; our engine ID, boots and time at `now`; the request's
// security level, signed and encrypted with the key that decrypted it. A
// Response larger than the request's msgMaxSize becomes a tooBig one
// without varbinds (RFC 3416 §4.2.7, §4.2.1). Returns the length,
// SNMP_E_NOT_INFORM (not an accepted InformRequest), SNMP_E_NOT_OURS (a v3
// inform not addressed to our engine ID: only its authoritative engine may
// answer), SNMP_E_NOSPACE, or a USM_E* code of encryption or signing. out
// may not overlap the received message or plain.
int snmp_rx_inform_response(const struct snmp_rx_env *env, uint64_t now, const struct snmp_rx *rx,
			    uint8_t *out, size_t cap);

#endif
