/* SPDX-License-Identifier: BSD-3-Clause */
// The fast lane: the common case of a DNS server's traffic in one pass per
// frame and no intermediate structures. A frame qualifies when it is the
// plain shape (to our MAC, untagged or our VLAN, a 20-octet IPv4 header or
// a bare IPv6 one, UDP to port 53 with a good checksum) and the query is
// one the answer engine's template paths take; then the burst's names are
// looked up together and each response is written over its query with the
// headers turned around, the UDP checksum of an exact RRset's answer made
// from the parts already known (the template's sum is compiled into the
// image, the question's kept from the query's check) instead of summing
// the octets again. Whatever the lane declines it leaves untouched for
// dp_pkt_classify() and the DNS stage, which answer it byte for byte as
// the lane would have (tests/dataplane and fuzz_pkt hold both to that).
#include <string.h>

#include <linerate/dns_image.h>

#include "pkt_internal.h"

static inline uint16_t load16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return v;
}

// A 16-bit value in network order, as a native load gives it.
static inline uint16_t net16(uint16_t v)
{
	return (uint16_t)csum_word(v);
}

// The UDP header of a query to us: ports, length, and a checksum unless
// it may be absent (over IPv4 only, RFC 8200 §8.1). The DNS message is
// what follows.
static inline __attribute__((always_inline)) bool udp_ok(const struct dp_pkt_addrs *a,
							 const uint8_t *u, uint16_t l4_len, bool v6)
{
	return load16(u + 4) == net16(l4_len) && load16(u + 2) == net16(a->dns_port) &&
	       !(a->snmp_port && a->snmp_port == a->dns_port) && load16(u) != 0 &&
	       (!v6 || load16(u + 6) != 0);
}

// The UDP checksum of a parsed query checked (sum: the pseudo-header's), in
// three parts: the UDP and DNS headers, the question, the rest (OPT). The
// question's sum is kept: its octets stay in the reply, which adds it
// instead of summing them again.
static inline __attribute__((always_inline)) bool udp_sum_ok(const uint8_t *u, size_t dlen,
							     uint64_t sum, struct dp_pkt_fast *f)
{
	const uint8_t *dns = u + UDP_HLEN;
	size_t qend = f->q.qend;
	uint64_t q = csum_run(dns + DNS_HLEN, qend - DNS_HLEN), r = 0;
	uint32_t w;
	memcpy(&w, dns + 8, 4);
	sum = csum_acc(csum_acc(sum, csum_load64(u)), csum_load64(dns));
	sum = csum_acc(csum_acc(sum, w), q);
	if (qend < dlen) {
		r = dlen - qend == 11 ? csum_run11(dns + qend) : csum_run(dns + qend, dlen - qend);
		sum = csum_acc(sum, (qend & 1) ? csum_odd(r) : r);
	}
	f->qsum = q;
	f->qsum_ok = true;
	return csum_fold64(sum) == 0xffff;
}

