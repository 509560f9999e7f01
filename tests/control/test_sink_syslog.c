/* SPDX-License-Identifier: BSD-3-Clause */
// The syslog sink against listeners of our own on loopback and in a temp
// directory: UDP, TCP (a receiver that goes away mid-stream and comes
// back) and AF_UNIX datagrams. Every message is parsed strictly
// (syslog_test_util.h); every record must arrive once, in order.
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <linerate/trap_record.h>

#include "journal_test_util.h"
#include "sink.h"
#include "syslog_test_util.h"

static char dir[64], cursor[128], sock_path[96];

static void make_dir(void)
{
	scratch_dir(dir);
	snprintf(cursor, sizeof(cursor), "%s/syslog.cursor", dir);
	snprintf(sock_path, sizeof(sock_path), "%s/log", dir);
}

static void remove_dir(void)
{
	rm_tree(dir);
}

TestSuite(sink_syslog, .init = make_dir, .fini = remove_dir);

// --- records and formatting -----------------------------------------------------------

static const uint8_t link_down[] = {0x2b, 6, 1, 6, 3, 1, 1, 5, 3}; // 1.3.6.1.6.3.1.1.5.3

// A decoded v3 inform from user and context (in buf, which it points into).
static struct trap_rec v3_inform(uint8_t *buf, size_t cap, const char *user, const char *context)
{
	struct trap_rec r = {
		.pdu_type = SNMP_PDU_INFORM,
		.flags = TRAP_REC_F_HEAD,
		.uptime = 8640123,
		.snmp_version = SNMP_V3,
		.sec_level = TRAP_REC_AUTH_PRIV,
		.meta = {.rx_ns = 1777638896123456789ull,
			 .src = {.family = 6,
				 .addr = {0x20, 0x01, 0x0d, 0xb8, [15] = 7},
				 .port = 40001},
			 .dst = {.family = 6,
				 .addr = {0x20, 0x01, 0x0d, 0xb8, [15] = 1},
				 .port = 162}},
		.sec_name = {(const uint8_t *)user, (uint32_t)strlen(user)},
		.context_engine_id = {(const uint8_t *)"\x80\x00\x1f\x88\x04", 5},
		.context_name = {(const uint8_t *)context, (uint32_t)strlen(context)},
		.request_id = -5,
		.trap_oid = {link_down, sizeof(link_down)},
	};
	int len = trap_rec_write(buf, cap, &r, NULL, 0);
	cr_assert_gt(len, 0);
	struct trap_rec out;
	cr_assert_eq(trap_rec_decode(&out, buf, (size_t)len), 0);
	return out;
}

static void *syslog_impl(const struct sink_syslog_cfg *cfg)
{
	char err[256];
	void *impl = sink_syslog_new(cfg, err, sizeof(err));
	cr_assert_not_null(impl, "%s", err);
	return impl;
}

static const struct sink_syslog_cfg unix_cfg = {
	.transport = SINK_SYSLOG_UNIX,
	.facility = 16,
	.severity = 5,
	.hostname = "collector1",
};

// The JSON object in MSG, with its seq.
static json_t *msg_json(const struct msg5424 *m, uint64_t seq)
{
	json_error_t jerr;
	json_t *o = json_loadb((const char *)m->msg, m->msg_len, 0, &jerr);
	cr_assert_not_null(o, "MSG is not JSON: %s", jerr.text);
	cr_assert_eq(json_integer_value(json_object_get(o, "seq")), (json_int_t)seq);
	return o;
}

