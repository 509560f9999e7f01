/* SPDX-License-Identifier: BSD-3-Clause */
// linerate-ctl's `usm` words (ctl_usm_args.h).
#include "ctl_usm_args.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ctl_server.h"
#include "ctl_usm_users.h"

#define BATCH_DEFAULT 50
#define BATCH_MAX     200 // a request stays under CTL_REQUEST_MAX
// A password file's line: far past any sane password, well under a request.
#define CTL_USM_PW_READ_MAX 1024

static json_t *request(const char *cmd)
{
	return json_pack("{s:i,s:s}", "v", CTL_PROTO_VERSION, "cmd", cmd);
}

static json_t *hex_json(const uint8_t *p, size_t len)
{
	char buf[2 + 2 * 64 + 1] = "0x";
	for (size_t i = 0; i < len && i < 64; i++)
		snprintf(buf + 2 + 2 * i, 3, "%02x", p[i]);
	return json_string(buf);
}

// One loaded user back as a users-file entry (JSON): its password as
// given, or its key in hex.
static json_t *entry_json(const struct usm_user_cfg *c, const struct ctl_usm_pw *pw)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", json_stringn((const char *)c->name, c->name_len));
	if (c->engine_len)
		json_object_set_new(o, "engine_id", hex_json(c->engine_id, c->engine_len));
	json_object_set_new(o, "auth", json_string(usm_auth_name(c->auth)));
	json_object_set_new(o, "priv", json_string(usm_priv_name(c->priv)));
	if (c->priv == USM_PRIV_AES192 || c->priv == USM_PRIV_AES256)
		json_object_set_new(o, "compat", json_string(usm_compat_name(c->compat)));
	if (c->auth != USM_AUTH_NONE)
		json_object_set_new(o, pw->len[0] ? "auth_password" : "auth_key",
				    pw->len[0]
					    ? json_stringn((const char *)pw->pw[0], pw->len[0])
					    : hex_json(c->auth_key, usm_auth_digest_len(c->auth)));
	if (c->priv != USM_PRIV_NONE)
		json_object_set_new(o, pw->len[1] ? "priv_password" : "priv_key",
				    pw->len[1] ? json_stringn((const char *)pw->pw[1], pw->len[1])
					       : hex_json(c->priv_key, c->priv_key_len));
	return o;
}

