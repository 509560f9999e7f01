/* SPDX-License-Identifier: BSD-3-Clause */
// linerate-ctl as a command against a test server: human tables, --json,
// and the exit status (0 ok, 1 command failed, 2 usage or no daemon).
#include <criterion/criterion.h>
#include <sys/wait.h>

#include "ctl_test_server.h"

static struct test_server ts;

static void setup(void)
{
	struct ctl_server_cfg cfg;
	test_server_cfg(&ts, &cfg);
	cr_assert_eq(test_server_start(&ts, &cfg), 0);
}

static void teardown(void)
{
	test_server_stop(&ts);
}

TestSuite(linerate_ctl, .init = setup, .fini = teardown);

// Run linerate-ctl with args (NULL-terminated) and input on its standard
// input (NULL: the test's); stdout into out.
static int run_in(const char *input, char *out, size_t cap, const char *const *args)
{
	int pfd[2], ifd[2];
	cr_assert_eq(pipe(pfd), 0);
	cr_assert_eq(pipe(ifd), 0);
	if (input) // small: fits the pipe
		cr_assert_eq(write(ifd[1], input, strlen(input)), (ssize_t)strlen(input));
	close(ifd[1]);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		if (input)
			dup2(ifd[0], 0);
		const char *argv[24] = {LINERATE_CTL};
		int n = 1;
		for (; *args && n < 23; args++)
			argv[n++] = *args;
		dup2(pfd[1], 1);
		close(pfd[0]);
		execv(LINERATE_CTL, (char *const *)argv);
		_exit(127);
	}
	close(pfd[1]);
	close(ifd[0]);
	size_t len = 0;
	ssize_t r;
	while ((r = read(pfd[0], out + len, cap - 1 - len)) > 0)
		len += (size_t)r;
	out[len] = '\0';
	close(pfd[0]);
	int status;
	waitpid(pid, &status, 0);
	cr_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

#define RUN(out, ...)	     run_in(NULL, out, sizeof(out), (const char *const[]){__VA_ARGS__, NULL})
#define RUN_IN(in, out, ...) run_in(in, out, sizeof(out), (const char *const[]){__VA_ARGS__, NULL})

Test(linerate_ctl, status_prints_key_value_lines)
{
	char out[4096];
	cr_assert_eq(RUN(out, "-s", ts.path, "status"), 0);
	cr_assert_not_null(strstr(out, "version   0.1.0-test\n"), "%s", out);
	cr_assert_not_null(strstr(out, "uptime_s  42\n"), "%s", out);
	cr_assert_null(strstr(out, "ok"), "no envelope: %s", out);
}

Test(linerate_ctl, table_cells_of_lists_and_booleans_line_up)
{
	char out[4096];
	cr_assert_eq(RUN(out, "-s", ts.path, "status"), 0);
	cr_assert_not_null(strstr(out, "ports:\n"
				       "  name  ipv4                         rss  link\n"
				       "  lr0   [\"192.0.2.53\",\"192.0.2.54\"]  no   up\n"
				       "  lr1   []                           yes  down\n"),
			   "%s", out);
}

Test(linerate_ctl, stats_prints_nested_sections)
{
	char out[4096];
	cr_assert_eq(RUN(out, "-s", ts.path, "stats"), 0);
	cr_assert_not_null(strstr(out, "stats:\n"), "%s", out);
	cr_assert_not_null(strstr(out, "  rx_packets  1000\n"), "%s", out);
	cr_assert_not_null(strstr(out, "  rcode:\n    NOERROR   900\n    NXDOMAIN  90\n"), "%s",
			   out);
}

Test(linerate_ctl, zone_list_prints_a_table)
{
	char out[4096];
	cr_assert_eq(RUN(out, "-s", ts.path, "zone", "list"), 0);
	cr_assert_str_eq(out, "zones:\n"
			      "  name          serial      file\n"
			      "  example.com.  2024010101  example.com.zone\n");
}

Test(linerate_ctl, json_prints_the_reply_as_is)
{
	char out[4096];
	cr_assert_eq(RUN(out, "--json", "-s", ts.path, "zone", "reload", "example.com."), 0);
	json_t *j = json_loads(out, 0, NULL);
	cr_assert_not_null(j, "%s", out);
	cr_assert(json_is_true(json_object_get(j, "ok")));
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(j, "reloaded"), 0)),
			 "example.com.");
	json_decref(j);
}

