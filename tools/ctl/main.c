/* SPDX-License-Identifier: BSD-3-Clause */
// linerate-ctl: talk to linerated's control socket.
//
//   linerate-ctl [-s SOCKET] [--json] [-t MS] status|stats|zone list|zone reload [NAME]|
//                zone check [ORIGIN=]FILE|config check FILE|config dump|config save [PATH]|log level [LEVEL]|
//                trace start FILE [...]|trace stop|trace status|sink list|
//                sink flush [NAME]|help
//   linerate-ctl [-s SOCKET] [--json] [-t MS] usm ...      (ctl_usm_args.h)
//
// Exit status: 0 the command succeeded, 1 the daemon refused or failed it,
// 2 bad usage or no daemon to talk to.
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl_client.h"
#include "ctl_config.h"
#include "ctl_ops.h"
#include "ctl_print.h"
#include "ctl_server.h"
#include "ctl_usm_args.h"

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

static void usage(FILE *f)
{
	fprintf(f,
		"usage: linerate-ctl [-s SOCKET] [--json] [-t MS] COMMAND\n"
		"commands:\n"
		"  status              daemon, ports and workers\n"
		"  stats               counters\n"
		"  zone list           zones served\n"
		"  zone reload [NAME]  reload the zones (NAME must be one: one image holds all)\n"
		"  zone check [ORIGIN=]FILE  validate a zone file (no daemon needed)\n"
		"  config check FILE   validate a configuration file (no daemon needed)\n"
		"  config dump         the running configuration, secrets masked\n"
		"  config save [PATH]  write the running configuration to its file (or PATH)\n"
		"  log level [LEVEL]   show or set the log level (error .. debug)\n"
		"  trace start FILE [--kinds all|dns|snmp|bad|REASON,...] [--snaplen N]\n"
		"        [--max-packets N] [--max-bytes N]\n"
		"                      write received packets to a pcapng file\n"
		"  trace stop|status   end the trace, or show it\n"
		"  sink list           trap sinks: cursor, lag, delivered, errors, state\n"
		"  sink flush [NAME]   wait (up to the -t timeout) until the sink, or every\n"
		"                      sink, delivered what the journal holds\n"
		"  usm user add NAME [--engine HEX] [--auth P] [--auth-password PW|\n"
		"               --auth-password-file F|--auth-key HEX] [--priv P]\n"
		"               [--priv-password PW|--priv-password-file F|--priv-key HEX]\n"
		"               [--compat MODE]\n"
		"  usm user add --file USERS.yaml [--batch N]\n"
		"                      --auth-password PW shows PW to anyone running ps: use\n"
		"                      --file or the -file options (the file's first line;\n"
		"                      F \"-\": the next line of standard input)\n"
		"  usm user remove NAME [--engine HEX]\n"
		"  usm user list       SNMPv3 users (keys shown by ID only)\n"
		"  usm engine add HEX [--boots N] [--time N] | usm engine remove HEX | usm engine "
		"list\n"
		"  usm cache show|clear  engines learned from authenticated messages\n"
		"  usm hash            localise and store every key now\n"
		"  usm reload          read the users file again\n"
		"  help                the commands the daemon knows\n"
		"options:\n"
		"  -s, --socket PATH   control socket (default %s)\n"
		"  -j, --json          print the daemon's JSON reply as is\n"
		"  -t, --timeout MS    wait at most this long for a reply (default 10000)\n",
		CTL_CONFIG_SOCKET_DEFAULT);
}

