/* SPDX-License-Identifier: BSD-3-Clause */
// dns: zones and the answer engine's options, and their mapping onto
// struct dns_answer_cfg.
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <arpa/inet.h>

#include <linerate/dns_answer.h>

#include "ctl_config_walk.h"

#define ORIGIN_MAX    254 // presentation form of a 255-octet name, trailing dot included
#define ZONE_FILE_MAX 4096

static struct ctl_zone *cur_zone(void *obj)
{
	struct ctl_config *c = obj;
	return &c->dns.zones[c->dns.n_zones];
}

static int h_origin(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_zone *z = cur_zone(obj);
	if (ctl_cfg_string(w, path, n, ORIGIN_MAX, &z->origin))
		return -EINVAL;
	// the zone reader checks the name fully; refuse here what cannot be one
	for (const char *s = z->origin; *s; s++)
		if (isspace((unsigned char)*s) || !isprint((unsigned char)*s))
			return ctl_cfg_fail(w, path, n, false, "not a domain name");
	if (strstr(z->origin, "..") || (z->origin[0] == '.' && z->origin[1]))
		return ctl_cfg_fail(w, path, n, false, "not a domain name (empty label)");
	return 0;
}

static int h_file(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	return ctl_cfg_string(w, path, n, ZONE_FILE_MAX, &cur_zone(obj)->file);
}

// Same name, ignoring case and one trailing dot (RFC 4343).
static bool same_origin(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 1 && a[la - 1] == '.')
		la--;
	if (lb > 1 && b[lb - 1] == '.')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

static int h_zones(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	static const struct ctl_cfg_key keys[] = {{"origin", h_origin}, {"file", h_file}};
	struct ctl_config *c = obj;
	char sub[PATH_MAX_LEN];
	size_t cnt;
	if (ctl_cfg_sequence(w, path, n, CTL_CONFIG_ZONES_MAX, &cnt))
		return -EINVAL;
	c->dns.zones = calloc(cnt ? cnt : 1, sizeof(*c->dns.zones));
	if (!c->dns.zones)
		return ctl_cfg_fail(w, path, NULL, false, "out of memory");
	for (size_t i = 0; i < cnt; i++) {
		yaml_node_t *it = ctl_cfg_item(w, n, i);
		uint64_t seen;
		c->dns.n_zones = i;
		ctl_cfg_index_path(sub, path, i);
		int rc = WALK_MAPPING(w, sub, it, keys, obj, &seen);
		c->dns.n_zones = i + 1;
		if (rc)
			return rc;
		if (seen != 3)
			return ctl_cfg_fail(w, sub, it, false, "missing key: %s",
					    seen & 1 ? "file" : "origin");
		for (size_t j = 0; j < i; j++)
			if (same_origin(c->dns.zones[j].origin, c->dns.zones[i].origin))
				return ctl_cfg_fail(w, sub, it, false,
						    "origin already served by %s[%zu]", path, j);
	}
	return 0;
}

static int h_edns(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_config *c = obj;
	// RFC 6891 §6.2.5: values below 512 are treated as 512
	return ctl_cfg_u16(w, path, n, 512, 65535, &c->dns.edns_size);
}

static int h_nsid(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_config *c = obj;
	return ctl_cfg_string(w, path, n, DNS_ANSWER_NSID_MAX, &c->dns.nsid);
}

static int h_chaos_enabled(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	return ctl_cfg_bool(w, path, n, &((struct ctl_config *)obj)->dns.chaos);
}

static int h_chaos_id(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	// one TXT character-string (RFC 1035 §3.3)
	return ctl_cfg_string(w, path, n, DNS_ANSWER_CHAOS_MAX,
			      &((struct ctl_config *)obj)->dns.chaos_id);
}

static int h_chaos_version(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	return ctl_cfg_string(w, path, n, DNS_ANSWER_CHAOS_MAX,
			      &((struct ctl_config *)obj)->dns.chaos_version);
}

static int h_chaos(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	static const struct ctl_cfg_key keys[] = {
		{"enabled", h_chaos_enabled}, {"id", h_chaos_id}, {"version", h_chaos_version}};
	uint64_t seen;
	return WALK_MAPPING(w, path, n, keys, obj, &seen);
}

static int h_cookies_enabled(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	return ctl_cfg_bool(w, path, n, &((struct ctl_config *)obj)->dns.cookies);
}

static int h_cookies_secret(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_config *c = obj;
	const size_t len = sizeof(c->dns.cookie_secret);
	size_t got;
	if (ctl_cfg_hex(w, path, n, true, c->dns.cookie_secret, len, len, &got))
		return -EINVAL;
	c->dns.has_cookie_secret = true;
	return 0;
}

static int h_cookies(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	static const struct ctl_cfg_key keys[] = {{"enabled", h_cookies_enabled},
						  {"secret", h_cookies_secret}};
	uint64_t seen;
	return WALK_MAPPING(w, path, n, keys, obj, &seen);
}

static const char *const acl_actions[] = {"allow", "drop", "refuse"};

