/* SPDX-License-Identifier: BSD-3-Clause */
// The worker's packet core against any frame: classification never reads
// outside the frame, and whatever reply it builds (ARP, ND, echo, DNS) fits
// its buffer and is well formed: lengths agree with the frame and every
// checksum verifies by this harness's own sum (with TX offload, once the
// harness has done the NIC's part). The fast lane runs on every frame too:
// a frame it declines is left untouched, and a reply it makes is the very
// one the usual path makes. Input: one flags octet (bit 0: VLAN 100
// profile, bit 1: TX checksum offload, bit 2: trust RX checksums, so that
// mutated frames reach the upper layers), then the frame.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linerate/dns_answer.h>
#include <linerate/dns_image.h>
#include <linerate/dns_name.h>
#include <linerate/dns_types.h>
#include <linerate/dns_zone_set.h>
#include <linerate/pkt.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ROOM 2048

static const char zone[] = "$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n"
			   "ns1 A 192.0.2.1\nns1 AAAA 2001:db8::1\nwww A 192.0.2.10\n"
			   "*.wild TXT \"w\"\nchild NS ns.example.net.\nalias CNAME www\n";
static void *img;
static struct dns_answer_cfg cfg;
static struct dp_pkt_addrs addrs[2];

static void init(void)
{
	static const uint8_t mac[6] = {2, 0, 0, 0, 0, 1};
	static const uint8_t v4[4] = {192, 0, 2, 1}, v6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
	uint8_t apex[DNS_NAME_MAXLEN];
	struct dns_zone_diag d;
	size_t sz;
	dns_name_from_text("example.com.", 12, NULL, apex);
	struct dns_zone *z = dns_zone_new(apex, DNS_CLASS_IN);
	if (!z ||
	    dns_zone_load_text(z, "example.com.", zone, strlen(zone), 3600, NULL, NULL, &d) < 0)
		__builtin_trap();
	img = dns_image_compile(&z, 1, &sz);
	if (!img)
		__builtin_trap();
	dns_zone_free(z);
	dns_answer_cfg_default(&cfg);
	for (int i = 0; i < 2; i++) {
		dp_pkt_addrs_init(&addrs[i], mac);
		dp_pkt_addrs_add4(&addrs[i], v4);
		dp_pkt_addrs_add6(&addrs[i], v6);
		addrs[i].snmp_port = 162; // the trap stage's replies too
	}
	addrs[1].vlan = 100;
}

static uint32_t sum(uint32_t s, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		s += i % 2 ? p[i] : (uint32_t)p[i] << 8;
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s > 0xffff)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

static void expect(bool ok)
{
	if (!ok)
		__builtin_trap();
}