// The request for the words on the command line, or NULL (bad usage).
// timeout: the client's, in ms (a flush waits a little less).
static json_t *build_request(int argc, char **argv, long timeout)
{
	json_t *ops = ctl_ops_request(argc, argv);
	if (ops)
		return ops;
	if (argc == 2 && !strcmp(argv[0], "sink") && !strcmp(argv[1], "list"))
		return json_pack("{s:i,s:s}", "v", CTL_PROTO_VERSION, "cmd", "sink list");
	if ((argc == 2 || argc == 3) && !strcmp(argv[0], "sink") && !strcmp(argv[1], "flush")) {
		// the daemon waits at most 60 s; its reply must beat our timeout,
		// with a margin for a loaded machine
		long wait = timeout - (timeout / 5 > 1000 ? 1000 : timeout / 5);
		if (wait > 60000)
			wait = 60000;
		json_t *req = json_pack("{s:i,s:s,s:I}", "v", CTL_PROTO_VERSION, "cmd",
					"sink flush", "timeout_ms", (json_int_t)wait);
		if (req && argc == 3)
			json_object_set_new(req, "name", json_string(argv[2]));
		return req;
	}
	if (argc == 1 &&
	    (!strcmp(argv[0], "status") || !strcmp(argv[0], "stats") || !strcmp(argv[0], "help")))
		return json_pack("{s:i,s:s}", "v", CTL_PROTO_VERSION, "cmd", argv[0]);
	if (argc == 2 && !strcmp(argv[0], "zone") && !strcmp(argv[1], "list"))
		return json_pack("{s:i,s:s}", "v", CTL_PROTO_VERSION, "cmd", "zone list");
	if ((argc == 2 || argc == 3) && !strcmp(argv[0], "zone") && !strcmp(argv[1], "reload")) {
		json_t *req = json_pack("{s:i,s:s}", "v", CTL_PROTO_VERSION, "cmd", "zone reload");
		if (req && argc == 3)
			json_object_set_new(req, "zone", json_string(argv[2]));
		return req;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"socket", required_argument, NULL, 's'},
		{"json", no_argument, NULL, 'j'},
		{"timeout", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *path = CTL_CONFIG_SOCKET_DEFAULT;
	bool as_json = false;
	long timeout = 10000;
	int opt;
	ctl_json_wipe_on_free(); // before any JSON: requests may carry passwords
	while ((opt = getopt_long(argc, argv, "+s:jt:h", opts, NULL)) != -1) {
		char *end;
		switch (opt) {
		case 's':
			path = optarg;
			break;
		case 'j':
			as_json = true;
			break;
		case 't':
			timeout = strtol(optarg, &end, 10);
			if (*end || timeout <= 0 || timeout > 3600000) {
				fprintf(stderr, "linerate-ctl: bad timeout: %s\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind == argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	int status;
	if (ctl_ops_offline(argc - optind, argv + optind, as_json, &status))
		return status;
	json_t **reqs = NULL;
	size_t nreq = 0;
	char err[512];
	if (!strcmp(argv[optind], "usm")) {
		if (ctl_usm_requests(argc - optind, argv + optind, &reqs, &nreq, err, sizeof(err)) <
		    0) {
			fprintf(stderr, "linerate-ctl: %s\n", err);
			return EXIT_USAGE;
		}
	} else {
		json_t *req = build_request(argc - optind, argv + optind, timeout);
		if (!req) {
			fprintf(stderr, "linerate-ctl: unknown command\n");
			usage(stderr);
			return EXIT_USAGE;
		}
		reqs = calloc(1, sizeof(*reqs));
		if (!reqs) {
			json_decref(req);
			return EXIT_USAGE;
		}
		reqs[nreq++] = req;
	}
	int fd = ctl_client_connect(path, (int)timeout);
	if (fd < 0) {
		fprintf(stderr, "linerate-ctl: cannot connect to %s: %s\n", path, strerror(-fd));
		ctl_usm_requests_free(reqs, nreq);
		return EXIT_USAGE;
	}
	// several requests (a users file in batches): one connection, stop at
	// the first refusal; the counts summed into the last reply
	json_t *reply = NULL;
	json_int_t added = 0, hashed = 0;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < nreq; i++) {
		json_decref(reply);
		reply = NULL;
		rc = ctl_client_call(fd, reqs[i], &reply, err, sizeof(err));
		if (rc == 0 && !json_is_true(json_object_get(reply, "ok")))
			break;
		added += json_integer_value(json_object_get(reply, "added"));
		hashed += json_integer_value(json_object_get(reply, "hashed"));
	}
	close(fd);
	ctl_usm_requests_free(reqs, nreq);
	if (rc) {
		fprintf(stderr, "linerate-ctl: %s: %s\n", path, err);
		json_decref(reply);
		return EXIT_USAGE;
	}
	if (nreq > 1 && json_object_get(reply, "added")) {
		json_object_set_new(reply, "added", json_integer(added));
		json_object_set_new(reply, "hashed", json_integer(hashed));
	}
	bool ok = json_is_true(json_object_get(reply, "ok"));
	if (as_json) {
		char *text = json_dumps(reply, JSON_COMPACT);
		printf("%s\n", text ? text : "");
		free(text);
	} else if (ok) {
		if (!ctl_ops_print(stdout, reply))
			ctl_print_reply(stdout, reply);
	} else {
		const char *e = json_string_value(json_object_get(reply, "error"));
		fprintf(stderr, "linerate-ctl: %s\n", e ? e : "the command failed");
	}
	json_decref(reply);
	return ok ? EXIT_OK : EXIT_FAILED;
}
