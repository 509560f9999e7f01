/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LINERATE_CTL_OPS_H
#define LINERATE_CTL_OPS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

// The request for config dump|save [PATH], log level [LEVEL],
// trace start FILE [--kinds K] [--snaplen N] [--max-packets N]
// [--max-bytes N], trace stop|status; NULL when the words are none of
// these (or bad usage of one). Relative paths are made absolute.
json_t *ctl_ops_request(int argc, char **argv);

// `config check FILE`, run here without a daemon: true (and the exit
// status in *status, 0 valid, 1 not) when the words were that command.
bool ctl_ops_offline(int argc, char **argv, bool as_json, int *status);

// Print a reply this file knows better than a table (config dump's
// YAML); false when it is not one.
bool ctl_ops_print(FILE *out, const json_t *reply);

#endif