Test(sink_syslog, formats_a_strict_rfc5424_message_with_escaped_sd_and_a_bom)
{
	uint8_t buf[512];
	struct trap_rec r = v3_inform(buf, sizeof(buf), "o\"p\\s]\xc3\xa9", "edge\x01");
	void *impl = syslog_impl(&unix_cfg);
	struct sink_buf out = {0};
	cr_assert_eq(sink_syslog_format(impl, &out, 12, &r), 0);
	struct msg5424 m;
	parse5424((const uint8_t *)out.p, out.len, &m);
	cr_assert_eq(m.pri, 16 * 8 + 5);
	cr_assert_str_eq(m.ts, "2026-05-01T12:34:56.123456Z");
	cr_assert_str_eq(m.host, "collector1");
	cr_assert_str_eq(m.app, "linerated");
	char pid[16];
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	cr_assert_str_eq(m.procid, pid);
	cr_assert_str_eq(m.msgid, "inform");
	cr_assert_str_eq(m.sd_id, SINK_SYSLOG_SD_ID_DEFAULT);
	cr_assert_str_eq(param(&m, "seq"), "12");
	cr_assert_str_eq(param(&m, "src"), "2001:db8::7");
	cr_assert_str_eq(param(&m, "srcPort"), "40001");
	cr_assert_str_eq(param(&m, "version"), "v3");
	cr_assert_str_eq(param(&m, "reqId"), "-5");
	cr_assert_str_eq(param(&m, "trapOid"), "1.3.6.1.6.3.1.1.5.3");
	cr_assert_str_eq(param(&m, "user"), "o\"p\\s]\xc3\xa9"); // unescaped by the parser
	cr_assert(strstr(out.p, "user=\"o\\\"p\\\\s\\]\xc3\xa9\""), "%s", out.p);
	cr_assert_str_eq(param(&m, "context"), "edge?"); // a control octet is not text
	cr_assert(m.bom, "the JSON holds UTF-8, so MSG carries the BOM");
	json_t *o = msg_json(&m, 12);
	cr_assert_str_eq(json_string_value(json_object_get(o, "user")), "o\"p\\s]\xc3\xa9");
	json_decref(o);
	sink_buf_free(&out);
	sink_syslog_ops.free(impl);
}

Test(sink_syslog, plain_ascii_traps_go_without_a_bom_and_truncation_keeps_utf8_whole)
{
	uint8_t buf[2048];
	struct trap_rec r = v3_inform(buf, sizeof(buf), "ops", "ctx");
	struct sink_syslog_cfg cfg = unix_cfg;
	cfg.facility = 4;
	cfg.severity = 2;
	cfg.sd_id = "trap@32473";
	void *impl = syslog_impl(&cfg);
	struct sink_buf out = {0};
	cr_assert_eq(sink_syslog_format(impl, &out, 7, &r), 0);
	struct msg5424 m;
	parse5424((const uint8_t *)out.p, out.len, &m);
	cr_assert_eq(m.pri, 34); // RFC 5424 §6.2.1's own example: auth, critical
	cr_assert_not(m.bom);
	cr_assert_str_eq(m.sd_id, "trap@32473");
	json_decref(msg_json(&m, 7));
	struct sink_syslog_stats st;
	sink_syslog_get_stats(impl, &st);
	cr_assert_eq(st.truncated, 0);

	sink_buf_free(&out);
	sink_syslog_ops.free(impl);

	// a context of 300 two-octet characters: cuts around 700 octets land
	// inside it in MSG; SD carries its first 64 octets only
	char ctx[601];
	for (int i = 0; i < 300; i++)
		memcpy(ctx + 2 * i, "\xc3\xa9", 2);
	ctx[600] = '\0';
	r = v3_inform(buf, sizeof(buf), "ops", ctx);
	unsigned mid_char = 0; // cuts that had to back off a continuation octet
	for (cfg.max_msg = 700; cfg.max_msg < 708; cfg.max_msg++) {
		impl = syslog_impl(&cfg);
		out = (struct sink_buf){0};
		cr_assert_eq(sink_syslog_format(impl, &out, 8, &r), 0);
		cr_assert_leq(out.len, cfg.max_msg);
		cr_assert_geq(out.len, cfg.max_msg - 1); // cut at most one octet early
		mid_char += out.len < cfg.max_msg;
		parse5424((const uint8_t *)out.p, out.len, &m); // still UTF-8, BOM and all
		cr_assert(m.bom);
		cr_assert_eq(strlen(param(&m, "context")), 64);
		cr_assert(strstr((const char *)m.msg, "\"context_name\":\"\xc3\xa9"));
		sink_syslog_get_stats(impl, &st);
		cr_assert_eq(st.truncated, 1);
		sink_buf_free(&out);
		sink_syslog_ops.free(impl);
	}
	cr_assert_eq(mid_char, 4);
}

