/* SPDX-License-Identifier: BSD-3-Clause */
// Error codes of proto/snmp (BER codec and SNMP messages). Negative, from
// -2999 up: clear of negative errno, the wire cursor's codes (-1001..) and
// proto/dns (-1999..). Every function of the module that can fail returns 0
// (or a length or count) on success and one of these on failure; each
// malformed-input condition has its own code so a drop counter or a test
// can tell them apart, and decoders also say where (the offset of the
// element at fault). The table below is the one place they are defined.
#ifndef LINERATE_SNMP_ERR_H
#define LINERATE_SNMP_ERR_H

// X(symbol, message)
#define SNMP_ERRORS(X)                                                                             \
	X(SNMP_E_INVAL, "invalid argument")                                                        \
	X(SNMP_E_NOSPACE, "output buffer too small")                                               \
	/* BER (X.690 §8.1) */                                                                    \
	X(SNMP_E_TRUNCATED, "identifier or length octets run past the end")                        \
	X(SNMP_E_TAG_HIGH, "high-tag-number identifier (never used by SNMP)")                      \
	X(SNMP_E_INDEFINITE_LENGTH, "indefinite length (SNMP allows definite lengths only)")       \
	X(SNMP_E_LENGTH_TOO_LONG, "length of the length over 4 octets, or the reserved 0xff")      \
	X(SNMP_E_LENGTH_PAST_END, "contents run past the end of the enclosing element")            \
	X(SNMP_E_TAG, "unexpected identifier (wrong tag) for this field")                          \
	X(SNMP_E_DEPTH, "constructed elements nested too deep")                                    \
	X(SNMP_E_EXTRA, "unexpected element after the last field of a SEQUENCE")                   \
	X(SNMP_E_TRAILING, "bytes after the end of the message")                                   \
	X(SNMP_E_INT_EMPTY, "INTEGER with no contents octets")                                     \
	X(SNMP_E_INT_TOO_LONG, "INTEGER longer than 4 octets (Integer32)")                         \
	X(SNMP_E_UINT_TOO_LONG, "unsigned 32-bit value longer than 5 octets or above 2^32-1")      \
	X(SNMP_E_UINT_NEGATIVE, "unsigned value encoded as a negative number")                     \
	X(SNMP_E_U64_TOO_LONG, "Counter64 longer than 9 octets or above 2^64-1")                   \
	X(SNMP_E_NULL_LEN, "NULL or exception value with contents octets")                         \
	X(SNMP_E_OID_EMPTY, "OBJECT IDENTIFIER with no contents octets")                           \
	X(SNMP_E_OID_NONMINIMAL, "OID sub-identifier with a leading 0x80 octet")                   \
	X(SNMP_E_OID_TRUNCATED, "OID ends inside a sub-identifier")                                \
	X(SNMP_E_OID_SUBID_OVERFLOW, "OID sub-identifier above 2^32-1")                            \
	X(SNMP_E_OID_TOO_LONG, "OID with more than 128 sub-identifiers")                           \
	X(SNMP_E_OID_ARCS, "OID first arc above 2, second above 39, or fewer than 2 arcs")         \
	X(SNMP_E_OID_TEXT, "malformed dotted OID text")                                            \
	X(SNMP_E_IPADDR_LEN, "IpAddress not 4 octets")                                             \
	X(SNMP_E_VALUE_TAG, "unknown varbind value type")                                          \
	/* messages (RFC 1157, RFC 3416, RFC 3412, RFC 3414) */                                    \
	X(SNMP_E_VERSION, "unsupported SNMP version")                                              \
	X(SNMP_E_MSG_ID, "msgID outside 0..2^31-1")                                                \
	X(SNMP_E_MAX_SIZE, "msgMaxSize outside 484..2^31-1")                                       \
	X(SNMP_E_MSG_FLAGS_LEN, "msgFlags not exactly one octet")                                  \
	X(SNMP_E_PRIV_WITHOUT_AUTH, "msgFlags ask for privacy without authentication")             \
	X(SNMP_E_SEC_MODEL, "msgSecurityModel is not USM (3)")                                     \
	X(SNMP_E_TRUNCATED_SECPARAMS, "USM security parameters run past their OCTET STRING")       \
	X(SNMP_E_ENGINE_ID_LEN, "engine ID neither empty nor 5..32 octets")                        \
	X(SNMP_E_ENGINE_BOOTS, "msgAuthoritativeEngineBoots outside 0..2^31-1")                    \
	X(SNMP_E_ENGINE_TIME, "msgAuthoritativeEngineTime outside 0..2^31-1")                      \
	X(SNMP_E_USER_NAME_LEN, "msgUserName longer than 32 octets")                               \
	X(SNMP_E_SCOPED_PDU_FORM, "msgData form (plaintext or encrypted) disagrees with msgFlags") \
	/* PDUs (RFC 1157 §4.1, RFC 3416 §3) */                                                  \
	X(SNMP_E_PDU_TYPE, "unknown PDU type")                                                     \
	X(SNMP_E_PDU_VERSION, "PDU type not allowed in this SNMP version")                         \
	X(SNMP_E_GENERIC_TRAP, "Trap-v1 generic-trap outside 0..6")                                \
	X(SNMP_E_SPECIFIC_TRAP, "negative specific-trap cannot become a sub-identifier")           \
	X(SNMP_E_TOO_MANY_VARBINDS, "more varbinds than the caller's array holds")                 \
	/* answers to a received message (snmp_v3.h) */                                            \
	X(SNMP_E_NO_REPORT, "no Report is due for this message")                                   \
	X(SNMP_E_NOT_INFORM, "not an accepted InformRequest")                                      \
	X(SNMP_E_NOT_OURS, "v3 inform not addressed to our engine ID: we are not authoritative")

enum snmp_err {
	SNMP_E_BASE_ = -3000,
#define SNMP_ERR_ENUM_(sym, msg) sym,
	SNMP_ERRORS(SNMP_ERR_ENUM_)
#undef SNMP_ERR_ENUM_
		SNMP_E_LAST_,
};

// Message for a code of this module, of USM (snmp_usm.h, which the
// answers of snmp_v3.h may return) or a negative errno; never NULL.
const char *snmp_strerror(int err);

// The symbol of a code ("SNMP_E_DEPTH"), for logs and tests; never NULL.
const char *snmp_strerror_sym(int err);

#endif
