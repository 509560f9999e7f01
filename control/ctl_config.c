/* SPDX-License-Identifier: BSD-3-Clause */
// YAML → struct ctl_config. libyaml loads the whole document into a node
// tree first (so a syntax error anywhere refuses the file before anything is
// built); then a walker checks the schema top-down, carrying the key path for
// messages. The first error stops the walk and the half-built struct is
// freed: nothing half-applies.
#include "ctl_config.h"
#include "ctl_config_walk.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include <openssl/crypto.h>

const char *ctl_log_level_name(enum ctl_log_level level)
{
	static const char *const names[CTL_LOG_COUNT] = {
#define CTL_LOG_NAME(e, s) [CTL_LOG_##e] = s,
		CTL_LOG_LEVELS(CTL_LOG_NAME)
#undef CTL_LOG_NAME
	};
	return (unsigned)level < CTL_LOG_COUNT ? names[level] : "?";
}

// --- eal, workers, log ---

static int h_eal(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_config *c = obj;
	char sub[PATH_MAX_LEN];
	size_t cnt;
	if (ctl_cfg_sequence(w, path, n, CTL_CONFIG_EAL_MAX, &cnt))
		return -EINVAL;
	c->eal = calloc(cnt + 1, sizeof(*c->eal));
	if (!c->eal)
		return ctl_cfg_fail(w, path, NULL, false, "out of memory");
	for (c->n_eal = 0; c->n_eal < cnt; c->n_eal++) {
		ctl_cfg_index_path(sub, path, c->n_eal);
		if (ctl_cfg_string(w, sub, ctl_cfg_item(w, n, c->n_eal), 1024, &c->eal[c->n_eal]))
			return -EINVAL;
	}
	return 0;
}

static int h_workers(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_config *c = obj;
	char sub[PATH_MAX_LEN];
	size_t cnt;
	if (ctl_cfg_sequence(w, path, n, CTL_CONFIG_WORKERS_MAX, &cnt))
		return -EINVAL;
	if (cnt == 0)
		return ctl_cfg_fail(w, path, n, false, "needs at least one core");
	c->workers = calloc(cnt, sizeof(*c->workers));
	if (!c->workers)
		return ctl_cfg_fail(w, path, NULL, false, "out of memory");
	for (c->n_workers = 0; c->n_workers < cnt; c->n_workers++) {
		yaml_node_t *it = ctl_cfg_item(w, n, c->n_workers);
		uint16_t core;
		ctl_cfg_index_path(sub, path, c->n_workers);
		if (ctl_cfg_u16(w, sub, it, 0, CTL_CONFIG_WORKERS_MAX - 1, &core))
			return -EINVAL;
		for (size_t j = 0; j < c->n_workers; j++)
			if (c->workers[j] == core)
				return ctl_cfg_fail(w, sub, it, false, "core listed twice");
		c->workers[c->n_workers] = core;
	}
	return 0;
}

static int h_log_level(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_config *c = obj;
	if (ctl_cfg_scalar(w, path, n))
		return -EINVAL;
	for (int i = 0; i < CTL_LOG_COUNT; i++) {
		if (strcmp((const char *)n->data.scalar.value, ctl_log_level_name(i)) == 0) {
			c->log_level = i;
			return 0;
		}
	}
	return ctl_cfg_fail(w, path, n, false, "must be error, warning, notice, info or debug");
}

static int h_log(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	static const struct ctl_cfg_key keys[] = {{"level", h_log_level}};
	uint64_t seen;
	return WALK_MAPPING(w, path, n, keys, obj, &seen);
}

// --- control ---

static int h_ctl_socket(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_config *c = obj;
	// sun_path holds 108 octets with the NUL
	if (ctl_cfg_string(w, path, n, 107, &c->control.socket))
		return -EINVAL;
	if (c->control.socket[0] != '/')
		return ctl_cfg_fail(w, path, n, false, "must be an absolute path");
	return 0;
}

