/* SPDX-License-Identifier: BSD-3-Clause */
// The DNS registry: every RR type of DNS_RRTYPES with its meaning, flags and
// rdata schema; classes, rcodes, opcodes; DNSSEC algorithm and CERT type
// mnemonics. See linerate/dns_types.h.
#include <string.h>
#include <strings.h>

#include <linerate/dns_err.h>
#include <linerate/dns_types.h>

#include "rdata_impl.h"

#define N(a)		(sizeof(a) / sizeof((a)[0]))
#define FIELDS(id, ...) static const struct dns_rdata_field id[] = {__VA_ARGS__}

// Field names: the DNS component's (seed 000) where it names them, the
// RFC's in upper case elsewhere.
FIELDS(f_a, {"ADDRESS", DNS_FIELD_IPV4});
FIELDS(f_ns, {"DNAME", DNS_FIELD_NAME});
FIELDS(f_madname, {"MADNAME", DNS_FIELD_NAME});
FIELDS(f_cname, {"CNAME", DNS_FIELD_NAME});
FIELDS(f_soa, {"MNAME", DNS_FIELD_NAME}, {"RNAME", DNS_FIELD_NAME}, {"SERIAL", DNS_FIELD_U32},
       {"REFRESH", DNS_FIELD_TTL}, {"RETRY", DNS_FIELD_TTL}, {"EXPIRE", DNS_FIELD_TTL},
       {"MINIMUM", DNS_FIELD_TTL});
FIELDS(f_mg, {"MGMNAME", DNS_FIELD_NAME});
FIELDS(f_mr, {"NEWNAME", DNS_FIELD_NAME});
// RFC 1035 §3.3.10 gives NULL no text form; it prints in RFC 3597 form.
FIELDS(f_null, {"NULL", DNS_FIELD_OPAQUE});
FIELDS(f_wks, {"ADDRESS", DNS_FIELD_IPV4}, {"PROTOCOL", DNS_FIELD_PROTOCOL},
       {"SERVICEMAP", DNS_FIELD_SERVICES});
FIELDS(f_ptr, {"PTRDNAME", DNS_FIELD_NAME});
FIELDS(f_hinfo, {"CPU", DNS_FIELD_STRING}, {"OS", DNS_FIELD_STRING});
FIELDS(f_minfo, {"RMAILBX", DNS_FIELD_NAME}, {"EMAILBX", DNS_FIELD_NAME});
FIELDS(f_mx, {"PREFERENCE", DNS_FIELD_U16}, {"EXCHANGE", DNS_FIELD_NAME});
FIELDS(f_txt, {"TXT", DNS_FIELD_STRINGS});
FIELDS(f_rp, {"MBOXDNAME", DNS_FIELD_NAME}, {"TXTDNAME", DNS_FIELD_NAME});
FIELDS(f_afsdb, {"SUBTYPE", DNS_FIELD_U16}, {"HOSTNAME", DNS_FIELD_NAME});
FIELDS(f_x25, {"PSDNADDRESS", DNS_FIELD_STRING});
FIELDS(f_isdn, {"ISDNADDRESS", DNS_FIELD_STRING}, {"SA", DNS_FIELD_STRING_OPT});
FIELDS(f_rt, {"PREFERENCE", DNS_FIELD_U16}, {"INTERMEDIATE", DNS_FIELD_NAME});
FIELDS(f_nsap, {"NSAP", DNS_FIELD_NSAP});
FIELDS(f_nsap_ptr, {"OWNER", DNS_FIELD_NAME});
FIELDS(f_sig, {"TYPE_COVERED", DNS_FIELD_TYPE}, {"ALGORITHM", DNS_FIELD_ALGORITHM},
       {"LABELS", DNS_FIELD_U8}, {"ORIGINAL_TTL", DNS_FIELD_TTL},
       {"SIGNATURE_EXPIRATION", DNS_FIELD_TIME}, {"SIGNATURE_INCEPTION", DNS_FIELD_TIME},
       {"KEY_TAG", DNS_FIELD_U16}, {"SIGNER_NAME", DNS_FIELD_NAME},
       {"SIGNATURE", DNS_FIELD_BASE64});
