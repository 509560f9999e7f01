/* SPDX-License-Identifier: BSD-3-Clause */
// snmp: the trap collector's settings (issue #6): the trap port, the
// communities v1/v2c traps must carry, our engine for v3, the users file,
// the journal and the file sink.
//
//   snmp:
//     enabled: true
//     trap_port: 162
//     communities: [public]
//     v3_only: false
//     engine_id: "0x80001f8804..."      # optional: stored in state_file, or made
//     state_file: /var/lib/linerate/snmp-engine  # engine ID and boots (default:
//                                       # engine.state in the journal directory)
//     time_window: 150
//     users_file: /etc/linerate/users.yaml
//     key_store: /var/lib/linerate/usm.keys  # Ku and localised keys, 0600
//                                       # (default: usm.keys in the journal dir)
//     hash_threads: 2                   # control-plane threads hashing passwords
//     journal: {dir: /var/lib/linerate/journal, max_bytes: 1073741824,
//               sync_interval_us: 1000}
//     sinks:
//       file: {path: /var/log/linerate/traps.jsonl, rotate_bytes: 0}
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linerate/snmp_usm.h>

#include "ctl_config_walk.h"

#define SNMP_PATH_MAX 4096

static struct ctl_config *cfg_of(void *obj)
{
	return obj;
}

static int h_enabled(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	return ctl_cfg_bool(w, path, n, &cfg_of(obj)->snmp.enabled);
}

static int h_trap_port(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	return ctl_cfg_u16(w, path, n, 1, 65535, &cfg_of(obj)->snmp.trap_port);
}

static int h_communities(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_config *c = obj;
	char sub[PATH_MAX_LEN];
	size_t cnt;
	if (ctl_cfg_sequence(w, path, n, CTL_CONFIG_COMMUNITIES_MAX, &cnt))
		return -EINVAL;
	c->snmp.communities = calloc(cnt ? cnt : 1, sizeof(*c->snmp.communities));
	if (!c->snmp.communities)
		return ctl_cfg_fail(w, path, NULL, false, "out of memory");
	for (size_t i = 0; i < cnt; i++) {
		ctl_cfg_index_path(sub, path, i);
		c->snmp.n_communities = i + 1;
		if (ctl_cfg_string(w, sub, ctl_cfg_item(w, n, i), CTL_CONFIG_COMMUNITY_MAX,
				   &c->snmp.communities[i]))
			return -EINVAL;
	}
	return 0;
}

static int h_v3_only(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	return ctl_cfg_bool(w, path, n, &cfg_of(obj)->snmp.v3_only);
}

static int h_engine_id(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_config *c = obj;
	if (ctl_cfg_hex(w, path, n, false, c->snmp.engine_id, 5, CTL_CONFIG_ENGINE_ID_MAX,
			&c->snmp.engine_len))
		return -EINVAL;
	int rc = usm_engine_id_check(c->snmp.engine_id, c->snmp.engine_len);
	if (rc < 0)
		return ctl_cfg_fail(w, path, n, false, "%s", usm_strerror(rc));
	return 0;
}

static int h_time_window(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	unsigned long v;
	if (ctl_cfg_uint(w, path, n, 1, 86400, &v))
		return -EINVAL;
	cfg_of(obj)->snmp.time_window = (uint32_t)v;
	return 0;
}

static int h_users_file(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	return ctl_cfg_string(w, path, n, SNMP_PATH_MAX, &cfg_of(obj)->snmp.users_file);
}

static int h_key_store(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	return ctl_cfg_string(w, path, n, SNMP_PATH_MAX, &cfg_of(obj)->snmp.key_store);
}

static int h_hash_threads(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	unsigned long v;
	if (ctl_cfg_uint(w, path, n, 1, 64, &v))
		return -EINVAL;
	cfg_of(obj)->snmp.hash_threads = (unsigned)v;
	return 0;
}

static int h_state_file(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	return ctl_cfg_string(w, path, n, SNMP_PATH_MAX, &cfg_of(obj)->snmp.state_file);
}

static int h_journal_dir(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	return ctl_cfg_string(w, path, n, SNMP_PATH_MAX, &cfg_of(obj)->snmp.journal.dir);
}

static int h_journal_max(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	unsigned long v;
	// the journal wants its queue and a segment in a quarter of it
	if (ctl_cfg_uint(w, path, n, 1ul << 20, 9999999999ul, &v))
		return -EINVAL;
	cfg_of(obj)->snmp.journal.max_bytes = v;
	return 0;
}

static int h_journal_sync(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	unsigned long v;
	if (ctl_cfg_uint(w, path, n, 0, 10000000, &v))
		return -EINVAL;
	cfg_of(obj)->snmp.journal.sync_interval_us = v;
	return 0;
}

static int h_journal(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	static const struct ctl_cfg_key keys[] = {{"dir", h_journal_dir},
						  {"max_bytes", h_journal_max},
						  {"sync_interval_us", h_journal_sync}};
	uint64_t seen;
	return WALK_MAPPING(w, path, n, keys, obj, &seen);
}

static int h_file_path(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	return ctl_cfg_string(w, path, n, SNMP_PATH_MAX, &cfg_of(obj)->snmp.file_sink.path);
}

static int h_file_rotate(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	unsigned long v;
	if (ctl_cfg_uint(w, path, n, 0, 9999999999ul, &v))
		return -EINVAL;
	cfg_of(obj)->snmp.file_sink.rotate_bytes = v;
	return 0;
}

static int h_file(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	static const struct ctl_cfg_key keys[] = {{"path", h_file_path},
						  {"rotate_bytes", h_file_rotate}};
	uint64_t seen;
	if (WALK_MAPPING(w, path, n, keys, obj, &seen))
		return -EINVAL;
	if (!(seen & 1))
		return ctl_cfg_fail(w, path, n, false, "missing key: path");
	return 0;
}

static int h_sinks(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	static const struct ctl_cfg_key keys[] = {{"file", h_file}};
	uint64_t seen;
	return WALK_MAPPING(w, path, n, keys, obj, &seen);
}

int ctl_cfg_snmp(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	static const struct ctl_cfg_key keys[] = {
		{"enabled", h_enabled},
		{"trap_port", h_trap_port},
		{"communities", h_communities},
		{"v3_only", h_v3_only},
		{"engine_id", h_engine_id},
		{"time_window", h_time_window},
		{"users_file", h_users_file},
		{"state_file", h_state_file},
		{"key_store", h_key_store},
		{"hash_threads", h_hash_threads},
		{"journal", h_journal},
		{"sinks", h_sinks},
	};
	struct ctl_config *c = obj;
	uint64_t seen;
	c->snmp.present = true;
	if (WALK_MAPPING(w, path, n, keys, obj, &seen))
		return -EINVAL;
	if (!c->snmp.enabled)
		return 0;
	if (!c->snmp.journal.dir)
		return ctl_cfg_fail(w, "snmp.journal.dir", NULL, false,
				    "missing: required when snmp.enabled is true (every accepted "
				    "trap is journaled)");
	if (c->snmp.trap_port == 53)
		return ctl_cfg_fail(w, "snmp.trap_port", NULL, false,
				    "53 is the DNS port of the same addresses");
	return 0;
}
