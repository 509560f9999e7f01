/* SPDX-License-Identifier: BSD-3-Clause */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include <linerate/dns_err.h>
#include <linerate/dns_name.h>

#define W(s) ((const uint8_t *)(s))

static int from_text(const char *s, const uint8_t *origin, uint8_t *out)
{
	return dns_name_from_text(s, strlen(s), origin, out);
}

static void assert_roundtrip(const char *text, const char *expect)
{
	uint8_t n[DNS_NAME_MAXLEN];
	char t[DNS_NAME_TEXT_MAX];
	int len = from_text(text, NULL, n);
	cr_assert_gt(len, 0, "%s: %s", text, dns_strerror(len));
	cr_assert_eq((size_t)len, dns_name_length(n));
	cr_assert_gt(dns_name_to_text(n, t, sizeof(t)), 0);
	cr_assert_str_eq(t, expect);
}

Test(dns_name, text_roundtrips_plain_names)
{
	assert_roundtrip(".", ".");
	assert_roundtrip("example.com", "example.com.");
	assert_roundtrip("Example.COM.", "Example.COM.");
	assert_roundtrip("a.b.c.d.e.f", "a.b.c.d.e.f.");
}

Test(dns_name, text_escapes_specials_and_binary)
{
	uint8_t n[DNS_NAME_MAXLEN];
	int len = from_text("a\\.b.c", NULL, n);
	cr_assert_eq(len, 7);
	cr_assert_arr_eq(n, W("\3a.b\1c\0"), 7);
	assert_roundtrip("a\\.b.c", "a\\.b.c.");
	assert_roundtrip("\\000\\255x.", "\\000\\255x.");
	assert_roundtrip("\\065bc", "Abc.");
	assert_roundtrip("sp\\ ace", "sp\\032ace.");
	assert_roundtrip("q\\\"uote\\;semi\\(p\\)\\@\\$\\\\", "q\\\"uote\\;semi\\(p\\)\\@\\$\\\\.");
}

Test(dns_name, relative_names_take_the_origin)
{
	uint8_t origin[DNS_NAME_MAXLEN], n[DNS_NAME_MAXLEN];
	char t[DNS_NAME_TEXT_MAX];
	cr_assert_gt(from_text("example.org.", NULL, origin), 0);
	cr_assert_gt(from_text("www", origin, n), 0);
	dns_name_to_text(n, t, sizeof(t));
	cr_assert_str_eq(t, "www.example.org.");
	cr_assert_gt(from_text("@", origin, n), 0);
	dns_name_to_text(n, t, sizeof(t));
	cr_assert_str_eq(t, "example.org.");
	cr_assert_gt(from_text("abs.", origin, n), 0);
	dns_name_to_text(n, t, sizeof(t));
	cr_assert_str_eq(t, "abs.");
	cr_assert_eq(from_text("@", NULL, n), DNS_ENAME_RELATIVE);
}

// Criterion runs each parameter in a fresh process: params carry their
// strings inline, not as pointers into the parent's memory.
struct bad_text {
	char text[96];
	int err;
};

