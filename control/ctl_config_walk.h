/* SPDX-License-Identifier: BSD-3-Clause */
// Private to the config loader: the walker over libyaml's node tree. Each
// helper checks one value at one key path; the first failure writes the
// message (path, value, reason) and every later call is a no-op returning
// -EINVAL, so handlers just return on nonzero.
#ifndef LINERATE_CTL_CONFIG_WALK_H
#define LINERATE_CTL_CONFIG_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "ctl_config.h"

#define PATH_MAX_LEN 128

struct ctl_cfg_walk {
	yaml_document_t *doc;
	char *err;
	size_t errlen;
	bool failed;
};

// Record the error (once) and return -EINVAL. n NULL: no value to show;
// secret: the value is shown as "(secret)".
__attribute__((format(printf, 5, 6))) int ctl_cfg_fail(struct ctl_cfg_walk *w, const char *path,
						       const yaml_node_t *n, bool secret,
						       const char *fmt, ...);

yaml_node_t *ctl_cfg_node(struct ctl_cfg_walk *w, int id);
void ctl_cfg_child_path(char *out, const char *path, const char *key);
void ctl_cfg_index_path(char *out, const char *path, size_t i);

int ctl_cfg_scalar(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n);
// A non-empty string of at most maxlen octets, copied into *out (freed first).
int ctl_cfg_string(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, size_t maxlen,
		   char **out);
int ctl_cfg_uint(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, unsigned long lo,
		 unsigned long hi, unsigned long *out);
int ctl_cfg_u16(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, unsigned lo, unsigned hi,
		uint16_t *out);
// One of words[0..nwords) (a scalar, exactly); *out gets its index.
int ctl_cfg_word(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, const char *const *words,
		 size_t nwords, unsigned *out);
int ctl_cfg_bool(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, bool *out);
// Hex digits (an optional "0x" first) for min..max octets into out; *len
// gets the count. secret: the value never appears in the message.
int ctl_cfg_hex(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, bool secret, uint8_t *out,
		size_t min, size_t max, size_t *len);

struct ctl_cfg_key {
	const char *key;
	int (*fn)(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj);
};

// A mapping whose keys are all in keys[] (at most 64), each at most once;
// *seen gets bit i for keys[i] found.
int ctl_cfg_mapping(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n,
		    const struct ctl_cfg_key *keys, size_t nkeys, void *obj, uint64_t *seen);
#define WALK_MAPPING(w, path, n, keys, obj, seen)                                                  \
	ctl_cfg_mapping(w, path, n, keys, sizeof(keys) / sizeof(keys[0]), obj, seen)

// A list of at most max entries; *count gets its length.
int ctl_cfg_sequence(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, size_t max,
		     size_t *count);
yaml_node_t *ctl_cfg_item(struct ctl_cfg_walk *w, yaml_node_t *seq, size_t i);

// One YAML document (at most max octets) walked from its root by walk(w,
// root, obj); a syntax error refuses the text before walk runs, and a
// second document is an error. Returns 0, or -EINVAL/-ENOMEM with the
// message in err.
typedef int ctl_cfg_walk_fn(struct ctl_cfg_walk *w, yaml_node_t *root, void *obj);
int ctl_cfg_parse(const char *text, size_t len, size_t max, ctl_cfg_walk_fn *walk, void *obj,
		  char *err, size_t errlen);
// The same for a file, its name before the message; the errno of a failed
// open or read (ENOENT, …), else -EINVAL/-ENOMEM.
int ctl_cfg_parse_file(const char *path, size_t max, ctl_cfg_walk_fn *walk, void *obj, char *err,
		       size_t errlen);

// Sections handled in their own files.
int ctl_cfg_ports(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj);
int ctl_cfg_dns(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj);
int ctl_cfg_metrics(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj);
int ctl_cfg_snmp(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj);
// snmp.sinks (ctl_config_sinks.c), into the struct ctl_config obj.
int ctl_cfg_sinks(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj);
void ctl_cfg_sinks_free(struct ctl_config *c);
// snmp.journal.when_full (its words live with the sinks' enums).
int ctl_cfg_journal_full(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n,
			 enum ctl_journal_full *out);

// digits hex digits (even, no prefix) at s into out[0..cap): the octet
// count, or -1 (odd, too long, or not hex).
int ctl_hex_decode(const char *s, size_t digits, uint8_t *out, size_t cap);

#endif