FIELDS(f_key, {"FLAGS", DNS_FIELD_U16}, {"PROTOCOL", DNS_FIELD_U8},
       {"ALGORITHM", DNS_FIELD_ALGORITHM}, {"PUBLIC_KEY", DNS_FIELD_BASE64});
FIELDS(f_px, {"PREFERENCE", DNS_FIELD_U16}, {"MAP822", DNS_FIELD_NAME},
       {"MAPX400", DNS_FIELD_NAME});
FIELDS(f_gpos, {"LONGITUDE", DNS_FIELD_FLOAT}, {"LATITUDE", DNS_FIELD_FLOAT},
       {"ALTITUDE", DNS_FIELD_FLOAT});
FIELDS(f_aaaa, {"ADDRESS", DNS_FIELD_IPV6});
FIELDS(f_loc, {"LOCATION", DNS_FIELD_SPECIAL});
FIELDS(f_nxt, {"NEXT_DOMAIN_NAME", DNS_FIELD_NAME}, {"TYPE_BITMAP", DNS_FIELD_NXT_BITMAP});
// EID and NIMLOC (Nimrod drafts) print as hex, as BIND does.
FIELDS(f_eid, {"ENDPOINT_IDENTIFIER", DNS_FIELD_HEX});
FIELDS(f_nimloc, {"NIMROD_LOCATOR", DNS_FIELD_HEX});
FIELDS(f_srv, {"PRIORITY", DNS_FIELD_U16}, {"WEIGHT", DNS_FIELD_U16}, {"PORT", DNS_FIELD_U16},
       {"TARGET", DNS_FIELD_NAME});
FIELDS(f_atma, {"ADDRESS", DNS_FIELD_ATMA});
FIELDS(f_naptr, {"ORDER", DNS_FIELD_U16}, {"PRIORITY", DNS_FIELD_U16}, {"FLAGS", DNS_FIELD_STRING},
       {"SERVICES", DNS_FIELD_STRING}, {"REGEXP", DNS_FIELD_STRING},
       {"REPLACEMENT", DNS_FIELD_NAME});
FIELDS(f_kx, {"PREFERENCE", DNS_FIELD_U16}, {"EXCHANGER", DNS_FIELD_NAME});
FIELDS(f_cert, {"TYPE", DNS_FIELD_CERT_TYPE}, {"KEY_TAG", DNS_FIELD_U16},
       {"ALGORITHM", DNS_FIELD_ALG_NAME}, {"CERTIFICATE", DNS_FIELD_BASE64});
FIELDS(f_a6, {"A6", DNS_FIELD_SPECIAL});
FIELDS(f_dname, {"TARGET", DNS_FIELD_NAME});
// SINK (draft-eastlake-kitchen-sink) in BIND's form.
FIELDS(f_sink, {"MEANING", DNS_FIELD_U8}, {"CODING", DNS_FIELD_U8}, {"SUBCODING", DNS_FIELD_U8},
       {"DATA", DNS_FIELD_BASE64_OPT});
FIELDS(f_opt, {"OPTIONS", DNS_FIELD_OPAQUE});
FIELDS(f_apl, {"APITEMS", DNS_FIELD_SPECIAL});
FIELDS(f_ds, {"KEY_TAG", DNS_FIELD_U16}, {"ALGORITHM", DNS_FIELD_ALGORITHM},
       {"DIGEST_TYPE", DNS_FIELD_U8}, {"DIGEST", DNS_FIELD_HEX});
FIELDS(f_sshfp, {"ALGORITHM", DNS_FIELD_U8}, {"FP_TYPE", DNS_FIELD_U8},
       {"FINGERPRINT", DNS_FIELD_HEX});
FIELDS(f_ipseckey, {"PRECEDENCE", DNS_FIELD_U8}, {"GATEWAY_TYPE", DNS_FIELD_U8},
       {"ALGORITHM", DNS_FIELD_U8}, {"GATEWAY", DNS_FIELD_GATEWAY},
       {"PUBLIC_KEY", DNS_FIELD_BASE64_OPT});
