/* SPDX-License-Identifier: BSD-3-Clause */
// The control socket through a real socket: file mode and ownership rules,
// the request/response envelope, and every way a client can misbehave.
#include <criterion/criterion.h>
#include <fcntl.h>
#include <grp.h>
#include <malloc.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "ctl_client.h"
#include "ctl_config.h"
#include "ctl_test_server.h"
#include "sock_test_util.h"

static struct test_server ts;
static struct ctl_server_cfg scfg;

static void start_default(void)
{
	test_server_cfg(&ts, &scfg);
	cr_assert_eq(test_server_start(&ts, &scfg), 0);
}

static int connect_ok(void)
{
	int fd = ctl_client_connect(ts.path, 5000);
	cr_assert_geq(fd, 0, "connect: %s", strerror(-fd));
	return fd;
}

// Send raw text, read one reply line, parse it.
static json_t *raw(int fd, const char *text)
{
	char *line;
	json_error_t e;
	send_all(fd, text, strlen(text));
	long n = ctl_client_read_line(fd, &line, CTL_REPLY_MAX);
	cr_assert_geq(n, 0, "read: %s", strerror((int)-n));
	json_t *j = json_loads(line, 0, &e);
	cr_assert_not_null(j, "reply not JSON: %s", line);
	free(line);
	return j;
}

static void assert_error(json_t *r, const char *needle)
{
	cr_assert_eq(json_integer_value(json_object_get(r, "v")), 1);
	cr_assert(json_is_false(json_object_get(r, "ok")));
	const char *e = json_string_value(json_object_get(r, "error"));
	cr_assert_not_null(e);
	cr_assert_not_null(strstr(e, needle), "error '%s' lacks '%s'", e, needle);
}

static void assert_serving(void)
{
	int fd = connect_ok();
	json_t *r = raw(fd, "{\"v\":1,\"cmd\":\"status\"}\n");
	cr_assert(json_is_true(json_object_get(r, "ok")));
	json_decref(r);
	close(fd);
}

Test(ctl_server, socket_is_0660_whatever_the_umask)
{
	mode_t old = umask(0);
	start_default();
	umask(old);
	struct stat st;
	cr_assert_eq(lstat(ts.path, &st), 0);
	cr_assert(S_ISSOCK(st.st_mode));
	cr_assert_eq(st.st_mode & 07777, 0660, "mode %o", st.st_mode & 07777);
	test_server_stop(&ts);
	cr_assert_neq(lstat(ts.path, &st), 0, "the socket is removed at stop");
}

