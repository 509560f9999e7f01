/* SPDX-License-Identifier: BSD-3-Clause */
// The DNS registry: RR types (with rdata schemas), classes, opcodes, rcodes
// and header flags. Defined once in proto/dns/registry.c; everything else
// (codec, zone loader, answer engine, tools) reads it from there.
// All functions are pure and thread-safe.
#ifndef LINERATE_DNS_TYPES_H
#define LINERATE_DNS_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// RR types: X(symbol-suffix, number). Every type the seeds name (asyncdns's
// table from A to DLV, the DNS component's set) plus the modern ones an
// authoritative server meets. Meta and pseudo types are in the table too.
#define DNS_RRTYPES(X)                                                                  \
	X(A, 1) X(NS, 2) X(MD, 3) X(MF, 4) X(CNAME, 5) X(SOA, 6) X(MB, 7) X(MG, 8)      \
	X(MR, 9) X(NULL, 10) X(WKS, 11) X(PTR, 12) X(HINFO, 13) X(MINFO, 14) X(MX, 15)  \
	X(TXT, 16) X(RP, 17) X(AFSDB, 18) X(X25, 19) X(ISDN, 20) X(RT, 21) X(NSAP, 22)  \
	X(NSAP_PTR, 23) X(SIG, 24) X(KEY, 25) X(PX, 26) X(GPOS, 27) X(AAAA, 28)         \
	X(LOC, 29) X(NXT, 30) X(EID, 31) X(NIMLOC, 32) X(SRV, 33) X(ATMA, 34)           \
	X(NAPTR, 35) X(KX, 36) X(CERT, 37) X(A6, 38) X(DNAME, 39) X(SINK, 40)           \
	X(OPT, 41) X(APL, 42) X(DS, 43) X(SSHFP, 44) X(IPSECKEY, 45) X(RRSIG, 46)       \
	X(NSEC, 47) X(DNSKEY, 48) X(DHCID, 49) X(NSEC3, 50) X(NSEC3PARAM, 51)           \
	X(TLSA, 52) X(SMIMEA, 53) X(HIP, 55) X(CDS, 59) X(CDNSKEY, 60)                  \
	X(OPENPGPKEY, 61) X(CSYNC, 62) X(ZONEMD, 63) X(SPF, 99) X(UINFO, 100)           \
	X(UID, 101) X(GID, 102) X(UNSPEC, 103) X(EUI48, 108) X(EUI64, 109)              \
	X(TKEY, 249) X(TSIG, 250) X(IXFR, 251) X(AXFR, 252) X(MAILB, 253)              \
	X(MAILA, 254) X(ANY, 255) X(URI, 256) X(CAA, 257) X(TA, 32768) X(DLV, 32769)

enum dns_rrtype {
#define DNS_RRTYPE_ENUM_(sym, num) DNS_TYPE_##sym = num,
	DNS_RRTYPES(DNS_RRTYPE_ENUM_)
#undef DNS_RRTYPE_ENUM_
};

enum dns_class {
	DNS_CLASS_IN = 1,
	DNS_CLASS_CH = 3,
	DNS_CLASS_HS = 4,
	DNS_CLASS_NONE = 254,
	DNS_CLASS_ANY = 255,
};

enum dns_opcode {
	DNS_OPCODE_QUERY = 0,
	DNS_OPCODE_IQUERY = 1,
	DNS_OPCODE_STATUS = 2,
	DNS_OPCODE_NOTIFY = 4,
	DNS_OPCODE_UPDATE = 5,
	DNS_OPCODE_DSO = 6,
};

// Rcodes, extended ones included (12 bits: 4 in the header, 8 in OPT).
// BADVERS and BADSIG share 16 (RFC 6891 / RFC 8945).
#define DNS_RCODES(X)                                                                   \
	X(NOERROR, 0) X(FORMERR, 1) X(SERVFAIL, 2) X(NXDOMAIN, 3) X(NOTIMP, 4)          \
	X(REFUSED, 5) X(YXDOMAIN, 6) X(YXRRSET, 7) X(NXRRSET, 8) X(NOTAUTH, 9)          \
	X(NOTZONE, 10) X(DSOTYPENI, 11) X(BADVERS, 16) X(BADKEY, 17) X(BADTIME, 18)     \
	X(BADMODE, 19) X(BADNAME, 20) X(BADALG, 21) X(BADTRUNC, 22) X(BADCOOKIE, 23)