Test(sink_syslog, refuses_bad_configurations)
{
	static const struct {
		struct sink_syslog_cfg cfg;
		const char *why;
	} bad[] = {
		{{.transport = SINK_SYSLOG_UDP}, "needs a host"},
		{{.transport = SINK_SYSLOG_TCP, .host = ""}, "needs a host"},
		{{.transport = SINK_SYSLOG_TRANSPORT_COUNT}, "unknown transport"},
		{{.transport = SINK_SYSLOG_UNIX, .facility = 24}, "facility"},
		{{.transport = SINK_SYSLOG_UNIX, .severity = 8}, "severity"},
		{{.transport = SINK_SYSLOG_UNIX, .sd_id = "linerate"}, "SD-ID"},
		{{.transport = SINK_SYSLOG_UNIX, .sd_id = "line rate@32473"}, "SD-ID"},
		{{.transport = SINK_SYSLOG_UNIX, .sd_id = "linerate@x"}, "SD-ID"},
		{{.transport = SINK_SYSLOG_UNIX, .sd_id = "@32473"}, "SD-ID"},
		{{.transport = SINK_SYSLOG_UNIX, .sd_id = "a-name-longer-than-32-octets@32473"},
		 "SD-ID"},
		{{.transport = SINK_SYSLOG_UNIX, .hostname = "two words"}, "hostname"},
		{{.transport = SINK_SYSLOG_UNIX, .max_msg = 100}, "480"},
		{{.transport = SINK_SYSLOG_UNIX, .timeout_ms = -1}, "negative"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char err[256] = "";
		errno = 0;
		cr_assert_null(sink_syslog_new(&bad[i].cfg, err, sizeof(err)), "case %zu", i);
		cr_assert_eq(errno, EINVAL);
		cr_assert(strstr(err, bad[i].why), "case %zu: %s", i, err);
	}
}

// --- listeners ---------------------------------------------------------------------

// What a listener received: sequence numbers, in arrival order.
struct rx {
	uint64_t seq[2048];
	size_t n;
	uint8_t stream[1 << 17]; // TCP: octets not yet framed
	size_t stream_len;
};

static struct rx rx;

// Checks one message strictly and records its seq.
static void take(const uint8_t *p, size_t n)
{
	struct msg5424 m;
	parse5424(p, n, &m);
	cr_assert_eq(m.pri, 16 * 8 + 5);
	cr_assert_str_eq(m.host, "collector1");
	cr_assert_str_eq(m.app, "linerated");
	cr_assert_str_eq(m.msgid, "trap");
	cr_assert_str_eq(param(&m, "src"), "192.0.2.10");
	cr_assert_str_eq(param(&m, "srcPort"), "1024");
	cr_assert_str_eq(param(&m, "version"), "v2c");
	uint64_t seq = strtoull(param(&m, "seq"), NULL, 10);
	cr_assert_str_eq(param(&m, "reqId"), param(&m, "seq")); // append_traps: reqId = seq
	json_decref(msg_json(&m, seq));
	cr_assert_lt(rx.n, 2048);
	rx.seq[rx.n++] = seq;
}

// Reads every datagram waiting on fd.
static void rx_dgrams(int fd)
{
	static uint8_t buf[70000];
	ssize_t n;
	while ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		take(buf, (size_t)n);
}

// Reads what is waiting on a TCP connection and takes each whole frame;
// false when the sender closed it.
static bool rx_stream(int fd)
{
	bool open = true;
	for (;;) {
		ssize_t n = recv(fd, rx.stream + rx.stream_len, sizeof(rx.stream) - rx.stream_len,
				 MSG_DONTWAIT);
		if (n == 0)
			open = false;
		if (n <= 0)
			break;
		rx.stream_len += (size_t)n;
		const uint8_t *msg;
		size_t len, used;
		while ((used = octet_frame(rx.stream, rx.stream_len, &msg, &len)) > 0) {
			take(msg, len);
			memmove(rx.stream, rx.stream + used, rx.stream_len - used);
			rx.stream_len -= used;
		}
		cr_assert_lt(rx.stream_len, sizeof(rx.stream), "a frame longer than our buffer");
	}
	return open;
}

// rx holds 1..n exactly once, in order.
static void expect_rx(uint64_t n)
{
	cr_assert_eq(rx.n, n, "received %zu messages, want %" PRIu64, rx.n, n);
	for (size_t i = 0; i < rx.n; i++)
		cr_assert_eq(rx.seq[i], i + 1, "message %zu is record %" PRIu64, i, rx.seq[i]);
}

static int inet_listener_buf(int type, uint16_t *port, int rcvbuf)
{
	int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
	int one = 1;
	if (rcvbuf)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(*port)};
	socklen_t len = sizeof(sin);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_geq(fd, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	cr_assert_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0, "%s", strerror(errno));
	if (type == SOCK_STREAM)
		cr_assert_eq(listen(fd, 4), 0);
	getsockname(fd, (struct sockaddr *)&sin, &len);
	*port = ntohs(sin.sin_port);
	return fd;
}