Test(ctl_server, socket_takes_mode_and_group_from_config)
{
	char err[CTL_CONFIG_ERR_MAX];
	struct ctl_config *c = ctl_config_load_string(
		"ports: [{name: p, device: net_ring0, ipv4: [192.0.2.1]}]\n"
		"control: {mode: \"0600\"}\n",
		strlen("ports: [{name: p, device: net_ring0, ipv4: [192.0.2.1]}]\n"
		       "control: {mode: \"0600\"}\n"),
		err, sizeof(err));
	cr_assert_not_null(c, "%s", err);
	test_server_cfg(&ts, &scfg);
	scfg.mode = c->control.mode;
	scfg.group = getegid() == 0 ? 65534 : (gid_t)-1;
	mode_t old = umask(077);
	cr_assert_eq(test_server_start(&ts, &scfg), 0);
	umask(old);
	struct stat st;
	cr_assert_eq(lstat(ts.path, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0600, "mode %o", st.st_mode & 07777);
	if (getegid() == 0)
		cr_assert_eq(st.st_gid, 65534);
	test_server_stop(&ts);
	ctl_config_free(c);
}

Test(ctl_server, refuses_a_world_writable_mode)
{
	char err[256];
	test_server_cfg(&ts, &scfg);
	scfg.mode = 0666;
	cr_assert_null(ctl_server_new(&scfg, err, sizeof(err)));
	cr_assert_not_null(strstr(err, "world-writable"), "%s", err);
	rmdir(ts.dir);
}

Test(ctl_server, refuses_a_path_that_is_not_a_socket)
{
	char err[256];
	test_server_cfg(&ts, &scfg);
	int fd = open(ts.path, O_CREAT | O_WRONLY, 0600);
	cr_assert_geq(fd, 0);
	close(fd);
	errno = 0;
	cr_assert_null(ctl_server_new(&scfg, err, sizeof(err)));
	cr_assert_eq(errno, EEXIST);
	cr_assert_not_null(strstr(err, "not a socket"), "%s", err);
	struct stat st;
	cr_assert_eq(stat(ts.path, &st), 0, "the file is left alone");
	cr_assert(S_ISREG(st.st_mode));
	unlink(ts.path);
	rmdir(ts.dir);
}

Test(ctl_server, replaces_a_stale_socket_and_refuses_a_live_one)
{
	char err[256];
	test_server_cfg(&ts, &scfg);
	// stale: bound, never listening, its owner gone
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	strcpy(sa.sun_path, ts.path);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	cr_assert_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
	cr_assert_eq(test_server_start(&ts, &scfg), 0);
	assert_serving();
	errno = 0;
	cr_assert_null(ctl_server_new(&scfg, err, sizeof(err)));
	cr_assert_eq(errno, EADDRINUSE);
	assert_serving();
	test_server_stop(&ts);
}

Test(ctl_server, answers_a_request_with_the_handler_fields)
{
	start_default();
	int fd = connect_ok();
	json_t *r = raw(fd, "{\"v\":1,\"cmd\":\"status\",\"id\":7}\n");
	cr_assert_eq(json_integer_value(json_object_get(r, "v")), 1);
	cr_assert(json_is_true(json_object_get(r, "ok")));
	cr_assert_eq(json_integer_value(json_object_get(r, "id")), 7);
	cr_assert_str_eq(json_string_value(json_object_get(r, "version")), "0.1.0-test");
	json_decref(r);
	// the same connection takes more, pipelined and with CRLF
	send_all(fd,
		 "{\"v\":1,\"cmd\":\"echo\",\"arg\":1}\r\n\n{\"v\":1,\"cmd\":\"echo\",\"arg\":2}\n",
		 strlen("{\"v\":1,\"cmd\":\"echo\",\"arg\":1}\r\n\n{\"v\":1,\"cmd\":\"echo\","
			"\"arg\":"
			"2}\n"));
	for (int i = 1; i <= 2; i++) {
		char *line;
		cr_assert_gt(ctl_client_read_line(fd, &line, 4096), 0);
		json_t *j = json_loads(line, 0, NULL);
		cr_assert_eq(json_integer_value(json_object_get(j, "arg")), i, "%s", line);
		json_decref(j);
		free(line);
	}
	close(fd);
	test_server_stop(&ts);
}

Test(ctl_server, help_lists_the_registered_commands)
{
	start_default();
	int fd = connect_ok();
	json_t *r = raw(fd, "{\"v\":1,\"cmd\":\"help\"}\n");
	json_t *cmds = json_object_get(r, "commands");
	cr_assert_eq(json_array_size(cmds), 8); // help and the test server's seven
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(cmds, 4), "name")),
			 "zone reload");
	json_decref(r);
	close(fd);
	test_server_stop(&ts);
}

