/* SPDX-License-Identifier: BSD-3-Clause */
// What linerated's USM key management shows (usm_keys.h): users, declared
// engines, the workers' engine caches. Key IDs only, never a key or a
// password.
#include <stdio.h>
#include <stdlib.h>

#include "lr.h"
#include "trap.h"
#include "usm_keys_internal.h"

json_t *lr_usm_hex_json(const uint8_t *p, size_t len)
{
	char buf[2 * 64 + 1];
	for (size_t i = 0; i < len && i < 64; i++)
		snprintf(buf + 2 * i, 3, "%02x", p[i]);
	buf[2 * (len < 64 ? len : 64)] = '\0';
	return json_string(buf);
}

// A user name as JSON text; one that is not UTF-8, in hex.
static json_t *name_json(const uint8_t *name, size_t len)
{
	json_t *s = json_stringn((const char *)name, len);
	return s ? s : lr_usm_hex_json(name, len);
}

static json_t *key_id_json(const uint8_t *key, size_t len)
{
	char id[CTL_USM_KEY_ID_LEN + 1];
	if (!len)
		return json_null();
	ctl_usm_key_id(M.store, key, len, id);
	return json_string(id);
}

static const char *form_name(uint8_t form)
{
	return form == USM_KEY_KU ? "ku" : form == USM_KEY_LOCAL ? "localized" : "extended";
}

json_t *lr_usm_users_json(void)
{
	static const char *const levels[] = {"noAuthNoPriv", "authNoPriv", "authPriv"};
	json_t *arr = json_array();
	pthread_mutex_lock(&M.lock);
	for (size_t i = 0; i < ctl_usm_keys_count(M.store); i++) {
		const struct ctl_usm_key_user *u = ctl_usm_keys_at(M.store, i);
		const struct usm_user_cfg *c = &u->cfg;
		bool auth = c->auth != USM_AUTH_NONE, priv = c->priv != USM_PRIV_NONE;
		json_t *o = json_object();
		json_object_set_new(o, "name", name_json(c->name, c->name_len));
		json_object_set_new(o, "engine",
				    c->engine_len ? lr_usm_hex_json(c->engine_id, c->engine_len)
						  : json_string("any"));
		json_object_set_new(o, "auth", json_string(usm_auth_name(c->auth)));
		json_object_set_new(o, "priv", json_string(usm_priv_name(c->priv)));
		json_object_set_new(o, "level", json_string(levels[usm_user_cfg_level(c)]));
		json_object_set_new(o, "origin",
				    json_string(u->origin == CTL_USM_ORIGIN_FILE ? "file" : "ctl"));
		// the secrets themselves never: which key, by its ID
		json_object_set_new(o, "auth_key",
				    auth ? json_string(form_name(c->auth_form)) : json_null());
		json_object_set_new(
			o, "auth_key_id",
			key_id_json(c->auth_key, auth ? usm_auth_digest_len(c->auth) : 0));
		json_object_set_new(o, "priv_key",
				    priv ? json_string(form_name(c->priv_form)) : json_null());
		json_object_set_new(o, "priv_key_id",
				    key_id_json(c->priv_key, priv ? c->priv_key_len : 0));
		json_object_set_new(o, "engines_localized", json_integer(u->n_local));
		json_array_append_new(arr, o);
	}
	pthread_mutex_unlock(&M.lock);
	return arr;
}

json_t *lr_usm_engines_json(void)
{
	json_t *arr = json_array();
	pthread_mutex_lock(&M.lock);
	for (size_t i = 0; i < M.n_engines; i++) {
		const struct ctl_usm_engine *e = &M.engines[i].e;
		json_t *o = json_object();
		json_object_set_new(o, "engine", lr_usm_hex_json(e->id, e->len));
		json_object_set_new(o, "boots", json_integer(e->boots));
		json_object_set_new(o, "time", json_integer(e->time));
		json_object_set_new(o, "added", json_integer(e->added));
		json_array_append_new(arr, o);
	}
	pthread_mutex_unlock(&M.lock);
	return arr;
}

// --- the engine cache -----------------------------------------------------------

#define CACHE_SHOW_MAX 65536

struct seen_list {
	struct usm_engine_seen *v;
	size_t n, cap;
};

// Engines from every worker's cache, one entry each: the latest update.
static void seen_one(void *arg, const struct usm_engine_seen *e)
{
	struct seen_list *l = arg;
	for (size_t i = 0; i < l->n; i++)
		if (same_engine(l->v[i].engine_id, l->v[i].engine_len, e->engine_id,
				e->engine_len)) {
			if (e->at > l->v[i].at)
				l->v[i] = *e;
			return;
		}
	if (l->n == l->cap) {
		size_t nc = l->cap ? 2 * l->cap : 64;
		struct usm_engine_seen *nv =
			nc <= CACHE_SHOW_MAX ? realloc(l->v, nc * sizeof(*nv)) : NULL;
		if (!nv)
			return;
		l->v = nv;
		l->cap = nc;
	}
	l->v[l->n++] = *e;
}

json_t *lr_usm_cache_json(void)
{
	struct seen_list l = {0};
	uint32_t now = atomic_load(&lr.now);
	for (unsigned i = 0; i < lr.nworkers; i++) {
		struct lr_trap_worker *t = lr_traps_worker(i);
		if (t)
			usm_ctx_engines_walk(t->usm, seen_one, &l);
	}
	json_t *o = json_object(), *engines = json_array(), *learned = json_array();
	for (size_t i = 0; i < l.n; i++) {
		const struct usm_engine_seen *e = &l.v[i];
		json_t *x = json_object();
		uint64_t t = (uint64_t)e->time + (now > e->at ? now - e->at : 0);
		json_object_set_new(x, "engine", lr_usm_hex_json(e->engine_id, e->engine_len));
		json_object_set_new(x, "boots", json_integer(e->boots));
		json_object_set_new(x, "time", json_integer((json_int_t)t)); // its time now
		json_object_set_new(x, "last_seen", json_integer((json_int_t)e->at));
		json_array_append_new(engines, x);
	}
	free(l.v);
	pthread_mutex_lock(&M.lock);
	for (size_t i = 0; i < ctl_usm_keys_count(M.store); i++) {
		const struct ctl_usm_key_user *u = ctl_usm_keys_at(M.store, i);
		if (u->cfg.engine_len)
			continue;
		for (uint32_t k = 0; k < u->n_local; k++) {
			const struct ctl_usm_local *loc = &u->local[k];
			json_t *x = json_object();
			json_object_set_new(x, "user", name_json(u->cfg.name, u->cfg.name_len));
			json_object_set_new(x, "engine",
					    lr_usm_hex_json(loc->engine_id, loc->engine_len));
			json_object_set_new(
				x, "ours",
				json_boolean(same_engine(loc->engine_id, loc->engine_len, M.local,
							 M.local_len)));
			json_array_append_new(learned, x);
		}
	}
	pthread_mutex_unlock(&M.lock);
	json_object_set_new(o, "engines", engines);
	json_object_set_new(o, "localized", learned);
	return o;
}
