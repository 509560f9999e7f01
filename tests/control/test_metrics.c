/* SPDX-License-Identifier: BSD-3-Clause */
// The Prometheus exposition writer (names, escaping, a golden exposition,
// sticky errors) and the metrics HTTP server through real sockets: good
// requests, 404, 405, malformed heads, an oversized head, a slow client
// that must not hold up the others, and more clients than slots.
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "metrics.h"
#include "sock_test_util.h"

// --- the writer ---

static const char GOLDEN[] =
	"# HELP demo_packets_total Packets received, by port.\n"
	"# TYPE demo_packets_total counter\n"
	"demo_packets_total{port=\"lr0\",queue=\"0\"} 12\n"
	"demo_packets_total{port=\"lr1\",queue=\"0\"} 18446744073709551615\n"
	"# HELP demo_up Whether the port's link is up.\n"
	"# TYPE demo_up gauge\n"
	"demo_up 1\n"
	"# HELP demo_odd_help A back\\\\slash, a \"quote\" and\\na new line.\n"
	"# TYPE demo_odd_help gauge\n"
	"demo_odd_help{v=\"a\\\\b\\\"c\\nd\",u=\"caf\xc3\xa9 \xe2\x82\xac\"} 0\n"
	"# HELP demo_seconds Floating-point values.\n"
	"# TYPE demo_seconds gauge\n"
	"demo_seconds{k=\"half\"} 0.5\n"
	"demo_seconds{k=\"start\"} 1700000000\n"
	"demo_seconds{k=\"nan\"} NaN\n"
	"demo_seconds{k=\"inf\"} +Inf\n"
	"demo_seconds{k=\"-inf\"} -Inf\n";

static void write_golden(struct ctl_metrics *m)
{
	ctl_metrics_family(m, "demo_packets_total", CTL_METRIC_COUNTER,
			   "Packets received, by port.");
	CTL_METRICS_SAMPLE(m, 12, {"port", "lr0"}, {"queue", "0"});
	CTL_METRICS_SAMPLE(m, UINT64_MAX, {"port", "lr1"}, {"queue", "0"});
	ctl_metrics_family(m, "demo_up", CTL_METRIC_GAUGE, "Whether the port's link is up.");
	ctl_metrics_sample(m, NULL, 0, 1);
	ctl_metrics_family(m, "demo_odd_help", CTL_METRIC_GAUGE,
			   "A back\\slash, a \"quote\" and\na new line.");
	CTL_METRICS_SAMPLE(m, 0, {"v", "a\\b\"c\nd"}, {"u", "caf\xc3\xa9 \xe2\x82\xac"});
	ctl_metrics_family(m, "demo_seconds", CTL_METRIC_GAUGE, "Floating-point values.");
	static const char *const keys[] = {"half", "start", "nan", "inf", "-inf"};
	const double values[] = {0.5, 1700000000.0, NAN, INFINITY, -INFINITY};
	for (int i = 0; i < 5; i++)
		ctl_metrics_sample_double(m, (const struct ctl_metric_label[]){{"k", keys[i]}}, 1,
					  values[i]);
}

Test(metrics_writer, writes_the_golden_exposition)
{
	struct ctl_metrics *m = ctl_metrics_new(0);
	size_t len;
	write_golden(m);
	cr_assert_eq(ctl_metrics_error(m), 0, "%s", strerror(-ctl_metrics_error(m)));
	const char *text = ctl_metrics_text(m, &len);
	cr_assert_eq(len, strlen(GOLDEN));
	cr_assert_str_eq(text, GOLDEN);
	// reset: the same again from empty, family names forgotten
	ctl_metrics_reset(m);
	write_golden(m);
	cr_assert_str_eq(ctl_metrics_text(m, &len), GOLDEN);
	ctl_metrics_free(m);
}

