/* SPDX-License-Identifier: BSD-3-Clause */
// YAML users file → struct usm_user_cfg, on the config loader's walker
// (ctl_config_walk.h): one handler per key, then the checks that need the
// whole entry (which secret goes with which protocol), then Ku.
#include "ctl_usm_users.h"
#include "ctl_config_walk.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

// The keys of one entry, in this order in keys[] and node[].
enum {
	K_NAME,
	K_ENGINE,
	K_AUTH,
	K_AUTH_PASSWORD,
	K_AUTH_KEY,
	K_PRIV,
	K_PRIV_PASSWORD,
	K_PRIV_KEY,
	K_COMPAT,
	K_COUNT
};

static const char *const keys_name[K_COUNT] = {
	[K_NAME] = "name",
	[K_ENGINE] = "engine_id",
	[K_AUTH] = "auth",
	[K_AUTH_PASSWORD] = "auth_password",
	[K_AUTH_KEY] = "auth_key",
	[K_PRIV] = "priv",
	[K_PRIV_PASSWORD] = "priv_password",
	[K_PRIV_KEY] = "priv_key",
	[K_COMPAT] = "compat",
};

// One entry while it is walked.
struct entry {
	struct usm_user_cfg *c;
	struct ctl_usm_pw *pw;	    // non-NULL: keep passwords here, hash nothing
	yaml_node_t *node[K_COUNT]; // each key's value, for messages
	size_t auth_key_len;
	bool compat_set;
};

static int h_name(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct entry *e = obj;
	e->node[K_NAME] = n;
	if (ctl_cfg_scalar(w, path, n))
		return -EINVAL;
	size_t len = n->data.scalar.length;
	if (len < 1 || len > USM_NAME_MAX)
		return ctl_cfg_fail(w, path, n, false,
				    "must be 1 to %d octets (RFC 3414 usmUserName)", USM_NAME_MAX);
	// SnmpAdminString is UTF-8 text: no control characters
	for (size_t i = 0; i < len; i++)
		if (n->data.scalar.value[i] < 0x20 || n->data.scalar.value[i] == 0x7f)
			return ctl_cfg_fail(w, path, n, false, "contains a control character");
	memcpy(e->c->name, n->data.scalar.value, len);
	e->c->name_len = (uint8_t)len;
	return 0;
}

static int h_engine(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct entry *e = obj;
	size_t len;
	e->node[K_ENGINE] = n;
	if (ctl_cfg_hex(w, path, n, false, e->c->engine_id, USM_ENGINE_ID_MIN, USM_ENGINE_ID_MAX,
			&len))
		return -EINVAL;
	if (usm_engine_id_check(e->c->engine_id, len))
		return ctl_cfg_fail(w, path, n, false, "%s",
				    usm_strerror(usm_engine_id_check(e->c->engine_id, len)));
	e->c->engine_len = (uint8_t)len;
	return 0;
}

// A name from one of the USM registries into *out.
static int choice(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n,
		  int (*from_name)(const char *), const char *choices, uint8_t *out)
{
	int v = ctl_cfg_scalar(w, path, n) ? -1 : from_name((const char *)n->data.scalar.value);
	if (v < 0)
		return ctl_cfg_fail(w, path, n, false, "must be %s", choices);
	*out = (uint8_t)v;
	return 0;
}

static int h_auth(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct entry *e = obj;
	e->node[K_AUTH] = n;
	return choice(w, path, n, usm_auth_from_name,
		      "none, md5, sha, sha224, sha256, sha384 or sha512", &e->c->auth);
}

static int h_priv(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct entry *e = obj;
	e->node[K_PRIV] = n;
	return choice(w, path, n, usm_priv_from_name,
		      "none, des, 3des, aes128, aes192, aes256, aes192c or aes256c", &e->c->priv);
}

static int h_compat(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct entry *e = obj;
	e->node[K_COMPAT] = n;
	e->compat_set = true;
	return choice(w, path, n, usm_compat_from_name, "blumenthal, reeder or auto",
		      &e->c->compat);
}

// Passwords are only checked here: Ku needs the auth protocol, known once
// the whole entry is read.
static int password(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n)
{
	if (n->type != YAML_SCALAR_NODE)
		return ctl_cfg_fail(w, path, n, true, "expected a single value");
	if (n->data.scalar.length < USM_PASSWORD_MIN)
		return ctl_cfg_fail(w, path, n, true, "shorter than %d characters (RFC 3414 §11.2)",
				    USM_PASSWORD_MIN);
	if (n->data.scalar.length > USM_PASSWORD_MAX)
		return ctl_cfg_fail(w, path, n, true, "longer than %d characters",
				    USM_PASSWORD_MAX);
	return 0;
}

