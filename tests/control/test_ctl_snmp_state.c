/* SPDX-License-Identifier: BSD-3-Clause */
// The SNMP engine's persistent state (ctl_snmp_state.h): boots grows at
// every start, the engine ID is kept, made, or replaced by the configured
// one, a damaged file stops the start (never a silent reset of boots), and
// boots latches at 2^31 - 1.
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl_snmp_state.h"
#include "state_file_util.h"

#define path state_path

static void setup(void)
{
	state_file_setup("engine.state");
}

static void teardown(void)
{
	state_file_teardown();
}
TestSuite(snmp_state, .init = setup, .fini = teardown);

static void put(const char *text)
{
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

static char *slurp(void)
{
	static char buf[512];
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static int start(const uint8_t *cfg, size_t len, struct ctl_snmp_state *st, char *err)
{
	return ctl_snmp_state_start(path, cfg, len, st, err, 256);
}

Test(snmp_state, a_new_engine_is_made_and_boots_grows_at_every_start)
{
	struct ctl_snmp_state a, b, c;
	char err[256];
	cr_assert_eq(start(NULL, 0, &a, err), 0, "%s", err);
	cr_assert(a.generated);
	cr_assert_eq(a.boots, 1);
	// RFC 3411 §5: enterprise 32473 with the top bit set, format 5, 12 octets
	static const uint8_t head[5] = {0x80, 0x00, 0x7e, 0xd9, 0x05};
	cr_assert_eq(a.engine_len, 17);
	cr_assert_arr_eq(a.engine_id, head, 5);
	struct stat sb;
	cr_assert_eq(stat(path, &sb), 0);
	cr_assert_eq(sb.st_mode & 0777, 0600);
	cr_assert_eq(start(NULL, 0, &b, err), 0, "%s", err);
	cr_assert(!b.generated);
	cr_assert_eq(b.boots, 2);
	cr_assert_eq(b.engine_len, a.engine_len);
	cr_assert_arr_eq(b.engine_id, a.engine_id, a.engine_len);
	cr_assert_eq(start(NULL, 0, &c, err), 0, "%s", err);
	cr_assert_eq(c.boots, 3);
	cr_assert_not_null(strstr(slurp(), "boots 3\n"));
	char tmp[160];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	cr_assert_neq(access(tmp, F_OK), 0, "no temporary file left behind");
}

Test(snmp_state, a_configured_engine_id_is_used_and_a_change_is_a_new_engine)
{
	static const uint8_t one[] = {0x80, 0x00, 0x1f, 0x88, 0x04, 'l', 'r', '1'};
	static const uint8_t two[] = {0x80, 0x00, 0x1f, 0x88, 0x04, 'l', 'r', '2'};
	struct ctl_snmp_state st;
	char err[256];
	cr_assert_eq(start(one, sizeof(one), &st, err), 0, "%s", err);
	cr_assert_eq(st.boots, 1);
	cr_assert(!st.generated);
	cr_assert_eq(start(one, sizeof(one), &st, err), 0, "%s", err);
	cr_assert_eq(st.boots, 2);
	cr_assert_eq(start(NULL, 0, &st, err), 0, "%s", err); // the stored one, still
	cr_assert_eq(st.boots, 3);
	cr_assert_arr_eq(st.engine_id, one, sizeof(one));
	cr_assert_eq(start(two, sizeof(two), &st, err), 0, "%s", err);
	cr_assert_eq(st.boots, 1, "another engine ID is another engine: boots from 1");
	cr_assert_arr_eq(st.engine_id, two, sizeof(two));
	cr_assert_not_null(strstr(slurp(), "engine_id 80001f88046c7232\nboots 1\n"));
}

Test(snmp_state, a_damaged_file_stops_the_start_and_is_left_alone)
{
	static const char *const bad[] = {
		"engine_id 80001f88046c7231\n",			       // no boots
		"boots 4\n",					       // no engine
		"engine_id 80001f88046c7231\nboots -1\n",	       // negative
		"engine_id 80001f88046c7231\nboots 2147483648\n",      // past the maximum
		"engine_id 80001f88046c7231\nboots 4x\n",	       // trailing junk
		"engine_id 80001f88046c723\nboots 4\n",		       // odd hex digits
		"engine_id 80001f88046c72zz\nboots 4\n",	       // not hex
		"engine_id 0000000000\nboots 4\n",		       // not a valid engine ID
		"engine_id 80001f88046c7231\nboots 4\nmore 1\n",       // a line we never write
		"engine_id 80001f88046c7231\nboots 4\nboots 9\n",      // twice
		"\x7f\x45\x4c\x46 binary",			       // not ours at all
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ctl_snmp_state st;
		char err[256] = "";
		put(bad[i]);
		cr_assert_lt(start(NULL, 0, &st, err), 0, "case %zu accepted", i);
		cr_assert_not_null(strstr(err, path), "case %zu: %s", i, err);
		cr_assert_str_eq(slurp(), bad[i], "case %zu: the file was changed", i);
	}
}

Test(snmp_state, boots_latches_at_its_maximum)
{
	struct ctl_snmp_state st;
	char err[256];
	put("# ours\nengine_id 80001f88046c7231\nboots 2147483646\n");
	cr_assert_eq(start(NULL, 0, &st, err), 0, "%s", err);
	cr_assert_eq(st.boots, 2147483647u);
	cr_assert(st.boots_latched);
	cr_assert_eq(start(NULL, 0, &st, err), 0, "%s", err);
	cr_assert_eq(st.boots, 2147483647u, "§2.2.2: it stays there");
	cr_assert(st.boots_latched);
}

Test(snmp_state, an_unwritable_place_is_an_error_naming_it)
{
	struct ctl_snmp_state st;
	char err[256] = "";
	int rc = ctl_snmp_state_start("/proc/lr-no-such-dir/engine.state", NULL, 0, &st, err,
				      sizeof(err));
	cr_assert_lt(rc, 0);
	cr_assert_not_null(strstr(err, "/proc/lr-no-such-dir/engine.state"), "%s", err);
}
