/* SPDX-License-Identifier: BSD-3-Clause */
// dns-parse: how fast proto parses what the DNS stage sees. Two figures on
// one core: questions per second (dns_msg_parse_question over a mix of
// queries, half with EDNS), and 3-answer responses per second
// (dns_msg_parse plus a walk over the answers). The messages are built by
// hand here so the benchmark does not depend on the builder it is not
// measuring. Run through perf/run.sh, which pins it to one core.
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include <linerate/dns_err.h>
#include <linerate/dns_msg.h>

#define NMSG 64             // distinct messages in each set, cycled
#define MSG_CAP 512
#define WARMUP_SECONDS 0.3
#define MAX_SECONDS 3.0     // each figure stops at this bound
#define QUESTION_ITERS 100000000ULL
#define RESPONSE_ITERS 20000000ULL

struct msg_set {
	uint8_t wire[NMSG][MSG_CAP];
	uint16_t len[NMSG];
};

static size_t put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	return 2 + put16(p + 2, (uint16_t)v);
}

// "host-<i>.<zone>." in wire form.
static size_t put_name(uint8_t *p, int i)
{
	static const char *const zones[] = {"\7example\3com", "\7example\3org", "\4test\7example\3net"};
	const char *zone = zones[i % 3];
	int n = sprintf((char *)p + 1, "host-%d", i);
	p[0] = (uint8_t)n;
	size_t zl = strlen(zone);
	memcpy(p + 1 + n, zone, zl + 1); // with the root label
	return 1 + (size_t)n + zl + 1;
}

static size_t put_header(uint8_t *p, uint16_t id, uint16_t flags, uint16_t qd, uint16_t an, uint16_t ar)
{
	put16(p, id);
	put16(p + 2, flags);
	put16(p + 4, qd);
	put16(p + 6, an);
	put16(p + 8, 0);
	put16(p + 10, ar);
	return DNS_HEADER_LEN;
}

// OPT with payload 1232, DO set, and a client COOKIE option (the usual
// shape of a resolver's query today).
static size_t put_opt(uint8_t *p)
{
	size_t o = 0;
	p[o++] = 0; // root owner
	o += put16(p + o, DNS_TYPE_OPT);
	o += put16(p + o, 1232);
	o += put32(p + o, DNS_EDNS_DO);
	o += put16(p + o, 12);
	o += put16(p + o, DNS_EDNS_COOKIE);
	o += put16(p + o, 8);
	for (int i = 0; i < 8; i++)
		p[o++] = (uint8_t)(0xa0 + i);
	return o;
}

static void make_queries(struct msg_set *s)
{
	static const uint16_t qtypes[] = {DNS_TYPE_A, DNS_TYPE_AAAA, DNS_TYPE_MX, DNS_TYPE_TXT};
	for (int i = 0; i < NMSG; i++) {
		uint8_t *p = s->wire[i];
		bool edns = i % 2;
		size_t o = put_header(p, (uint16_t)(0x1000 + i), DNS_FLAG_RD, 1, 0, edns);
		o += put_name(p + o, i);
		o += put16(p + o, qtypes[i % 4]);
		o += put16(p + o, DNS_CLASS_IN);
		if (edns)
			o += put_opt(p + o);
		s->len[i] = (uint16_t)o;
	}
}

static void make_responses(struct msg_set *s)
{
	for (int i = 0; i < NMSG; i++) {
		uint8_t *p = s->wire[i];
		bool edns = i % 2;
		size_t o = put_header(p, (uint16_t)(0x2000 + i), DNS_FLAG_QR | DNS_FLAG_AA | DNS_FLAG_RD, 1, 3,
				      edns);
		o += put_name(p + o, i);
		o += put16(p + o, DNS_TYPE_A);
		o += put16(p + o, DNS_CLASS_IN);
		for (int a = 0; a < 3; a++) {
			o += put16(p + o, 0xC000 | DNS_HEADER_LEN); // owner: the qname
			o += put16(p + o, DNS_TYPE_A);
			o += put16(p + o, DNS_CLASS_IN);
			o += put32(p + o, 300);
			o += put16(p + o, 4);
			p[o++] = 192;
			p[o++] = 0;
			p[o++] = 2;
			p[o++] = (uint8_t)(i * 3 + a);
		}
		if (edns)
			o += put_opt(p + o);
		s->len[i] = (uint16_t)o;
	}
}

// One pass over the set: returns a checksum so the work cannot be elided,
// or exits on a parse error (the benchmark must measure successes).
static uint64_t pass_questions(const struct msg_set *s)
{
	uint64_t sum = 0;
	struct dns_msg m;
	for (int i = 0; i < NMSG; i++) {
		int rc = dns_msg_parse_question(&m, s->wire[i], s->len[i]);
		if (rc != 0) {
			fprintf(stderr, "dns-parse: query %d: %s\n", i, dns_strerror(rc));
			exit(1);
		}
		sum += m.qtype + m.qname_len + m.edns.udp_size;
	}
	return sum;
}

static uint64_t pass_responses(const struct msg_set *s)
{
	uint64_t sum = 0;
	struct dns_msg m;
	struct dns_rr_iter it;
	struct dns_rr_view rr;
	for (int i = 0; i < NMSG; i++) {
		int rc = dns_msg_parse(&m, s->wire[i], s->len[i]);
		if (rc != 0) {
			fprintf(stderr, "dns-parse: response %d: %s\n", i, dns_strerror(rc));
			exit(1);
		}
		dns_rr_iter_init(&it, &m, DNS_SECTION_ANSWER);
		while ((rc = dns_rr_iter_next(&it, &rr)) == 1)
			sum += rr.ttl + rr.rdata_off;
		if (rc < 0) {
			fprintf(stderr, "dns-parse: response %d answers: %s\n", i, dns_strerror(rc));
			exit(1);
		}
	}
	return sum;
}

// Messages per second: warm up, then run up to iters messages, stopping
// early at MAX_SECONDS.
static double measure(uint64_t (*pass)(const struct msg_set *), const struct msg_set *s, uint64_t iters,
		      uint64_t *sink, uint64_t *done_out, double *secs_out)
{
	double t0 = now();
	while (now() - t0 < WARMUP_SECONDS)
		*sink += pass(s);
	uint64_t done = 0;
	double start = now(), el = 0;
	while (done < iters) {
		for (int k = 0; k < 256; k++)
			*sink += pass(s);
		done += 256 * NMSG;
		el = now() - start;
		if (el > MAX_SECONDS)
			break;
	}
	*done_out = done;
	*secs_out = el;
	return (double)done / el;
}

int main(void)
{
	static struct msg_set queries, responses;
	uint64_t sink = 0, nq, nr;
	double tq, tr;
	make_queries(&queries);
	make_responses(&responses);

	double q = measure(pass_questions, &queries, QUESTION_ITERS, &sink, &nq, &tq);
	double r = measure(pass_responses, &responses, RESPONSE_ITERS, &sink, &nr, &tr);
	printf("dns-parse: questions (dns_msg_parse_question, half with EDNS): %.2f M/s "
	       "(%" PRIu64 " in %.2f s)\n", q / 1e6, nq, tq);
	printf("dns-parse: 3-answer responses (dns_msg_parse + answer walk): %.2f M/s "
	       "(%" PRIu64 " in %.2f s)\n", r / 1e6, nr, tr);
	printf("dns-parse: checksum %" PRIu64 "\n", sink);
	printf("dns-parse: %.2f Mq/s\n", q / 1e6);
	return 0;
}