enum dns_rcode {
#define DNS_RCODE_ENUM_(sym, num) DNS_RCODE_##sym = num,
	DNS_RCODES(DNS_RCODE_ENUM_)
#undef DNS_RCODE_ENUM_
	DNS_RCODE_BADSIG = 16,
};

// Header flag bits, in the 16-bit flags word (asyncdns's values).
enum dns_flag {
	DNS_FLAG_QR = 0x8000,
	DNS_FLAG_AA = 0x0400,
	DNS_FLAG_TC = 0x0200,
	DNS_FLAG_RD = 0x0100,
	DNS_FLAG_RA = 0x0080,
	DNS_FLAG_Z = 0x0040,
	DNS_FLAG_AD = 0x0020,
	DNS_FLAG_CD = 0x0010,
};
#define DNS_OPCODE_OF(flags) (((flags) >> 11) & 0xf)
#define DNS_RCODE_OF(flags) ((flags) & 0xf)

// The kinds of rdata field. Each fixes the wire form and the presentation
// form of one field. Types whose rdata does not decompose into these (LOC,
// APL, A6, HIP) use DNS_FIELD_SPECIAL for the whole rdata.
enum dns_field_kind {
	DNS_FIELD_NAME,         // domain name, may be compressed (RFC 3597 §4 rules per type)
	DNS_FIELD_U8,           // decimal
	DNS_FIELD_U16,          // decimal
	DNS_FIELD_U32,          // decimal
	DNS_FIELD_U48,          // decimal (TSIG time signed)
	DNS_FIELD_TTL,          // 32-bit, printed decimal, read also as BIND units (1h30m)
	DNS_FIELD_TYPE,         // 16-bit RR type as mnemonic (RRSIG type covered)
	DNS_FIELD_TIME,         // 32-bit YYYYMMDDHHmmSS (RRSIG; RFC 4034 §3.2)
	DNS_FIELD_IPV4,         // 4 octets, dotted quad
	DNS_FIELD_IPV6,         // 16 octets, RFC 5952 text
	DNS_FIELD_STRING,       // <character-string>: length octet + data, quoted text
	DNS_FIELD_STRING_OPT,   // optional last <character-string> (ISDN subaddress)
	DNS_FIELD_STRINGS,      // one or more <character-string> to the end (TXT, SPF)
	DNS_FIELD_STRING_REST,  // rest of rdata as one quoted string, no length (CAA value, URI target)
	DNS_FIELD_TAG,          // <character-string> of letters and digits, unquoted (CAA tag)
	DNS_FIELD_FLOAT,        // <character-string> holding a decimal number, unquoted (GPOS)
	DNS_FIELD_BASE64,       // rest of rdata, base64 in 32-character words, at least one octet
	DNS_FIELD_BASE64_OPT,   // as DNS_FIELD_BASE64 but may be empty (IPSECKEY, SINK)
	DNS_FIELD_BASE64_FLAT,  // rest of rdata, base64 in one word (OPENPGPKEY)
	DNS_FIELD_BLOB16,       // 16-bit length + data, base64 in one word (TKEY key, other)
	DNS_FIELD_BLOB16_LEN,   // 16-bit length + data, "length base64" (TSIG MAC, other data)
	DNS_FIELD_HEX,          // rest of rdata, hex in 128-digit words, at least one octet
	DNS_FIELD_SALT,         // length octet + data, hex, "-" when empty (NSEC3/NSEC3PARAM)
	DNS_FIELD_HASH32,       // length octet + data, base32hex no padding (NSEC3 next)
	DNS_FIELD_BITMAP,       // RFC 4034 §4.1.2 type bitmap to the end (NSEC, NSEC3, CSYNC)
	DNS_FIELD_NXT_BITMAP,   // RFC 2535 §5.2 NXT bitmap to the end
	DNS_FIELD_SERVICES,     // RFC 1035 §3.4.2 WKS port bitmap to the end, as port numbers
	DNS_FIELD_PROTOCOL,     // 8-bit IP protocol, decimal (tcp/udp accepted on input)
	DNS_FIELD_EUI48,        // 6 octets, xx-xx-xx-xx-xx-xx
	DNS_FIELD_EUI64,        // 8 octets
	DNS_FIELD_NSAP,         // rest of rdata, "0x" + hex
	DNS_FIELD_ATMA,         // format octet + address (E.164 digits or NSAP hex)
	DNS_FIELD_CERT_TYPE,    // 16-bit CERT type (mnemonic when known)
	DNS_FIELD_ALGORITHM,    // 8-bit DNSSEC algorithm, printed as a number, mnemonic accepted
	DNS_FIELD_ALG_NAME,     // 8-bit DNSSEC algorithm, printed as its mnemonic (CERT)
	DNS_FIELD_RCODE,        // 16-bit extended rcode as mnemonic (TSIG error)
	DNS_FIELD_GATEWAY,      // IPSECKEY gateway; its form follows the gateway type field
	DNS_FIELD_OPAQUE,       // rest of rdata without a presentation format: always "\# len hex"
	DNS_FIELD_SPECIAL,      // whole rdata handled by the type's own codec
	DNS_FIELD_KIND_COUNT,
};