const char *ctl_acl_action_name(enum ctl_acl_action a)
{
	return (unsigned)a < 3 ? acl_actions[a] : "?";
}

static struct ctl_acl_rule *cur_rule(void *obj)
{
	struct ctl_config *c = obj;
	return &c->dns.acl[c->dns.n_acl];
}

// "ADDRESS/LENGTH" (IPv4 or IPv6), or an address alone (a host: /32, /128).
static int h_acl_prefix(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_acl_rule *r = cur_rule(obj);
	char *text = NULL, *slash, *end;
	if (ctl_cfg_string(w, path, n, INET6_ADDRSTRLEN + 4, &text))
		return -EINVAL;
	int rc = 0;
	unsigned long plen = 0;
	slash = strchr(text, '/');
	if (slash) {
		*slash = 0;
		plen = strtoul(slash + 1, &end, 10);
		if (!slash[1] || *end || !isdigit((unsigned char)slash[1]))
			rc = ctl_cfg_fail(w, path, n, false, "not ADDRESS/LENGTH");
	}
	if (!rc && inet_pton(AF_INET, text, r->addr) == 1)
		r->family = 4;
	else if (!rc && inet_pton(AF_INET6, text, r->addr) == 1)
		r->family = 6;
	else if (!rc)
		rc = ctl_cfg_fail(w, path, n, false, "not an IPv4 or IPv6 address");
	unsigned bits = r->family == 4 ? 32 : 128;
	if (!rc && !slash)
		plen = bits;
	if (!rc && plen > bits)
		rc = ctl_cfg_fail(w, path, n, false, "a prefix length is 0..%u", bits);
	for (unsigned b = (unsigned)plen; !rc && b < bits; b++)
		if (r->addr[b / 8] & (0x80 >> (b % 8)))
			rc = ctl_cfg_fail(w, path, n, false, "host bits set past /%lu", plen);
	r->plen = (uint8_t)plen;
	free(text);
	return rc ? -EINVAL : 0;
}

static int h_acl_action(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	unsigned v;
	if (ctl_cfg_word(w, path, n, acl_actions, 3, &v))
		return -EINVAL;
	cur_rule(obj)->action = (uint8_t)v;
	return 0;
}

// dns.acl: [{prefix: 192.0.2.0/24, action: refuse}, ...]
static int h_acl(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	static const struct ctl_cfg_key keys[] = {{"prefix", h_acl_prefix},
						  {"action", h_acl_action}};
	struct ctl_config *c = obj;
	char sub[PATH_MAX_LEN];
	size_t cnt;
	if (ctl_cfg_sequence(w, path, n, CTL_CONFIG_ACL_MAX, &cnt))
		return -EINVAL;
	c->dns.acl = calloc(cnt ? cnt : 1, sizeof(*c->dns.acl));
	if (!c->dns.acl)
		return ctl_cfg_fail(w, path, NULL, false, "out of memory");
	for (size_t i = 0; i < cnt; i++) {
		yaml_node_t *it = ctl_cfg_item(w, n, i);
		uint64_t seen;
		c->dns.n_acl = i;
		ctl_cfg_index_path(sub, path, i);
		int rc = WALK_MAPPING(w, sub, it, keys, obj, &seen);
		c->dns.n_acl = i + 1;
		if (rc)
			return rc;
		if (seen != 3)
			return ctl_cfg_fail(w, sub, it, false, "missing key: %s",
					    seen & 1 ? "action" : "prefix");
	}
	return 0;
}

int ctl_cfg_dns(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	static const struct ctl_cfg_key keys[] = {
		{"zones", h_zones}, {"edns_size", h_edns},  {"nsid", h_nsid},
		{"chaos", h_chaos}, {"cookies", h_cookies}, {"acl", h_acl},
	};
	uint64_t seen;
	return WALK_MAPPING(w, path, n, keys, obj, &seen);
}

int ctl_config_dns_answer_cfg(const struct ctl_config *cfg, struct dns_answer_cfg *out)
{
	dns_answer_cfg_default(out);
	out->edns_size = cfg->dns.edns_size;
	out->chaos = cfg->dns.chaos;
	// lengths were checked at load against the same limits
	snprintf(out->chaos_id, sizeof(out->chaos_id), "%s",
		 cfg->dns.chaos_id ? cfg->dns.chaos_id : "");
	if (cfg->dns.chaos_version)
		snprintf(out->chaos_version, sizeof(out->chaos_version), "%s",
			 cfg->dns.chaos_version);
	if (cfg->dns.nsid) {
		out->nsid_len = (uint16_t)strlen(cfg->dns.nsid);
		memcpy(out->nsid, cfg->dns.nsid, out->nsid_len);
	}
	out->cookies = cfg->dns.cookies;
	if (cfg->dns.has_cookie_secret) {
		memcpy(out->cookie_secret, cfg->dns.cookie_secret, sizeof(out->cookie_secret));
	} else if (cfg->dns.cookies) {
		if (getrandom(out->cookie_secret, sizeof(out->cookie_secret), 0) !=
		    (ssize_t)sizeof(out->cookie_secret))
			return errno ? -errno : -EIO;
	}
	return 0;
}
