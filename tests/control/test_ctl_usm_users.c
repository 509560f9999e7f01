/* SPDX-License-Identifier: BSD-3-Clause */
// The SNMP users file: every key and form, the table built from it, a
// table of bad files each refused with its key path and reason, and
// passwords and keys never shown.
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl_config.h"
#include "ctl_usm_users.h"

#define ENGINE	  "800000090300c0ffee000001"
#define SHA256KEY "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

static const char GOOD[] =
	"users:\n"
	"  - name: alice\n"
	"    engine_id: \"0x" ENGINE "\"\n"
	"    auth: sha256\n"
	"    auth_password: \"maplesyrup\"\n"
	"    priv: aes128\n"
	"    priv_password: \"maplesyrup\"\n"
	"  - name: bob\n"
	"    auth: md5\n"
	"    auth_password: maplesyrup\n"
	"    priv: aes256\n"
	"    priv_password: \"another secret\"\n"
	"    compat: reeder\n"
	"  - name: carol\n"
	"    engine_id: " ENGINE "\n"
	"    auth: sha256\n"
	"    auth_key: " SHA256KEY "\n"
	"    priv: 3des\n"
	"    priv_key: " SHA256KEY "\n"
	"  - {name: dave, engine_id: " ENGINE ", auth: sha,"
	" auth_key: \"0x0102030405060708090a0b0c0d0e0f1011121314\", priv: aes256c,"
	" priv_key: " SHA256KEY "}\n"
	"  - {name: public}\n"
	"  - {name: erin, auth: sha512, auth_password: maplesyrup, priv: aes192,"
	" priv_password: maplesyrup}\n";

static struct ctl_usm_users *load(const char *text, char *err)
{
	return ctl_usm_users_load_string(text, strlen(text), err, CTL_CONFIG_ERR_MAX);
}

Test(ctl_usm_users, loads_every_key_and_form)
{
	char err[CTL_CONFIG_ERR_MAX];
	struct ctl_usm_users *u = load(GOOD, err);
	cr_assert_not_null(u, "%s", err);
	cr_assert_eq(u->n, 6);
	uint8_t ku[USM_DIGEST_MAX];
	const struct usm_user_cfg *a = &u->users[0];
	cr_assert_eq(a->name_len, 5);
	cr_assert_arr_eq(a->name, "alice", 5);
	cr_assert_eq(a->engine_len, 12);
	cr_assert_eq(a->engine_id[0], 0x80);
	cr_assert_eq(a->engine_id[11], 0x01);
	cr_assert_eq(a->auth, USM_AUTH_SHA256);
	cr_assert_eq(a->priv, USM_PRIV_AES128);
	cr_assert_eq(a->auth_form, USM_KEY_KU);
	usm_password_to_ku(USM_AUTH_SHA256, "maplesyrup", 10, ku);
	cr_assert_arr_eq(a->auth_key, ku, 32, "Ku of the password, hashed once at load");
	cr_assert_arr_eq(a->priv_key, ku, 32);
	cr_assert_eq(a->priv_key_len, 32);
	const struct usm_user_cfg *b = &u->users[1];
	cr_assert_eq(b->engine_len, 0, "any engine");
	cr_assert_eq(b->compat, USM_COMPAT_REEDER);
	usm_password_to_ku(USM_AUTH_MD5, "another secret", 14, ku);
	cr_assert_arr_eq(b->priv_key, ku, 16, "the priv password with the auth hash");
	const struct usm_user_cfg *c = &u->users[2];
	cr_assert_eq(c->auth_form, USM_KEY_LOCAL);
	cr_assert_eq(c->priv_form, USM_KEY_LOCAL, "32 octets: SHA-256's length");
	cr_assert_eq(c->auth_key[1], 0x11);
	const struct usm_user_cfg *d = &u->users[3];
	cr_assert_eq(d->auth_form, USM_KEY_LOCAL);
	cr_assert_eq(d->priv_form, USM_KEY_EXTENDED, "32 octets for SHA-1: the AES-256 key");
	cr_assert_eq(d->auth_key[19], 0x14);
	const struct usm_user_cfg *p = &u->users[4];
	cr_assert_eq(p->auth, USM_AUTH_NONE);
	cr_assert_eq(p->priv, USM_PRIV_NONE);
	cr_assert_eq(usm_user_cfg_level(p), USM_LEVEL_NOAUTH_NOPRIV);
	cr_assert_eq(u->users[5].compat, USM_COMPAT_AUTO, "the default");
	ctl_usm_users_free(u);
}