static int h_auth_password(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	((struct entry *)obj)->node[K_AUTH_PASSWORD] = n;
	return password(w, path, n);
}

static int h_priv_password(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	((struct entry *)obj)->node[K_PRIV_PASSWORD] = n;
	return password(w, path, n);
}

static int h_auth_key(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct entry *e = obj;
	e->node[K_AUTH_KEY] = n;
	return ctl_cfg_hex(w, path, n, true, e->c->auth_key, 16, USM_DIGEST_MAX, &e->auth_key_len);
}

static int h_priv_key(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct entry *e = obj;
	size_t len;
	e->node[K_PRIV_KEY] = n;
	if (ctl_cfg_hex(w, path, n, true, e->c->priv_key, 16, USM_DIGEST_MAX, &len))
		return -EINVAL;
	e->c->priv_key_len = (uint8_t)len;
	return 0;
}

// The secret for one side (auth or priv): a password (→ Ku) or a key.
static int secret(struct ctl_cfg_walk *w, const char *path, yaml_node_t *it, struct entry *e,
		  bool priv)
{
	struct usm_user_cfg *c = e->c;
	int kp = priv ? K_PRIV_PASSWORD : K_AUTH_PASSWORD, kk = priv ? K_PRIV_KEY : K_AUTH_KEY;
	const char *side = priv ? "priv" : "auth";
	bool none = priv ? c->priv == USM_PRIV_NONE : c->auth == USM_AUTH_NONE;
	char sub[PATH_MAX_LEN];
	yaml_node_t *pw = e->node[kp], *key = e->node[kk];
	if (none) {
		if (pw || key) {
			ctl_cfg_child_path(sub, path, keys_name[pw ? kp : kk]);
			return ctl_cfg_fail(w, sub, pw ? pw : key, true, "given but no %s protocol",
					    side);
		}
		return 0;
	}
	if (!pw == !key)
		return ctl_cfg_fail(w, path, it, false, "needs one of %s_password and %s_key", side,
				    side);
	size_t dlen = usm_auth_digest_len(c->auth);
	if (pw && e->pw) {
		// checked by password() already; hashed later by the key pool
		e->pw->len[priv] = (uint16_t)pw->data.scalar.length;
		memcpy(e->pw->pw[priv], pw->data.scalar.value, pw->data.scalar.length);
		if (priv)
			c->priv_key_len = (uint8_t)dlen;
		return 0;
	}
	if (pw) {
		uint8_t *ku = priv ? c->priv_key : c->auth_key;
		int n = usm_password_to_ku(c->auth, pw->data.scalar.value, pw->data.scalar.length,
					   ku);
		if (n < 0)
			return ctl_cfg_fail(w, path, it, false, "%s", usm_strerror(n));
		if (priv)
			c->priv_key_len = (uint8_t)n;
		return 0;
	}
	ctl_cfg_child_path(sub, path, keys_name[kk]);
	if (!c->engine_len)
		return ctl_cfg_fail(w, sub, key, true,
				    "a localised key needs engine_id (use %s_password)", side);
	size_t klen = priv ? c->priv_key_len : e->auth_key_len;
	size_t need = usm_priv_key_len(c->priv);
	if (klen == dlen) {
		if (priv)
			c->priv_form = USM_KEY_LOCAL;
		else
			c->auth_form = USM_KEY_LOCAL;
		return 0;
	}
	if (priv && klen == need) {
		c->priv_form = USM_KEY_EXTENDED;
		return 0;
	}
	if (priv && need > dlen)
		return ctl_cfg_fail(w, sub, key, true,
				    "must be %zu octets (localised, %s) or %zu (the %s key)", dlen,
				    usm_auth_name(c->auth), need, usm_priv_name(c->priv));
	return ctl_cfg_fail(w, sub, key, true, "must be %zu octets (localised, %s)", dlen,
			    usm_auth_name(c->auth));
}