static int inet_listener(int type, uint16_t *port)
{
	return inet_listener_buf(type, port, 0);
}

static int unix_listener(void)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int big = 1 << 20;
	cr_assert_geq(fd, 0);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", sock_path);
	cr_assert_eq(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0, "%s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	return fd;
}

static struct sink *syslog_sink(struct journal *j, void *impl, uint32_t batch)
{
	char err[256];
	struct sink_cfg cfg = {.name = "syslog", .cursor_path = cursor, .batch = batch};
	struct sink *s = sink_new(j, &cfg, &sink_syslog_ops, impl, err, sizeof(err));
	cr_assert_not_null(s, "%s", err);
	return s;
}

// Polls the sink and feeds the listener until want records arrived and
// the sink caught up (at most ~10 s).
static void pump(struct sink *s, uint64_t want, void (*feed)(void))
{
	for (int i = 0; i < 1000; i++) {
		int rc = sink_poll(s);
		feed();
		struct sink_stats st;
		sink_get_stats(s, &st);
		if (rx.n >= want && rc == 0 && st.lag_records == 0)
			return;
		if (rc <= 0)
			usleep(10000);
	}
	cr_assert_fail("gave up with %zu of %" PRIu64 " records", rx.n, want);
}

// A sink configuration for a listener on 127.0.0.1:port.
static struct sink_syslog_cfg inet_cfg(enum sink_syslog_transport t, uint16_t port, char ports[8])
{
	struct sink_syslog_cfg cfg = unix_cfg;
	snprintf(ports, 8, "%u", port);
	cfg.transport = t;
	cfg.host = "127.0.0.1";
	cfg.port = ports;
	cfg.backoff_max_ms = 200;
	return cfg;
}

// The sink delivered n records and is up.
static void expect_caught_up(struct sink *s, uint64_t n, uint64_t failed)
{
	struct sink_stats st;
	sink_get_stats(s, &st);
	cr_assert_not(st.down);
	cr_assert_eq(st.delivered, n);
	cr_assert_eq(st.lag_records, 0);
	cr_assert_eq(st.io.sent, n);
	if (failed)
		cr_assert_geq(st.io.reconnects, 1);
	else
		cr_assert_eq(st.io.failed, 0);
}

// The sink is down with its cursor at `at`, lag records behind; its stats.
static struct sink_stats expect_lagging(struct sink *s, uint64_t at, uint64_t lag)
{
	struct sink_stats st;
	sink_get_stats(s, &st);
	cr_assert(st.down);
	cr_assert_eq(st.cursor, at);
	cr_assert_eq(st.lag_records, lag); // the batch that failed counts as lag
	cr_assert_geq(st.io.failed, 1);
	return st;
}

static int dgram_fd = -1;

static void feed_dgrams(void)
{
	rx_dgrams(dgram_fd);
}

