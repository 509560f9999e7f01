/* SPDX-License-Identifier: BSD-3-Clause */
// The answer engine against any query: over a fixed zone set with every
// kind of node (delegation, glue, wildcards, CNAME/DNAME chains and loops,
// an RRset too big for UDP), whatever arrives must get a response that
// parses, fits its buffer and limit, or a counted drop; the template paths
// must agree with the full path (byte for byte for exact templates, in
// header and record counts for pointer-shifting ones, whose compression
// can differ either way: the full path remembers 64 names, a template was
// compressed against its own short question); and a burst must
// answer as single calls do. Input: one flags octet (bit 0 TCP, bit 1 the
// configuration without cookies or NSID), then the
// query.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linerate/dns_answer.h>
#include <linerate/dns_image.h>
#include <linerate/dns_msg.h>
#include <linerate/dns_name.h>
#include <linerate/dns_types.h>
#include <linerate/dns_zone_set.h>

#include "../../proto/dns/answer_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char com[] =
	"$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n@ MX 10 mx1\n"
	"ns1 A 192.0.2.1\nns1 AAAA 2001:db8::1\nwww A 192.0.2.10\nwww A 192.0.2.11\n"
	"mx1 A 192.0.2.20\nalias CNAME www\nloop1 CNAME loop2\nloop2 CNAME loop1\n"
	"ext CNAME www.example.net.\n*.wild TXT \"w\"\n*.wild MX 10 mx1\n*.wc CNAME www\n"
	"*.wl CNAME a.wl\nhost.ent.deep A 192.0.2.30\nchild NS ns.child\nchild NS ns.example.net.\n"
	"ns.child A 192.0.2.40\nnog NS ns.example.net.\ndn DNAME example.net.\n"
	"dl DNAME dl.example.com.\n*.ns NS ns1\nmulti A 192.0.2.50\nmulti TXT \"t\"\n";
static const char net[] = "$TTL 600\n@ SOA ns hostmaster 7 7200 3600 1209600 60\n@ NS ns\n"
			  "ns A 198.51.100.1\nwww A 198.51.100.10\n*.w A 198.51.100.11\n";

static void *img;
static struct dns_answer_cfg cfgs[2]; // cookies and NSID on; both off

static struct dns_zone *load(const char *apex_text, const char *text, size_t extra)
{
	uint8_t apex[DNS_NAME_MAXLEN];
	struct dns_zone_diag d;
	static char buf[16384];
	size_t n = (size_t)snprintf(buf, sizeof(buf), "%s", text);
	for (size_t i = 0; i < extra; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "big TXT \"%03zu-%090d\"\n", i, 0);
	dns_name_from_text(apex_text, strlen(apex_text), NULL, apex);
	struct dns_zone *z = dns_zone_new(apex, DNS_CLASS_IN);
	if (!z || dns_zone_load_text(z, apex_text, buf, n, 3600, NULL, NULL, &d) < 0)
		__builtin_trap();
	return z;
}

static void init(void)
{
	struct dns_zone *z[2] = {load("example.com.", com, 40), load("example.net.", net, 0)};
	size_t size;
	img = dns_image_compile(z, 2, &size);
	if (!img || dns_image_check(img, size) != 0)
		__builtin_trap();
	dns_zone_free(z[0]);
	dns_zone_free(z[1]);
	dns_answer_cfg_default(&cfgs[0]);
	cfgs[0].cookies = true;
	cfgs[0].nsid_len = 3;
	memcpy(cfgs[0].nsid, "fz1", 3);
	strcpy(cfgs[0].chaos_id, "fuzz");
	dns_answer_cfg_default(&cfgs[1]); // no cookies, no NSID: options ignored
}

static uint16_t count(const uint8_t *p, int i)
{
	return (uint16_t)(p[4 + 2 * i] << 8 | p[5 + 2 * i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t a[DNS_MSG_MAXLEN], b[DNS_MSG_MAXLEN], c[DNS_MSG_MAXLEN];
	if (!img)
		init();
	if (size < 1 || size - 1 > 4096)
		return 0;
	bool tcp = data[0] & 1;
	const struct dns_answer_cfg *cfgp = &cfgs[(data[0] >> 1) & 1];
	size_t len = size - 1, cap = tcp ? DNS_MSG_MAXLEN : 4096;
	struct dns_answer_client cl = {.transport = tcp ? DNS_TRANSPORT_TCP : DNS_TRANSPORT_UDP,
				       .family = 4,
				       .addr = {192, 0, 2, 99},
				       .now = 1700000000};
	memcpy(a, data + 1, len);
	memcpy(b, data + 1, len);
	memcpy(c, data + 1, len);
	struct dns_answer_info ia, ib;
	size_t na = dns_answer(img, cfgp, &cl, a, len, cap, &ia);
	size_t nb = dns_answer_full(img, cfgp, &cl, b, len, cap, &ib);
	struct dns_answer_job job = {.pkt = c, .len = len, .cap = cap, .client = cl};
	dns_answer_burst(img, cfgp, &job, 1);
	if (job.out != na || memcmp(c, a, na))
		__builtin_trap(); // a burst of one answers as a single call
	if ((na == 0) != (nb == 0) || na > cap)
		__builtin_trap();
	if (na == 0)
		return 0;
	// never larger than the client may take over UDP
	if (!tcp && na > 512) {
		struct dns_msg q;
		if (dns_msg_parse(&q, data + 1, len) != 0 || !q.edns.present ||
		    na > (q.edns.udp_size > 512 ? q.edns.udp_size : 512))
			__builtin_trap();
	}
	struct dns_msg m;
	if (dns_msg_parse(&m, a, na) != 0)
		__builtin_trap(); // every response parses
	if (!ia.suffix_hit) {
		if (na != nb || memcmp(a, b, na))
			__builtin_trap();
	} else if (a[2] != b[2] || a[3] != b[3] || count(a, 0) != count(b, 0) ||
		   count(a, 1) != count(b, 1) || count(a, 2) != count(b, 2) ||
		   count(a, 3) != count(b, 3)) {
		__builtin_trap();
	}
	return 0;
}
