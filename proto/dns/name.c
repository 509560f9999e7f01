/* SPDX-License-Identifier: BSD-3-Clause */
// Domain names: decompression, presentation format, comparison, hashing,
// reverse names. See linerate/dns_name.h for the contracts.
#include <arpa/inet.h>
#include <string.h>

#include <linerate/dns_err.h>
#include <linerate/dns_name.h>
#include <linerate/dns_name_hash.h>

static inline uint8_t lower(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') ? (uint8_t)(c | 0x20) : c;
}

// Shared by both unpackers. allow_ptr false: a pointer is an error.
static int name_unpack(const uint8_t *msg, size_t len, size_t hdr_len, size_t *pos, uint8_t *out,
		       bool allow_ptr)
{
	size_t p = *pos;
	size_t run_start = p; // start of the label run being read
	size_t next = 0;      // where the caller resumes: after the first pointer
	bool jumped = false;
	int hops = 0;
	size_t olen = 0;

	for (;;) {
		if (p >= len)
			return DNS_ETRUNC_NAME;
		uint8_t c = msg[p];
		switch (c & 0xc0) {
		case 0x00:
			break;
		case 0xc0: {
			if (!allow_ptr)
				return DNS_EPTR_FORBIDDEN;
			if (p + 1 >= len)
				return DNS_ETRUNC_NAME;
			size_t target = ((size_t)(c & 0x3f) << 8) | msg[p + 1];
			// RFC 1035 §4.1.4 says a pointer refers to a prior occurrence;
			// requiring it to land before the current run also rules out
			// every loop, since each hop moves strictly backwards.
			if (target == p)
				return DNS_EPTR_SELF;
			if (target > p)
				return DNS_EPTR_FORWARD;
			if (target >= run_start)
				return DNS_EPTR_LOOP;
			if (target < hdr_len)
				return DNS_EPTR_HEADER;
			if (++hops > DNS_NAME_MAXHOPS)
				return DNS_EPTR_HOPS;
			if (!jumped) {
				next = p + 2;
				jumped = true;
			}
			p = target;
			run_start = target;
			continue;
		}
		default: // 0x40 (RFC 6891 §5 retired extended labels) and 0x80
			return DNS_ELABEL_TYPE;
		}

		// c is a label length (0..63 by the mask above).
		if (olen + 1 + c > DNS_NAME_MAXLEN) // RFC 1035 §3.1: 255 octets
			return DNS_ENAME_LEN;
		if (p + 1 + c > len)
			return DNS_ETRUNC_NAME;
		if (out)
			memcpy(out + olen, msg + p, (size_t)c + 1);
		olen += (size_t)c + 1;
		p += (size_t)c + 1;
		if (c == 0)
			break;
	}
	*pos = jumped ? next : p;
	return (int)olen;
}

int dns_name_unpack(const uint8_t *msg, size_t len, size_t hdr_len, size_t *pos, uint8_t *out)
{
	if (!msg || !pos)
		return DNS_EINVAL;
	return name_unpack(msg, len, hdr_len, pos, out, true);
}

int dns_name_unpack_flat(const uint8_t *buf, size_t len, size_t *pos, uint8_t *out)
{
	if (!buf || !pos)
		return DNS_EINVAL;
	return name_unpack(buf, len, 0, pos, out, false);
}

size_t dns_name_length(const uint8_t *name)
{
	const uint8_t *p = name;
	while (*p)
		p += *p + 1;
	return (size_t)(p - name) + 1;
}

int dns_name_labels(const uint8_t *name)
{
	int n = 0;
	for (const uint8_t *p = name; *p; p += *p + 1)
		n++;
	return n;
}

bool dns_name_equal(const uint8_t *a, const uint8_t *b)
{
	for (;;) {
		if (*a != *b)
			return false;
		uint8_t l = *a;
		if (l == 0)
			return true;
		for (uint8_t i = 1; i <= l; i++)
			if (lower(a[i]) != lower(b[i]))
				return false;
		a += l + 1;
		b += l + 1;
	}
}

// Label start offsets of a name, root excluded; returns the count.
static int label_offsets(const uint8_t *name, uint8_t offs[DNS_NAME_MAXLABELS])
{
	int n = 0;
	for (size_t p = 0; name[p]; p += name[p] + 1U)
		offs[n++] = (uint8_t)p;
	return n;
}