static int from_file(const char *path, size_t batch, json_t ***reqs, size_t *n, char *err,
		     size_t errlen)
{
	struct ctl_usm_users *u = ctl_usm_users_load_pw(path, NULL, 0, err, errlen);
	if (!u)
		return -1;
	size_t nr = (u->n + batch - 1) / batch;
	*reqs = calloc(nr ? nr : 1, sizeof(**reqs));
	*n = 0;
	for (size_t i = 0; *reqs && i < u->n; i++) {
		if (i % batch == 0) {
			(*reqs)[(*n)++] = request("usm user add");
			json_object_set_new((*reqs)[*n - 1], "users", json_array());
		}
		json_array_append_new(json_object_get((*reqs)[*n - 1], "users"),
				      entry_json(&u->users[i], &u->pw[i]));
	}
	ctl_usm_users_free(u); // wipes the passwords
	if (!*reqs) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

// A password from a file's first line, or from standard input's next
// line for "-" (so that it is not in the command line `ps` shows): the
// line end dropped. A JSON string, or NULL and why. The buffer is wiped.
static json_t *password_from(const char *path, const char *opt, char *err, size_t errlen)
{
	char line[CTL_USM_PW_READ_MAX + 2];
	bool std = !strcmp(path, "-");
	FILE *f = std ? stdin : fopen(path, "re");
	json_t *pw = NULL;
	if (!f) {
		snprintf(err, errlen, "usm user add: %s %s: %s", opt, path, strerror(errno));
		return NULL;
	}
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	size_t len = strlen(line);
	bool whole = (len && line[len - 1] == '\n') || feof(f);
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	if (!len || !whole || len > CTL_USM_PW_READ_MAX)
		snprintf(err, errlen, "usm user add: %s %s: %s", opt,
			 std ? "(standard input)" : path,
			 !whole || len > CTL_USM_PW_READ_MAX ? "the line is too long"
							     : "no password on its first line");
	else if (!(pw = json_stringn(line, len)))
		snprintf(err, errlen, "usm user add: %s: not UTF-8 text", opt);
	OPENSSL_cleanse(line, sizeof(line));
	if (!std)
		fclose(f);
	return pw;
}

// `usm user add NAME --opt VALUE...` as one users-file entry.
static json_t *user_from_args(int argc, char **argv, char *err, size_t errlen)
{
	static const char *const opts[][2] = {
		{"--engine", "engine_id"},
		{"--auth", "auth"},
		{"--auth-password", "auth_password"},
		{"--auth-password-file", "auth_password"},
		{"--auth-key", "auth_key"},
		{"--priv", "priv"},
		{"--priv-password", "priv_password"},
		{"--priv-password-file", "priv_password"},
		{"--priv-key", "priv_key"},
		{"--compat", "compat"},
	};
	json_t *o = json_object();
	json_object_set_new(o, "name", json_string(argv[0]));
	for (int i = 1; i < argc; i += 2) {
		size_t k = 0;
		while (k < sizeof(opts) / sizeof(opts[0]) && strcmp(argv[i], opts[k][0]))
			k++;
		if (k == sizeof(opts) / sizeof(opts[0]) || i + 1 >= argc) {
			snprintf(err, errlen, "usm user add: %s %s", argv[i],
				 i + 1 >= argc ? "needs a value" : "is not an option");
			json_decref(o);
			return NULL;
		}
		size_t ol = strlen(argv[i]);
		json_t *v = ol > 5 && !strcmp(argv[i] + ol - 5, "-file")
				    ? password_from(argv[i + 1], argv[i], err, errlen)
				    : json_string(argv[i + 1]);
		if (!v) {
			json_decref(o);
			return NULL;
		}
		json_object_set_new(o, opts[k][1], v);
	}
	return o;
}

// "--boots N --time N" and "--engine HEX" after the positional words.
static int opts_into(json_t *req, int argc, char **argv, const char *const *allowed, char *err,
		     size_t errlen)
{
	for (int i = 0; i < argc; i += 2) {
		size_t k = 0;
		while (allowed[k] && strcmp(argv[i], allowed[k]))
			k++;
		if (!allowed[k] || i + 1 >= argc) {
			snprintf(err, errlen, "%s %s", argv[i],
				 allowed[k] ? "needs a value" : "is not an option here");
			return -1;
		}
		const char *key = argv[i] + 2;
		if (!strcmp(key, "engine")) {
			json_object_set_new(req, key, json_string(argv[i + 1]));
			continue;
		}
		char *end;
		long long v = strtoll(argv[i + 1], &end, 10);
		if (*end || v < 0) {
			snprintf(err, errlen, "%s: not a count: %s", argv[i], argv[i + 1]);
			return -1;
		}
		json_object_set_new(req, key, json_integer(v));
	}
	return 0;
}

static int one(json_t *req, json_t ***reqs, size_t *n)
{
	*reqs = calloc(1, sizeof(**reqs));
	if (!*reqs || !req) {
		json_decref(req);
		return -1;
	}
	(*reqs)[0] = req;
	*n = 1;
	return 0;
}

static int user_words(int argc, char **argv, json_t ***reqs, size_t *n, char *err, size_t errlen)
{
	static const char *const engine_opt[] = {"--engine", NULL};
	if (argc >= 2 && !strcmp(argv[0], "add") && !strcmp(argv[1], "--file")) {
		long batch = BATCH_DEFAULT;
		if (argc == 5 && !strcmp(argv[3], "--batch"))
			batch = strtol(argv[4], NULL, 10);
		if (argc < 3 || (argc != 3 && argc != 5) || batch < 1 || batch > BATCH_MAX) {
			snprintf(err, errlen, "usage: usm user add --file FILE [--batch 1..%d]",
				 BATCH_MAX);
			return -1;
		}
		return from_file(argv[2], (size_t)batch, reqs, n, err, errlen);
	}
	if (argc >= 2 && !strcmp(argv[0], "add") && argv[1][0] != '-') {
		json_t *u = user_from_args(argc - 1, argv + 1, err, errlen);
		if (!u)
			return -1;
		json_t *req = request("usm user add");
		json_object_set_new(req, "users", json_pack("[o]", u));
		return one(req, reqs, n);
	}
	if (argc >= 2 && !strcmp(argv[0], "remove") && argv[1][0] != '-') {
		json_t *req = request("usm user remove");
		json_object_set_new(req, "name", json_string(argv[1]));
		if (opts_into(req, argc - 2, argv + 2, engine_opt, err, errlen) < 0) {
			json_decref(req);
			return -1;
		}
		return one(req, reqs, n);
	}
	if (argc == 1 && !strcmp(argv[0], "list"))
		return one(request("usm user list"), reqs, n);
	snprintf(err, errlen, "usage: usm user add|remove|list ...");
	return -1;
}

static int engine_words(int argc, char **argv, json_t ***reqs, size_t *n, char *err, size_t errlen)
{
	static const char *const add_opts[] = {"--boots", "--time", NULL};
	static const char *const none[] = {NULL};
	if (argc == 1 && !strcmp(argv[0], "list"))
		return one(request("usm engine list"), reqs, n);
	if (argc >= 2 && (!strcmp(argv[0], "add") || !strcmp(argv[0], "remove"))) {
		bool add = !strcmp(argv[0], "add");
		json_t *req = request(add ? "usm engine add" : "usm engine remove");
		json_object_set_new(req, "engine", json_string(argv[1]));
		if (opts_into(req, argc - 2, argv + 2, add ? add_opts : none, err, errlen) < 0) {
			json_decref(req);
			return -1;
		}
		return one(req, reqs, n);
	}
	snprintf(err, errlen,
		 "usage: usm engine add HEX [--boots N] [--time N] | remove HEX | "
		 "list");
	return -1;
}

int ctl_usm_requests(int argc, char **argv, json_t ***reqs, size_t *n, char *err, size_t errlen)
{
	*reqs = NULL;
	*n = 0;
	if (argc >= 2 && !strcmp(argv[1], "user"))
		return user_words(argc - 2, argv + 2, reqs, n, err, errlen);
	if (argc >= 2 && !strcmp(argv[1], "engine"))
		return engine_words(argc - 2, argv + 2, reqs, n, err, errlen);
	if (argc == 3 && !strcmp(argv[1], "cache") &&
	    (!strcmp(argv[2], "show") || !strcmp(argv[2], "clear")))
		return one(request(!strcmp(argv[2], "show") ? "usm cache show" : "usm cache clear"),
			   reqs, n);
	if (argc == 2 && (!strcmp(argv[1], "hash") || !strcmp(argv[1], "reload")))
		return one(request(!strcmp(argv[1], "hash") ? "usm hash" : "usm reload"), reqs, n);
	snprintf(err, errlen, "usage: usm user|engine|cache|hash|reload ...");
	return -1;
}

void ctl_usm_requests_free(json_t **reqs, size_t n)
{
	for (size_t i = 0; reqs && i < n; i++)
		json_decref(reqs[i]);
	free(reqs);
}
