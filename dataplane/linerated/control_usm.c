/* SPDX-License-Identifier: BSD-3-Clause */
// The control socket's `usm` commands (issue #7): users, declared remote
// engines, the engine cache, and hashing every key ahead of time. Each
// change builds a new users table off the workers and swaps it in (RCU,
// usm_keys.c). Replies never carry a password or key: key IDs only.
//
//   usm user add     {"users":[{users-file entry}, ...]}   all or none
//   usm user remove  {"name":"alice","engine":"80001f88..."}  (engine: optional)
//   usm user list
//   usm engine add   {"engine":"80001f88...","boots":1,"time":0}
//   usm engine remove {"engine":"..."}
//   usm engine list
//   usm cache show | usm cache clear
//   usm hash
//   usm reload       the users file again (what SIGHUP should call)
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ctl_config_walk.h"
#include "ctl_io.h"
#include "usm_keys.h"

static int no_snmp(char *err, size_t errlen)
{
	return ctl_errf(err, errlen, -ENOTSUP, "the SNMP trap collector is not enabled");
}

// The request's "engine" (hex, "0x" allowed) into id; absent: len 0 unless
// required. 0 or -EINVAL.
static int engine_arg(const json_t *req, bool required, uint8_t id[USM_ENGINE_ID_MAX], size_t *len,
		      char *err, size_t errlen)
{
	const json_t *e = json_object_get(req, "engine");
	*len = 0;
	if (!e || json_is_null(e) || (json_is_string(e) && !strcmp(json_string_value(e), "any")))
		return required ? ctl_errf(err, errlen, -EINVAL, "engine: missing") : 0;
	const char *s = json_string_value(e);
	if (!s)
		return ctl_errf(err, errlen, -EINVAL, "engine: not a string of hex digits");
	if (!strncmp(s, "0x", 2) || !strncmp(s, "0X", 2))
		s += 2;
	int n = ctl_hex_decode(s, strlen(s), id, USM_ENGINE_ID_MAX);
	if (n < 0 || usm_engine_id_check(id, (size_t)n))
		return ctl_errf(err, errlen, -EINVAL, "engine: %s",
				n < 0 ? "not 5 to 32 octets of hex digits"
				      : usm_strerror(usm_engine_id_check(id, (size_t)n)));
	*len = (size_t)n;
	return 0;
}

static bool running(void)
{
	struct lr_usm_stats s;
	lr_usm_get_stats(&s);
	return s.tables > 0;
}