// A receiver's checks of a reply; with offload, first do the NIC's part.
// dns: the UDP payload must be a DNS response (the trap stage's replies
// carry whatever the caller gave).
static void check(uint8_t *f, size_t len, bool offload, bool dns)
{
	expect(len >= 14 && len <= ROOM && !(f[6] & 1));
	size_t l2 = 14;
	uint16_t type = (uint16_t)(f[12] << 8 | f[13]);
	if (type == 0x8100) {
		l2 = 18;
		type = (uint16_t)(f[16] << 8 | f[17]);
	}
	if (type == 0x0806) {
		expect(len == l2 + 28);
		return;
	}
	uint8_t *ip = f + l2, *l4, proto;
	size_t l4len;
	uint32_t ph;
	if (type == 0x0800) {
		expect(len >= l2 + 20 && ip[0] == 0x45 && l2 + (size_t)(ip[2] << 8 | ip[3]) == len);
		if (offload && ip[9] == 17) {
			expect(!ip[10] && !ip[11]);
			uint16_t c = (uint16_t)~fold(sum(0, ip, 20));
			ip[10] = (uint8_t)(c >> 8);
			ip[11] = (uint8_t)c;
		}
		expect(fold(sum(0, ip, 20)) == 0xffff);
		proto = ip[9];
		l4 = ip + 20;
		l4len = len - l2 - 20;
		ph = sum(0, ip + 12, 8) + proto + (uint32_t)l4len;
	} else {
		expect(type == 0x86dd && len >= l2 + 40 &&
		       l2 + 40 + (size_t)(ip[4] << 8 | ip[5]) == len);
		proto = ip[6];
		l4 = ip + 40;
		l4len = len - l2 - 40;
		ph = sum(0, ip + 8, 32) + proto + (uint32_t)l4len;
	}
	if (proto == 1) {
		expect(l4len >= 8 && fold(sum(0, l4, l4len)) == 0xffff);
		return;
	}
	if (proto == 17) {
		expect(l4len >= 8 + 12 && (size_t)(l4[4] << 8 | l4[5]) == l4len);
		if (offload) {
			expect((uint16_t)(l4[6] << 8 | l4[7]) == fold(ph));
			// as NICs do for UDP, a computed 0 goes out as all ones
			uint16_t c = (uint16_t)~fold(sum(0, l4, l4len));
			c = c ? c : 0xffff;
			l4[6] = (uint8_t)(c >> 8);
			l4[7] = (uint8_t)c;
		}
		expect((l4[6] || l4[7]) && fold(sum(ph, l4, l4len)) == 0xffff);
		expect(!dns || (l4[8 + 2] & 0x80)); // a response
		return;
	}
	expect(proto == 58 && l4len >= 8 && fold(sum(ph, l4, l4len)) == 0xffff);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!img)
		init();
	if (size < 1 || size - 1 > ROOM)
		return 0;
	uint8_t flags = data[0];
	size_t len = size - 1;
	const struct dp_pkt_addrs *a = &addrs[flags & 1];
	bool offload = flags & 2;
	unsigned rx = flags & 4 ? DP_PKT_RX_IP_CSUM_GOOD | DP_PKT_RX_L4_CSUM_GOOD : 0;
	// the frame alone in a buffer of its own size: any overread is seen
	uint8_t *frame = malloc(len ? len : 1);
	if (!frame)
		return 0;
	memcpy(frame, data + 1, len);
	struct dp_pkt_info info;
	enum dp_pkt_verdict v = dp_pkt_classify(a, frame, len, rx, &info);
	free(frame);
	// the fast lane, in a buffer of the usual room
	static uint8_t fast[ROOM];
	struct dp_pkt_fast f;
	uint16_t fast_out = 0;
	memcpy(fast, data + 1, len);
	if (dp_pkt_fast_take(a, img, &cfg, fast, len, ROOM, rx, &f)) {
		expect(v == DP_PKT_DNS);
		dp_pkt_fast_answer(a, img, &cfg, 1700000000u, 1500,
				   offload ? DP_PKT_TX_CSUM_OFFLOAD : 0, &f, 1, &fast_out);
	}
	if (!fast_out)
		expect(!memcmp(fast, data + 1, len));
	expect((unsigned)v < DP_PKT_VERDICT_COUNT);
	if (dp_pkt_is_drop(v) || v == DP_PKT_FRAGMENT || v == DP_PKT_OTHER)
		return 0;
	expect(info.l4_off + (size_t)info.l4_len <= len || v == DP_PKT_ARP);
	static uint8_t buf[ROOM];
	memcpy(buf, data + 1, len);
	size_t out;
	if (v == DP_PKT_SNMP) {
		// a Report-sized answer in place of whatever came
		static const uint8_t report[200];
		out = dp_pkt_udp_reply(a, &info, buf, len, ROOM, report, sizeof(report),
				       offload ? DP_PKT_TX_CSUM_OFFLOAD : 0);
		expect(out == 0 || out <= ROOM);
	} else if (v == DP_PKT_DNS) {
		struct dp_pkt_dns_job j = {.buf = buf, .len = len, .cap = ROOM, .info = info};
		dp_pkt_dns_burst(a, img, &cfg, 1700000000u, 1500,
				 offload ? DP_PKT_TX_CSUM_OFFLOAD : 0, &j, 1);
		out = j.out;
		if (out)
			expect(out - j.l2_len <= 1500);
		if (fast_out) // the lane's reply is the usual path's
			expect(fast_out == out && !memcmp(fast, buf, out) &&
			       f.answer.rcode == j.answer.rcode && f.answer.zone == j.answer.zone);
	} else {
		out = dp_pkt_reply(a, &info, buf, len, ROOM);
		expect(out > 0);
		offload = false;
	}
	if (out)
		check(buf, out, offload, v == DP_PKT_DNS);
	return 0;
}