FIELDS(f_nsec, {"NEXT_DOMAIN_NAME", DNS_FIELD_NAME}, {"TYPE_BITMAPS", DNS_FIELD_BITMAP});
FIELDS(f_dhcid, {"DATA", DNS_FIELD_BASE64});
FIELDS(f_nsec3, {"HASH_ALGORITHM", DNS_FIELD_U8}, {"FLAGS", DNS_FIELD_U8},
       {"ITERATIONS", DNS_FIELD_U16}, {"SALT", DNS_FIELD_SALT},
       {"NEXT_HASHED_OWNER_NAME", DNS_FIELD_HASH32}, {"TYPE_BITMAPS", DNS_FIELD_BITMAP});
FIELDS(f_nsec3param, {"HASH_ALGORITHM", DNS_FIELD_U8}, {"FLAGS", DNS_FIELD_U8},
       {"ITERATIONS", DNS_FIELD_U16}, {"SALT", DNS_FIELD_SALT});
FIELDS(f_tlsa, {"CERT_USAGE", DNS_FIELD_U8}, {"SELECTOR", DNS_FIELD_U8},
       {"MATCHING_TYPE", DNS_FIELD_U8}, {"CERTIFICATE_ASSOCIATION_DATA", DNS_FIELD_HEX});
FIELDS(f_hip, {"HIP", DNS_FIELD_SPECIAL});
FIELDS(f_openpgpkey, {"PUBLIC_KEY", DNS_FIELD_BASE64_FLAT});
FIELDS(f_csync, {"SOA_SERIAL", DNS_FIELD_U32}, {"FLAGS", DNS_FIELD_U16},
       {"TYPE_BITMAPS", DNS_FIELD_BITMAP});
FIELDS(f_zonemd, {"SERIAL", DNS_FIELD_U32}, {"SCHEME", DNS_FIELD_U8},
       {"HASH_ALGORITHM", DNS_FIELD_U8}, {"DIGEST", DNS_FIELD_HEX});
// UINFO/UID/GID/UNSPEC were reserved for a never-specified UINFO scheme;
// BIND reads UINFO as a string and UID/GID as numbers. UNSPEC has no text
// form anywhere, so it prints in RFC 3597 form.
FIELDS(f_uinfo, {"UINFO", DNS_FIELD_STRING});
FIELDS(f_uid, {"UID", DNS_FIELD_U32});
FIELDS(f_gid, {"GID", DNS_FIELD_U32});
FIELDS(f_unspec, {"UNSPEC", DNS_FIELD_OPAQUE});
FIELDS(f_eui48, {"ADDRESS", DNS_FIELD_EUI48});
FIELDS(f_eui64, {"ADDRESS", DNS_FIELD_EUI64});
FIELDS(f_tkey, {"ALGORITHM", DNS_FIELD_NAME}, {"INCEPTION", DNS_FIELD_U32},
       {"EXPIRATION", DNS_FIELD_U32}, {"MODE", DNS_FIELD_U16}, {"ERROR", DNS_FIELD_U16},
       {"KEY", DNS_FIELD_BLOB16}, {"OTHER_DATA", DNS_FIELD_BLOB16});
FIELDS(f_tsig, {"ALGORITHM", DNS_FIELD_NAME}, {"TIME_SIGNED", DNS_FIELD_U48},
       {"FUDGE", DNS_FIELD_U16}, {"MAC", DNS_FIELD_BLOB16_LEN}, {"ORIGINAL_ID", DNS_FIELD_U16},
       {"ERROR", DNS_FIELD_RCODE}, {"OTHER_DATA", DNS_FIELD_BLOB16_LEN});
// Query-only types carry no rdata of their own; whatever a message holds
// is kept as octets.
FIELDS(f_meta, {"RDATA", DNS_FIELD_OPAQUE});
FIELDS(f_uri, {"PRIORITY", DNS_FIELD_U16}, {"WEIGHT", DNS_FIELD_U16},
       {"TARGET", DNS_FIELD_STRING_REST});
FIELDS(f_caa, {"FLAGS", DNS_FIELD_U8}, {"TAG", DNS_FIELD_TAG}, {"VALUE", DNS_FIELD_STRING_REST});