Test(linerate_ctl, a_failed_command_exits_1)
{
	char out[4096];
	cr_assert_eq(RUN(out, "-s", ts.path, "zone", "reload", "nope."), 1);
	cr_assert_eq(RUN(out, "-j", "-s", ts.path, "zone", "reload", "nope."), 1);
	cr_assert_not_null(strstr(out, "\"ok\":false"), "%s", out);
	cr_assert_not_null(strstr(out, "no such zone: nope."), "%s", out);
}

Test(linerate_ctl, sink_flush_names_the_sink_and_waits_less_than_the_client)
{
	char out[4096];
	cr_assert_eq(RUN(out, "-j", "-s", ts.path, "-t", "4000", "sink", "flush", "noc"), 0);
	json_t *j = json_loads(out, 0, NULL);
	cr_assert_not_null(j, "%s", out);
	cr_assert_str_eq(json_string_value(json_object_get(j, "name")), "noc");
	json_int_t t = json_integer_value(json_object_get(j, "timeout_ms"));
	cr_assert(t > 0 && t < 4000, "%lld", (long long)t);
	json_decref(j);
	// every sink: no name; the daemon's wait is capped at 60 s
	cr_assert_eq(RUN(out, "-j", "-s", ts.path, "-t", "600000", "sink", "flush"), 0);
	j = json_loads(out, 0, NULL);
	cr_assert_not_null(j, "%s", out);
	cr_assert_null(json_object_get(j, "name"), "%s", out);
	cr_assert_eq(json_integer_value(json_object_get(j, "timeout_ms")), 60000);
	json_decref(j);
	cr_assert_eq(RUN(out, "-s", ts.path, "sink", "flush", "a", "b"), 2);
	cr_assert_eq(RUN(out, "-s", ts.path, "sink"), 2);
}

Test(linerate_ctl, bad_usage_and_no_daemon_exit_2)
{
	char out[4096], path[200];
	cr_assert_eq(RUN(out, "-s", ts.path), 2);
	cr_assert_eq(RUN(out, "-s", ts.path, "reboot"), 2);
	cr_assert_eq(RUN(out, "-s", ts.path, "zone"), 2);
	cr_assert_eq(RUN(out, "-s", ts.path, "status", "extra"), 2);
	cr_assert_eq(RUN(out, "-s", ts.path, "-t", "0", "status"), 2);
	cr_assert_eq(RUN(out, "--bogus", "status"), 2);
	snprintf(path, sizeof(path), "%s/none.sock", ts.dir);
	cr_assert_eq(RUN(out, "-s", path, "status"), 2);
	cr_assert_eq(RUN(out, "-h"), 0);
	cr_assert_not_null(strstr(out, "usage: linerate-ctl"));
}