struct dns_rdata_field {
	const char *name;           // upper case, the DNS component's names where it gives them
	enum dns_field_kind kind;
};

enum dns_type_flag {
	DNS_TF_META = 1 << 0,       // query-only or pseudo type: no rdata in zone files (OPT, ANY, AXFR…)
	DNS_TF_OBSOLETE = 1 << 1,
	DNS_TF_COMPRESS = 1 << 2,   // names in rdata may be compressed when sending (RFC 3597 §4: RFC 1035 types)
	DNS_TF_DECOMPRESS = 1 << 3, // names in rdata are decompressed when receiving (RFC 3597 §4)
	DNS_TF_SINGLETON = 1 << 4,  // at most one RR per RRset (CNAME, DNAME, SOA)
	DNS_TF_DNSSEC = 1 << 5,
	DNS_TF_CANON_LOWER = 1 << 6, // names lower-cased in canonical form (RFC 4034 §6.2, RFC 6840 §5.1)
};

struct dns_type_desc {
	uint16_t type;
	const char *mnemonic;       // "NSAP-PTR" for DNS_TYPE_NSAP_PTR
	const char *meaning;        // one line, asyncdns's wording
	uint32_t flags;             // enum dns_type_flag
	uint8_t nfields;
	const struct dns_rdata_field *fields;
};

// Known type's descriptor, or NULL for a type not in the registry (such types
// are still fully handled as RFC 3597 unknown types).
const struct dns_type_desc *dns_type_lookup(uint16_t type);

// All registry entries, in numeric order; *n receives the count.
const struct dns_type_desc *dns_type_all(size_t *n);

// "A", "NSAP-PTR", or "TYPE65534" for unknown ones. Writes a NUL-terminated
// string to buf (16 bytes are always enough); returns buf.
const char *dns_type_to_text(uint16_t type, char buf[16]);

// Case-insensitive mnemonic or TYPEnnn → number. 0 or DNS_ETYPE.
int dns_type_from_text(const char *s, size_t n, uint16_t *type);

// "IN", "CH", "HS", "NONE", "ANY" or "CLASS42"; same contract as the types.
const char *dns_class_to_text(uint16_t cls, char buf[16]);
int dns_class_from_text(const char *s, size_t n, uint16_t *cls);

// "NOERROR", "BADVERS" (16 prints as BADVERS), or "RCODE4095"; returns buf.
const char *dns_rcode_to_text(uint16_t rcode, char buf[16]);
int dns_rcode_from_text(const char *s, size_t n, uint16_t *rcode);

// "QUERY", "NOTIFY", or "OPCODE15"; returns buf.
const char *dns_opcode_to_text(uint8_t opcode, char buf[16]);

// Field schema access: count, and index of a field by (case-insensitive)
// name, or DNS_EINVAL when the type has no such field.
int dns_type_field_count(uint16_t type);
int dns_type_field_index(uint16_t type, const char *name);

#endif