Test(ctl_server, malformed_requests_get_errors_and_the_connection_stays)
{
	static const struct {
		const char *req, *err;
	} cases[] = {
		{"{\"v\":1,\"cmd\":\n", "malformed JSON"},
		{"not json at all\n", "malformed JSON"},
		{"{\"v\":1,\"cmd\":\"status\"} trailing\n", "malformed JSON"},
		{"{\"v\":1,\"v\":1,\"cmd\":\"status\"}\n", "malformed JSON"},
		{"\"\\u0000\"\n", "malformed JSON"},
		{"\xff\xfe{}\n", "malformed JSON"},
		{"[1,2]\n", "JSON object"},
		{"{\"cmd\":\"status\"}\n", "missing \\\"v\\\""},
		{"{\"v\":\"1\",\"cmd\":\"status\"}\n", "missing \\\"v\\\""},
		{"{\"v\":2,\"cmd\":\"status\"}\n", "unsupported version 2"},
		{"{\"v\":1}\n", "missing \\\"cmd\\\""},
		{"{\"v\":1,\"cmd\":7}\n", "missing \\\"cmd\\\""},
		{"{\"v\":1,\"cmd\":\"reboot\"}\n", "unknown command: reboot"},
		{"{\"v\":1,\"cmd\":\"zone reload\",\"zone\":\"nope.\"}\n", "no such zone: nope."},
		{"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
		 "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n",
		 "malformed JSON"},
	};
	start_default();
	int fd = connect_ok();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *r = raw(fd, cases[i].req);
		cr_assert(json_is_false(json_object_get(r, "ok")), "case %zu", i);
		const char *e = json_string_value(json_object_get(r, "error"));
		cr_assert_not_null(e, "case %zu", i);
		char *want = strdup(cases[i].err), *o = want;
		for (const char *p = cases[i].err; *p; p++)
			if (*p != '\\')
				*o++ = *p;
		*o = '\0';
		cr_assert_not_null(strstr(e, want), "case %zu: '%s' lacks '%s'", i, e, want);
		free(want);
		json_decref(r);
	}
	json_t *r = raw(fd, "{\"v\":1,\"cmd\":\"status\"}\n");
	cr_assert(json_is_true(json_object_get(r, "ok")));
	json_decref(r);
	close(fd);
	test_server_stop(&ts);
	cr_assert_eq(ts.stats.requests, sizeof(cases) / sizeof(cases[0]) + 1);
	cr_assert_eq(ts.stats.errors, sizeof(cases) / sizeof(cases[0]));
}

// A request of exactly 64 KiB is served; one octet more is refused.
static char *echo_request(size_t total)
{
	const char *head = "{\"v\":1,\"cmd\":\"echo\",\"arg\":\"", *tail = "\"}";
	char *s = malloc(total + 2);
	size_t h = strlen(head), t = strlen(tail);
	memcpy(s, head, h);
	memset(s + h, 'x', total - h - t);
	memcpy(s + total - t, tail, t);
	s[total] = '\n';
	s[total + 1] = '\0';
	return s;
}

Test(ctl_server, serves_64k_and_refuses_one_octet_more)
{
	start_default();
	int fd = connect_ok();
	char *req = echo_request(CTL_REQUEST_MAX);
	json_t *r = raw(fd, req);
	cr_assert(json_is_true(json_object_get(r, "ok")));
	cr_assert_eq(strlen(json_string_value(json_object_get(r, "arg"))),
		     CTL_REQUEST_MAX - strlen("{\"v\":1,\"cmd\":\"echo\",\"arg\":\"\"}"));
	json_decref(r);
	free(req);
	req = echo_request(CTL_REQUEST_MAX + 1);
	r = raw(fd, req);
	assert_error(r, "request larger than 65536");
	json_decref(r);
	free(req);
	char *line;
	cr_assert_eq(ctl_client_read_line(fd, &line, 100), -ECONNRESET, "then it is closed");
	close(fd);
	assert_serving();
	test_server_stop(&ts);
}

struct flood {
	int fd;
	size_t sent;
};

static void *flood_main(void *arg)
{
	struct flood *f = arg;
	static char chunk[65536];
	memset(chunk, 'a', sizeof(chunk));
	// 10 MB with no newline; the server closes on us part way
	while (f->sent < (10u << 20)) {
		ssize_t w = send(f->fd, chunk, sizeof(chunk), MSG_NOSIGNAL);
		if (w <= 0)
			break;
		f->sent += (size_t)w;
	}
	return NULL;
}

