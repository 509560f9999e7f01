/* SPDX-License-Identifier: BSD-3-Clause */
// A state file's path in a fresh temporary directory for each test, and
// the clean-up of the file, the FILE.tmp an atomic write leaves, and the
// directory (the engine state and the USM key store tests).
#ifndef LINERATE_TEST_STATE_FILE_UTIL_H
#define LINERATE_TEST_STATE_FILE_UTIL_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char state_dir[64], state_path[128];

static inline void state_file_setup(const char *name)
{
	strcpy(state_dir, "/tmp/lr-state-XXXXXX");
	cr_assert_not_null(mkdtemp(state_dir));
	snprintf(state_path, sizeof(state_path), "%s/%s", state_dir, name);
}

static inline void state_file_teardown(void)
{
	char tmp[160];
	unlink(state_path);
	snprintf(tmp, sizeof(tmp), "%s.tmp", state_path);
	unlink(tmp);
	rmdir(state_dir);
}

#endif