Test(sink_syslog, udp_delivers_every_record_in_order)
{
	uint16_t port = 0;
	dgram_fd = inet_listener(SOCK_DGRAM, &port);
	int big = 1 << 20;
	setsockopt(dgram_fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	char ports[8];
	struct sink_syslog_cfg cfg = inet_cfg(SINK_SYSLOG_UDP, port, ports);
	struct journal_cfg jc = {.dir = dir, .sync_now = true};
	struct journal *j = open_journal(&jc);
	append_traps(j, 1, 300);
	struct sink *s = syslog_sink(j, syslog_impl(&cfg), 50);
	pump(s, 300, feed_dgrams);
	expect_rx(300);
	expect_caught_up(s, 300, 0);
	sink_free(s);
	journal_close(j);
	close(dgram_fd);
}

Test(sink_syslog, unix_datagrams_lag_while_the_receiver_is_gone_and_catch_up)
{
	// a local socket queues max_dgram_qlen (10) datagrams and we read them
	// on this thread, between polls: batches of 4 (after an outage a
	// batch that waited goes out before the next one)
	dgram_fd = unix_listener();
	struct sink_syslog_cfg cfg = unix_cfg;
	cfg.path = sock_path;
	cfg.backoff_max_ms = 200;
	struct journal_cfg jc = {.dir = dir, .sync_now = true};
	struct journal *j = open_journal(&jc);
	append_traps(j, 1, 120);
	struct sink *s = syslog_sink(j, syslog_impl(&cfg), 4);
	pump(s, 120, feed_dgrams);
	expect_rx(120);

	close(dgram_fd); // the receiver goes away
	unlink(sock_path);
	append_traps(j, 121, 130);
	cr_assert_lt(sink_poll(s), 0);
	cr_assert_lt(sink_poll(s), 0); // backing off
	expect_lagging(s, 121, 130);

	dgram_fd = unix_listener(); // and comes back
	pump(s, 250, feed_dgrams);
	expect_rx(250);
	expect_caught_up(s, 250, 1);
	sink_free(s);
	journal_close(j);
	close(dgram_fd);
}

static int tcp_listen = -1, tcp_conn = -1;

static void feed_stream(void)
{
	if (tcp_conn < 0) {
		tcp_conn = accept4(tcp_listen, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (tcp_conn < 0)
			return;
	}
	rx_stream(tcp_conn);
}

Test(sink_syslog, tcp_receiver_that_goes_away_mid_stream_loses_nothing)
{
	uint16_t port = 0;
	tcp_listen = inet_listener(SOCK_STREAM, &port);
	fcntl(tcp_listen, F_SETFL, O_NONBLOCK);
	char ports[8];
	struct sink_syslog_cfg cfg = inet_cfg(SINK_SYSLOG_TCP, port, ports);
	struct journal_cfg jc = {.dir = dir, .sync_now = true};
	struct journal *j = open_journal(&jc);
	append_traps(j, 1, 200);
	struct sink *s = syslog_sink(j, syslog_impl(&cfg), 50);
	pump(s, 200, feed_stream);
	expect_rx(200);
	cr_assert_eq(rx.stream_len, 0, "a partial frame was left");

	// the receiver goes away with the stream open, more records arrive
	close(tcp_conn);
	close(tcp_listen);
	tcp_conn = -1;
	append_traps(j, 201, 300);
	cr_assert_lt(sink_poll(s), 0);
	expect_lagging(s, 201, 300);
	usleep(300000); // past a backoff or two: still refused
	cr_assert_lt(sink_poll(s), 0);

	// it comes back on the same port
	tcp_listen = inet_listener(SOCK_STREAM, &port);
	fcntl(tcp_listen, F_SETFL, O_NONBLOCK);
	pump(s, 500, feed_stream);
	expect_rx(500);
	cr_assert_eq(rx.stream_len, 0);
	expect_caught_up(s, 500, 1);
	sink_free(s);
	journal_close(j);
	close(tcp_conn);
	close(tcp_listen);
}

Test(sink_syslog, a_tcp_receiver_that_stalls_makes_it_lag_without_duplicates)
{
	uint16_t port = 0;
	tcp_listen = inet_listener_buf(SOCK_STREAM, &port, 4096); // a few KB in flight
	fcntl(tcp_listen, F_SETFL, O_NONBLOCK);
	char ports[8];
	struct sink_syslog_cfg cfg = inet_cfg(SINK_SYSLOG_TCP, port, ports);
	cfg.timeout_ms = 200;
	struct journal_cfg jc = {.dir = dir, .sync_now = true};
	struct journal *j = open_journal(&jc);
	append_traps(j, 1, 300);
	struct sink *s = syslog_sink(j, syslog_impl(&cfg), 100);

	// 100 messages of ~500 octets: the receiver reads nothing, its TCP
	// acknowledges a part, the rest stays in our send queue
	cr_assert_eq(sink_poll(s), -ETIMEDOUT);
	cr_assert_eq(sink_poll(s), -ETIMEDOUT); // emits wait for the stuck batch
	struct sink_stats st = expect_lagging(s, 1, 300);
	cr_assert_eq(st.io.failed, 2);
	cr_assert_lt(st.io.sent, 100); // only whole acknowledged messages count

	// it reads again: the same connection carries on, nothing twice
	pump(s, 300, feed_stream);
	expect_rx(300);
	cr_assert_eq(rx.stream_len, 0);
	sink_get_stats(s, &st);
	cr_assert_not(st.down);
	cr_assert_eq(st.delivered, 300);
	cr_assert_eq(st.io.sent, 300);
	cr_assert_eq(st.io.reconnects, 0);
	sink_free(s);
	journal_close(j);
	close(tcp_conn);
	close(tcp_listen);
}