Test(ctl_server, a_10mb_line_is_refused_without_reading_it_all)
{
	start_default();
	struct flood f = {.fd = connect_ok()};
	pthread_t th;
	pthread_create(&th, NULL, flood_main, &f);
	char *line;
	long n = ctl_client_read_line(f.fd, &line, 4096);
	cr_assert_gt(n, 0);
	json_t *r = json_loads(line, 0, NULL);
	assert_error(r, "request larger than");
	json_decref(r);
	free(line);
	pthread_join(th, NULL);
	cr_assert_lt(f.sent, 10u << 20, "the server stopped taking input");
	close(f.fd);
	assert_serving();
	test_server_stop(&ts);
}

Test(ctl_server, many_clients_at_once_and_one_too_many)
{
	int fds[CTL_CLIENTS_DEFAULT];
	start_default();
	for (int i = 0; i < CTL_CLIENTS_DEFAULT; i++)
		fds[i] = connect_ok();
	// every client's request is pending before any reply is read
	for (int i = 0; i < CTL_CLIENTS_DEFAULT; i++) {
		char req[64];
		snprintf(req, sizeof(req), "{\"v\":1,\"cmd\":\"echo\",\"arg\":%d}\n", i);
		send_all(fds[i], req, strlen(req));
	}
	for (int i = CTL_CLIENTS_DEFAULT - 1; i >= 0; i--) {
		char *line;
		cr_assert_gt(ctl_client_read_line(fds[i], &line, 4096), 0);
		json_t *j = json_loads(line, 0, NULL);
		cr_assert_eq(json_integer_value(json_object_get(j, "arg")), i);
		json_decref(j);
		free(line);
	}
	int extra = connect_ok();
	char *line;
	cr_assert_gt(ctl_client_read_line(extra, &line, 4096), 0);
	cr_assert_not_null(strstr(line, "too many clients"), "%s", line);
	free(line);
	close(extra);
	for (int i = 0; i < CTL_CLIENTS_DEFAULT; i++)
		close(fds[i]);
	// the slots come back once the server has seen the hang-ups
	for (int tries = 0;; tries++) {
		int fd = connect_ok();
		json_t *r = raw(fd, "{\"v\":1,\"cmd\":\"status\"}\n");
		bool ok = json_is_true(json_object_get(r, "ok"));
		json_decref(r);
		close(fd);
		if (ok)
			break;
		cr_assert_lt(tries, 100, "slots never freed");
		usleep(10000);
	}
	for (int i = 0; i < 100; i++)
		assert_serving();
	test_server_stop(&ts);
}

Test(ctl_server, a_client_hanging_up_mid_request_costs_nothing)
{
	start_default();
	for (int i = 0; i < 50; i++) {
		int fd = connect_ok();
		send_all(fd, "{\"v\":1,\"cmd\":", 13);
		close(fd);
	}
	// and one that hangs up before reading its reply
	int fd = connect_ok();
	send_all(fd, "{\"v\":1,\"cmd\":\"stats\"}\n", 22);
	close(fd);
	assert_serving();
	test_server_stop(&ts);
	cr_assert_eq(ts.stats.accepted, 52);
	cr_assert_eq(ts.stats.requests, 2, "only the complete requests were answered");
}

Test(ctl_server, closes_an_idle_client)
{
	test_server_cfg(&ts, &scfg);
	scfg.idle_ms = 200;
	cr_assert_eq(test_server_start(&ts, &scfg), 0);
	int fd = connect_ok();
	send_all(fd, "{\"v\":1", 6);
	char *line;
	cr_assert_eq(ctl_client_read_line(fd, &line, 100), -ECONNRESET);
	close(fd);
	assert_serving();
	test_server_stop(&ts);
}