int dns_name_canon_cmp(const uint8_t *a, const uint8_t *b)
{
	// RFC 4034 §6.1: compare label by label from the root, each label as a
	// lower-cased octet string, a shorter label sorting first.
	uint8_t oa[DNS_NAME_MAXLABELS], ob[DNS_NAME_MAXLABELS];
	int na = label_offsets(a, oa);
	int nb = label_offsets(b, ob);
	while (na > 0 && nb > 0) {
		const uint8_t *la = a + oa[--na];
		const uint8_t *lb = b + ob[--nb];
		uint8_t n = la[0] < lb[0] ? la[0] : lb[0];
		for (uint8_t i = 1; i <= n; i++) {
			uint8_t ca = lower(la[i]), cb = lower(lb[i]);
			if (ca != cb)
				return ca < cb ? -1 : 1;
		}
		if (la[0] != lb[0])
			return la[0] < lb[0] ? -1 : 1;
	}
	return na == nb ? 0 : (na < nb ? -1 : 1);
}

static inline uint64_t load8(const uint8_t *p)
{
	return dns_name_load8(p);
}

static inline uint64_t lower8(uint64_t w)
{
	return dns_name_lower8(w);
}

// Octets [i, len) of p (fewer than eight) in the low positions of a word,
// zeros above: one load of the last eight octets when the name has eight,
// so no byte-wise copy stalls the load (little-endian hosts).
static inline uint64_t tail8(const uint8_t *p, size_t i, size_t len)
{
	size_t rem = len - i;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (len >= 8)
		return load8(p + len - 8) >> (8 * (8 - rem));
#endif
	uint64_t w = 0;
	memcpy(&w, p + i, rem);
	return w;
}

size_t dns_name_lower_copy(uint8_t *dst, const uint8_t *src, size_t len)
{
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w = lower8(load8(src + i));
		memcpy(dst + i, &w, 8);
	}
	if (i < len) {
		if (len >= 8) { // the last eight again, overlapping: same octets
			uint64_t w = lower8(load8(src + len - 8));
			memcpy(dst + len - 8, &w, 8);
		} else {
			uint64_t w = lower8(tail8(src, i, len));
			memcpy(dst + i, &w, len - i);
		}
	}
	return len;
}

uint32_t dns_name_lower_hash(uint8_t *dst, const uint8_t *src, size_t len, uint32_t seed)
{
	dns_name_lower_copy(dst, src, len);
	return dns_name_hash_inline(src, len, seed);
}

uint32_t dns_name_hash_len(const uint8_t *name, size_t len, uint32_t seed)
{
	return dns_name_hash_inline(name, len, seed);
}

uint32_t dns_name_hash(const uint8_t *name, uint32_t seed)
{
	return dns_name_hash_len(name, dns_name_length(name), seed);
}

void dns_name_to_lower(uint8_t *name)
{
	for (uint8_t *p = name; *p; p += *p + 1)
		for (uint8_t i = 1; i <= *p; i++)
			p[i] = lower(p[i]);
}

const uint8_t *dns_name_skip_labels(const uint8_t *name, int n)
{
	while (n-- > 0 && *name)
		name += *name + 1;
	return name;
}

bool dns_name_is_subdomain(const uint8_t *name, const uint8_t *parent)
{
	int ln = dns_name_labels(name);
	int lp = dns_name_labels(parent);
	if (ln < lp)
		return false;
	return dns_name_equal(dns_name_skip_labels(name, ln - lp), parent);
}

int dns_name_from_text(const char *s, size_t n, const uint8_t *origin, uint8_t out[DNS_NAME_MAXLEN])
{
	if (!s || n == 0)
		return DNS_EINVAL;
	if (n == 1 && s[0] == '@') {
		if (!origin)
			return DNS_ENAME_RELATIVE;
		size_t ol = dns_name_length(origin);
		memcpy(out, origin, ol);
		return (int)ol;
	}
	if (n == 1 && s[0] == '.') {
		out[0] = 0;
		return 1;
	}

	size_t olen = 0;    // octets written
	size_t lstart = 0;  // offset of the current label's length octet
	bool absolute = false;
	out[0] = 0;
	olen = 1;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = (uint8_t)s[i];
		if (c == '.') {
			size_t llen = olen - lstart - 1;
			if (llen == 0)
				return DNS_ENAME_EMPTY_LABEL;
			out[lstart] = (uint8_t)llen;
			if (i + 1 == n) {
				absolute = true;
				break;
			}
			if (olen + 1 > DNS_NAME_MAXLEN)
				return DNS_ENAME_LEN;
			lstart = olen;
			out[olen++] = 0;
			continue;
		}
		if (c == '\\') {
			if (++i >= n)
				return DNS_ENAME_ESCAPE;
			c = (uint8_t)s[i];
			if (c >= '0' && c <= '9') {
				// \DDD: exactly three decimal digits, value ≤ 255
				if (i + 2 >= n || s[i + 1] < '0' || s[i + 1] > '9' || s[i + 2] < '0' ||
				    s[i + 2] > '9')
					return DNS_ENAME_ESCAPE;
				unsigned v = (unsigned)(c - '0') * 100 + (unsigned)(s[i + 1] - '0') * 10 +
					     (unsigned)(s[i + 2] - '0');
				if (v > 255)
					return DNS_ENAME_ESCAPE;
				c = (uint8_t)v;
				i += 2;
			}
		}
		if (olen - lstart - 1 >= DNS_LABEL_MAXLEN)
			return DNS_ELABEL_LEN;
		if (olen + 1 > DNS_NAME_MAXLEN)
			return DNS_ENAME_LEN;
		out[olen++] = c;
	}
	if (!absolute) {
		size_t llen = olen - lstart - 1;
		if (llen == 0)
			return DNS_ENAME_EMPTY_LABEL;
		out[lstart] = (uint8_t)llen;
	}
	// olen now covers the labels; append the origin or the root label.
	if (!absolute && origin) {
		size_t ol = dns_name_length(origin);
		if (olen + ol > DNS_NAME_MAXLEN)
			return DNS_ENAME_LEN;
		memcpy(out + olen, origin, ol);
		return (int)(olen + ol);
	}
	if (olen + 1 > DNS_NAME_MAXLEN)
		return DNS_ENAME_LEN;
	out[olen++] = 0;
	return (int)olen;
}