bool dp_pkt_fast_take(const struct dp_pkt_addrs *a, const void *img,
		      const struct dns_answer_cfg *cfg, uint8_t *buf, size_t len, size_t cap,
		      unsigned rx_flags, struct dp_pkt_fast *f)
{
	size_t l2 = ETH_HLEN;
	if (!img || cap > UINT16_MAX || len > cap ||
	    len < ETH_HLEN + IPV4_HLEN + UDP_HLEN + DNS_HLEN)
		return false;
	// to our own MAC (no group address to sort out), from a unicast one
	uint32_t d4, m4;
	uint16_t d2, m2;
	memcpy(&d4, buf, 4);
	memcpy(&m4, a->mac, 4);
	memcpy(&d2, buf + 4, 2);
	memcpy(&m2, a->mac + 4, 2);
	if (((d4 ^ m4) | (uint32_t)(d2 ^ m2)) != 0 || dp_pkt_mac_group(buf + 6))
		return false;
	uint16_t type = load16(buf + 12);
	if (a->vlan != DP_PKT_VLAN_NONE) {
		if (type != net16(ETHERTYPE_VLAN) || (wire_get_u16(buf + 14) & 0xfff) != a->vlan)
			return false;
		type = load16(buf + 16);
		l2 += ETH_VLAN_HLEN;
	}
	uint8_t *ip = buf + l2, *u;
	size_t avail = len - l2;
	uint16_t l4_len;
	if (type == net16(ETHERTYPE_IPV4)) {
		// 20 octets, not a fragment, UDP, to us, from a host that can be
		// answered, the total length within the frame (padding cut)
		uint16_t tot = wire_get_u16(ip + 2);
		if (ip[0] != 0x45 || ip[9] != PROTO_UDP || (wire_get_u16(ip + 6) & 0x3fff) ||
		    tot < IPV4_HLEN + UDP_HLEN + DNS_HLEN || tot > avail ||
		    dp_pkt_find4(a, ip + 16) < 0 || ip[12] == 0 || ip[12] == 127 || ip[12] >= 224)
			return false;
		if (!(rx_flags & DP_PKT_RX_IP_CSUM_GOOD) && csum_fold64(csum_ip20(ip)) != 0xffff)
			return false;
		u = ip + IPV4_HLEN;
		l4_len = (uint16_t)(tot - IPV4_HLEN);
		if (!udp_ok(a, u, l4_len, false))
			return false;
		f->family = 4;
	} else if (type == net16(ETHERTYPE_IPV6)) {
		if (avail < IPV6_HLEN + UDP_HLEN + DNS_HLEN)
			return false;
		l4_len = wire_get_u16(ip + 4);
		if (ip[0] >> 4 != 6 || ip[6] != PROTO_UDP || l4_len < UDP_HLEN + DNS_HLEN ||
		    l4_len > avail - IPV6_HLEN || ip[8] == 0xff || dp_pkt_find6(a, ip + 24) < 0 ||
		    (csum_load64(ip + 8) | csum_load64(ip + 16)) == 0) // unspecified source
			return false;
		u = ip + IPV6_HLEN;
		if (!udp_ok(a, u, l4_len, true))
			return false;
		f->family = 6;
	} else {
		return false;
	}
	f->buf = buf;
	f->cap = (uint16_t)cap;
	f->l2_len = (uint16_t)l2;
	const uint8_t *dns = u + UDP_HLEN;
	size_t dlen = l4_len - UDP_HLEN;
	if ((dns[2] & 0x80) || !dns_fast_parse(img, cfg, dns, dlen, &f->q))
		return false;
	// the checksum after the parse, which reads the query only: it needs
	// the question's end. One the port verified, or none, is not summed.
	f->qsum_ok = false;
	if ((rx_flags & DP_PKT_RX_L4_CSUM_GOOD) || load16(u + 6) == 0)
		return true;
	return udp_sum_ok(u, dlen,
			  f->family == 4 ? dp_pkt_phdr4(ip, PROTO_UDP, l4_len)
					 : dp_pkt_phdr6(ip, PROTO_UDP, l4_len),
			  f);
}

// The sum of our OPT record without a COOKIE (11 octets from an even
// offset), for DO clear and set: it depends on nothing else of a query,
// so it is made once a burst, by the writer itself on a scratch message.
static void opt_sums(const struct dns_answer_cfg *cfg, uint64_t sum[2])
{
	uint8_t m[DNS_HLEN + DNS_FAST_OPT_FIXED + 8] = {0};
	struct dns_fast_query q = {.qend = DNS_HLEN, .edns = true};
	struct dns_answer_client cl = {.transport = DNS_TRANSPORT_UDP};
	for (unsigned d = 0; d < 2; d++) {
		q.eflags = d ? DNS_EDNS_DO : 0;
		dns_fast_finish(cfg, &cl, m, &q, 0, DNS_FAST_OPT_FIXED, 0, 0, 0, 0);
		sum[d] = csum_run11(m + DNS_HLEN);
	}
}

// The UDP checksum sum of the DNS response, from its parts: the header,
// the question's (kept from the query's check, or summed now), the records
// before the template (a pointer-shifting one's), the template's compiled
// sum, and our OPT. opt (opt_sums'), for a template's answer with our plain
// OPT or none: the header's words and the OPT's from what their writer
// reported rather than read back just after it stored them in narrower
// pieces, a load that waits for the stores to reach the cache. NULL: the
// octets are summed.
static inline __attribute__((always_inline)) uint64_t reply_sum(const uint8_t *dns,
								const struct dp_pkt_fast *f,
								const struct dns_fast_reply *r,
								const uint64_t *opt)
{
	size_t qend = f->q.qend;
	uint64_t s;
	if (opt) { // ID and QDCOUNT are the query's, the rest dns_fast_finish's
		uint16_t id, qd;
		memcpy(&id, dns, 2);
		memcpy(&qd, dns + 4, 2);
		s = csum_acc(csum_acc(id, qd), csum_word(csum_fold64(r->hdr_sum)));
	} else {
		uint32_t w;
		memcpy(&w, dns + 8, 4);
		s = csum_acc(csum_load64(dns), w);
	}
	s = csum_acc(s, f->qsum_ok ? f->qsum : csum_run(dns + DNS_HLEN, qend - DNS_HLEN));
	// a run of octets starting at an odd offset adds its even-offset sum
	// byte-swapped (RFC 1071 §2(B)); the template's is in network order
	if (r->tmpl_at > qend) {
		uint64_t o = csum_run(dns + qend, r->tmpl_at - qend);
		s = csum_acc(s, (qend & 1) ? csum_odd(o) : o);
	}
	uint16_t t = r->tmpl_sum;
	s = csum_acc(s, (r->tmpl_at & 1) ? t : net16(t));
	size_t at = (size_t)r->tmpl_at + r->tmpl_len;
	if (at < r->len) { // our OPT
		uint64_t o;
		if (opt)
			o = opt[f->q.eflags != 0];
		else if (r->len - at == DNS_FAST_OPT_FIXED)
			o = csum_run11(dns + at);
		else
			o = csum_run(dns + at, r->len - at);
		s = csum_acc(s, (at & 1) ? csum_odd(o) : o);
	}
	return s;
}