Test(ctl_server, peer_check_allows_root_and_the_listed_ids_only)
{
	struct ctl_server_cfg c = {.group = (gid_t)-1};
	cr_assert(ctl_server_peer_allowed(&c, 0, 0), "root always");
	cr_assert(ctl_server_peer_allowed(&c, geteuid(), 12345), "our own uid by default");
	cr_assert(ctl_server_peer_allowed(&c, 12345, getegid()), "our own gid by default");
	cr_assert_eq(ctl_server_peer_allowed(&c, 12345, 12345), geteuid() == 12345);
	c.group = 4242;
	cr_assert(ctl_server_peer_allowed(&c, 12345, 4242), "the socket's group by default");
	c.allow_uids[0] = 1000;
	c.n_allow_uids = 1;
	c.allow_gids[0] = 2000;
	c.n_allow_gids = 1;
	cr_assert(ctl_server_peer_allowed(&c, 1000, 1));
	cr_assert(ctl_server_peer_allowed(&c, 1, 2000));
	cr_assert_not(ctl_server_peer_allowed(&c, 1001, 2001));
	cr_assert_not(ctl_server_peer_allowed(&c, 4242, 4242), "defaults replaced by the sets");
	cr_assert(ctl_server_peer_allowed(&c, 0, 2001), "root still");
}

// Through the socket: a peer outside the allowed set is refused. As root,
// a child drops to nobody (whom the file mode lets in through the socket's
// group); otherwise the set simply leaves us out.
Test(ctl_server, refuses_a_peer_outside_the_allowed_set)
{
	test_server_cfg(&ts, &scfg);
	bool root = geteuid() == 0;
	scfg.allow_uids[0] = 4242;
	scfg.n_allow_uids = 1;
	if (root) {
		scfg.group = 65534;
		chmod(ts.dir, 0755);
	}
	cr_assert_eq(test_server_start(&ts, &scfg), 0);
	pid_t pid = root ? fork() : 0;
	if (pid == 0) {
		if (root && (setgroups(0, NULL) != 0 || setresgid(65534, 65534, 65534) != 0 ||
			     setresuid(65534, 65534, 65534) != 0))
			_exit(10);
		int fd = ctl_client_connect(ts.path, 5000);
		if (fd < 0)
			_exit(11);
		char *line;
		if (ctl_client_read_line(fd, &line, 4096) <= 0)
			_exit(12);
		int bad = strstr(line, "permission denied") == NULL;
		free(line);
		// nothing more comes: the server closed
		if (ctl_client_read_line(fd, &line, 4096) != -ECONNRESET)
			_exit(13);
		if (root)
			_exit(bad);
		cr_assert_not(bad);
	} else {
		int status;
		waitpid(pid, &status, 0);
		cr_assert(WIFEXITED(status));
		cr_assert_eq(WEXITSTATUS(status), 0, "child status %d", WEXITSTATUS(status));
		assert_serving(); // root itself still gets in
	}
	test_server_stop(&ts);
	cr_assert_eq(ts.stats.refused_creds, 1);
}

struct taken {
	char line[4][64];
	size_t n, stop_after;
};

static bool take(void *arg, const char *line, size_t len)
{
	struct taken *t = arg;
	cr_assert_lt(len, sizeof(t->line[0]));
	memcpy(t->line[t->n], line, len);
	t->line[t->n][len] = '\0';
	return ++t->n < t->stop_after;
}