static int entry_checks(struct ctl_cfg_walk *w, const char *path, yaml_node_t *it, struct entry *e)
{
	struct usm_user_cfg *c = e->c;
	char sub[PATH_MAX_LEN];
	if (!e->node[K_NAME])
		return ctl_cfg_fail(w, path, it, false, "missing key: name");
	if (c->priv != USM_PRIV_NONE && c->auth == USM_AUTH_NONE) {
		ctl_cfg_child_path(sub, path, "priv");
		return ctl_cfg_fail(w, sub, e->node[K_PRIV], false,
				    "needs an auth protocol (no privacy without authentication)");
	}
	if (e->compat_set && c->priv != USM_PRIV_AES192 && c->priv != USM_PRIV_AES256) {
		ctl_cfg_child_path(sub, path, "compat");
		return ctl_cfg_fail(w, sub, e->node[K_COMPAT], false,
				    "only applies to priv aes192 and aes256");
	}
	if (secret(w, path, it, e, false) || secret(w, path, it, e, true))
		return -EINVAL;
	return 0;
}

// Two users with the same name and engine: sorted order puts them side
// by side.
static const struct usm_user_cfg *sort_base;

static int by_key(const void *a, const void *b)
{
	const struct usm_user_cfg *x = &sort_base[*(const size_t *)a];
	const struct usm_user_cfg *y = &sort_base[*(const size_t *)b];
	if (x->engine_len != y->engine_len)
		return x->engine_len - y->engine_len;
	int d = memcmp(x->engine_id, y->engine_id, x->engine_len);
	if (d || x->name_len != y->name_len)
		return d ? d : x->name_len - y->name_len;
	d = memcmp(x->name, y->name, x->name_len);
	return d ? d : (*(const size_t *)a < *(const size_t *)b ? -1 : 1);
}

static int no_duplicates(struct ctl_cfg_walk *w, const char *path, yaml_node_t *seq,
			 const struct ctl_usm_users *u)
{
	size_t *order = malloc((u->n ? u->n : 1) * sizeof(*order));
	if (!order)
		return ctl_cfg_fail(w, path, NULL, false, "out of memory");
	for (size_t i = 0; i < u->n; i++)
		order[i] = i;
	sort_base = u->users;
	qsort(order, u->n, sizeof(*order), by_key);
	int rc = 0;
	for (size_t i = 1; rc == 0 && i < u->n; i++) {
		const struct usm_user_cfg *a = &u->users[order[i - 1]], *b = &u->users[order[i]];
		if (a->engine_len == b->engine_len && a->name_len == b->name_len &&
		    memcmp(a->engine_id, b->engine_id, a->engine_len) == 0 &&
		    memcmp(a->name, b->name, a->name_len) == 0) {
			char sub[PATH_MAX_LEN];
			ctl_cfg_index_path(sub, path, order[i]);
			rc = ctl_cfg_fail(w, sub, ctl_cfg_item(w, seq, order[i]), false,
					  "same name and engine_id as %s[%zu]", path, order[i - 1]);
		}
	}
	free(order);
	return rc;
}

static int h_users(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	static int (*const fn[K_COUNT])(struct ctl_cfg_walk *, const char *, yaml_node_t *,
					void *) = {
		[K_NAME] = h_name,
		[K_ENGINE] = h_engine,
		[K_AUTH] = h_auth,
		[K_AUTH_PASSWORD] = h_auth_password,
		[K_AUTH_KEY] = h_auth_key,
		[K_PRIV] = h_priv,
		[K_PRIV_PASSWORD] = h_priv_password,
		[K_PRIV_KEY] = h_priv_key,
		[K_COMPAT] = h_compat,
	};
	struct ctl_cfg_key keys[K_COUNT];
	for (int k = 0; k < K_COUNT; k++)
		keys[k] = (struct ctl_cfg_key){keys_name[k], fn[k]};
	struct ctl_usm_users *u = obj;
	char sub[PATH_MAX_LEN];
	size_t cnt;
	if (ctl_cfg_sequence(w, path, n, CTL_USM_USERS_MAX, &cnt))
		return -EINVAL;
	u->users = calloc(cnt ? cnt : 1, sizeof(*u->users));
	if (u->keep_pw)
		u->pw = calloc(cnt ? cnt : 1, sizeof(*u->pw));
	if (!u->users || (u->keep_pw && !u->pw))
		return ctl_cfg_fail(w, path, NULL, false, "out of memory");
	for (size_t i = 0; i < cnt; i++) {
		yaml_node_t *it = ctl_cfg_item(w, n, i);
		struct entry e = {.c = &u->users[i], .pw = u->pw ? &u->pw[i] : NULL};
		uint64_t seen;
		u->n = i + 1; // freed (wiped) with the rest on failure
		ctl_cfg_index_path(sub, path, i);
		if (WALK_MAPPING(w, sub, it, keys, &e, &seen) || entry_checks(w, sub, it, &e))
			return -EINVAL;
	}
	return no_duplicates(w, path, n, u);
}

