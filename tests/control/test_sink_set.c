/* SPDX-License-Identifier: BSD-3-Clause */
// The configured sinks over one journal (sink_set.h): built from a loaded
// configuration, each on its own cursor and pace (a sink whose destination
// is down lags, the others deliver), flush waits or times out, and a new
// set resumes from the cursors.
#include <errno.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "ctl_config.h"
#include "journal_test_util.h"
#include "sink_set.h"

static char dir[64];

static void make_dir(void)
{
	scratch_dir(dir);
}

static void remove_dir(void)
{
	rm_tree(dir);
}

TestSuite(sink_set, .init = make_dir, .fini = remove_dir);

// Two file sinks and a syslog sink over TCP to port (nobody listens).
static struct ctl_config *config(int port)
{
	char text[2048], err[CTL_CONFIG_ERR_MAX];
	snprintf(text, sizeof(text),
		 "ports: [{name: p, device: net_ring0, ipv4: [192.0.2.1]}]\n"
		 "snmp:\n"
		 "  enabled: true\n"
		 "  journal: {dir: %s/j}\n"
		 "  sinks:\n"
		 "    - {name: a, type: file, path: %s/a.jsonl}\n"
		 "    - {name: b, type: file, path: %s/b.jsonl, fsync: never}\n"
		 "    - {name: down, type: syslog, transport: tcp, address: \"127.0.0.1:%d\"}\n",
		 dir, dir, dir, port);
	struct ctl_config *c = ctl_config_load_string(text, strlen(text), err, sizeof(err));
	cr_assert_not_null(c, "%s", err);
	return c;
}

// A loopback TCP port with nothing listening on it.
static int closed_port(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	cr_assert_geq(fd, 0);
	cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	close(fd);
	return ntohs(a.sin_port);
}

static struct sink_set *open_set(struct journal *j, const struct ctl_config *c)
{
	char err[512] = "";
	struct sink_set_cfg sc = {.cfg = c};
	struct sink_set *s = sink_set_new(j, &sc, err, sizeof(err));
	cr_assert_not_null(s, "%s", err);
	return s;
}

static void info(struct sink_set *s, const char *name, struct sink_set_info *out)
{
	int i = sink_set_find(s, name);
	cr_assert_geq(i, 0, "%s", name);
	cr_assert_eq(sink_set_info(s, (size_t)i, out), 0);
	cr_assert_str_eq(out->name, name);
}

Test(sink_set, every_sink_at_its_own_pace_and_resumes_from_its_cursor)
{
	struct ctl_config *c = config(closed_port());
	char jdir[128];
	snprintf(jdir, sizeof(jdir), "%s/j", dir);
	struct journal_cfg jc = {.dir = jdir, .sync_now = true};
	struct journal *j = open_journal(&jc);
	struct sink_set *s = open_set(j, c);
	cr_assert_eq(sink_set_count(s), 3);
	cr_assert_eq(sink_set_find(s, "nope"), -ENOENT);
	struct sink_set_info in;
	cr_assert_eq(sink_set_info(s, 3, &in), -ENOENT);
	append_traps(j, 1, 20);
	cr_assert_eq(sink_set_flush(s, sink_set_find(s, "a"), 5000), 0);
	cr_assert_eq(sink_set_flush(s, sink_set_find(s, "b"), 5000), 0);
	info(s, "a", &in);
	cr_assert_eq(in.type, CTL_SINK_FILE);
	cr_assert_eq(in.st.delivered, 20);
	cr_assert_eq(in.st.cursor, 21);
	cr_assert_eq(in.st.lag_records, 0);
	cr_assert_eq(in.lag_seconds, 0);
	cr_assert_eq(in.file.lines, 20, "the file sink's own counters come along");
	cr_assert_gt(in.file.bytes, 20 * 50);
	cr_assert_eq(in.file.torn_cut, 0);
	// the syslog destination is down: it lags, flush gives up
	cr_assert_eq(sink_set_flush(s, sink_set_find(s, "down"), 300), -ETIMEDOUT);
	cr_assert_eq(sink_set_flush(s, -1, 300), -ETIMEDOUT, "every sink: one lags");
	info(s, "down", &in);
	cr_assert_eq(in.type, CTL_SINK_SYSLOG);
	cr_assert(in.st.down);
	cr_assert_eq(in.st.delivered, 0);
	cr_assert_eq(in.st.lag_records, 20);
	// the records' receive times are 1..20 ns after the epoch: decades old
	cr_assert_gt(in.lag_seconds, 86400, "%lu", (unsigned long)in.lag_seconds);
	sink_set_free(s, 1000); // the down one is not waited for
	// again: a and b resume after record 20, the lagging one from 1
	append_traps(j, 21, 5);
	s = open_set(j, c);
	cr_assert_eq(sink_set_flush(s, sink_set_find(s, "b"), 5000), 0);
	info(s, "b", &in);
	cr_assert_eq(in.st.delivered, 5, "only the new ones");
	cr_assert_eq(in.st.cursor, 26);
	sink_set_free(s, 0);
	journal_close(j);
	ctl_config_free(c);
}

Test(sink_set, a_sink_that_cannot_be_made_fails_the_set_naming_it)
{
	char err[512] = "", text[512], cerr[CTL_CONFIG_ERR_MAX];
	snprintf(text, sizeof(text),
		 "ports: [{name: p, device: net_ring0, ipv4: [192.0.2.1]}]\n"
		 "snmp: {enabled: true, journal: {dir: %s/j}, sinks: [\n"
		 "  {name: ok, type: file, path: %s/ok.jsonl},\n"
		 "  {name: nodir, type: file, path: %s/missing/x.jsonl}]}\n",
		 dir, dir, dir);
	struct ctl_config *c = ctl_config_load_string(text, strlen(text), cerr, sizeof(cerr));
	cr_assert_not_null(c, "%s", cerr);
	char jdir[128];
	snprintf(jdir, sizeof(jdir), "%s/j", dir);
	struct journal_cfg jc = {.dir = jdir};
	struct journal *j = open_journal(&jc);
	struct sink_set_cfg sc = {.cfg = c};
	cr_assert_null(sink_set_new(j, &sc, err, sizeof(err)));
	cr_assert_not_null(strstr(err, "nodir"), "%s", err);
	journal_close(j);
	ctl_config_free(c);
}