enum {
	META = DNS_TF_META,
	OBS = DNS_TF_OBSOLETE,
	// RFC 3597 §4: the RFC 1035 types may be compressed on send; these and
	// the later types it lists are decompressed on receipt.
	CMP = DNS_TF_COMPRESS | DNS_TF_DECOMPRESS,
	DCMP = DNS_TF_DECOMPRESS,
	ONE = DNS_TF_SINGLETON,
	SEC = DNS_TF_DNSSEC,
	LOW = DNS_TF_CANON_LOWER,
};

#define T(sym, mnem, meaning, flags, f)                                                            \
	{                                                                                          \
		DNS_TYPE_##sym, mnem, meaning, flags, (uint8_t)N(f), f                             \
	}

// In numeric order (dns_type_lookup searches it); meanings are asyncdns's.
static const struct dns_type_desc types[] = {
	T(A, "A", "IPv4 address", 0, f_a),
	T(NS, "NS", "Nameserver", CMP | LOW, f_ns),
	T(MD, "MD", "Mail destination (obsolete)", CMP | OBS | LOW, f_madname),
	T(MF, "MF", "Mail forwarder (obsolete)", CMP | OBS | LOW, f_madname),
	T(CNAME, "CNAME", "Canonical name record - an alias", CMP | ONE | LOW, f_cname),
	T(SOA, "SOA", "Start Of Authority", CMP | ONE | LOW, f_soa),
	T(MB, "MB", "Mailbox domain name (obsolete)", CMP | OBS | LOW, f_madname),
	T(MG, "MG", "Mail group member (obsolete)", CMP | OBS | LOW, f_mg),
	T(MR, "MR", "Mail rename (obsolete)", CMP | OBS | LOW, f_mr),
	T(NULL, "NULL", "Null", 0, f_null),
	T(WKS, "WKS", "Well Known Service description (obsolete)", OBS, f_wks),
	T(PTR, "PTR", "Pointer - for inverse queries", CMP | LOW, f_ptr),
	T(HINFO, "HINFO", "Host information (obsolete)", OBS, f_hinfo),
	T(MINFO, "MINFO", "Mailbox or list information (obsolete)", CMP | OBS | LOW, f_minfo),
	T(MX, "MX", "Mail eXchanger", CMP | LOW, f_mx),
	T(TXT, "TXT", "Free format text", 0, f_txt),
	T(RP, "RP", "Responsible person", DCMP | LOW, f_rp),
	T(AFSDB, "AFSDB", "AFS database record", DCMP | LOW, f_afsdb),
	T(X25, "X25", "X.121 address, as used on X.25 networks", 0, f_x25),
	T(ISDN, "ISDN", "ISDN address", 0, f_isdn),
	T(RT, "RT", "Route record, for X.25 or ISDN", DCMP | LOW, f_rt),
	T(NSAP, "NSAP", "OSI NSAP address", 0, f_nsap),
	T(NSAP_PTR, "NSAP-PTR", "NSAP Pointer - for inverse queries", 0, f_nsap_ptr),
	T(SIG, "SIG", "(Old) DNSSEC signature (obsolete)", DCMP | OBS | SEC | LOW, f_sig),
	T(KEY, "KEY", "(Old) DNSSEC key (obsolete)", OBS | SEC, f_key),
	T(PX, "PX", "X.400 mail mapping information (obsolete)", DCMP | OBS | LOW, f_px),
	T(GPOS, "GPOS", "Geographical location (obsolete)", OBS, f_gpos),
	T(AAAA, "AAAA", "IPv6 address", 0, f_aaaa),
	T(LOC, "LOC", "Geographical location", 0, f_loc),
	T(NXT, "NXT", "(Old) DNSSEC Next record (obsolete)", DCMP | OBS | SEC | LOW, f_nxt),
	T(EID, "EID", "Nimrod Endpoint Identifier (obsolete)", OBS, f_eid),
	T(NIMLOC, "NIMLOC", "Nimrod Locator (obsolete)", OBS, f_nimloc),
	T(SRV, "SRV", "Service locator", DCMP | LOW, f_srv),
	T(ATMA, "ATMA", "ATM address", 0, f_atma),
	T(NAPTR, "NAPTR", "Naming Authority Pointer - regex rewriting", DCMP | LOW, f_naptr),
	T(KX, "KX", "Key exchanger record", LOW, f_kx),
	T(CERT, "CERT", "Certificate record", 0, f_cert),
	T(A6, "A6", "Intended to replace AAAA (obsolete)", OBS | LOW, f_a6),
	T(DNAME, "DNAME", "Alias for a name and all subnames", ONE | LOW, f_dname),
	T(SINK, "SINK", "Kitchen sink (joke, obsolete)", OBS, f_sink),
	T(OPT, "OPT", "EDNS option (PSEUDO-RR)", META, f_opt),
	T(APL, "APL", "Address Prefix List", 0, f_apl),
	T(DS, "DS", "Delegation Signer record", SEC, f_ds),
	T(SSHFP, "SSHFP", "SSH public key fingerprint", 0, f_sshfp),
	T(IPSECKEY, "IPSECKEY", "IPsec key", 0, f_ipseckey),
	T(RRSIG, "RRSIG", "DNSSEC signature", SEC | LOW, f_sig),
	T(NSEC, "NSEC", "Next Secure record - to prove non-existence", SEC, f_nsec),
	T(DNSKEY, "DNSKEY", "DNSSEC key record", SEC, f_key),
	T(DHCID, "DHCID", "DHCP identifier", 0, f_dhcid),
	T(NSEC3, "NSEC3", "Next Secure record (v3)", SEC, f_nsec3),
	T(NSEC3PARAM, "NSEC3PARAM", "NSEC3 parameter record", SEC, f_nsec3param),
	T(TLSA, "TLSA", "TLSA certificate association", 0, f_tlsa),
	T(SMIMEA, "SMIMEA", "S/MIME certificate association", 0, f_tlsa),
	T(HIP, "HIP", "Host Identity Protocol record", 0, f_hip),
	T(CDS, "CDS", "Child DS record", SEC, f_ds),
	T(CDNSKEY, "CDNSKEY", "Child DNSKEY", SEC, f_key),
	T(OPENPGPKEY, "OPENPGPKEY", "OpenPGP public key", 0, f_openpgpkey),
	T(CSYNC, "CSYNC", "Child-to-parent synchronization", 0, f_csync),
	T(ZONEMD, "ZONEMD", "Message digest for DNS zone", 0, f_zonemd),
	T(SPF, "SPF", "SPF record (obsolete)", OBS, f_txt),
	T(UINFO, "UINFO", "Reserved", OBS, f_uinfo),
	T(UID, "UID", "Reserved", OBS, f_uid),
	T(GID, "GID", "Reserved", OBS, f_gid),
	T(UNSPEC, "UNSPEC", "Reserved", OBS, f_unspec),
	T(EUI48, "EUI48", "48-bit MAC address", 0, f_eui48),
	T(EUI64, "EUI64", "64-bit MAC address", 0, f_eui64),
	// TKEY and TSIG have rdata formats but live only in messages.
	T(TKEY, "TKEY", "Transaction key", META, f_tkey),
	T(TSIG, "TSIG", "Transaction signature", META, f_tsig),
	T(IXFR, "IXFR", "Incremental zone transfer (PSEUDO-RR)", META, f_meta),
	T(AXFR, "AXFR", "Authoritative zone transfers (PSEUDO-RR)", META, f_meta),
	T(MAILB, "MAILB", "Used to get MB/MG/MR/MINFO records (obsolete)", META | OBS, f_meta),
	T(MAILA, "MAILA", "Used to retrieve MD or MF records (obsolete)", META | OBS, f_meta),
	T(ANY, "ANY", "Return all record types (PSEUDO-RR)", META, f_meta),
	T(URI, "URI", "Maps a hostname to a URI", 0, f_uri),
	T(CAA, "CAA", "Certificate Authority Authorization", 0, f_caa),
	T(TA, "TA", "DNSSEC Trust Authorities", SEC, f_ds),
	T(DLV, "DLV", "DNSSEC Lookaside Validation record", SEC, f_ds),
};