static bool name_special(uint8_t c)
{
	switch (c) {
	case '.':
	case ';':
	case '\\':
	case '(':
	case ')':
	case '"':
	case '@':
	case '$':
		return true;
	default:
		return false;
	}
}

int dns_name_to_text(const uint8_t *name, char *out, size_t cap)
{
	size_t o = 0;
	if (!out || cap == 0)
		return DNS_ENOSPACE;
	if (name[0] == 0) {
		if (cap < 2)
			return DNS_ENOSPACE;
		out[0] = '.';
		out[1] = 0;
		return 1;
	}
	for (const uint8_t *p = name; *p; p += *p + 1) {
		for (uint8_t i = 1; i <= *p; i++) {
			uint8_t c = p[i];
			if (c > 0x20 && c < 0x7f && !name_special(c)) {
				if (o + 1 >= cap)
					return DNS_ENOSPACE;
				out[o++] = (char)c;
			} else if (c > 0x20 && c < 0x7f) {
				if (o + 2 >= cap)
					return DNS_ENOSPACE;
				out[o++] = '\\';
				out[o++] = (char)c;
			} else {
				if (o + 4 >= cap)
					return DNS_ENOSPACE;
				out[o++] = '\\';
				out[o++] = (char)('0' + c / 100);
				out[o++] = (char)('0' + (c / 10) % 10);
				out[o++] = (char)('0' + c % 10);
			}
		}
		if (o + 1 >= cap)
			return DNS_ENOSPACE;
		out[o++] = '.';
	}
	out[o] = 0;
	return (int)o;
}

static size_t put_label(uint8_t *out, size_t o, const char *s, size_t n)
{
	out[o] = (uint8_t)n;
	memcpy(out + o + 1, s, n);
	return o + 1 + n;
}

int dns_name_reverse_ipv4(const uint8_t addr[4], uint8_t out[DNS_NAME_MAXLEN])
{
	size_t o = 0;
	for (int i = 3; i >= 0; i--) {
		char d[4];
		size_t n = 0;
		unsigned v = addr[i];
		if (v >= 100)
			d[n++] = (char)('0' + v / 100);
		if (v >= 10)
			d[n++] = (char)('0' + (v / 10) % 10);
		d[n++] = (char)('0' + v % 10);
		o = put_label(out, o, d, n);
	}
	o = put_label(out, o, "in-addr", 7);
	o = put_label(out, o, "arpa", 4);
	out[o++] = 0;
	return (int)o;
}

int dns_name_reverse_ipv6(const uint8_t addr[16], uint8_t out[DNS_NAME_MAXLEN])
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	for (int i = 15; i >= 0; i--) {
		o = put_label(out, o, &hex[addr[i] & 0xf], 1);
		o = put_label(out, o, &hex[addr[i] >> 4], 1);
	}
	o = put_label(out, o, "ip6", 3);
	o = put_label(out, o, "arpa", 4);
	out[o++] = 0;
	return (int)o;
}

int dns_name_reverse_from_text(const char *addr, uint8_t out[DNS_NAME_MAXLEN])
{
	uint8_t a[16];
	if (!addr)
		return DNS_EINVAL;
	if (inet_pton(AF_INET, addr, a) == 1)
		return dns_name_reverse_ipv4(a, out);
	if (inet_pton(AF_INET6, addr, a) == 1)
		return dns_name_reverse_ipv6(a, out);
	return DNS_EADDR;
}