Test(ctl_usm_users, builds_the_workers_table)
{
	char err[CTL_CONFIG_ERR_MAX];
	struct ctl_usm_users *u = load(GOOD, err);
	cr_assert_not_null(u, "%s", err);
	static const uint8_t ours[] = {0x80, 0, 0x1f, 0x88, 4, 'o', 'u', 'r', 's'};
	uint8_t engine[12];
	for (int i = 0; i < 12; i++)
		engine[i] =
			(uint8_t)strtoul((char[]){ENGINE[2 * i], ENGINE[2 * i + 1], 0}, NULL, 16);
	struct usm_table *t = ctl_usm_table_build(u, ours, sizeof(ours), 10, err, sizeof(err));
	cr_assert_not_null(t, "%s", err);
	// 3 users at their engine, 3 any-engine users localised for ours
	cr_assert_eq(usm_table_count(t), 6);
	const struct usm_user *a = usm_table_find(t, engine, 12, (const uint8_t *)"alice", 5);
	cr_assert_not_null(a);
	cr_assert_eq(a->level, USM_LEVEL_AUTH_PRIV);
	const struct usm_user *d = usm_table_find(t, engine, 12, (const uint8_t *)"dave", 4);
	cr_assert_not_null(d);
	cr_assert_eq(d->n_priv_keys, 1);
	cr_assert_not_null(usm_table_find(t, ours, sizeof(ours), (const uint8_t *)"bob", 3));
	cr_assert_null(usm_table_find(t, engine, 12, (const uint8_t *)"bob", 3));
	cr_assert_not_null(usm_table_find_any(t, (const uint8_t *)"bob", 3));
	cr_assert_not_null(usm_table_find_any(t, (const uint8_t *)"public", 6));
	cr_assert_null(usm_table_find_any(t, (const uint8_t *)"alice", 5));
	usm_table_free(t);
	// without an engine of our own: any-engine users by name only
	t = ctl_usm_table_build(u, NULL, 0, 0, err, sizeof(err));
	cr_assert_not_null(t, "%s", err);
	cr_assert_eq(usm_table_count(t), 3);
	usm_table_free(t);
	ctl_usm_users_free(u);
}

Test(ctl_usm_users, loads_a_file_and_names_it_in_errors)
{
	char path[] = "/tmp/usm_users_XXXXXX", err[CTL_CONFIG_ERR_MAX];
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, GOOD, strlen(GOOD)), (ssize_t)strlen(GOOD));
	close(fd);
	struct ctl_usm_users *u = ctl_usm_users_load_file(path, err, sizeof(err));
	cr_assert_not_null(u, "%s", err);
	ctl_usm_users_free(u);
	fd = open(path, O_WRONLY | O_TRUNC);
	cr_assert_eq(write(fd, "users: [{name: x, auth: sha}]\n", 30), 30);
	close(fd);
	cr_assert_null(ctl_usm_users_load_file(path, err, sizeof(err)));
	cr_assert_eq(errno, EINVAL);
	cr_assert_not_null(strstr(err, path), "%s", err);
	cr_assert_not_null(strstr(err, "users[0]"), "%s", err);
	unlink(path);
	cr_assert_null(ctl_usm_users_load_file(path, err, sizeof(err)));
	cr_assert_eq(errno, ENOENT);
	ctl_usm_users_free(NULL);
}

struct bad_users {
	char name[32];
	char yaml[300];
	char path[40];
	char reason[72];
};

#define U(x) "users: [{name: u, " x "}]\n"