#define DNS_RRTYPE_COUNT_(sym, num) +1
_Static_assert(N(types) == 0 DNS_RRTYPES(DNS_RRTYPE_COUNT_), "registry table misses a type");
#undef DNS_RRTYPE_COUNT_

const struct dns_type_desc *dns_type_lookup(uint16_t type)
{
	size_t lo = 0, hi = N(types);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (types[mid].type == type)
			return &types[mid];
		if (types[mid].type < type)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct dns_type_desc *dns_type_all(size_t *n)
{
	if (n)
		*n = N(types);
	return types;
}

// "PREFIX123" into buf (16 bytes).
static const char *generic_name(const char *prefix, unsigned v, char buf[16])
{
	size_t p = strlen(prefix);
	memcpy(buf, prefix, p);
	char d[10];
	size_t n = 0;
	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		buf[p++] = d[--n];
	buf[p] = 0;
	return buf;
}

// Case-insensitive match of s[0..n) against a NUL-terminated word.
static bool word_eq(const char *s, size_t n, const char *w)
{
	return strlen(w) == n && strncasecmp(s, w, n) == 0;
}

// RFC 3597 §5 generic mnemonic: prefix and decimal digits, value ≤ max.
static int generic_from_text(const char *s, size_t n, const char *prefix, uint32_t max, uint32_t *v)
{
	size_t p = strlen(prefix);
	if (n <= p || n > p + 10 || strncasecmp(s, prefix, p) != 0)
		return -1;
	uint64_t x = 0;
	for (size_t i = p; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (uint64_t)(s[i] - '0');
	}
	if (x > max)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

const char *dns_type_to_text(uint16_t type, char buf[16])
{
	const struct dns_type_desc *d = dns_type_lookup(type);
	if (d) {
		strcpy(buf, d->mnemonic);
		return buf;
	}
	return generic_name("TYPE", type, buf);
}

int dns_type_from_text(const char *s, size_t n, uint16_t *type)
{
	uint32_t v;
	if (!s || !type)
		return DNS_EINVAL;
	for (size_t i = 0; i < N(types); i++) {
		if (word_eq(s, n, types[i].mnemonic)) {
			*type = types[i].type;
			return 0;
		}
	}
	if (generic_from_text(s, n, "TYPE", UINT16_MAX, &v) == 0) {
		*type = (uint16_t)v;
		return 0;
	}
	return DNS_ETYPE;
}

struct named {
	uint16_t value;
	const char *name;
};

// First entry of a value is its printed name; later ones are aliases.
static const struct named classes[] = {
	{DNS_CLASS_IN, "IN"},	  {DNS_CLASS_CH, "CH"},	  {DNS_CLASS_HS, "HS"},
	{DNS_CLASS_NONE, "NONE"}, {DNS_CLASS_ANY, "ANY"}, {DNS_CLASS_CH, "CHAOS"},
	{DNS_CLASS_HS, "HESIOD"},
};

static const struct named rcodes[] = {
#define DNS_RCODE_NAMED_(sym, num) {num, #sym},
	DNS_RCODES(DNS_RCODE_NAMED_)
#undef DNS_RCODE_NAMED_
		{DNS_RCODE_BADSIG, "BADSIG"},
};

static const struct named opcodes[] = {
	{DNS_OPCODE_QUERY, "QUERY"},   {DNS_OPCODE_IQUERY, "IQUERY"}, {DNS_OPCODE_STATUS, "STATUS"},
	{DNS_OPCODE_NOTIFY, "NOTIFY"}, {DNS_OPCODE_UPDATE, "UPDATE"}, {DNS_OPCODE_DSO, "DSO"},
};

static const char *named_name(const struct named *t, size_t n, uint16_t v)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].value == v)
			return t[i].name;
	return NULL;
}

