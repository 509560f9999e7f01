/* SPDX-License-Identifier: BSD-3-Clause */
// Where the compressible names sit in the rdata of the RFC 1035 types. The
// builder uses it to compress them on the way out and the message parser to
// check them on the way in; this file needs no registry, so the message code
// links without the rdata codec.
#include <linerate/dns_err.h>
#include <linerate/dns_name.h>
#include <linerate/dns_rdata.h>

#include "msg_internal.h"

// rdata = `pre` fixed octets, `names` domain names, `post` fixed octets.
struct rdata_layout {
	uint8_t pre;
	uint8_t names;
	uint8_t post;
};

// RFC 3597 §4: only the types RFC 1035 defined may carry compressed names;
// every later type (DNAME, SRV, RP, AFSDB, …) is sent uncompressed.
static bool rdata_layout(uint16_t type, struct rdata_layout *l)
{
	switch (type) {
	case DNS_TYPE_NS:    // RFC 1035 §3.3.11
	case DNS_TYPE_MD:    // §3.3.4
	case DNS_TYPE_MF:    // §3.3.5
	case DNS_TYPE_CNAME: // §3.3.1
	case DNS_TYPE_MB:    // §3.3.3
	case DNS_TYPE_MG:    // §3.3.6
	case DNS_TYPE_MR:    // §3.3.8
	case DNS_TYPE_PTR:   // §3.3.12
		*l = (struct rdata_layout){0, 1, 0};
		return true;
	case DNS_TYPE_SOA: // §3.3.13: MNAME RNAME, then five 32-bit fields
		*l = (struct rdata_layout){0, 2, 20};
		return true;
	case DNS_TYPE_MINFO: // §3.3.7: RMAILBX EMAILBX
		*l = (struct rdata_layout){0, 2, 0};
		return true;
	case DNS_TYPE_MX: // §3.3.9: PREFERENCE then EXCHANGE
		*l = (struct rdata_layout){2, 1, 0};
		return true;
	default:
		return false;
	}
}

int dns_rdata_names_walk(uint16_t type, const uint8_t *msg, size_t off, size_t rdlen,
			 bool compressed, uint16_t offs[DNS_RDATA_MAXNAMES])
{
	struct rdata_layout l;
	if (!rdata_layout(type, &l))
		return 0;
	if (rdlen < l.pre)
		return DNS_ERDATA_SHORT;
	size_t end = off + rdlen;
	size_t p = off + l.pre;
	for (int i = 0; i < l.names; i++) {
		if (offs)
			offs[i] = (uint16_t)(p - off);
		int rc;
		if (compressed) {
			// Bounding the message at the rdata's end keeps the name
			// inside the rdata; pointers still reach everything before.
			rc = dns_name_unpack(msg, end, DNS_HEADER_LEN, &p, NULL);
		} else {
			size_t q = p - off;
			rc = dns_name_unpack_flat(msg + off, rdlen, &q, NULL);
			p = off + q;
		}
		if (rc == DNS_ETRUNC_NAME)
			return DNS_ERDATA_SHORT;
		if (rc < 0)
			return rc;
	}
	if (end - p < l.post)
		return DNS_ERDATA_SHORT;
	if (end - p > l.post)
		return DNS_ERDATA_LONG;
	return l.names;
}

int dns_rdata_compressible_names(uint16_t type, const uint8_t *rdata, size_t len,
				 uint16_t offs[DNS_RDATA_MAXNAMES])
{
	static const uint8_t empty[1];
	if (!rdata) {
		if (len)
			return DNS_EINVAL;
		rdata = empty; // no arithmetic on NULL below
	}
	if (len > DNS_RDATA_MAXLEN)
		return DNS_ERDATA_LEN;
	return dns_rdata_names_walk(type, rdata, 0, len, false, offs);
}