static int cmd_user_add(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
{
	(void)ctx;
	if (!running())
		return no_snmp(err, errlen);
	const json_t *users = json_object_get(req, "users");
	if (!json_is_array(users) || !json_array_size(users))
		return ctl_errf(err, errlen, -EINVAL, "users: expected a list of users");
	// JSON is YAML: the users file's own loader checks every entry, with
	// its key paths and its care never to show a secret
	json_t *doc = json_pack("{s:O}", "users", users);
	char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	if (!text)
		return ctl_errf(err, errlen, -ENOMEM, "out of memory");
	size_t len = strlen(text);
	struct ctl_usm_users *u = ctl_usm_users_load_pw(NULL, text, len, err, errlen);
	OPENSSL_cleanse(text, len);
	free(text);
	if (!u)
		return -EINVAL;
	size_t hashed;
	int rc = lr_usm_users_add(u, &hashed, err, errlen);
	if (rc == 0) {
		json_object_set_new(reply, "added", json_integer((json_int_t)u->n));
		json_object_set_new(reply, "hashed", json_integer((json_int_t)hashed));
	}
	ctl_usm_users_free(u);
	return rc;
}

static int cmd_user_remove(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
{
	(void)ctx;
	(void)reply;
	uint8_t id[USM_ENGINE_ID_MAX];
	size_t len;
	const char *name = json_string_value(json_object_get(req, "name"));
	if (!running())
		return no_snmp(err, errlen);
	if (!name || !*name || strlen(name) > USM_NAME_MAX)
		return ctl_errf(err, errlen, -EINVAL, "name: 1 to %d octets", USM_NAME_MAX);
	if (engine_arg(req, false, id, &len, err, errlen) < 0)
		return -EINVAL;
	return lr_usm_user_remove((const uint8_t *)name, strlen(name), id, len, err, errlen);
}

static int cmd_user_list(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
{
	(void)ctx;
	(void)req;
	if (!running())
		return no_snmp(err, errlen);
	json_object_set_new(reply, "users", lr_usm_users_json());
	return 0;
}

static int u32_arg(const json_t *req, const char *key, uint32_t *out, char *err, size_t errlen)
{
	const json_t *v = json_object_get(req, key);
	*out = 0;
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > (json_int_t)USM_BOOTS_MAX)
		return ctl_errf(err, errlen, -EINVAL, "%s: an integer 0 to %u", key, USM_BOOTS_MAX);
	*out = (uint32_t)json_integer_value(v);
	return 0;
}

static int cmd_engine_add(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
{
	(void)ctx;
	(void)reply;
	uint8_t id[USM_ENGINE_ID_MAX];
	size_t len;
	uint32_t boots, time;
	if (!running())
		return no_snmp(err, errlen);
	if (engine_arg(req, true, id, &len, err, errlen) < 0 ||
	    u32_arg(req, "boots", &boots, err, errlen) < 0 ||
	    u32_arg(req, "time", &time, err, errlen) < 0)
		return -EINVAL;
	return lr_usm_engine_add(id, len, boots, time, err, errlen);
}

static int cmd_engine_remove(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
{
	(void)ctx;
	(void)reply;
	uint8_t id[USM_ENGINE_ID_MAX];
	size_t len;
	if (!running())
		return no_snmp(err, errlen);
	if (engine_arg(req, true, id, &len, err, errlen) < 0)
		return -EINVAL;
	return lr_usm_engine_remove(id, len, err, errlen);
}

static int cmd_engine_list(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
{
	(void)ctx;
	(void)req;
	if (!running())
		return no_snmp(err, errlen);
	json_object_set_new(reply, "engines", lr_usm_engines_json());
	return 0;
}

static int cmd_cache_show(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
{
	(void)ctx;
	(void)req;
	if (!running())
		return no_snmp(err, errlen);
	json_t *c = lr_usm_cache_json();
	json_object_update(reply, c);
	json_decref(c);
	return 0;
}

static int cmd_cache_clear(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
{
	(void)ctx;
	(void)req;
	(void)reply;
	if (!running())
		return no_snmp(err, errlen);
	return lr_usm_cache_clear(err, errlen);
}

static int cmd_hash(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
{
	(void)ctx;
	(void)req;
	if (!running())
		return no_snmp(err, errlen);
	return lr_usm_hash_all(reply, err, errlen);
}

static int cmd_reload(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
{
	(void)ctx;
	(void)req;
	if (!running())
		return no_snmp(err, errlen);
	struct lr_usm_stats before, after;
	lr_usm_get_stats(&before);
	if (lr_usm_reload(err, errlen) < 0)
		return -EINVAL;
	lr_usm_get_stats(&after);
	json_object_set_new(reply, "hashed",
			    json_integer((json_int_t)(after.hashes - before.hashes)));
	return 0;
}

const struct ctl_command lr_usm_commands[] = {
	{"usm user add",
	 "add SNMPv3 users (users-file entries; passwords hashed off the workers), all or none",
	 cmd_user_add},
	{"usm user remove", "remove a user added by linerate-ctl (name, engine)", cmd_user_remove},
	{"usm user list", "users with protocols, origin and key IDs (never a key)", cmd_user_list},
	{"usm engine add", "declare a remote engine (engine, boots, time): keys localised for it",
	 cmd_engine_add},
	{"usm engine remove", "forget a declared engine", cmd_engine_remove},
	{"usm engine list", "declared remote engines", cmd_engine_list},
	{"usm cache show",
	 "engines learned from authenticated messages (boots, time, last seen) and "
	 "any-engine users' localised engines",
	 cmd_cache_show},
	{"usm cache clear", "forget learned engines and localisations", cmd_cache_clear},
	{"usm hash", "localise every user for every known engine now, into the key store",
	 cmd_hash},
	{"usm reload",
	 "read the users file again: changed passwords hashed, linerate-ctl's users kept",
	 cmd_reload},
};

const size_t lr_usm_n_commands = sizeof(lr_usm_commands) / sizeof(lr_usm_commands[0]);