static int named_value(const struct named *t, size_t n, const char *s, size_t len, uint16_t *v)
{
	for (size_t i = 0; i < n; i++) {
		if (word_eq(s, len, t[i].name)) {
			*v = t[i].value;
			return 0;
		}
	}
	return -1;
}

// Printed name of v from table t, or PREFIXnnn.
static const char *named_to_text(const struct named *t, size_t n, uint16_t v, const char *prefix,
				 char buf[16])
{
	const char *s = named_name(t, n, v);
	if (!s)
		return generic_name(prefix, v, buf);
	strcpy(buf, s);
	return buf;
}

// Name from table t or PREFIXnnn (value ≤ max); 0 or -1.
static int named_from_text(const struct named *t, size_t n, const char *s, size_t len,
			   const char *prefix, uint32_t max, uint16_t *v)
{
	uint32_t x;
	if (named_value(t, n, s, len, v) == 0)
		return 0;
	if (generic_from_text(s, len, prefix, max, &x) < 0)
		return -1;
	*v = (uint16_t)x;
	return 0;
}

const char *dns_class_to_text(uint16_t cls, char buf[16])
{
	return named_to_text(classes, N(classes), cls, "CLASS", buf);
}

int dns_class_from_text(const char *s, size_t n, uint16_t *cls)
{
	if (!s || !cls)
		return DNS_EINVAL;
	return named_from_text(classes, N(classes), s, n, "CLASS", UINT16_MAX, cls) ? DNS_ECLASS
										    : 0;
}