Test(metrics_writer, empty_exposition_is_empty_text)
{
	struct ctl_metrics *m = ctl_metrics_new(0);
	size_t len = 1;
	cr_assert_str_eq(ctl_metrics_text(m, &len), "");
	cr_assert_eq(len, 0);
	ctl_metrics_free(m);
	ctl_metrics_free(NULL);
}

struct bad_name {
	char name[160];
	bool metric_ok, label_ok;
};

ParameterizedTestParameters(metrics_writer, checks_names)
{
	static struct bad_name cases[] = {
		{"linerate_rx_total", true, true},
		{"_x", true, true},
		{"A9_b", true, true},
		{"", false, false},
		{"9lives", false, false},
		{"a-b", false, false},
		{"a.b", false, false},
		{"a b", false, false},
		{"a:b", false, false}, // recording rules only
		{"caf\xc3\xa9", false, false},
		{"__reserved", true, false},
		{"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		 true, true}, // 128
		{"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		 false, false}, // 129
	};
	return cr_make_param_array(struct bad_name, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_name *b, metrics_writer, checks_names)
{
	cr_assert_eq(ctl_metrics_name_ok(b->name), b->metric_ok, "metric name '%s'", b->name);
	cr_assert_eq(ctl_metrics_label_name_ok(b->name), b->label_ok, "label name '%s'", b->name);
	struct ctl_metrics *m = ctl_metrics_new(0);
	int rc = ctl_metrics_family(m, b->name, CTL_METRIC_GAUGE, "help");
	cr_assert_eq(rc, b->metric_ok ? 0 : -EINVAL, "family '%s': %d", b->name, rc);
	ctl_metrics_free(m);
}

// Each call that must fail, alone on a fresh writer after a good family.
struct bad_call {
	int i; // do_bad_call's case
	char what[48];
	int expect;
};

static int do_bad_call(struct ctl_metrics *m, int i)
{
	switch (i) {
	case 0:
		return ctl_metrics_family(m, "g_rx", CTL_METRIC_COUNTER, "no _total");
	case 1:
		return ctl_metrics_family(m, "_total", CTL_METRIC_COUNTER, "only the suffix");
	case 2:
		return ctl_metrics_family(m, "g", CTL_METRIC_GAUGE, "the same family again");
	case 3:
		return ctl_metrics_family(m, "h", CTL_METRIC_GAUGE, "");
	case 4:
		return ctl_metrics_family(m, "h", CTL_METRIC_TYPE_COUNT, "bad type");
	case 5:
		return ctl_metrics_family(m, "h", CTL_METRIC_GAUGE, "overlong \xc0\xaf");
	case 6:
		return CTL_METRICS_SAMPLE(m, 1, {"__name__", "x"});
	case 7:
		return CTL_METRICS_SAMPLE(m, 1, {"a", "1"}, {"a", "2"});
	case 8:
		return CTL_METRICS_SAMPLE(m, 1, {"a-b", "1"});
	case 9:
		return CTL_METRICS_SAMPLE(m, 1, {"a", "surrogate \xed\xa0\x80"});
	case 10:
		return CTL_METRICS_SAMPLE(m, 1, {"a", "cut \xe2\x82"});
	case 11:
		return CTL_METRICS_SAMPLE(m, 1, {"a", "past U+10FFFF \xf4\x90\x80\x80"});
	case 12:
		return CTL_METRICS_SAMPLE(m, 1, {"a", NULL});
	case 13:
		return CTL_METRICS_SAMPLE(m, 1, {"a", "1"}, {"b", "1"}, {"c", "1"}, {"d", "1"},
					  {"e", "1"}, {"f", "1"}, {"g", "1"}, {"h", "1"},
					  {"i", "1"});
	default:
		return ctl_metrics_sample(m, NULL, 1, 0); // one label, no array
	}
}

ParameterizedTestParameters(metrics_writer, refuses_and_sticks)
{
	static struct bad_call cases[] = {
		{0, "counter without _total", -EINVAL},
		{1, "counter named _total only", -EINVAL},
		{2, "family twice", -EEXIST},
		{3, "empty help", -EINVAL},
		{4, "unknown type", -EINVAL},
		{5, "help not UTF-8", -EINVAL},
		{6, "reserved label name", -EINVAL},
		{7, "label name twice", -EINVAL},
		{8, "bad label name", -EINVAL},
		{9, "label value with a surrogate", -EINVAL},
		{10, "label value cut mid-character", -EINVAL},
		{11, "label value past U+10FFFF", -EINVAL},
		{12, "label value NULL", -EINVAL},
		{13, "nine labels", -EINVAL},
		{14, "labels NULL", -EINVAL},
	};
	return cr_make_param_array(struct bad_call, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_call *b, metrics_writer, refuses_and_sticks)
{
	struct ctl_metrics *m = ctl_metrics_new(0);
	size_t len;
	cr_assert_eq(ctl_metrics_family(m, "g", CTL_METRIC_GAUGE, "good"), 0);
	cr_assert_eq(do_bad_call(m, b->i), b->expect, "%s", b->what);
	cr_assert_eq(ctl_metrics_error(m), b->expect);
	cr_assert_null(ctl_metrics_text(m, &len), "%s: no text after an error", b->what);
	// sticky: a good call now does nothing and returns the first error
	cr_assert_eq(ctl_metrics_family(m, "later", CTL_METRIC_GAUGE, "x"), b->expect);
	cr_assert_eq(ctl_metrics_sample(m, NULL, 0, 1), b->expect);
	ctl_metrics_free(m);
}

Test(metrics_writer, sample_needs_a_family)
{
	struct ctl_metrics *m = ctl_metrics_new(0);
	cr_assert_eq(ctl_metrics_sample(m, NULL, 0, 1), -EINVAL);
	ctl_metrics_free(m);
	// a family that failed leaves none open either
	m = ctl_metrics_new(0);
	ctl_metrics_family(m, "bad name", CTL_METRIC_GAUGE, "x");
	ctl_metrics_reset(m);
	cr_assert_eq(ctl_metrics_sample(m, NULL, 0, 1), -EINVAL);
	ctl_metrics_free(m);
}

Test(metrics_writer, stops_at_its_size_limit)
{
	struct ctl_metrics *m = ctl_metrics_new(100);
	size_t len;
	ctl_metrics_family(m, "a_total", CTL_METRIC_COUNTER, "a");
	int rc = 0;
	for (int i = 0; i < 10 && !rc; i++)
		rc = CTL_METRICS_SAMPLE(m, (uint64_t)i, {"n", "xxxxxxxx"});
	cr_assert_eq(rc, -ENOBUFS);
	cr_assert_null(ctl_metrics_text(m, &len));
	ctl_metrics_reset(m);
	cr_assert_eq(ctl_metrics_family(m, "a_total", CTL_METRIC_COUNTER, "a"), 0);
	ctl_metrics_free(m);
}

// --- listen addresses and paths ---

Test(metrics_config, parses_listen_addresses)
{
	struct sockaddr_storage ss;
	socklen_t len;
	cr_assert_eq(ctl_metrics_parse_listen("127.0.0.1:9253", &ss, &len), 0);
	cr_assert_eq(ss.ss_family, AF_INET);
	cr_assert_eq(ntohs(((struct sockaddr_in *)&ss)->sin_port), 9253);
	cr_assert_eq(ntohl(((struct sockaddr_in *)&ss)->sin_addr.s_addr), 0x7f000001);
	cr_assert_eq(ctl_metrics_parse_listen("*:1", &ss, &len), 0);
	cr_assert_eq(((struct sockaddr_in *)&ss)->sin_addr.s_addr, htonl(INADDR_ANY));
	cr_assert_eq(ctl_metrics_parse_listen("[::1]:65535", &ss, &len), 0);
	cr_assert_eq(ss.ss_family, AF_INET6);
	cr_assert_eq(len, sizeof(struct sockaddr_in6));
	cr_assert_eq(ntohs(((struct sockaddr_in6 *)&ss)->sin6_port), 65535);
	cr_assert_eq(ctl_metrics_parse_listen("[2001:db8::53]:0", &ss, &len), 0);
	static const char *const bad[] = {
		"",	     ":9253",	   "127.0.0.1",	   "127.0.0.1:",   "127.0.0.1:65536",
		"1.2.3:80",  "::1:9253",   "[::1]9253",	   "[::1]:",	   "[::1:80",
		"[x]:80",    "host:80",	   "127.0.0.1:-1", "127.0.0.1:8a", "127.0.0.1:123456",
		"[::1]:+80", "[::]:80:80", "[]:80",	   "*:",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(ctl_metrics_parse_listen(bad[i], &ss, &len), -EINVAL, "'%s'", bad[i]);
	cr_assert_eq(ctl_metrics_parse_listen(NULL, &ss, &len), -EINVAL);
}

Test(metrics_config, checks_paths)
{
	cr_assert(ctl_metrics_path_ok("/metrics"));
	cr_assert(ctl_metrics_path_ok("/"));
	cr_assert(ctl_metrics_path_ok("/a/b-c_d.e~f"));
	static const char *const bad[] = {"",	  "metrics", "/a b",	    "/a?b",
					  "/a#b", "/a\tb",   "/caf\xc3\xa9"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_not(ctl_metrics_path_ok(bad[i]), "'%s'", bad[i]);
	char longp[300];
	memset(longp, 'a', sizeof(longp));
	longp[0] = '/';
	longp[256] = '\0';
	cr_assert_not(ctl_metrics_path_ok(longp), "256 octets");
	longp[255] = '\0';
	cr_assert(ctl_metrics_path_ok(longp), "255 octets");
	cr_assert_not(ctl_metrics_path_ok(NULL));
}

// --- the server ---

struct test_http {
	struct ctl_metrics_server *srv;
	pthread_t thread;
	atomic_bool stop;
	atomic_uint scrapes; // collect calls
	bool fail;	     // collect returns an error
	struct ctl_metrics_server_stats stats;
};

static struct test_http th;

static int collect(void *ctx, struct ctl_metrics *m)
{
	struct test_http *t = ctx;
	unsigned n = atomic_fetch_add(&t->scrapes, 1) + 1;
	if (t->fail)
		return -EIO;
	ctl_metrics_family(m, "test_scrapes_total", CTL_METRIC_COUNTER, "Scrapes so far.");
	ctl_metrics_sample(m, NULL, 0, n);
	ctl_metrics_family(m, "test_info", CTL_METRIC_GAUGE, "Labels \"escaped\".");
	CTL_METRICS_SAMPLE(m, 1, {"v", "a\"b"});
	return 0;
}

static void *serve(void *arg)
{
	struct test_http *t = arg;
	while (!atomic_load(&t->stop))
		ctl_metrics_server_poll(t->srv, 20);
	return NULL;
}

static void start_with(const char *listen, unsigned max_clients, int timeout_ms)
{
	struct ctl_metrics_server_cfg cfg = {.listen = listen,
					     .max_clients = max_clients,
					     .timeout_ms = timeout_ms,
					     .collect = collect,
					     .ctx = &th};
	char err[256];
	th.srv = ctl_metrics_server_new(&cfg, err, sizeof(err));
	cr_assert_not_null(th.srv, "%s", err);
	cr_assert_neq(ctl_metrics_server_port(th.srv), 0);
	cr_assert_eq(pthread_create(&th.thread, NULL, serve, &th), 0);
}

static void start(void)
{
	start_with("127.0.0.1:0", 0, 0);
}

static void stop(void)
{
	atomic_store(&th.stop, true);
	pthread_join(th.thread, NULL);
	ctl_metrics_server_get_stats(th.srv, &th.stats);
	ctl_metrics_server_free(th.srv);
}

static int64_t ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int dial(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_port = htons(ctl_metrics_server_port(th.srv)),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct timeval tv = {.tv_sec = 10};
	cr_assert_geq(fd, 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	cr_assert_eq(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0, "connect: %s",
		     strerror(errno));
	return fd;
}

// Everything until the server closes (the receive timeout fails the test).
static char *read_all(int fd)
{
	size_t len = 0, cap = 1024;
	char *buf = malloc(cap);
	for (;;) {
		if (len + 1 == cap)
			buf = realloc(buf, cap *= 2);
		ssize_t n = recv(fd, buf + len, cap - len - 1, 0);
		cr_assert_geq(n, 0, "recv: %s (the server never closed)", strerror(errno));
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	return buf;
}

struct reply {
	int status;
	char *head; // status line and headers, NUL-terminated
	char *body;
	size_t body_len;
	char *raw;
};

static struct reply parse_reply(char *raw)
{
	struct reply r = {.raw = raw};
	char *end = strstr(raw, "\r\n\r\n");
	cr_assert_not_null(end, "no end of head in:\n%s", raw);
	*end = '\0';
	r.head = raw;
	r.body = end + 4;
	r.body_len = strlen(r.body);
	cr_assert_eq(sscanf(raw, "HTTP/1.1 %d ", &r.status), 1, "status line: %s", raw);
	return r;
}

static struct reply exchange(const char *request)
{
	int fd = dial();
	send_all(fd, request, strlen(request));
	char *raw = read_all(fd);
	close(fd);
	return parse_reply(raw);
}

// A header's value (case-insensitive name), or NULL.
static const char *header(const struct reply *r, const char *name, char *buf, size_t len)
{
	size_t n = strlen(name);
	for (const char *p = strstr(r->head, "\r\n"); p; p = strstr(p + 2, "\r\n")) {
		if (strncasecmp(p + 2, name, n) == 0 && p[2 + n] == ':') {
			const char *v = p + 3 + n, *e = strstr(v, "\r\n");
			while (*v == ' ')
				v++;
			snprintf(buf, len, "%.*s", (int)(e ? e - v : (long)strlen(v)), v);
			return buf;
		}
	}
	return NULL;
}

#define GET(path) "GET " path " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: test\r\n\r\n"

Test(metrics_http, answers_get_with_the_exposition, .init = start, .fini = stop)
{
	char buf[128];
	struct reply r = exchange(GET("/metrics"));
	cr_assert_eq(r.status, 200, "%s", r.head);
	cr_assert_str_eq(header(&r, "Content-Type", buf, sizeof(buf)),
			 "text/plain; version=0.0.4; charset=utf-8");
	cr_assert_eq(strtoul(header(&r, "Content-Length", buf, sizeof(buf)), NULL, 10), r.body_len);
	cr_assert_str_eq(header(&r, "Connection", buf, sizeof(buf)), "close");
	cr_assert_not_null(header(&r, "Date", buf, sizeof(buf)));
	cr_assert_str_eq(r.body, "# HELP test_scrapes_total Scrapes so far.\n"
				 "# TYPE test_scrapes_total counter\n"
				 "test_scrapes_total 1\n"
				 "# HELP test_info Labels \"escaped\".\n"
				 "# TYPE test_info gauge\n"
				 "test_info{v=\"a\\\"b\"} 1\n");
	free(r.raw);
	// each GET collects anew
	r = exchange(GET("/metrics"));
	cr_assert_not_null(strstr(r.body, "test_scrapes_total 2\n"), "%s", r.body);
	free(r.raw);
}

Test(metrics_http, serves_query_absolute_form_http10_and_head, .init = start, .fini = stop)
{
	char buf[128];
	struct reply r = exchange(GET("/metrics?name[]=x"));
	cr_assert_eq(r.status, 200, "query string: %s", r.head);
	free(r.raw);
	r = exchange("GET http://127.0.0.1:9253/metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
	cr_assert_eq(r.status, 200, "absolute-form: %s", r.head);
	free(r.raw);
	r = exchange("\r\nGET /metrics HTTP/1.0\n\n"); // leading CRLF, bare LF, no Host
	cr_assert_eq(r.status, 200, "HTTP/1.0: %s", r.head);
	free(r.raw);
	r = exchange("HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
	cr_assert_eq(r.status, 200, "%s", r.head);
	cr_assert_eq(r.body_len, 0, "HEAD has no body");
	cr_assert_gt(strtoul(header(&r, "Content-Length", buf, sizeof(buf)), NULL, 10), 0,
		     "but says how long the GET's would be");
	free(r.raw);
}

Test(metrics_http, answers_404_elsewhere, .init = start, .fini = stop)
{
	static const char *const reqs[] = {GET("/"), GET("/metrics/"), GET("/Metrics"),
					   GET("/metricsx"), GET("/favicon.ico")};
	for (size_t i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		struct reply r = exchange(reqs[i]);
		cr_assert_eq(r.status, 404, "%s: %s", reqs[i], r.head);
		cr_assert_str_eq(r.body, "404 Not Found\n");
		free(r.raw);
	}
	cr_assert_eq(atomic_load(&th.scrapes), 0, "nothing collected for a 404");
}

Test(metrics_http, answers_405_to_other_methods, .init = start, .fini = stop)
{
	static const char *const methods[] = {"POST", "PUT", "DELETE", "OPTIONS", "get", "PATCH"};
	char req[128], buf[64];
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		snprintf(req, sizeof(req),
			 "%s /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc",
			 methods[i]);
		struct reply r = exchange(req);
		cr_assert_eq(r.status, 405, "%s: %s", methods[i], r.head);
		cr_assert_str_eq(header(&r, "Allow", buf, sizeof(buf)), "GET, HEAD");
		free(r.raw);
	}
	cr_assert_eq(atomic_load(&th.scrapes), 0);
}

struct bad_head {
	char what[40];
	char head[200];
	int status;
};

ParameterizedTestParameters(metrics_http, answers_400_to_malformed_heads)
{
	static struct bad_head cases[] = {
		{"no version", "GET /metrics\r\n\r\n", 400},
		{"two spaces", "GET  /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 400},
		{"trailing space", "GET /metrics HTTP/1.1 \r\nHost: x\r\n\r\n", 400},
		{"lower-case version", "GET /metrics http/1.1\r\nHost: x\r\n\r\n", 400},
		{"long version", "GET /metrics HTTP/1.10\r\nHost: x\r\n\r\n", 400},
		{"HTTP/2", "GET /metrics HTTP/2.0\r\nHost: x\r\n\r\n", 505},
		{"no Host in 1.1", "GET /metrics HTTP/1.1\r\nAccept: */*\r\n\r\n", 400},
		{"two Hosts", "GET /metrics HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
		{"space before colon", "GET /metrics HTTP/1.1\r\nHost : x\r\n\r\n", 400},
		{"no colon", "GET /metrics HTTP/1.1\r\nHost: x\r\nbroken\r\n\r\n", 400},
		{"folded line", "GET /metrics HTTP/1.1\r\nHost: x\r\nA: b\r\n c\r\n\r\n", 400},
		{"bare CR", "GET /metrics HTTP/1.1\rHost: x\r\n\r\n", 400},
		{"control in value", "GET /metrics HTTP/1.1\r\nHost: x\x01y\r\n\r\n", 400},
		{"method not a token", "G(T /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 400},
		{"relative target", "GET metrics HTTP/1.1\r\nHost: x\r\n\r\n", 400},
		{"asterisk target", "GET * HTTP/1.1\r\nHost: x\r\n\r\n", 400},
		{"absolute without path", "GET http://x HTTP/1.1\r\nHost: x\r\n\r\n", 400},
		{"8-bit in target", "GET /m\xc3\xa9trics HTTP/1.1\r\nHost: x\r\n\r\n", 400},
		{"binary", "\x16\x03\x01\x02\x01\xfc\x03\x03\n\n", 400},
	};
	return cr_make_param_array(struct bad_head, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_head *b, metrics_http, answers_400_to_malformed_heads, .init = start,
		  .fini = stop)
{
	struct reply r = exchange(b->head);
	cr_assert_eq(r.status, b->status, "%s: %s", b->what, r.head);
	free(r.raw);
	cr_assert_eq(atomic_load(&th.scrapes), 0, "%s", b->what);
}

Test(metrics_http, answers_400_to_a_nul_in_the_head, .init = start, .fini = stop)
{
	static const char head[] = "GET /metrics HTTP/1.1\r\nHost: x\0y\r\n\r\n";
	int fd = dial();
	send_all(fd, head, sizeof(head) - 1);
	struct reply r = parse_reply(read_all(fd));
	close(fd);
	cr_assert_eq(r.status, 400, "%s", r.head);
	free(r.raw);
}

Test(metrics_http, answers_500_when_collect_fails, .init = start, .fini = stop)
{
	th.fail = true;
	struct reply r = exchange(GET("/metrics"));
	cr_assert_eq(r.status, 500, "%s", r.head);
	free(r.raw);
}

Test(metrics_http, refuses_an_oversized_head_with_431)
{
	// the head never ends: 8 KiB and more of one header
	start();
	int fd = dial();
	char line[1024];
	memset(line, 'a', sizeof(line));
	send_all(fd, "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: ", 39);
	for (int i = 0; i < 9; i++)
		send_all(fd, line, sizeof(line));
	char *raw = read_all(fd);
	close(fd);
	struct reply r = parse_reply(raw);
	cr_assert_eq(r.status, 431, "%s", r.head);
	free(raw);
	stop();
	cr_assert_eq(th.stats.too_large, 1);
	cr_assert_eq(th.scrapes, 0);
}

Test(metrics_http, answers_a_client_that_shut_its_side, .init = start, .fini = stop)
{
	int fd = dial();
	send_all(fd, GET("/metrics"), strlen(GET("/metrics")));
	shutdown(fd, SHUT_WR);
	struct reply r = parse_reply(read_all(fd));
	close(fd);
	cr_assert_eq(r.status, 200, "%s", r.head);
	free(r.raw);
}

Test(metrics_http, slow_client_is_closed_without_holding_up_others)
{
	enum { TIMEOUT_MS = 2000 };
	start_with("127.0.0.1:0", 0, TIMEOUT_MS);
	// slowloris: half a request line, then nothing
	int64_t t0 = ms_now();
	int slow = dial();
	send_all(slow, "GET /met", 8);
	for (int i = 0; i < 5; i++) {
		struct reply r = exchange(GET("/metrics"));
		cr_assert_eq(r.status, 200);
		free(r.raw);
	}
	// the others were served while the slow one still held its slot
	struct pollfd p = {.fd = slow, .events = POLLIN};
	cr_assert_eq(poll(&p, 1, 0), 0, "the slow client is still open, unanswered");
	// then it is closed at its deadline, with no response
	char c;
	ssize_t n = recv(slow, &c, 1, 0);
	int64_t waited = ms_now() - t0;
	cr_assert_eq(n, 0, "closed without a response (recv %zd: %s)", n, strerror(errno));
	cr_assert_geq(waited, TIMEOUT_MS, "not before its deadline (%lld ms)", (long long)waited);
	close(slow);
	stop();
	cr_assert_eq(th.stats.timeouts, 1);
	cr_assert_eq(th.stats.ok, 5);
}

Test(metrics_http, refuses_clients_over_the_limit_with_503)
{
	start_with("127.0.0.1:0", 4, 3000);
	int idle[4];
	for (int i = 0; i < 4; i++) {
		idle[i] = dial();
		send_all(idle[i], "GET", 3);
	}
	// the listen queue is first come, first served: the four are taken
	// before the fifth, which finds no slot
	struct reply r = exchange(GET("/metrics"));
	cr_assert_eq(r.status, 503, "%s", r.head);
	free(r.raw);
	// one slot freed: served again
	close(idle[0]);
	int status = 0;
	for (int tries = 0; tries < 100 && status != 200; tries++) {
		r = exchange(GET("/metrics"));
		status = r.status;
		free(r.raw);
		if (status != 200)
			usleep(10000);
	}
	cr_assert_eq(status, 200);
	for (int i = 1; i < 4; i++)
		close(idle[i]);
	stop();
	cr_assert_geq(th.stats.refused, 1);
	cr_assert_geq(th.stats.ok, 1);
}

#define CONCURRENT 12
#define ROUNDS	   20

static void *client_main(void *arg)
{
	int *ok = arg;
	for (int i = 0; i < ROUNDS; i++) {
		struct reply r = exchange(GET("/metrics"));
		*ok += r.status == 200 && strstr(r.body, "# TYPE test_scrapes_total counter\n");
		free(r.raw);
	}
	return NULL;
}

Test(metrics_http, serves_many_concurrent_clients, .init = start, .fini = stop)
{
	pthread_t t[CONCURRENT];
	int ok[CONCURRENT] = {0};
	for (int i = 0; i < CONCURRENT; i++)
		cr_assert_eq(pthread_create(&t[i], NULL, client_main, &ok[i]), 0);
	int total = 0;
	for (int i = 0; i < CONCURRENT; i++) {
		pthread_join(t[i], NULL);
		total += ok[i];
	}
	// 12 clients never exceed the 16 slots: every request answered
	cr_assert_eq(total, CONCURRENT * ROUNDS);
	cr_assert_eq(atomic_load(&th.scrapes), CONCURRENT * ROUNDS);
}

Test(metrics_http, listens_on_ipv6_loopback)
{
	int probe = socket(AF_INET6, SOCK_STREAM, 0);
	struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
	bool v6 = probe >= 0 && bind(probe, (struct sockaddr *)&a, sizeof(a)) == 0;
	if (probe >= 0)
		close(probe);
	if (!v6)
		cr_skip_test("no IPv6 loopback here");
	start_with("[::1]:0", 0, 0);
	int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	a.sin6_port = htons(ctl_metrics_server_port(th.srv));
	cr_assert_eq(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0, "%s", strerror(errno));
	send_all(fd, GET("/metrics"), strlen(GET("/metrics")));
	struct reply r = parse_reply(read_all(fd));
	close(fd);
	cr_assert_eq(r.status, 200, "%s", r.head);
	free(r.raw);
	stop();
}

Test(metrics_http, refuses_bad_set_up)
{
	char err[256];
	struct ctl_metrics_server_cfg cfg = {.listen = "127.0.0.1", .collect = collect};
	errno = 0;
	cr_assert_null(ctl_metrics_server_new(&cfg, err, sizeof(err)));
	cr_assert_eq(errno, EINVAL);
	cr_assert_not_null(strstr(err, "ADDRESS:PORT"), "%s", err);
	cfg.listen = "127.0.0.1:0";
	cfg.path = "metrics";
	cr_assert_null(ctl_metrics_server_new(&cfg, err, sizeof(err)));
	cr_assert_eq(errno, EINVAL);
	cfg.path = NULL;
	cfg.collect = NULL;
	cr_assert_null(ctl_metrics_server_new(&cfg, err, sizeof(err)));
	// the port taken already
	start();
	char taken[32];
	snprintf(taken, sizeof(taken), "127.0.0.1:%u", ctl_metrics_server_port(th.srv));
	cfg = (struct ctl_metrics_server_cfg){.listen = taken, .collect = collect};
	cr_assert_null(ctl_metrics_server_new(&cfg, err, sizeof(err)));
	cr_assert_eq(errno, EADDRINUSE);
	cr_assert_not_null(strstr(err, taken), "%s", err);
	stop();
	ctl_metrics_server_free(NULL);
}