// The frame around a written response turned into its reply; the length.
// The IP and UDP headers' sums are read before the first store here
// (dp_pkt_turned_sums), for the reason reply_sum gives.
static inline __attribute__((always_inline)) uint16_t finish(const struct dp_pkt_addrs *a,
							     struct dp_pkt_fast *f,
							     const struct dns_fast_reply *r,
							     bool offload, const uint64_t opt[2])
{
	uint8_t *buf = f->buf, *ip = buf + f->l2_len;
	uint8_t *u = ip + (f->family == 4 ? IPV4_HLEN : IPV6_HLEN), tmp[2];
	uint16_t l4_len = (uint16_t)(UDP_HLEN + r->len);
	struct dp_pkt_turned t;
	uint32_t ports; // swapped, the same sum
	dp_pkt_turned_sums(ip, f->family, &t);
	memcpy(&ports, u, 4);
	dp_pkt_turn_fixed(a, buf, ip, f->family, PROTO_UDP);
	uint64_t sum = dp_pkt_ip_lengths(ip, f->family, PROTO_UDP, l4_len, offload, &t);
	memcpy(tmp, u, 2);
	memcpy(u, u + 2, 2);
	memcpy(u + 2, tmp, 2);
	wire_put_u16(u + 4, l4_len);
	wire_put_u16(u + 6, 0);
	if (offload) {
		csum_store(u + 6, csum_fold64(sum)); // the pseudo-header's, for the NIC
	} else {
		// a template's answer with our plain OPT or none: its sums known
		size_t rest = (size_t)r->len - r->tmpl_at - r->tmpl_len;
		bool known = r->tmpl_len && (rest == 0 || rest == DNS_FAST_OPT_FIXED);
		sum = csum_acc(csum_acc(sum, ports), csum_word(l4_len)); // checksum 0
		sum = csum_acc(sum, reply_sum(u + UDP_HLEN, f, r, known ? opt : NULL));
		uint16_t c = (uint16_t)~csum_fold64(sum);
		csum_store(u + 6, c == 0 ? 0xffff : c); // RFC 768: 0 means none
	}
	return (uint16_t)(u - buf + l4_len);
}

void dp_pkt_fast_answer(const struct dp_pkt_addrs *a, const void *img,
			const struct dns_answer_cfg *cfg, uint32_t now, uint16_t mtu,
			unsigned tx_flags, struct dp_pkt_fast *f, unsigned n, uint16_t *out)
{
	struct dns_fast_query *q[DNS_ANSWER_BURST_MAX];
	if (n > DNS_ANSWER_BURST_MAX)
		n = DNS_ANSWER_BURST_MAX;
	if (n == 0)
		return;
	if (mtu < 576) // as the DNS stage: RFC 791's floor, or Ethernet's
		mtu = mtu ? 576 : 1500;
	bool offload = tx_flags & DP_PKT_TX_CSUM_OFFLOAD;
	uint64_t opt[2] = {0, 0};
	if (!offload)
		opt_sums(cfg, opt);
	for (unsigned i = 0; i < n; i++)
		q[i] = &f[i].q;
	dns_fast_find(img, q, n);
	for (unsigned i = 0; i < n; i++) {
		struct dp_pkt_fast *x = &f[i];
		struct dns_fast_reply r;
		bool v6 = x->family == 6;
		uint16_t hlen = v6 ? IPV6_HLEN : IPV4_HLEN;
		size_t dns_off = (size_t)x->l2_len + hlen + UDP_HLEN;
		uint8_t *ip = x->buf + x->l2_len;
		// the address counts for a cookie only (RFC 7873 §5.2): copied then
		struct dns_answer_client cl;
		cl.transport = DNS_TRANSPORT_UDP;
		cl.family = x->family;
		cl.now = now;
		cl.max_size = (uint16_t)(mtu - hlen - UDP_HLEN);
		if (x->q.cookie_len && v6)
			memcpy(cl.addr, ip + 8, 16);
		else if (x->q.cookie_len)
			memcpy(cl.addr, ip + 12, 4);
		out[i] = 0;
		uint8_t *dns = x->buf + dns_off;
		if (!dns_fast_emit(img, cfg, &cl, dns, x->cap - dns_off, &x->q, &r, &x->answer) &&
		    !dns_fast_suffix(img, cfg, &cl, dns, x->cap - dns_off, &x->q, &r, &x->answer))
			continue;
		out[i] = finish(a, x, &r, offload, opt);
	}
}