const char *dns_rcode_to_text(uint16_t rcode, char buf[16])
{
	return named_to_text(rcodes, N(rcodes), rcode, "RCODE", buf);
}

int dns_rcode_from_text(const char *s, size_t n, uint16_t *rcode)
{
	if (!s || !rcode)
		return DNS_EINVAL;
	// 12 bits: 4 in the header, 8 in OPT (RFC 6891 §6.1.3)
	return named_from_text(rcodes, N(rcodes), s, n, "RCODE", 4095, rcode) ? DNS_EINVAL : 0;
}

const char *dns_opcode_to_text(uint8_t opcode, char buf[16])
{
	return named_to_text(opcodes, N(opcodes), opcode, "OPCODE", buf);
}

int dns_type_field_count(uint16_t type)
{
	const struct dns_type_desc *d = dns_type_lookup(type);
	return d ? d->nfields : 1;
}

int dns_type_field_index(uint16_t type, const char *name)
{
	if (!name)
		return DNS_EINVAL;
	const struct dns_type_desc *d = dns_type_lookup(type);
	if (!d)
		return strcasecmp(name, "RDATA") == 0 ? 0 : DNS_EINVAL;
	for (int i = 0; i < d->nfields; i++)
		if (strcasecmp(name, d->fields[i].name) == 0)
			return i;
	return DNS_EINVAL;
}

// DNSSEC algorithm mnemonics (IANA; dnspython's spelling).
static const struct named algorithms[] = {
	{1, "RSAMD5"},
	{2, "DH"},
	{3, "DSA"},
	{4, "ECC"},
	{5, "RSASHA1"},
	{6, "DSANSEC3SHA1"},
	{7, "RSASHA1NSEC3SHA1"},
	{8, "RSASHA256"},
	{10, "RSASHA512"},
	{12, "ECCGOST"},
	{13, "ECDSAP256SHA256"},
	{14, "ECDSAP384SHA384"},
	{15, "ED25519"},
	{16, "ED448"},
	{252, "INDIRECT"},
	{253, "PRIVATEDNS"},
	{254, "PRIVATEOID"},
};

// RFC 4398 §2.1 certificate types.
static const struct named cert_types[] = {
	{1, "PKIX"}, {2, "SPKI"},   {3, "PGP"},	    {4, "IPKIX"}, {5, "ISPKI"},
	{6, "IPGP"}, {7, "ACPKIX"}, {8, "IACPKIX"}, {253, "URI"}, {254, "OID"},
};

const char *dns_alg_mnemonic(uint8_t alg)
{
	return named_name(algorithms, N(algorithms), alg);
}

int dns_alg_from_text(const struct dns_txt_tok *t, uint8_t *alg)
{
	uint16_t v;
	uint64_t x;
	if (!t->quoted && named_value(algorithms, N(algorithms), t->p, t->n, &v) == 0) {
		*alg = (uint8_t)v;
		return 0;
	}
	int rc = dns_txt_tok_uint(t, UINT8_MAX, &x);
	if (rc == 0)
		*alg = (uint8_t)x;
	return rc;
}

const char *dns_cert_type_mnemonic(uint16_t type)
{
	return named_name(cert_types, N(cert_types), type);
}

int dns_cert_type_from_text(const struct dns_txt_tok *t, uint16_t *type)
{
	uint64_t x;
	if (!t->quoted && named_value(cert_types, N(cert_types), t->p, t->n, type) == 0)
		return 0;
	int rc = dns_txt_tok_uint(t, UINT16_MAX, &x);
	if (rc == 0)
		*type = (uint16_t)x;
	return rc;
}