ParameterizedTestParameters(dns_name, rejects_bad_text)
{
	static struct bad_text cases[] = {
		{"a..b", DNS_ENAME_EMPTY_LABEL},
		{".a", DNS_ENAME_EMPTY_LABEL},
		{"..", DNS_ENAME_EMPTY_LABEL},
		{"a\\", DNS_ENAME_ESCAPE},
		{"a\\25", DNS_ENAME_ESCAPE},
		{"a\\256", DNS_ENAME_ESCAPE},
		{"a\\2x5", DNS_ENAME_ESCAPE},
		{"", DNS_EINVAL},
		// 64-octet label
		{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com", DNS_ELABEL_LEN},
	};
	return cr_make_param_array(struct bad_text, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_text *c, dns_name, rejects_bad_text)
{
	uint8_t n[DNS_NAME_MAXLEN];
	int rc = dns_name_from_text(c->text, strlen(c->text), NULL, n);
	cr_assert_eq(rc, c->err, "%s: got %s", c->text, dns_strerror_sym(rc));
}

Test(dns_name, length_limits_are_exact)
{
	// 63-octet label is fine, 255-octet name is fine, 256 is not.
	char text[400];
	uint8_t n[DNS_NAME_MAXLEN];
	memset(text, 'a', 63);
	text[63] = 0;
	cr_assert_eq(from_text(text, NULL, n), 65);

	// four labels of 63 = 4*64 = 256 + root = 257: too long
	size_t o = 0;
	for (int l = 0; l < 4; l++) {
		memset(text + o, 'b', 63);
		o += 63;
		text[o++] = '.';
	}
	text[o] = 0;
	cr_assert_eq(from_text(text, NULL, n), DNS_ENAME_LEN);

	// three of 63 and one of 61 = 192 + 62 + root = 255: the maximum
	o = 0;
	for (int l = 0; l < 3; l++) {
		memset(text + o, 'c', 63);
		o += 63;
		text[o++] = '.';
	}
	memset(text + o, 'd', 61);
	o += 61;
	text[o++] = '.';
	text[o] = 0;
	cr_assert_eq(from_text(text, NULL, n), 255);
	text[o - 1] = 'e'; // 62-octet last label, then root: 256
	text[o] = '.';
	text[o + 1] = 0;
	cr_assert_eq(from_text(text, NULL, n), DNS_ENAME_LEN);
}

Test(dns_name, relative_name_too_long_with_origin)
{
	char text[200];
	uint8_t origin[DNS_NAME_MAXLEN], n[DNS_NAME_MAXLEN];
	memset(text, 'o', 63);
	text[63] = '.';
	memset(text + 64, 'o', 63);
	text[127] = '.';
	text[128] = 0;
	cr_assert_eq(from_text(text, NULL, origin), 129);
	memset(text, 'r', 63);
	text[63] = '.';
	memset(text + 64, 'r', 63);
	text[127] = 0;
	cr_assert_eq(from_text(text, origin, n), DNS_ENAME_LEN);
}

Test(dns_name, equal_and_hash_ignore_ascii_case_only)
{
	uint8_t a[DNS_NAME_MAXLEN], b[DNS_NAME_MAXLEN], c[DNS_NAME_MAXLEN];
	from_text("WwW.ExAmple.COM", NULL, a);
	from_text("www.example.com", NULL, b);
	from_text("www.example.co", NULL, c);
	cr_assert(dns_name_equal(a, b));
	cr_assert_not(dns_name_equal(a, c));
	cr_assert_eq(dns_name_hash(a, 7), dns_name_hash(b, 7));
	cr_assert_neq(dns_name_hash(a, 7), dns_name_hash(c, 7));
	// 0xC1 vs 0xE1 differ by 0x20 but are not ASCII letters: not equal
	uint8_t x[DNS_NAME_MAXLEN], y[DNS_NAME_MAXLEN];
	from_text("\\193", NULL, x);
	from_text("\\225", NULL, y);
	cr_assert_not(dns_name_equal(x, y));
	dns_name_to_lower(a);
	cr_assert_arr_eq(a, b, dns_name_length(b));
}

Test(dns_name, canonical_order_matches_rfc4034_example)
{
	// RFC 4034 §6.1 lists these names in canonical order.
	static const char *ordered[] = {
		"example.", "a.example.", "yljkjljk.a.example.", "Z.a.example.", "zABC.a.EXAMPLE.",
		"z.example.", "\\001.z.example.", "*.z.example.", "\\200.z.example.",
	};
	size_t n = sizeof(ordered) / sizeof(ordered[0]);
	for (size_t i = 0; i + 1 < n; i++) {
		uint8_t a[DNS_NAME_MAXLEN], b[DNS_NAME_MAXLEN];
		from_text(ordered[i], NULL, a);
		from_text(ordered[i + 1], NULL, b);
		cr_assert_lt(dns_name_canon_cmp(a, b), 0, "%s < %s", ordered[i], ordered[i + 1]);
		cr_assert_gt(dns_name_canon_cmp(b, a), 0);
		cr_assert_eq(dns_name_canon_cmp(a, a), 0);
	}
}

Test(dns_name, subdomain_and_labels)
{
	uint8_t a[DNS_NAME_MAXLEN], p[DNS_NAME_MAXLEN], q[DNS_NAME_MAXLEN];
	from_text("x.y.Example.com", NULL, a);
	from_text("example.COM", NULL, p);
	from_text("ample.com", NULL, q);
	cr_assert_eq(dns_name_labels(a), 4);
	cr_assert(dns_name_is_subdomain(a, p));
	cr_assert(dns_name_is_subdomain(p, p));
	cr_assert_not(dns_name_is_subdomain(a, q));
	cr_assert_not(dns_name_is_subdomain(p, a));
	cr_assert(dns_name_equal(dns_name_skip_labels(a, 2), p));
}

Test(dns_name, reverse_names)
{
	uint8_t n[DNS_NAME_MAXLEN];
	char t[DNS_NAME_TEXT_MAX];
	cr_assert_gt(dns_name_reverse_from_text("192.0.2.10", n), 0);
	dns_name_to_text(n, t, sizeof(t));
	cr_assert_str_eq(t, "10.2.0.192.in-addr.arpa.");
	cr_assert_gt(dns_name_reverse_from_text("2001:db8::567:89ab", n), 0);
	dns_name_to_text(n, t, sizeof(t));
	cr_assert_str_eq(t, "b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.");
	cr_assert_eq(dns_name_reverse_from_text("192.0.2", n), DNS_EADDR);
	cr_assert_eq(dns_name_reverse_from_text("example", n), DNS_EADDR);
}

// ---- decompression

Test(dns_name, unpack_follows_backward_pointers)
{
	// header(12) | 3www7example3com0 | 4mail <ptr to 16 "example.com">
	uint8_t msg[64] = {0};
	size_t o = 12;
	memcpy(msg + o, "\3www\7example\3com\0", 17);
	o += 17;
	memcpy(msg + o, "\4mail\xc0\x10", 7);
	size_t pos = 29;
	uint8_t out[DNS_NAME_MAXLEN];
	char t[DNS_NAME_TEXT_MAX];
	int n = dns_name_unpack(msg, 36, 12, &pos, out);
	cr_assert_eq(n, 18);
	cr_assert_eq(pos, 36);
	dns_name_to_text(out, t, sizeof(t));
	cr_assert_str_eq(t, "mail.example.com.");
}

struct bad_wire {
	char what[40];
	uint8_t buf[32];
	size_t len;
	size_t start;
	int err;
};

ParameterizedTestParameters(dns_name, unpack_rejects)
{
	static struct bad_wire cases[] = {
		{"pointer to itself", {[12] = 0xc0, 12}, 14, 12, DNS_EPTR_SELF},
		{"forward pointer", {[12] = 0xc0, 16, 0, 0, 1, 'a', 0}, 19, 12, DNS_EPTR_FORWARD},
		{"loop through its own label", {[12] = 1, 'a', 0xc0, 12}, 16, 12, DNS_EPTR_LOOP},
		{"two-pointer loop", {[12] = 1, 'a', 0, 0xc0, 17, 0xc0, 15}, 19, 15, DNS_EPTR_FORWARD},
		{"pointer into header", {[12] = 0xc0, 2}, 14, 12, DNS_EPTR_HEADER},
		{"truncated label", {[12] = 5, 'a', 'b'}, 15, 12, DNS_ETRUNC_NAME},
		{"no root label", {[12] = 1, 'a'}, 14, 12, DNS_ETRUNC_NAME},
		{"truncated pointer", {[12] = 1, 'a', 0xc0}, 15, 12, DNS_ETRUNC_NAME},
		{"label type 0x40", {[12] = 0x41, 'a', 0}, 15, 12, DNS_ELABEL_TYPE},
		{"label type 0x80", {[12] = 0x81, 'a', 0}, 15, 12, DNS_ELABEL_TYPE},
		{"empty buffer at start", {0}, 12, 12, DNS_ETRUNC_NAME},
	};
	return cr_make_param_array(struct bad_wire, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_wire *c, dns_name, unpack_rejects)
{
	size_t pos = c->start;
	uint8_t out[DNS_NAME_MAXLEN];
	int rc = dns_name_unpack(c->buf, c->len, 12, &pos, out);
	cr_assert_eq(rc, c->err, "%s: got %s", c->what, dns_strerror_sym(rc));
	cr_assert_eq(pos, c->start, "%s: position moved on error", c->what);
}

Test(dns_name, unpack_rejects_names_over_255_through_pointers)
{
	// 5 names of 63-octet labels chained by pointers: each adds 64 octets.
	uint8_t msg[12 + 5 * 66];
	memset(msg, 0, sizeof(msg));
	size_t o = 12;
	size_t prev = 0;
	for (int i = 0; i < 5; i++) {
		size_t here = o;
		msg[o++] = 63;
		memset(msg + o, 'a' + i, 63);
		o += 63;
		if (i == 0) {
			msg[o++] = 0;
			msg[o++] = 0; // pad to keep 66-byte stride
		} else {
			msg[o++] = (uint8_t)(0xc0 | (prev >> 8));
			msg[o++] = (uint8_t)prev;
		}
		prev = here;
	}
	size_t pos = prev;
	uint8_t out[DNS_NAME_MAXLEN];
	cr_assert_eq(dns_name_unpack(msg, o, 12, &pos, out), DNS_ENAME_LEN);
	// the chain of 3 (3*64 + 1 = 193) is fine
	pos = 12 + 2 * 66;
	cr_assert_eq(dns_name_unpack(msg, o, 12, &pos, out), 193);
}

Test(dns_name, unpack_flat_forbids_pointers)
{
	const uint8_t buf[] = {1, 'a', 0, 1, 'b', 0xc0, 0};
	size_t pos = 3;
	uint8_t out[DNS_NAME_MAXLEN];
	cr_assert_eq(dns_name_unpack_flat(buf, sizeof(buf), &pos, out), DNS_EPTR_FORBIDDEN);
	pos = 0;
	cr_assert_eq(dns_name_unpack_flat(buf, sizeof(buf), &pos, out), 3);
	cr_assert_eq(pos, 3);
}

Test(dns_name, unpack_validates_without_output)
{
	const uint8_t buf[] = {3, 'f', 'o', 'o', 0};
	size_t pos = 0;
	cr_assert_eq(dns_name_unpack(buf, sizeof(buf), 0, &pos, NULL), 5);
}

Test(dns_name, lower_hash_is_lower_copy_then_hash)
{
	static const char *const names[] = {"a.", "A.b.", "WWW.Example.COM.", "x.",
					    "exactly8.", "0123456.89abcdef.ghijklmnopqrstu.VW.", "."};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		uint8_t n[DNS_NAME_MAXLEN], a[DNS_NAME_MAXLEN], b[DNS_NAME_MAXLEN];
		int len = dns_name_from_text(names[i], strlen(names[i]), NULL, n);
		cr_assert_gt(len, 0);
		memset(a, 0xee, sizeof(a));
		memset(b, 0xee, sizeof(b));
		dns_name_lower_copy(a, n, (size_t)len);
		uint32_t h = dns_name_lower_hash(b, n, (size_t)len, 77);
		cr_assert_arr_eq(a, b, sizeof(a), "%s", names[i]);
		cr_assert_eq(h, dns_name_hash_len(a, (size_t)len, 77), "%s", names[i]);
		cr_assert_eq(h, dns_name_hash(n, 77), "%s", names[i]);
		// nothing written past the name
		cr_assert_eq(b[len], 0xee);
	}
}