static bool all_zero(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

// A request's line (a password in it) is wiped once handled, and what the
// rest leaves behind when it moves to the front too.
Test(ctl_server, take_lines_wipes_handled_lines_and_what_the_rest_left)
{
	static const char in[] =
		"{\"pw\":\"Secret-One\"}\r\n\n{\"pw\":\"Secret-Two\"}\n{\"pw\":\"Sec";
	char buf[128];
	size_t len = sizeof(in) - 1, old = len;
	memcpy(buf, in, len);
	struct taken t = {.stop_after = 10};
	cr_assert_eq(ctl_server_take_lines(buf, &len, take, &t), 2);
	cr_assert_str_eq(t.line[0], "{\"pw\":\"Secret-One\"}");
	cr_assert_str_eq(t.line[1], "{\"pw\":\"Secret-Two\"}");
	cr_assert_eq(len, strlen("{\"pw\":\"Sec"));
	cr_assert_arr_eq(buf, "{\"pw\":\"Sec", len);
	cr_assert(all_zero(buf + len, old - len), "handled lines left in the buffer");
	// the rest of the request arrives: handled and wiped, nothing left
	memcpy(buf + len, "ret-3\"}\n", 8);
	len += 8;
	old = len;
	cr_assert_eq(ctl_server_take_lines(buf, &len, take, &t), 1);
	cr_assert_str_eq(t.line[2], "{\"pw\":\"Secret-3\"}");
	cr_assert_eq(len, 0);
	cr_assert(all_zero(buf, old));
	// fn says stop (the client is closing): the lines after it stay, unread
	memcpy(buf, "a\nb\n", 4);
	len = 4;
	t = (struct taken){.stop_after = 1};
	cr_assert_eq(ctl_server_take_lines(buf, &len, take, &t), 1);
	cr_assert_eq(len, 2);
	cr_assert_arr_eq(buf, "b\n", 2);
	cr_assert(all_zero(buf + 2, 2));
}

static unsigned wiped_secret_blocks;

// jansson's free as installed by the test: what ctl_free_wiped does, with
// a look at each block once wiped.
static void probe_free(void *p)
{
	if (!p)
		return;
	size_t n = malloc_usable_size(p);
	bool secret = memmem(p, n, "Pass-Word-77", 12) != NULL;
	cr_assert_eq(ctl_wipe_block(p), n);
	cr_assert(all_zero(p, n), "a block freed unwiped");
	wiped_secret_blocks += secret;
	free(p);
}

// Every string jansson frees, passwords included, goes through the wiping
// free; linerated and linerate-ctl install it (ctl_json_wipe_on_free).
Test(ctl_server, jansson_frees_are_wiped)
{
	json_malloc_t m;
	json_free_t f;
	ctl_json_wipe_on_free();
	json_get_alloc_funcs(&m, &f);
	cr_assert_eq(m, malloc);
	cr_assert_eq(f, ctl_free_wiped);
	cr_assert_eq(ctl_wipe_block(NULL), 0);
	ctl_free_wiped(NULL);
	json_set_alloc_funcs(malloc, probe_free);
	static const char req[] = "{\"v\":1,\"cmd\":\"usm user add\",\"users\":[{\"name\":\"a\","
				  "\"auth_password\":\"Pass-Word-77\"}]}";
	json_error_t jerr;
	json_t *r = json_loadb(req, sizeof(req) - 1, 0, &jerr);
	cr_assert_not_null(r, "%s", jerr.text);
	json_decref(r);
	cr_assert_geq(wiped_secret_blocks, 1, "the password's string was not freed through it");
	// a handled request line: its parse, its reply, all through it
	bool is_err;
	wiped_secret_blocks = 0;
	char *reply = ctl_server_handle_line(&scfg, req, sizeof(req) - 1, &is_err);
	cr_assert_not_null(reply);
	cr_assert_null(strstr(reply, "Pass-Word-77"), "%s", reply);
	free(reply);
	cr_assert_geq(wiped_secret_blocks, 1);
	json_set_alloc_funcs(malloc, free);
}

// A malformed request's error never quotes its text (a password may be
// where the fault is).
Test(ctl_server, malformed_request_error_quotes_no_text)
{
	bool is_err;
	static const char req[] = "{\"v\":1,\"auth_password\":\"Pass-Word-77\\q\"}";
	char *reply = ctl_server_handle_line(&scfg, req, sizeof(req) - 1, &is_err);
	cr_assert_not_null(reply);
	cr_assert(is_err);
	cr_assert_not_null(strstr(reply, "malformed JSON"), "%s", reply);
	cr_assert_null(strstr(reply, "Pass-Word"), "%s", reply);
	free(reply);
}
