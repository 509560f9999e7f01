/* SPDX-License-Identifier: BSD-3-Clause */
// Privilege drop: the user: and group: of the configuration resolved to
// ids, and the switch to them (after the daemon has set up what needs
// root: DPDK, ports, sockets).
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl_config.h"
#include "ctl_priv.h"

int ctl_config_run_as(const struct ctl_config *cfg, uid_t *uid, gid_t *gid, char *err,
		      size_t errlen)
{
	*uid = (uid_t)-1;
	*gid = (gid_t)-1;
	if (!cfg->run_as.user)
		return 0;
	// getpwnam takes a numeric name only when such a user exists: an id
	// without a passwd entry is refused like an unknown name
	const struct passwd *pw = getpwnam(cfg->run_as.user);
	if (!pw) {
		snprintf(err, errlen, "user = \"%s\": no such user on this system",
			 cfg->run_as.user);
		return -ENOENT;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	if (cfg->run_as.group) {
		const struct group *gr = getgrnam(cfg->run_as.group);
		if (!gr) {
			snprintf(err, errlen, "group = \"%s\": no such group on this system",
				 cfg->run_as.group);
			return -ENOENT;
		}
		*gid = gr->gr_gid;
	}
	return 0;
}

int ctl_priv_drop(uid_t uid, gid_t gid, char *err, size_t errlen)
{
	if (uid == (uid_t)-1)
		return 0;
	// the group first (setgid needs the privilege setuid gives up); no
	// supplementary groups left over from root
	if (setgroups(1, &gid) != 0 || setgid(gid) != 0 || setuid(uid) != 0) {
		int e = errno;
		snprintf(err, errlen, "switching to uid %u gid %u: %s", (unsigned)uid,
			 (unsigned)gid, strerror(e));
		return -e;
	}
	// a real drop cannot be undone
	if (uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
		snprintf(err, errlen, "uid 0 could be regained after the drop");
		return -EPERM;
	}
	return 0;
}

int ctl_priv_chown_tree(const char *dir, uid_t uid, gid_t gid, char *err, size_t errlen)
{
	struct stat st;
	if (uid == (uid_t)-1 || !dir)
		return 0;
	if (stat(dir, &st) != 0) {
		if (errno == ENOENT)
			return 0; // made later, as the user
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -errno;
	}
	if (chown(dir, uid, gid) != 0) {
		snprintf(err, errlen, "chown %s: %s", dir, strerror(errno));
		return -errno;
	}
	if (!S_ISDIR(st.st_mode))
		return 0;
	// one level: the journal's segments and state files sit directly in it
	char path[4096];
	int rc = 0;
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -errno;
	}
	for (struct dirent *e; rc == 0 && (e = readdir(d));) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path))
			continue;
		// lchown: a link planted there does not give away its target
		if (lchown(path, uid, gid) != 0) {
			snprintf(err, errlen, "chown %s: %s", path, strerror(errno));
			rc = -errno;
		}
	}
	closedir(d);
	return rc;
}
