/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LINERATED_CONTROL_H
#define LINERATED_CONTROL_H

#include <grp.h>

#include "ctl_config.h"
#include "ctl_server.h"
#include "lr.h"

// What the control commands need from main.c.
struct lr_control {
	const char *const *zones; // "origin=file" as loaded
	unsigned nzones;
	uint32_t started; // UNIX seconds
	const struct ctl_config *cfg; // as loaded; NULL on the command line
	const char *config_path;      // the file it came from (config save's default)
	// reload every zone now; 0 and the new generation, or -1 and why
	int (*reload)(uint64_t *generation, char *err, size_t errlen);
};

// control_sinks.c: "sink list" and "sink flush" (struct ctl_command
// handlers), and the sinks' rows for other replies.
#include <jansson.h>
int lr_cmd_sink_list(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen);
int lr_cmd_sink_flush(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen);
json_t *lr_sinks_json(void);

// argv for rte_eal_init from the config: argv0, the eal: list, and each
// port's device (-a for a PCI address, --vdev otherwise).
char **lr_eal_args(const struct ctl_config *cfg, const char *argv0, int *argc);
void lr_eal_args_free(char **v, int argc);

// The control socket with linerated's commands; NULL (and a message) when
// it cannot be made.
struct ctl_server *lr_control_start(const struct ctl_config *cfg, struct lr_control *c);

#endif
