/* SPDX-License-Identifier: BSD-3-Clause */
// snmp: the trap collector's settings (issue #6): the trap port, the
// communities v1/v2c traps must carry, our engine for v3, the users file,
// the journal, the sinks (ctl_config_sinks.c) and the MIB directories.
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
//     record_slots: 16383               # per worker: 1 KiB trap record slots
//     big_record_slots: 255             # per worker: 10 KiB ones (larger records)
//     journal: {dir: /var/lib/linerate/journal, max_bytes: 1073741824,
//               max_age_seconds: 0, when_full: drop_oldest,
//               sync_interval_us: 1000}
//     sinks:                            # see ctl_config_sinks.c
//       - {name: traps, type: file, path: /var/log/linerate/traps.jsonl}
//     mib_dirs: [/etc/linerate/mibs]    # searched after Debian's MIB sets
//     storm:                            # per-source storm control, per worker
//       enabled: false
//       per_source_rate: 1000           # datagrams/s a source may send
//       per_source_burst: 2000          # and at once, from a full bucket
//       global_rate: none               # the worker's budget, or none
//       global_burst: 50000             # default: one second of global_rate
//       sources: 4096                   # sources tracked per worker
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

// A list of at most max strings of 1..maxlen octets into *out (*count).
static int string_list(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, size_t max,
		       size_t maxlen, char ***out, size_t *count)
{
	char sub[PATH_MAX_LEN];
	size_t cnt;
	if (ctl_cfg_sequence(w, path, n, max, &cnt))
		return -EINVAL;
	*out = calloc(cnt ? cnt : 1, sizeof(**out));
	if (!*out)
		return ctl_cfg_fail(w, path, NULL, false, "out of memory");
	for (size_t i = 0; i < cnt; i++) {
		ctl_cfg_index_path(sub, path, i);
		*count = i + 1;
		if (ctl_cfg_string(w, sub, ctl_cfg_item(w, n, i), maxlen, &(*out)[i]))
			return -EINVAL;
	}
	return 0;
}

static int h_communities(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_config *c = obj;
	return string_list(w, path, n, CTL_CONFIG_COMMUNITIES_MAX, CTL_CONFIG_COMMUNITY_MAX,
			   &c->snmp.communities, &c->snmp.n_communities);
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

static int h_journal_age(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	unsigned long v;
	if (ctl_cfg_uint(w, path, n, 0, 3660ul * 86400, &v))
		return -EINVAL;
	cfg_of(obj)->snmp.journal.max_age_seconds = v;
	return 0;
}

static int h_journal_full(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	return ctl_cfg_journal_full(w, path, n, &cfg_of(obj)->snmp.journal.when_full);
}

static int h_journal(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	static const struct ctl_cfg_key keys[] = {{"dir", h_journal_dir},
						  {"max_bytes", h_journal_max},
						  {"max_age_seconds", h_journal_age},
						  {"when_full", h_journal_full},
						  {"sync_interval_us", h_journal_sync}};
	uint64_t seen;
	return WALK_MAPPING(w, path, n, keys, obj, &seen);
}

static int h_mib_dirs(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_config *c = obj;
	return string_list(w, path, n, CTL_CONFIG_MIB_DIRS_MAX, SNMP_PATH_MAX, &c->snmp.mib_dirs,
			   &c->snmp.n_mib_dirs);
}

// A whole number in lo..hi (a count: slots, a rate, a burst).
static int count_u32(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, unsigned long lo,
		     unsigned long hi, uint32_t *out)
{
	unsigned long v;
	if (ctl_cfg_uint(w, path, n, lo, hi, &v))
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static int h_storm_enabled(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	return ctl_cfg_bool(w, path, n, &cfg_of(obj)->snmp.storm.enabled);
}

static int h_record_slots(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	return count_u32(w, path, n, CTL_CONFIG_RECORD_SLOTS_MIN, CTL_CONFIG_RECORD_SLOTS_MAX,
			 &cfg_of(obj)->snmp.record_slots);
}

static int h_big_record_slots(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n,
			      void *obj)
{
	return count_u32(w, path, n, CTL_CONFIG_BIG_SLOTS_MIN, CTL_CONFIG_BIG_SLOTS_MAX,
			 &cfg_of(obj)->snmp.big_record_slots);
}

static int h_storm_rate(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	return count_u32(w, path, n, 1, CTL_CONFIG_STORM_RATE_MAX,
			 &cfg_of(obj)->snmp.storm.per_source_rate);
}

static int h_storm_burst(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	return count_u32(w, path, n, 1, CTL_CONFIG_STORM_RATE_MAX,
			 &cfg_of(obj)->snmp.storm.per_source_burst);
}

static int h_storm_global_rate(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n,
			       void *obj)
{
	if (n && n->type == YAML_SCALAR_NODE && n->data.scalar.length == 4 &&
	    !memcmp(n->data.scalar.value, "none", 4)) {
		cfg_of(obj)->snmp.storm.global_rate = 0;
		return 0;
	}
	if (n && n->type == YAML_SCALAR_NODE && n->data.scalar.length > 0 &&
	    (n->data.scalar.value[0] < '0' || n->data.scalar.value[0] > '9'))
		return ctl_cfg_fail(w, path, n, false, "must be none or 1..%u",
				    CTL_CONFIG_STORM_RATE_MAX);
	return count_u32(w, path, n, 1, CTL_CONFIG_STORM_RATE_MAX,
			 &cfg_of(obj)->snmp.storm.global_rate);
}

static int h_storm_global_burst(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n,
				void *obj)
{
	return count_u32(w, path, n, 1, CTL_CONFIG_STORM_RATE_MAX,
			 &cfg_of(obj)->snmp.storm.global_burst);
}

static int h_storm_sources(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	return count_u32(w, path, n, CTL_CONFIG_STORM_SOURCES_MIN, CTL_CONFIG_STORM_SOURCES_MAX,
			 &cfg_of(obj)->snmp.storm.sources);
}

static int h_storm(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	static const struct ctl_cfg_key keys[] = {
		{"enabled", h_storm_enabled},
		{"per_source_rate", h_storm_rate},
		{"per_source_burst", h_storm_burst},
		{"global_rate", h_storm_global_rate},
		{"global_burst", h_storm_global_burst},
		{"sources", h_storm_sources},
	};
	struct ctl_config *c = obj;
	uint64_t seen;
	if (WALK_MAPPING(w, path, n, keys, obj, &seen))
		return -EINVAL;
	if (c->snmp.storm.global_burst && !c->snmp.storm.global_rate)
		return ctl_cfg_fail(w, "snmp.storm.global_burst", NULL, false,
				    "needs snmp.storm.global_rate (none: no budget to burst)");
	return 0;
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
		{"record_slots", h_record_slots},
		{"big_record_slots", h_big_record_slots},
		{"journal", h_journal},
		{"sinks", ctl_cfg_sinks},
		{"storm", h_storm},
		{"mib_dirs", h_mib_dirs},
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
