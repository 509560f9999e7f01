/* SPDX-License-Identifier: BSD-3-Clause */
// One request line → one reply line, through the daemon's command table;
// and who may ask. No I/O here, so both are tested without a socket.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "ctl_server.h"

bool ctl_server_peer_allowed(const struct ctl_server_cfg *cfg, uid_t uid, gid_t gid)
{
	if (uid == 0)
		return true;
	if (!cfg->n_allow_uids && !cfg->n_allow_gids)
		return uid == geteuid() ||
		       (cfg->group != (gid_t)-1 ? gid == cfg->group : gid == getegid());
	for (size_t i = 0; i < cfg->n_allow_uids && i < CTL_ALLOWED_MAX; i++)
		if (cfg->allow_uids[i] == uid)
			return true;
	for (size_t i = 0; i < cfg->n_allow_gids && i < CTL_ALLOWED_MAX; i++)
		if (cfg->allow_gids[i] == gid)
			return true;
	return false;
}

static int cmd_help(const struct ctl_server_cfg *cfg, json_t *reply)
{
	json_t *list = json_array();
	if (!list)
		return -ENOMEM;
	json_array_append_new(list,
			      json_pack("{s:s,s:s}", "name", "help", "help", "list the commands"));
	for (size_t i = 0; i < cfg->n_commands; i++)
		json_array_append_new(
			list, json_pack("{s:s,s:s}", "name", cfg->commands[i].name, "help",
					cfg->commands[i].help ? cfg->commands[i].help : ""));
	return json_object_set_new(reply, "commands", list) ? -ENOMEM : 0;
}

// Check the envelope and run the handler; on error, err says why.
static int dispatch(const struct ctl_server_cfg *cfg, const char *line, size_t len, json_t *reply,
		    char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *req = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	int rc = -EINVAL;
	if (!req) {
		// jansson quotes the text near the fault ("near '...'"): it may
		// be a password, so it stays out of the reply, and is wiped
		char *near = strstr(jerr.text, " near ");
		if (near)
			*near = '\0';
		snprintf(err, errlen, "malformed JSON at column %d: %s", jerr.column, jerr.text);
		OPENSSL_cleanse(&jerr, sizeof(jerr));
		return -EINVAL;
	}
	if (!json_is_object(req)) {
		snprintf(err, errlen, "a request is a JSON object");
		goto out;
	}
	json_t *id = json_object_get(req, "id");
	if (id)
		json_object_set(reply, "id", id);
	json_t *v = json_object_get(req, "v");
	if (!json_is_integer(v)) {
		snprintf(err, errlen, "missing \"v\": the protocol version (%d)",
			 CTL_PROTO_VERSION);
		goto out;
	}
	if (json_integer_value(v) != CTL_PROTO_VERSION) {
		snprintf(err, errlen, "unsupported version %lld (this server speaks %d)",
			 (long long)json_integer_value(v), CTL_PROTO_VERSION);
		goto out;
	}
	const char *cmd = json_string_value(json_object_get(req, "cmd"));
	if (!cmd) {
		snprintf(err, errlen, "missing \"cmd\": a command name");
		goto out;
	}
	if (strcmp(cmd, "help") == 0) {
		rc = cmd_help(cfg, reply);
		goto out;
	}
	for (size_t i = 0; i < cfg->n_commands; i++) {
		if (strcmp(cfg->commands[i].name, cmd) != 0)
			continue;
		err[0] = '\0';
		rc = cfg->commands[i].fn(cfg->ctx, req, reply, err, errlen);
		if (rc && !err[0])
			snprintf(err, errlen, "%s failed: %s", cmd, strerror(-rc));
		goto out;
	}
	// the name is the client's text: bounded and shown as JSON escapes it
	snprintf(err, errlen, "unknown command: %.64s", cmd);
out:
	json_decref(req);
	return rc;
}

char *ctl_server_handle_line(const struct ctl_server_cfg *cfg, const char *line, size_t len,
			     bool *is_error)
{
	char err[256] = "";
	json_t *reply = json_pack("{s:i,s:b}", "v", CTL_PROTO_VERSION, "ok", 1);
	if (!reply)
		return NULL;
	int rc = dispatch(cfg, line, len, reply, err, sizeof(err));
	if (rc) {
		// messages quote client text: keep them printable ASCII, valid JSON
		for (char *p = err; *p; p++)
			if (*p < 0x20 || *p > 0x7e)
				*p = '?';
		// a failed request's reply holds only the envelope and the error
		json_t *id = json_incref(json_object_get(reply, "id"));
		json_object_clear(reply);
		json_object_set_new(reply, "v", json_integer(CTL_PROTO_VERSION));
		if (id)
			json_object_set_new(reply, "id", id);
		json_object_set_new(reply, "ok", json_false());
		json_object_set_new(reply, "error", json_string(err));
	}
	*is_error = rc != 0;
	char *text = json_dumps(reply, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(reply);
	if (!text)
		return NULL;
	size_t n = strlen(text);
	char *out = realloc(text, n + 2);
	if (!out) {
		free(text);
		return NULL;
	}
	out[n] = '\n';
	out[n + 1] = '\0';
	return out;
}
