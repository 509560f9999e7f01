/* SPDX-License-Identifier: BSD-3-Clause */
// Privilege drop for linerated (user: and group: in the configuration;
// ctl_config_run_as() in ctl_config.h resolves them). Called once, by the
// main thread, after everything that needs root is set up.
#ifndef LINERATE_CTL_PRIV_H
#define LINERATE_CTL_PRIV_H

#include <stddef.h>
#include <sys/types.h>

// Become uid/gid for good (supplementary groups: gid only). uid (uid_t)-1:
// nothing to do. 0, or a negative errno with a message.
int ctl_priv_drop(uid_t uid, gid_t gid, char *err, size_t errlen);

// Give dir (when it exists) and the entries directly in it to uid:gid, so
// the dropped daemon keeps writing there. 0, or a negative errno with a
// message.
int ctl_priv_chown_tree(const char *dir, uid_t uid, gid_t gid, char *err, size_t errlen);

#endif