static int walk_users_file(struct ctl_cfg_walk *w, yaml_node_t *root, void *obj)
{
	static const struct ctl_cfg_key keys[] = {{"users", h_users}};
	uint64_t seen;
	if (!root)
		return ctl_cfg_fail(w, "", NULL, false, "the file is empty");
	if (WALK_MAPPING(w, "", root, keys, obj, &seen))
		return -EINVAL;
	if (!seen)
		return ctl_cfg_fail(w, "users", NULL, false, "missing: the list of users");
	return 0;
}

static struct ctl_usm_users *load(const char *path, const char *text, size_t len, bool keep_pw,
				  char *err, size_t errlen)
{
	struct ctl_usm_users *u = calloc(1, sizeof(*u));
	if (!u) {
		snprintf(err, errlen, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	u->keep_pw = keep_pw;
	int rc = path ? ctl_cfg_parse_file(path, CTL_USM_USERS_FILE_MAX, walk_users_file, u, err,
					   errlen)
		      : ctl_cfg_parse(text, len, CTL_USM_USERS_FILE_MAX, walk_users_file, u, err,
				      errlen);
	if (rc) {
		ctl_usm_users_free(u);
		errno = -rc;
		return NULL;
	}
	return u;
}

struct ctl_usm_users *ctl_usm_users_load_string(const char *text, size_t len, char *err,
						size_t errlen)
{
	return load(NULL, text, len, false, err, errlen);
}

struct ctl_usm_users *ctl_usm_users_load_file(const char *path, char *err, size_t errlen)
{
	return load(path, NULL, 0, false, err, errlen);
}

struct ctl_usm_users *ctl_usm_users_load_pw(const char *path, const char *text, size_t len,
					    char *err, size_t errlen)
{
	return load(path, text, len, true, err, errlen);
}

void ctl_usm_users_forget_pw(struct ctl_usm_users *u)
{
	if (!u || !u->pw)
		return;
	OPENSSL_cleanse(u->pw, u->n * sizeof(*u->pw));
	free(u->pw);
	u->pw = NULL;
}

void ctl_usm_users_free(struct ctl_usm_users *u)
{
	if (!u)
		return;
	if (u->users)
		OPENSSL_cleanse(u->users, u->n * sizeof(*u->users));
	free(u->users);
	ctl_usm_users_forget_pw(u);
	free(u);
}

// One user into t: localised for its engine, or (any engine) registered by
// name and localised for ours unless a user of that name is configured for
// our engine explicitly.
static int add_user(struct usm_table *t, const struct usm_user_cfg *c, const uint8_t *local_engine,
		    size_t local_len)
{
	struct usm_user entry;
	int rc;
	if (c->engine_len) {
		rc = usm_user_localize(c, c->engine_id, c->engine_len, &entry);
	} else {
		rc = usm_table_add_any(t, c);
		if (rc || local_len == 0)
			return rc;
		rc = usm_user_localize(c, local_engine, local_len, &entry);
	}
	if (rc == 0)
		rc = usm_table_add(t, &entry);
	OPENSSL_cleanse(&entry, sizeof(entry));
	return rc == -EEXIST && !c->engine_len ? 0 : rc;
}

struct usm_table *ctl_usm_table_build(const struct ctl_usm_users *u, const uint8_t *local_engine,
				      size_t local_len, size_t learn, char *err, size_t errlen)
{
	size_t n_any = 0;
	for (size_t i = 0; i < u->n; i++)
		n_any += u->users[i].engine_len == 0;
	struct usm_table *t = usm_table_new(u->n + learn, n_any);
	if (!t) {
		snprintf(err, errlen, "out of memory for %zu users", u->n + learn);
		return NULL;
	}
	// users with an engine first, so the explicit entry for our engine
	// wins over an any-engine user's of the same name
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < u->n; i++) {
			const struct usm_user_cfg *c = &u->users[i];
			if ((c->engine_len == 0) != pass)
				continue;
			int rc = add_user(t, c, local_engine, local_len);
			if (rc) {
				snprintf(err, errlen, "users[%zu] (%.*s): %s", i, (int)c->name_len,
					 (const char *)c->name, usm_strerror(rc));
				usm_table_free(t);
				errno = rc == -ENOMEM ? ENOMEM : EINVAL;
				return NULL;
			}
		}
	}
	return t;
}
