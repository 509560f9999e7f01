/* SPDX-License-Identifier: BSD-3-Clause */
// The syslog sink against a receiver no one here wrote: rsyslogd (from
// tools/setup.sh), started by this test in the foreground on 127.0.0.1
// with a configuration of its own, stopped by its PID. rsyslog must parse
// every message as RFC 5424 (header fields, SD with escapes, MSG with the
// BOM), over TCP with octet counting, over UDP and over a local socket in
// the test's directory (imuxsock, told to parse RFC 5424 and keep our
// timestamps: by default it expects the traditional format).
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <linerate/trap_record.h>

#include "journal_test_util.h"
#include "sink.h"

extern char **environ;

static char dir[64], out_path[128], sock_path[96];
static pid_t rsyslogd = -1;
static uint16_t tcp_port, udp_port;

// A port free on 127.0.0.1 now (the kernel's pick).
static uint16_t free_port(int type)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, type, 0);
	cr_assert_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	getsockname(fd, (struct sockaddr *)&sin, &len);
	close(fd);
	return ntohs(sin.sin_port);
}

static bool tcp_ready(void)
{
	struct sockaddr_in sin = {.sin_family = AF_INET,
				  .sin_port = htons(tcp_port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	bool ok = connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0;
	close(fd);
	return ok;
}

static void start(void)
{
	char conf[128], pid[128];
	scratch_dir(dir);
	snprintf(conf, sizeof(conf), "%s/rsyslog.conf", dir);
	snprintf(pid, sizeof(pid), "%s/rsyslog.pid", dir);
	snprintf(out_path, sizeof(out_path), "%s/out", dir);
	snprintf(sock_path, sizeof(sock_path), "%s/log", dir);
	tcp_port = free_port(SOCK_STREAM);
	udp_port = free_port(SOCK_DGRAM);
	FILE *f = fopen(conf, "w");
	cr_assert_not_null(f);
	fprintf(f,
		"global(workDirectory=\"%s\")\n"
		"module(load=\"imtcp\")\n"
		"module(load=\"imudp\")\n"
		"module(load=\"imuxsock\" SysSock.Use=\"off\")\n"
		"input(type=\"imtcp\" address=\"127.0.0.1\" port=\"%u\")\n"
		"input(type=\"imudp\" address=\"127.0.0.1\" port=\"%u\")\n"
		"input(type=\"imuxsock\" Socket=\"%s\" useSpecialParser=\"off\" "
		"parseHostname=\"on\" ignoreTimestamp=\"off\")\n"
		"template(name=\"fields\" type=\"string\" string=\"%%pri%%|%%protocol-version%%|"
		"%%timereported:::date-rfc3339%%|%%hostname%%|%%app-name%%|%%procid%%|%%msgid%%|"
		"%%structured-data%%|%%msg%%\\n\")\n"
		"if $app-name == \"linerated\" then action(type=\"omfile\" file=\"%s\" "
		"template=\"fields\")\n",
		dir, tcp_port, udp_port, sock_path, out_path);
	fclose(f);
	char *argv[] = {"rsyslogd", "-n", "-f", conf, "-i", pid, NULL};
	int rc = posix_spawnp(&rsyslogd, "rsyslogd", NULL, NULL, argv, environ);
	cr_assert_eq(rc, 0, "rsyslogd: %s (run tools/setup.sh)", strerror(rc));
	for (int i = 0; i < 100 && !tcp_ready(); i++)
		usleep(50000);
	cr_assert(tcp_ready(), "rsyslogd does not listen on 127.0.0.1:%u", tcp_port);
}

static void stop(void)
{
	if (rsyslogd > 0) {
		kill(rsyslogd, SIGTERM);
		waitpid(rsyslogd, NULL, 0);
	}
	rm_tree(dir);
}

TestSuite(sink_syslog_peer, .init = start, .fini = stop, .timeout = 60);

// Record 1 of the run: a v3 inform whose user and context need escaping
// in SD and make MSG UTF-8.
static void append_v3(struct journal *j, uint64_t seq)
{
	static const uint8_t link_down[] = {0x2b, 6, 1, 6, 3, 1, 1, 5, 3};
	struct trap_rec r = {
		.pdu_type = SNMP_PDU_INFORM,
		.flags = TRAP_REC_F_HEAD,
		.snmp_version = SNMP_V3,
		.sec_level = TRAP_REC_AUTH_PRIV,
		.meta = {.rx_ns = 1777638896123456789ull,
			 .src = {.family = 4, .addr = {192, 0, 2, 10}, .port = 1024},
			 .dst = {.family = 4, .addr = {192, 0, 2, 1}, .port = 162}},
		.sec_name = {(const uint8_t *)"o\"p\\s]", 6},
		.context_engine_id = {(const uint8_t *)"\x80\x00\x1f\x88\x04", 5},
		.context_name = {(const uint8_t *)"caf\xc3\xa9", 5},
		.request_id = (int32_t)seq,
		.trap_oid = {link_down, sizeof(link_down)},
	};
	append_trap_rec(j, &r, seq);
	cr_assert_eq(journal_flush(j), 0);
}

// Lines rsyslog wrote so far (into buf, NUL-terminated).
static size_t read_out(char *buf, size_t cap)
{
	FILE *f = fopen(out_path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, cap - 1, f);
	fclose(f);
	buf[n] = '\0';
	size_t lines = 0;
	for (size_t i = 0; i < n; i++)
		lines += buf[i] == '\n';
	return lines;
}

static void send_all(enum sink_syslog_transport t, uint16_t port, const char *name)
{
	char ports[8], cursor[160], err[256];
	snprintf(ports, sizeof(ports), "%u", port);
	snprintf(cursor, sizeof(cursor), "%s/%s.cursor", dir, name);
	struct sink_syslog_cfg sc = {.transport = t,
				     .host = "127.0.0.1",
				     .port = ports,
				     .path = sock_path,
				     .facility = 16,
				     .severity = 5,
				     .hostname = "collector1"};
	struct journal_cfg jc = {.dir = dir};
	struct journal *j = journal_open(&jc, err, sizeof(err));
	cr_assert_not_null(j, "%s", err);
	void *impl = sink_syslog_new(&sc, err, sizeof(err));
	cr_assert_not_null(impl, "%s", err);
	struct sink_cfg cfg = {.name = name, .cursor_path = cursor, .batch = 20};
	struct sink *s = sink_new(j, &cfg, &sink_syslog_ops, impl, err, sizeof(err));
	cr_assert_not_null(s, "%s", err);
	int rc;
	for (int i = 0; i < 100 && (rc = sink_poll(s)) != 0; i++)
		cr_assert_geq(rc, 0, "%s sink: %s", name, strerror(-rc));
	struct sink_stats st;
	sink_get_stats(s, &st);
	cr_assert_eq(st.lag_records, 0);
	sink_free(s);
	journal_close(j);
}

// One line of rsyslog's output (its parsed fields) for record seq.
static void expect_line(char *line, uint64_t seq)
{
	char *f[9], *save = NULL;
	char pid[16];
	f[0] = strtok_r(line, "|", &save);
	for (int i = 1; i < 8; i++)
		f[i] = strtok_r(NULL, "|", &save);
	f[8] = save; // MSG: the rest, '|' and all
	for (int i = 0; i < 9; i++)
		cr_assert_not_null(f[i], "record %" PRIu64 ": field %d missing", seq, i);
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	cr_assert_str_eq(f[0], "133");
	cr_assert_str_eq(f[1], "1");
	cr_assert_str_eq(f[3], "collector1");
	cr_assert_str_eq(f[4], "linerated");
	cr_assert_str_eq(f[5], pid);
	cr_assert_str_eq(f[6], seq == 1 ? "inform" : "trap");
	char sd[160];
	snprintf(sd, sizeof(sd), "[linerate@32473 seq=\"%" PRIu64 "\" src=\"192.0.2.10\" ", seq);
	cr_assert(strncmp(f[7], sd, strlen(sd)) == 0, "SD of %" PRIu64 ": %s", seq, f[7]);
	const char *msg = f[8];
	if (seq == 1) {
		cr_assert_str_eq(f[2], "2026-05-01T12:34:56.123456Z");
		cr_assert(strstr(f[7], " user=\"o\\\"p\\\\s\\]\" context=\"caf\xc3\xa9\"]"), "%s",
			  f[7]);
		cr_assert(strncmp(msg, "\xef\xbb\xbf", 3) == 0, "no BOM before UTF-8 MSG");
		msg += 3;
	}
	json_error_t jerr;
	json_t *o = json_loads(msg, 0, &jerr);
	cr_assert_not_null(o, "record %" PRIu64 ": MSG not JSON: %s", seq, jerr.text);
	cr_assert_eq(json_integer_value(json_object_get(o, "seq")), (json_int_t)seq);
	json_decref(o);
}

Test(sink_syslog_peer, rsyslog_parses_every_message_over_tcp_udp_and_a_local_socket)
{
	char err[256];
	struct journal_cfg jc = {.dir = dir, .sync_now = true};
	struct journal *j = journal_open(&jc, err, sizeof(err));
	cr_assert_not_null(j, "%s", err);
	append_v3(j, 1);
	append_traps(j, 2, 99);
	journal_close(j);

	static char buf[1 << 20];
	send_all(SINK_SYSLOG_TCP, tcp_port, "tcp");
	size_t lines = 0;
	for (int i = 0; i < 200 && (lines = read_out(buf, sizeof(buf))) < 100; i++)
		usleep(50000);
	cr_assert_eq(lines, 100, "rsyslog wrote %zu of 100 lines", lines);
	send_all(SINK_SYSLOG_UDP, udp_port, "udp");
	for (int i = 0; i < 200 && (lines = read_out(buf, sizeof(buf))) < 200; i++)
		usleep(50000);
	cr_assert_eq(lines, 200, "rsyslog wrote %zu of 200 lines", lines);
	send_all(SINK_SYSLOG_UNIX, 0, "unix");
	for (int i = 0; i < 200 && (lines = read_out(buf, sizeof(buf))) < 300; i++)
		usleep(50000);
	cr_assert_eq(lines, 300, "rsyslog wrote %zu of 300 lines", lines);
	char *save = NULL, *line = strtok_r(buf, "\n", &save);
	for (uint64_t i = 0; i < 300; i++, line = strtok_r(NULL, "\n", &save)) {
		cr_assert_not_null(line);
		expect_line(line, i % 100 + 1);
	}
}
