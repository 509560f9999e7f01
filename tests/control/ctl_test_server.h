/* SPDX-License-Identifier: BSD-3-Clause */
// A control server on a socket in a fresh temporary directory, served by a
// thread, with a small command table. For the server's and the CLI's tests.
#ifndef CTL_TEST_SERVER_H
#define CTL_TEST_SERVER_H

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl_server.h"

struct test_server {
	char dir[64];
	char path[128];
	struct ctl_server *srv;
	pthread_t thread;
	volatile bool stop;
	struct ctl_server_stats stats; // as the server stopped
};

static int cmd_status(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
{
	(void)ctx, (void)req, (void)err, (void)errlen;
	json_object_set_new(reply, "version", json_string("0.1.0-test"));
	json_object_set_new(reply, "uptime_s", json_integer(42));
	json_object_set_new(reply, "workers", json_integer(2));
	json_object_set_new(reply, "zones", json_integer(1));
	json_object_set_new(reply, "ports",
			    json_pack("[{s:s,s:[s,s],s:b,s:s},{s:s,s:[],s:b,s:s}]", "name", "lr0",
				      "ipv4", "192.0.2.53", "192.0.2.54", "rss", 0, "link", "up",
				      "name", "lr1", "ipv4", "rss", 1, "link", "down"));
	return 0;
}

static int cmd_stats(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
{
	(void)ctx, (void)req, (void)err, (void)errlen;
	json_object_set_new(reply, "stats",
			    json_pack("{s:I,s:I,s:{s:I,s:I},s:{s:I}}", "rx_packets",
				      (json_int_t)1000, "tx_packets", (json_int_t)990, "rcode",
				      "NOERROR", (json_int_t)900, "NXDOMAIN", (json_int_t)90,
				      "drops", "malformed_dns", (json_int_t)10));
	return 0;
}

static int cmd_zone_list(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
{
	(void)ctx, (void)req, (void)err, (void)errlen;
	json_object_set_new(reply, "zones",
			    json_pack("[{s:s,s:i,s:s}]", "name", "example.com.", "serial",
				      2024010101, "file", "example.com.zone"));
	return 0;
}

static int cmd_zone_reload(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
{
	(void)ctx;
	const char *zone = json_string_value(json_object_get(req, "zone"));
	if (zone && strcmp(zone, "example.com.") != 0) {
		snprintf(err, errlen, "no such zone: %s", zone);
		return -ENOENT;
	}
	json_object_set_new(reply, "reloaded", json_pack("[s]", "example.com."));
	return 0;
}

// Says what it was asked: the sink's name and how long the daemon may wait.
static int cmd_sink_flush(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
{
	(void)ctx, (void)err, (void)errlen;
	json_object_set(reply, "name", json_object_get(req, "name"));
	json_object_set(reply, "timeout_ms", json_object_get(req, "timeout_ms"));
	return 0;
}

static int cmd_echo(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
{
	(void)ctx, (void)err, (void)errlen;
	json_object_set(reply, "arg", json_object_get(req, "arg"));
	return 0;
}

// Says how long the first user's passwords were (never the passwords):
// enough to show linerate-ctl read them from where it was told.
static int cmd_usm_user_add(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
{
	(void)ctx, (void)err, (void)errlen;
	const json_t *u = json_array_get(json_object_get(req, "users"), 0);
	const char *keys[] = {"auth_password", "priv_password"};
	for (size_t i = 0; i < 2; i++) {
		const json_t *pw = json_object_get(u, keys[i]);
		json_object_set_new(reply, i ? "priv_password_len" : "auth_password_len",
				    json_integer(pw ? (json_int_t)json_string_length(pw) : -1));
	}
	return 0;
}

static const struct ctl_command test_commands[] = {
	{"status", "daemon status", cmd_status},
	{"stats", "counters", cmd_stats},
	{"zone list", "zones served", cmd_zone_list},
	{"zone reload", "reload zones", cmd_zone_reload},
	{"echo", "echo arg", cmd_echo},
	{"sink flush", "flush sinks", cmd_sink_flush},
	{"usm user add", "password lengths", cmd_usm_user_add},
};

static void *test_server_main(void *arg)
{
	struct test_server *t = arg;
	ctl_server_run(t->srv, &t->stop);
	return NULL;
}

static void test_server_cfg(struct test_server *t, struct ctl_server_cfg *cfg)
{
	strcpy(t->dir, "/tmp/ctl_test_XXXXXX");
	if (!mkdtemp(t->dir))
		abort();
	snprintf(t->path, sizeof(t->path), "%s/control.sock", t->dir);
	*cfg = (struct ctl_server_cfg){
		.path = t->path,
		.group = (gid_t)-1,
		.commands = test_commands,
		.n_commands = sizeof(test_commands) / sizeof(test_commands[0]),
	};
}

static int test_server_start(struct test_server *t, const struct ctl_server_cfg *cfg)
{
	char err[256];
	t->stop = false;
	t->srv = ctl_server_new(cfg, err, sizeof(err));
	if (!t->srv) {
		fprintf(stderr, "ctl_server_new: %s\n", err);
		return -errno;
	}
	return pthread_create(&t->thread, NULL, test_server_main, t) ? -EAGAIN : 0;
}

static void test_server_stop(struct test_server *t)
{
	t->stop = true;
	pthread_join(t->thread, NULL);
	ctl_server_get_stats(t->srv, &t->stats);
	ctl_server_free(t->srv);
	rmdir(t->dir);
}

#endif