static int h_ctl_mode(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_config *c = obj;
	if (ctl_cfg_scalar(w, path, n))
		return -EINVAL;
	const char *s = (const char *)n->data.scalar.value;
	size_t len = n->data.scalar.length;
	bool ok = len >= 3 && len <= 4;
	for (size_t i = 0; ok && i < len; i++)
		ok = s[i] >= '0' && s[i] <= '7';
	if (!ok)
		return ctl_cfg_fail(w, path, n, false, "must be an octal mode such as \"0660\"");
	unsigned long mode = strtoul(s, NULL, 8);
	if (mode > 0777)
		return ctl_cfg_fail(w, path, n, false, "only permission bits (at most 0777)");
	if (mode & 0002)
		return ctl_cfg_fail(w, path, n, false,
				    "the control socket must not be world-writable");
	if (!(mode & 0200))
		return ctl_cfg_fail(w, path, n, false, "the owner needs write permission");
	c->control.mode = (mode_t)mode;
	return 0;
}

static int h_ctl_group(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_config *c = obj;
	if (ctl_cfg_string(w, path, n, 32, &c->control.group))
		return -EINVAL;
	// POSIX portable names (and digits for a numeric gid)
	for (const char *p = c->control.group; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.')
			return ctl_cfg_fail(w, path, n, false, "not a valid group name");
	return 0;
}

static int h_control(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	static const struct ctl_cfg_key keys[] = {
		{"socket", h_ctl_socket}, {"mode", h_ctl_mode}, {"group", h_ctl_group}};
	uint64_t seen;
	return WALK_MAPPING(w, path, n, keys, obj, &seen);
}

// --- privilege drop ---

// A user or group name: POSIX portable characters, or digits for an id.
static int account_name(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, char **out)
{
	if (ctl_cfg_string(w, path, n, 32, out))
		return -EINVAL;
	for (const char *p = *out; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.')
			return ctl_cfg_fail(w, path, n, false, "not a valid account name");
	return 0;
}

static int h_user(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_config *c = obj;
	return account_name(w, path, n, &c->run_as.user);
}

static int h_group(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_config *c = obj;
	return account_name(w, path, n, &c->run_as.group);
}

// --- top ---

static int walk_top(struct ctl_cfg_walk *w, yaml_node_t *root, void *obj)
{
	struct ctl_config *c = obj;
	static const struct ctl_cfg_key keys[] = {
		{"eal", h_eal},
		{"ports", ctl_cfg_ports},
		{"workers", h_workers},
		{"dns", ctl_cfg_dns},
		{"control", h_control},
		{"log", h_log},
		{"metrics", ctl_cfg_metrics},
		{"snmp", ctl_cfg_snmp},
		{"user", h_user},
		{"group", h_group},
	};
	uint64_t seen;
	if (!root)
		return ctl_cfg_fail(w, "", NULL, false, "the file is empty");
	if (WALK_MAPPING(w, "", root, keys, c, &seen))
		return -EINVAL;
	if (!(seen & 2))
		return ctl_cfg_fail(w, "ports", NULL, false,
				    "missing: at least one port is needed");
	if (c->run_as.group && !c->run_as.user)
		return ctl_cfg_fail(w, "group", NULL, false,
				    "given without user: the group to run as goes with a user");
	if (!c->control.socket && !(c->control.socket = strdup(CTL_CONFIG_SOCKET_DEFAULT)))
		return ctl_cfg_fail(w, "control.socket", NULL, false, "out of memory");
	for (size_t i = 0; i < c->n_ports; i++) {
		const struct ctl_port *p = &c->ports[i];
		char path[PATH_MAX_LEN];
		// one worker per RX queue (DESIGN.md): a queue without a worker
		// is never read. Without workers: the daemon checks at start.
		if (c->n_workers && p->rx_queues > c->n_workers) {
			snprintf(path, sizeof(path), "ports[%zu].rx_queues", i);
			return ctl_cfg_fail(w, path, NULL, false,
					    "%u RX queues but only %zu workers", p->rx_queues,
					    c->n_workers);
		}
		// each worker answers on its own TX queue of the port it polls
		if (p->tx_queues && p->tx_queues < p->rx_queues) {
			snprintf(path, sizeof(path), "ports[%zu].tx_queues", i);
			return ctl_cfg_fail(w, path, NULL, false,
					    "%u TX queues for %u RX queues: each worker answers "
					    "on its own TX queue",
					    p->tx_queues, p->rx_queues);
		}
	}
	return 0;
}

static void config_defaults(struct ctl_config *c)
{
	c->dns.edns_size = 1232;
	c->dns.chaos = true;
	c->control.mode = CTL_CONFIG_MODE_DEFAULT;
	c->log_level = CTL_LOG_NOTICE;
	c->snmp.trap_port = CTL_CONFIG_TRAP_PORT;
	c->snmp.time_window = CTL_CONFIG_TIME_WINDOW;
	c->snmp.record_slots = CTL_CONFIG_RECORD_SLOTS_DEFAULT;
	c->snmp.big_record_slots = CTL_CONFIG_BIG_SLOTS_DEFAULT;
	c->snmp.journal.sync_interval_us = CTL_CONFIG_SYNC_US_DEFAULT;
	c->snmp.storm.per_source_rate = CTL_CONFIG_STORM_RATE_DEFAULT;
	c->snmp.storm.per_source_burst = CTL_CONFIG_STORM_BURST_DEFAULT;
	c->snmp.storm.sources = CTL_CONFIG_STORM_SOURCES_DEFAULT;
}

static struct ctl_config *load(const char *path, const char *text, size_t len, char *err,
			       size_t errlen)
{
	struct ctl_config *c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	config_defaults(c);
	int rc = path ? ctl_cfg_parse_file(path, CTL_CONFIG_FILE_MAX, walk_top, c, err, errlen)
		      : ctl_cfg_parse(text, len, CTL_CONFIG_FILE_MAX, walk_top, c, err, errlen);
	if (rc) {
		ctl_config_free(c);
		errno = -rc;
		return NULL;
	}
	return c;
}

struct ctl_config *ctl_config_load_string(const char *text, size_t len, char *err, size_t errlen)
{
	return load(NULL, text, len, err, errlen);
}

struct ctl_config *ctl_config_load_file(const char *path, char *err, size_t errlen)
{
	return load(path, NULL, 0, err, errlen);
}

void ctl_config_free(struct ctl_config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_eal; i++)
		free(c->eal[i]);
	free(c->eal);
	for (size_t i = 0; i < c->n_ports; i++) {
		free(c->ports[i].name);
		free(c->ports[i].device);
		free(c->ports[i].ipv4);
		free(c->ports[i].ipv6);
	}
	free(c->ports);
	free(c->workers);
	for (size_t i = 0; i < c->dns.n_zones; i++) {
		free(c->dns.zones[i].origin);
		free(c->dns.zones[i].file);
	}
	free(c->dns.zones);
	free(c->dns.acl);
	free(c->dns.nsid);
	free(c->dns.chaos_id);
	free(c->dns.chaos_version);
	free(c->control.socket);
	free(c->control.group);
	free(c->run_as.user);
	free(c->run_as.group);
	free(c->metrics.listen);
	free(c->metrics.path);
	for (size_t i = 0; i < c->snmp.n_communities; i++)
		free(c->snmp.communities[i]);
	free(c->snmp.communities);
	free(c->snmp.users_file);
	free(c->snmp.state_file);
	free(c->snmp.key_store);
	free(c->snmp.journal.dir);
	ctl_cfg_sinks_free(c);
	for (size_t i = 0; i < c->snmp.n_mib_dirs; i++)
		free(c->snmp.mib_dirs[i]);
	free(c->snmp.mib_dirs);
	OPENSSL_cleanse(c->dns.cookie_secret, sizeof(c->dns.cookie_secret));
	free(c);
}