// A file in the test server's directory holding text; its path into path.
static void write_file(char *path, size_t cap, const char *name, const char *text)
{
	snprintf(path, cap, "%s/%s", ts.dir, name);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

Test(linerate_ctl, config_check_runs_without_a_daemon)
{
	char out[4096], good[200], bad[200];
	write_file(good, sizeof(good), "good.yaml",
		   "ports: [{name: a, device: net_ring0, ipv4: [192.0.2.53]}]\n");
	write_file(bad, sizeof(bad), "bad.yaml",
		   "ports: [{name: a, device: net_ring0, ipv4: [192.0.2.53], rx_queues: 0}]\n");
	// no socket option and no daemon at the default path: offline
	cr_assert_eq(RUN(out, "config", "check", good), 0);
	cr_assert_not_null(strstr(out, "OK"), "%s", out);
	cr_assert_eq(RUN(out, "config", "check", bad), 1);
	cr_assert_eq(RUN(out, "--json", "config", "check", bad), 1);
	json_t *j = json_loads(out, 0, NULL);
	cr_assert_not_null(j, "%s", out);
	cr_assert(json_is_false(json_object_get(j, "ok")));
	const char *e = json_string_value(json_object_get(j, "error"));
	cr_assert(e && strstr(e, "ports[0].rx_queues") && strstr(e, "\"0\""), "%s", out);
	json_decref(j);
	cr_assert_eq(RUN(out, "config", "check"), 2);
}

// zone check runs the daemon's zone loader offline: OK with the record
// count, or the error at file:line:col (JSON too); bad specs and missing
// files are errors, not crashes.
Test(linerate_ctl, zone_check_runs_without_a_daemon)
{
	char out[4096], good[200], bad[200], spec[260];
	write_file(good, sizeof(good), "example.com.zone",
		   "$TTL 300\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n"
		   "ns1 A 192.0.2.1\nwww A 192.0.2.10\n");
	write_file(bad, sizeof(bad), "broken.zone",
		   "$TTL 300\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n"
		   "www A 192.0.2.300\n");
	cr_assert_eq(RUN(out, "zone", "check", good), 0, "%s", out);
	cr_assert(strstr(out, "OK") && strstr(out, "4 records"), "%s", out);
	snprintf(spec, sizeof(spec), "example.net.=%s", good); // the origin given
	cr_assert_eq(RUN(out, "zone", "check", spec), 0, "%s", out);
	snprintf(spec, sizeof(spec), "example.com.=%s", bad);
	cr_assert_eq(RUN(out, "zone", "check", spec), 1); // the error on stderr
	cr_assert_eq(RUN(out, "--json", "zone", "check", spec), 1);
	json_t *j = json_loads(out, 0, NULL);
	cr_assert_not_null(j, "%s", out);
	cr_assert(json_is_false(json_object_get(j, "ok")));
	cr_assert_not_null(strstr(json_string_value(json_object_get(j, "error")), "broken.zone:4:"));
	json_decref(j);
	snprintf(spec, sizeof(spec), "%s/none.zone", ts.dir);
	cr_assert_eq(RUN(out, "zone", "check", spec), 1);
	cr_assert_eq(RUN(out, "zone", "check", "bad..origin.=x.zone"), 1);
	cr_assert_eq(RUN(out, "zone", "check", "example.com.="), 1);
	cr_assert_eq(RUN(out, "zone", "check"), 2);
}

Test(linerate_ctl, ops_commands_reach_the_daemon_and_bad_usage_does_not)
{
	char out[4096];
	// the test server knows none of them: each is sent and refused there
	cr_assert_eq(RUN(out, "-j", "-s", ts.path, "log", "level", "debug"), 1);
	cr_assert_not_null(strstr(out, "unknown command: log level"), "%s", out);
	cr_assert_eq(RUN(out, "-j", "-s", ts.path, "trace", "start", "t.pcapng", "--kinds", "dns"),
		     1);
	cr_assert_not_null(strstr(out, "unknown command: trace start"), "%s", out);
	cr_assert_eq(RUN(out, "-j", "-s", ts.path, "config", "save"), 1);
	cr_assert_not_null(strstr(out, "unknown command: config save"), "%s", out);
	// bad usage never leaves the client
	cr_assert_eq(RUN(out, "-s", ts.path, "trace", "start"), 2);
	cr_assert_eq(RUN(out, "-s", ts.path, "trace", "start", "f", "--kinds"), 2);
	cr_assert_eq(RUN(out, "-s", ts.path, "trace", "start", "f", "--snaplen", "x"), 2);
	cr_assert_eq(RUN(out, "-s", ts.path, "trace", "start", "f", "--colour", "red"), 2);
	cr_assert_eq(RUN(out, "-s", ts.path, "log", "level", "a", "b"), 2);
	cr_assert_eq(RUN(out, "-s", ts.path, "config", "dump", "x"), 2);
}

// The usm words: bad usage (and a users file that does not load) exits 2
// before anything is sent; well-formed ones reach the server, which here
// knows no usm command (exit 1).
Test(linerate_ctl, usm_words_checked_before_sending)
{
	char out[4096], file[200];
	cr_assert_eq(RUN(out, "-s", ts.path, "usm"), 2);
	cr_assert_eq(RUN(out, "-s", ts.path, "usm", "user", "add"), 2);
	cr_assert_eq(RUN(out, "-s", ts.path, "usm", "user", "add", "alice", "--auth"), 2);
	cr_assert_eq(RUN(out, "-s", ts.path, "usm", "user", "add", "alice", "--colour", "red"), 2);
	cr_assert_eq(RUN(out, "-s", ts.path, "usm", "user", "add", "--file"), 2);
	cr_assert_eq(RUN(out, "-s", ts.path, "usm", "engine", "add", "8000000001", "--boots", "-1"),
		     2);
	cr_assert_eq(RUN(out, "-s", ts.path, "usm", "cache", "flush"), 2);
	snprintf(file, sizeof(file), "%s/users.yaml", ts.dir);
	FILE *f = fopen(file, "w");
	cr_assert_not_null(f);
	fputs("users:\n  - {name: a, auth: sha, auth_password: short}\n", f);
	fclose(f);
	cr_assert_eq(RUN(out, "-s", ts.path, "usm", "user", "add", "--file", file), 2);
	unlink(file);
	cr_assert_eq(RUN(out, "-s", ts.path, "usm", "user", "list"), 1);
	cr_assert_eq(RUN(out, "-j", "-s", ts.path, "usm", "hash"), 1);
	cr_assert_not_null(strstr(out, "usm hash"), "%s", out);
	cr_assert_eq(RUN(out, "-j", "-s", ts.path, "usm", "user", "add", "alice", "--auth", "sha",
			 "--auth-password", "maplesyrup"),
		     0);
	cr_assert_not_null(strstr(out, "\"auth_password_len\":10"), "%s", out);
}

// --auth-password-file / --priv-password-file: the file's first line, or
// standard input's next line for "-", reach the daemon as the passwords;
// a missing or empty file or an overlong line stops before sending.
Test(linerate_ctl, usm_passwords_from_files_and_stdin)
{
	char out[4096], file[200], empty[200];
	snprintf(file, sizeof(file), "%s/pw", ts.dir);
	snprintf(empty, sizeof(empty), "%s/empty", ts.dir);
	FILE *f = fopen(file, "w");
	cr_assert_not_null(f);
	fputs("twelve-chars\r\nsecond line ignored\n", f);
	fclose(f);
	f = fopen(empty, "w");
	cr_assert_not_null(f);
	fclose(f);
	cr_assert_eq(RUN(out, "-j", "-s", ts.path, "usm", "user", "add", "alice", "--auth", "sha",
			 "--auth-password-file", file),
		     0);
	cr_assert_not_null(strstr(out, "\"auth_password_len\":12"), "%s", out);
	cr_assert_not_null(strstr(out, "\"priv_password_len\":-1"), "%s", out);
	// both from standard input: a line each, in the order given
	cr_assert_eq(RUN_IN("auth-from-stdin\npriv-from-stdin-too\n", out, "-j", "-s", ts.path,
			    "usm", "user", "add", "bob", "--auth", "sha", "--auth-password-file",
			    "-", "--priv", "aes", "--priv-password-file", "-"),
		     0);
	cr_assert_not_null(strstr(out, "\"auth_password_len\":15"), "%s", out);
	cr_assert_not_null(strstr(out, "\"priv_password_len\":19"), "%s", out);
	// a last line without its newline is whole
	cr_assert_eq(RUN_IN("no-newline-pw", out, "-j", "-s", ts.path, "usm", "user", "add", "c",
			    "--auth", "sha", "--auth-password-file", "-"),
		     0);
	cr_assert_not_null(strstr(out, "\"auth_password_len\":13"), "%s", out);
	cr_assert_eq(RUN(out, "-s", ts.path, "usm", "user", "add", "alice", "--auth", "sha",
			 "--auth-password-file", empty),
		     2);
	cr_assert_eq(RUN(out, "-s", ts.path, "usm", "user", "add", "alice", "--auth", "sha",
			 "--auth-password-file", "/nonexistent/pw"),
		     2);
	cr_assert_eq(RUN_IN("", out, "-s", ts.path, "usm", "user", "add", "alice", "--auth", "sha",
			    "--priv-password-file", "-"),
		     2);
	char big[1100];
	memset(big, 'x', sizeof(big) - 2);
	big[sizeof(big) - 2] = '\n';
	big[sizeof(big) - 1] = '\0';
	cr_assert_eq(RUN_IN(big, out, "-s", ts.path, "usm", "user", "add", "alice", "--auth", "sha",
			    "--auth-password-file", "-"),
		     2);
	unlink(file);
	unlink(empty);
}
