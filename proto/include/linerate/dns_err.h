/* SPDX-License-Identifier: BSD-3-Clause */
// Error codes of proto/dns. The values are negative (from -1999 up, clear of
// negative errno and the wire cursor codes). Every function of the module that can fail returns
// 0 (or a length) on success and one of these negative codes on failure; each
// malformed-input condition has its own code so that a drop counter or a test
// can tell them apart. The table below is the one place they are defined.
#ifndef LINERATE_DNS_ERR_H
#define LINERATE_DNS_ERR_H

// X(symbol, message)
#define DNS_ERRORS(X)                                                                   \
	X(DNS_EINVAL, "invalid argument")                                               \
	X(DNS_ENOSPACE, "output buffer too small")                                      \
	X(DNS_ETRUNC_HEADER, "message shorter than the 12-byte header")                 \
	X(DNS_ETRUNC_QUESTION, "question truncated")                                    \
	X(DNS_ETRUNC_RR, "resource record header truncated")                            \
	X(DNS_ETRUNC_NAME, "name runs past the end of the message")                     \
	X(DNS_ERDLEN, "rdlength runs past the end of the message")                      \
	X(DNS_ECOUNT, "section counts larger than the message can hold")                \
	X(DNS_ETRAILING, "bytes left after the last record")                            \
	X(DNS_ELABEL_LEN, "label longer than 63 octets")                                \
	X(DNS_ENAME_LEN, "name longer than 255 octets")                                 \
	X(DNS_ELABEL_TYPE, "reserved label type (0x40 or 0x80)")                        \
	X(DNS_EPTR_SELF, "compression pointer points to itself")                        \
	X(DNS_EPTR_FORWARD, "compression pointer points forward")                       \
	X(DNS_EPTR_LOOP, "compression pointer points into the name it ends (loop)")     \
	X(DNS_EPTR_HEADER, "compression pointer points into the header")                \
	X(DNS_EPTR_HOPS, "too many compression pointers in one name")                   \
	X(DNS_EPTR_FORBIDDEN, "compression pointer where compression is not allowed")   \
	X(DNS_EOPT_DUP, "more than one OPT record")                                      \
	X(DNS_EOPT_SECTION, "OPT record outside the additional section")                \
	X(DNS_EOPT_OWNER, "OPT owner name is not the root")                             \
	X(DNS_EOPT_OPTION, "EDNS option runs past the end of the OPT rdata")            \
	X(DNS_EOPT_ECS, "malformed EDNS CLIENT-SUBNET option")                          \
	X(DNS_EOPT_COOKIE, "malformed EDNS COOKIE option")                              \
	X(DNS_ETSIG_POS, "TSIG record not last in the additional section")              \
	X(DNS_ERDATA_SHORT, "rdata shorter than its type requires")                     \
	X(DNS_ERDATA_LONG, "rdata longer than its fields (trailing bytes)")             \
	X(DNS_ERDATA_FIELD, "rdata field value out of range")                           \
	X(DNS_ERDATA_LEN, "rdata longer than 65535 octets")                             \
	X(DNS_ESYNTAX, "syntax error in presentation format")                           \
	X(DNS_ENAME_EMPTY_LABEL, "empty label inside a name")                           \
	X(DNS_ENAME_ESCAPE, "bad escape sequence in name")                              \
	X(DNS_ENAME_RELATIVE, "relative name without an origin")                        \
	X(DNS_ETEXT_ESCAPE, "bad escape sequence in text")                              \
	X(DNS_ETEXT_QUOTE, "unterminated quoted string")                                \
	X(DNS_ESTRING_LEN, "character-string longer than 255 octets")                   \
	X(DNS_ENUMBER, "number expected or out of range")                               \
	X(DNS_EADDR, "malformed address")                                               \
	X(DNS_EBASE64, "malformed base64")                                              \
	X(DNS_EBASE32, "malformed base32hex")                                           \
	X(DNS_EHEX, "malformed hex")                                                    \
	X(DNS_ETIME, "malformed time stamp")                                            \
	X(DNS_ETYPE, "unknown type mnemonic")                                           \
	X(DNS_ECLASS, "unknown class mnemonic")                                         \
	X(DNS_EMISSING, "rdata field missing")                                          \
	X(DNS_EEXTRA, "unexpected text after the last rdata field")                     \
	X(DNS_EGENERIC, "malformed RFC 3597 generic rdata (\\# length hex)")            \
	X(DNS_ENOTYPE, "type has no presentation format (meta or pseudo type)")         \
	X(DNS_EIDNA, "name cannot be converted with IDNA")                              \
	X(DNS_EZONE_EMPTY, "zone file has no records")                                  \
	X(DNS_EZONE_NO_SOA, "no SOA record at the zone apex")                           \
	X(DNS_EZONE_SOA, "SOA record outside the apex, or more than one")               \
	X(DNS_EZONE_NO_NS, "no NS records at the zone apex")                            \
	X(DNS_EZONE_CNAME, "CNAME beside other data, or more than one CNAME")           \
	X(DNS_EZONE_DNAME, "more than one DNAME at one owner")                          \
	X(DNS_EZONE_RRSET, "RRset with more than 65535 records")

enum dns_err {
	DNS_EBASE_ = -2000,
#define DNS_ERR_ENUM_(sym, msg) sym,
	DNS_ERRORS(DNS_ERR_ENUM_)
#undef DNS_ERR_ENUM_
	DNS_ELAST_,
};

// Message for any code this module returns (or for a negative errno, and for
// the wire cursor's codes); never NULL.
const char *dns_strerror(int err);

// The symbol of a code ("DNS_EPTR_LOOP"), for logs and tests; never NULL.
const char *dns_strerror_sym(int err);

#endif