ParameterizedTestParameters(ctl_usm_users, refuses_bad_files_with_path_and_reason)
{
	static struct bad_users cases[] = {
		{"empty", "", "(top)", "the file is empty"},
		{"no_users", "other: 1\n", "other", "unknown key"},
		{"users_not_list", "users: {name: a}\n", "users", "expected a list"},
		{"unknown_key", U("colour: red"), "users[0].colour", "unknown key"},
		{"duplicate_key", "users: [{name: u, name: v}]\n", "users[0].name",
		 "duplicate key"},
		{"no_name", "users: [{auth: none}]\n", "users[0]", "missing key: name"},
		{"name_long", "users: [{name: abcdefghijklmnopqrstuvwxyz0123456}]\n",
		 "users[0].name", "1 to 32 octets"},
		{"name_control", "users: [{name: \"a\\tb\"}]\n", "users[0].name",
		 "control character"},
		{"engine_short", U("engine_id: 80000009"), "users[0].engine_id",
		 "10 to 64 hex digits"},
		{"engine_odd", U("engine_id: 800000090"), "users[0].engine_id", "hex digits"},
		{"engine_not_hex", U("engine_id: 8000000903zz"), "users[0].engine_id",
		 "hex digits only"},
		{"engine_zero", U("engine_id: \"0x0000000000\""), "users[0].engine_id",
		 "all zeros or all 0xff"},
		{"auth_unknown", U("auth: sha3"), "users[0].auth", "must be none, md5, sha,"},
		{"priv_unknown", U("auth: sha, auth_password: maplesyrup, priv: aes"),
		 "users[0].priv", "must be none, des, 3des"},
		{"compat_unknown", U("compat: cisco"), "users[0].compat",
		 "blumenthal, reeder or auto"},
		{"compat_not_aes",
		 U("auth: sha, auth_password: maplesyrup, priv: des,"
		   " priv_password: maplesyrup, compat: auto"),
		 "users[0].compat", "only applies to priv aes192 and aes256"},
		{"auth_no_secret", U("auth: sha"), "users[0]",
		 "needs one of auth_password and auth_key"},
		{"auth_both", U("auth: sha, auth_password: maplesyrup, auth_key: " SHA256KEY),
		 "users[0]", "needs one of auth_password and auth_key"},
		{"password_without_auth", U("auth_password: maplesyrup"), "users[0].auth_password",
		 "given but no auth protocol"},
		{"key_without_priv",
		 U("auth: sha, auth_password: maplesyrup, priv_key: " SHA256KEY),
		 "users[0].priv_key", "given but no priv protocol"},
		{"password_short", U("auth: md5, auth_password: maple"), "users[0].auth_password",
		 "shorter than 8 characters"},
		{"password_not_scalar", U("auth: md5, auth_password: [a]"),
		 "users[0].auth_password", "expected a single value"},
		{"priv_without_auth", U("priv: aes128, priv_password: maplesyrup"), "users[0].priv",
		 "no privacy without authentication"},
		{"priv_no_secret", U("auth: sha, auth_password: maplesyrup, priv: aes128"),
		 "users[0]", "needs one of priv_password and priv_key"},
		{"key_without_engine", U("auth: sha256, auth_key: " SHA256KEY), "users[0].auth_key",
		 "a localised key needs engine_id"},
		{"auth_key_length", U("engine_id: " ENGINE ", auth: sha, auth_key: " SHA256KEY),
		 "users[0].auth_key", "must be 20 octets (localised, sha)"},
		{"priv_key_length",
		 U("engine_id: " ENGINE ", auth: sha, auth_password: maplesyrup, priv: aes256,"
		   " priv_key: 00112233445566778899aabbccddeeff"),
		 "users[0].priv_key", "must be 20 octets (localised, sha) or 32 (the aes256 key)"},
		{"same_user_twice",
		 "users: [{name: a, engine_id: " ENGINE "}, {name: b}, {name: a, engine_id: " ENGINE
		 "}]\n",
		 "users[2]", "same name and engine_id as users[0]"},
		{"same_any_user_twice", "users: [{name: a}, {name: a}]\n", "users[1]",
		 "same name and engine_id as users[0]"},
		{"syntax", "users: [{name: a\n", "line", "YAML syntax"},
		{"two_documents", "users: []\n---\nusers: []\n", "line", "only one YAML document"},
	};
	return cr_make_param_array(struct bad_users, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_users *b, ctl_usm_users, refuses_bad_files_with_path_and_reason)
{
	char err[CTL_CONFIG_ERR_MAX];
	errno = 0;
	struct ctl_usm_users *u = load(b->yaml, err);
	cr_assert_null(u, "%s: loaded", b->name);
	cr_assert_eq(errno, EINVAL, "%s", b->name);
	cr_assert_not_null(strstr(err, b->path), "%s: no path '%s' in: %s", b->name, b->path, err);
	cr_assert_not_null(strstr(err, b->reason), "%s: no reason '%s' in: %s", b->name, b->reason,
			   err);
}

Test(ctl_usm_users, secrets_never_appear_in_messages)
{
	char err[CTL_CONFIG_ERR_MAX];
	cr_assert_null(load(U("auth: md5, auth_password: hunter2"), err));
	cr_assert_str_eq(err, "line 1: users[0].auth_password = (secret): shorter than 8 "
			      "characters (RFC 3414 §11.2)");
	cr_assert_null(load(U("auth: md5, auth_key: deadbeefZZ"), err));
	cr_assert_null(strstr(err, "deadbeef"), "%s", err);
	cr_assert_not_null(strstr(err, "(secret)"), "%s", err);
	cr_assert_null(
		load(U("engine_id: " ENGINE ", auth: md5, auth_key: 0011223344556677"), err));
	cr_assert_null(strstr(err, "0011223344556677"), "%s", err);
	cr_assert_null(load(
		U("auth: md5, auth_password: maplesyrup, priv: des, priv_password: [x]"), err));
	cr_assert_null(strstr(err, "maplesyrup"), "%s", err);
	// the value of a non-secret key is shown
	cr_assert_null(load(U("auth: sha3"), err));
	cr_assert_str_eq(err, "line 1: users[0].auth = \"sha3\": must be none, md5, sha, sha224, "
			      "sha256, sha384 or sha512");
}
