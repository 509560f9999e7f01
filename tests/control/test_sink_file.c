/* SPDX-License-Identifier: BSD-3-Clause */
// The file sink: JSON Lines checked by Python's json parser
// (tests/data/sink_json_check.py), rotation by size and by time, and the
// fsync policies.
#include <errno.h>

#include <linerate/snmp_msg.h>
#include <linerate/trap_record.h>

#include "../proto/snmp_test_util.h"
#include "journal_test_util.h"
#include "sink.h"

static char dir[64], path[128], cursor[128];
static int64_t fake_now = 1777638896000000000ll; // 2026-05-01T12:34:56Z

static int64_t clock_ns(void)
{
	return fake_now;
}

static void make_dir(void)
{
	scratch_dir(dir);
	snprintf(path, sizeof(path), "%s/events.jsonl", dir);
	snprintf(cursor, sizeof(cursor), "%s/file.cursor", dir);
}

static void remove_dir(void)
{
	rm_tree(dir);
}

TestSuite(sink_file, .init = make_dir, .fini = remove_dir);

// A MIB table of four entries, looked up by longest prefix.
static const char *oid_name(void *ctx, const uint32_t *oid, size_t n, size_t *matched)
{
	static const struct {
		const char *name;
		uint32_t arcs[12];
		size_t n;
	} mib[] = {
		{"linkDown", {1, 3, 6, 1, 6, 3, 1, 1, 5, 3}, 10},
		{"testMib", {1, 3, 6, 1, 4, 1, 99}, 7},
		{"odd\"name\\", {1, 3, 6, 1, 4, 1, 99, 5}, 8},
		{"netSnmpLinux", {1, 3, 6, 1, 4, 1, 8072, 3, 2, 10}, 10},
	};
	const char *best = NULL;
	(void)ctx;
	*matched = 0;
	for (size_t i = 0; i < sizeof(mib) / sizeof(mib[0]); i++) {
		if (mib[i].n <= n && mib[i].n > *matched &&
		    memcmp(mib[i].arcs, oid, mib[i].n * sizeof(*oid)) == 0) {
			best = mib[i].name;
			*matched = mib[i].n;
		}
	}
	return best;
}

static struct sink *file_sink(struct journal *j, struct sink_file_cfg *fc, void **impl)
{
	char err[256];
	fc->path = path;
	fc->now_ns = clock_ns;
	fc->names = (struct sink_names){.oid_name = oid_name};
	*impl = sink_file_new(fc, err, sizeof(err));
	cr_assert_not_null(*impl, "%s", err);
	struct sink_cfg cfg = {.name = "file", .cursor_path = cursor};
	struct sink *s = sink_new(j, &cfg, &sink_file_ops, *impl, err, sizeof(err));
	cr_assert_not_null(s, "%s", err);
	return s;
}

static void check(const char *args)
{
	char cmd[4096];
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s/sink_json_check.py %s", TEST_DATA_DIR,
		 args);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
}

// --- the JSON fields ------------------------------------------------------------------

static void append_msg(struct journal *j, const struct snmp_msg *m,
		       const struct trap_rec_meta *meta)
{
	uint8_t rec[8192];
	int len = trap_rec_encode(rec, sizeof(rec), meta, m);
	cr_assert_gt(len, 0, "%s", trap_rec_strerror(len));
	struct journal_rec jr = {.data = rec, .len = (uint32_t)len};
	cr_assert_eq(journal_append(j, &jr, 1), 1);
}

static const struct trap_rec_meta meta4 = {
	.rx_ns = 1777638896123456789ull,
	.src = {.family = 4, .addr = {192, 0, 2, 10}, .port = 40001},
	.dst = {.family = 4, .addr = {192, 0, 2, 1}, .port = 162},
};

static void append_every_kind(struct journal *j)
{
	static struct snmp_varbind vb[2 + SNMP_EVERY_TYPE_N], v1vb[1], v3vb[3], esc[9];
	static uint8_t oid[3][SNMP_OID_ENC_MAX];
	// 1: an SNMPv2-Trap with every type
	snmp_notification_head(vb, 8640123, oid_of("1.3.6.1.6.3.1.1.5.3", oid[0]));
	snmp_every_type(vb + 2);
	struct snmp_msg m = {
		.version = SNMP_V2C,
		.community = bytes_of("public"),
		.pdu_decoded = true,
		.pdu = {.type = SNMP_PDU_TRAP_V2, .request_id = 77, .vb = vb, .vb_count = 17},
	};
	append_msg(j, &m, &meta4);
	// 2: a Trap-v1
	static const uint8_t agent[4] = {198, 51, 100, 9};
	v1vb[0] = vb[2];
	m = (struct snmp_msg){
		.version = SNMP_V1,
		.community = bytes_of("private"),
		.pdu_decoded = true,
		.pdu = {.type = SNMP_PDU_TRAP_V1,
			.enterprise = oid_of("1.3.6.1.4.1.8072.3.2.10", oid[1]),
			.agent_addr = {agent, 4},
			.generic_trap = 6,
			.specific_trap = 17,
			.timestamp = 4242,
			.vb = v1vb,
			.vb_count = 1},
	};
	struct trap_rec_meta meta = {
		.rx_ns = 1777638897000001000ull,
		.src = {.family = 4, .addr = {198, 51, 100, 9}, .port = 1025},
		.dst = meta4.dst,
	};
	append_msg(j, &m, &meta);
	// 3: a v3 authPriv inform over IPv6
	static const uint8_t engine[] = {0x80, 0, 0x1f, 0x88, 0x04, 'l', 'r'};
	snmp_notification_head(v3vb, 55, oid_of("1.3.6.1.4.1.99.1.2", oid[2]));
	v3vb[2] = vb[3];
	m = (struct snmp_msg){
		.version = SNMP_V3,
		.flags = SNMP_FLAG_AUTH | SNMP_FLAG_PRIV,
		.usm = {.user_name = bytes_of("opsuser")},
		.context_engine_id = {engine, sizeof(engine)},
		.context_name = bytes_of("edge-7"),
		.pdu_decoded = true,
		.pdu = {.type = SNMP_PDU_INFORM, .request_id = 9001, .vb = v3vb, .vb_count = 3},
	};
	meta = (struct trap_rec_meta){
		.src = {.family = 6, .addr = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x10}, .port = 1024},
		.dst = {.family = 6, .addr = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x01}, .port = 162},
	};
	append_msg(j, &m, &meta);
	// 4: strings that must be escaped, and octets that are not text
	static const char *const values[9] = {
		"say \"hi\" \\ back\nslash\ttab \xc3\xa9 \xe2\x82\xac",
		"\001abc",
		"\xff\xfe",
		"\xc0\x80",
		"\xed\xa0\x80",
		"",
		"\xc2\x85",
		"\xf0\x9f\x98\x80",
		"\xf4\x90\x80\x80",
	};
	for (int i = 0; i < 9; i++)
		esc[i] = (struct snmp_varbind){.oid = vb[9].oid, // 1.3.6.1.4.1.99.7
					       .type = SNMP_T_OCTET_STRING,
					       .data = bytes_of(values[i])};
	m = (struct snmp_msg){
		.version = SNMP_V2C,
		.community = {(const uint8_t *)"\0pub", 4},
		.pdu_decoded = true,
		.pdu = {.type = SNMP_PDU_TRAP_V2, .request_id = 4, .vb = esc, .vb_count = 9},
	};
	append_msg(j, &m, &meta4);
	cr_assert_eq(journal_flush(j), 0);
}

Test(sink_file, json_lines_parse_back_with_every_field)
{
	struct journal_cfg jc = {.dir = dir};
	struct journal *j = open_journal(&jc);
	append_every_kind(j);
	void *impl;
	struct sink_file_cfg fc = {.fsync = SINK_FSYNC_BATCH};
	struct sink *s = file_sink(j, &fc, &impl);
	cr_assert_eq(sink_poll(s), 4);
	struct sink_file_stats fs;
	sink_file_get_stats(impl, &fs);
	cr_assert_eq(fs.lines, 4);
	cr_assert_eq(fs.fsyncs, 1);
	sink_free(s);
	journal_close(j);
	char args[256];
	snprintf(args, sizeof(args), "fields %s", path);
	check(args);
}

Test(sink_file, without_names_oids_stay_numeric)
{
	struct journal_cfg jc = {.dir = dir};
	struct journal *j = open_journal(&jc);
	append_every_kind(j);
	char err[256];
	struct sink_file_cfg fc = {.path = path, .fsync = SINK_FSYNC_NEVER};
	void *impl = sink_file_new(&fc, err, sizeof(err));
	struct sink_cfg cfg = {.name = "file", .cursor_path = cursor};
	struct sink *s = sink_new(j, &cfg, &sink_file_ops, impl, err, sizeof(err));
	cr_assert_eq(sink_poll(s), 4);
	struct sink_file_stats fs;
	sink_file_get_stats(impl, &fs);
	cr_assert_eq(fs.fsyncs, 0);
	sink_free(s);
	journal_close(j);
	FILE *f = fopen(path, "r");
	char line[8192];
	cr_assert_not_null(fgets(line, sizeof(line), f));
	fclose(f);
	cr_assert_null(strstr(line, "\"name\""));
	cr_assert_null(strstr(line, "linkDown"));
	cr_assert_not_null(strstr(line, "\"trap_oid\":\"1.3.6.1.6.3.1.1.5.3\""));
}

// --- rotation ----------------------------------------------------------------------------

// The files of the sink in the order they were written: NAME.stamp,
// NAME.stamp.1, ... then NAME; returns how many, each at most max octets.
static int sink_files(const char *stamp, char files[64][256], off_t max)
{
	int n = 0;
	for (int i = 0; i < 63; i++, n++) {
		if (i == 0)
			snprintf(files[n], 256, "%s.%s", path, stamp);
		else
			snprintf(files[n], 256, "%s.%s.%d", path, stamp, i);
		if (access(files[n], F_OK) != 0)
			break;
	}
	snprintf(files[n++], 256, "%s", path);
	for (int i = 0; i < n; i++) {
		struct stat st;
		cr_assert_eq(stat(files[i], &st), 0, "%s", files[i]);
		cr_assert_leq(st.st_size, max, "%s: %jd octets", files[i], (intmax_t)st.st_size);
		cr_assert_gt(st.st_size, 0, "%s is empty", files[i]);
	}
	return n;
}

Test(sink_file, rotates_by_size_keeping_every_record_in_order)
{
	struct journal_cfg jc = {.dir = dir};
	struct journal *j = open_journal(&jc);
	append_traps(j, 1, 100);
	void *impl;
	struct sink_file_cfg fc = {.rotate_bytes = 2000};
	struct sink *s = file_sink(j, &fc, &impl);
	while (sink_poll(s) > 0)
		;
	struct sink_file_stats fs;
	sink_file_get_stats(impl, &fs);
	sink_free(s);
	journal_close(j);
	char files[64][256], args[64 * 260] = "seqs 100";
	int n = sink_files("20260501T123456", files, 2000);
	cr_assert_gt(n, 5);
	cr_assert_eq(fs.rotations, (uint64_t)n - 1);
	for (int i = 0; i < n; i++)
		snprintf(args + strlen(args), sizeof(args) - strlen(args), " %s", files[i]);
	check(args);
}

static int lines_in(const char *file)
{
	FILE *f = fopen(file, "r");
	int n = 0, c;
	cr_assert_not_null(f, "%s", file);
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

Test(sink_file, rotates_by_time_at_emit_and_at_tick)
{
	struct journal_cfg jc = {.dir = dir};
	struct journal *j = open_journal(&jc);
	append_traps(j, 1, 3);
	void *impl;
	struct sink_file_cfg fc = {.rotate_s = 60};
	struct sink *s = file_sink(j, &fc, &impl);
	cr_assert_eq(sink_poll(s), 3);
	sink_file_ops.tick(impl); // not old yet
	fake_now += 61 * 1000000000ll;
	append_traps(j, 4, 2);
	cr_assert_eq(sink_poll(s), 2); // the first of them rotates the file
	char old[256];
	snprintf(old, sizeof(old), "%s.20260501T123557", path);
	cr_assert_eq(lines_in(old), 3);
	cr_assert_eq(lines_in(path), 2);
	fake_now += 60 * 1000000000ll;
	sink_file_ops.tick(impl); // idle, and old: rotated without a record
	snprintf(old, sizeof(old), "%s.20260501T123657", path);
	cr_assert_eq(lines_in(old), 2);
	cr_assert_eq(lines_in(path), 0);
	fake_now += 60 * 1000000000ll;
	sink_file_ops.tick(impl); // an empty file is not rotated
	struct sink_file_stats fs;
	sink_file_get_stats(impl, &fs);
	cr_assert_eq(fs.rotations, 2);
	sink_free(s);
	journal_close(j);
}

Test(sink_file, fsync_interval_syncs_once_the_interval_passed)
{
	struct journal_cfg jc = {.dir = dir};
	struct journal *j = open_journal(&jc);
	void *impl;
	struct sink_file_cfg fc = {.fsync = SINK_FSYNC_INTERVAL, .fsync_interval_ms = 1000};
	struct sink *s = file_sink(j, &fc, &impl);
	struct sink_file_stats fs;
	for (int i = 0; i < 4; i++) { // at 0, 0.4, 0.8 and 1.2 s
		append_traps(j, 1 + (uint64_t)i, 1);
		cr_assert_eq(sink_poll(s), 1);
		fake_now += 400000000;
	}
	sink_file_get_stats(impl, &fs);
	cr_assert_eq(fs.fsyncs, 1);
	cr_assert_eq(fs.lines, 4);
	sink_free(s);
	journal_close(j);
}

Test(sink_file, refuses_a_path_it_cannot_open)
{
	char err[256];
	struct sink_file_cfg fc = {.path = "/nonexistent-dir/x.jsonl"};
	cr_assert_null(sink_file_new(&fc, err, sizeof(err)));
	cr_assert_eq(errno, ENOENT);
	cr_assert(strstr(err, "/nonexistent-dir/x.jsonl"), "%s", err);
}

// The file as it lies: its octets into buf (cap), their count.
static size_t file_text(char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f, "%s", path);
	size_t n = fread(buf, 1, cap - 1, f);
	fclose(f);
	buf[n] = '\0';
	return n;
}

// A line cut short by a crash (the daemon killed mid-write) is cut off at
// open, so the records that come again start on a line of their own: a
// file that is whole lines before it and after, each one JSON.
static void torn_tail_is_cut(const char *before, size_t whole)
{
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(before, f);
	fclose(f);
	struct journal_cfg jc = {.dir = dir};
	struct journal *j = open_journal(&jc);
	append_traps(j, 1, 3);
	void *impl;
	struct sink_file_cfg fc = {.fsync = SINK_FSYNC_BATCH};
	struct sink *s = file_sink(j, &fc, &impl);
	cr_assert_eq(sink_poll(s), 3);
	struct sink_file_stats fs;
	sink_file_get_stats(impl, &fs);
	cr_assert_eq(fs.torn_cut, strlen(before) - whole);
	cr_assert_eq(fs.lines, 3);
	sink_free(s);
	journal_close(j);
	static char text[1 << 16];
	size_t n = file_text(text, sizeof(text));
	cr_assert_eq(n, whole + fs.bytes);
	cr_assert_eq(memcmp(text, before, whole), 0, "the whole lines before stay");
	cr_assert_null(strstr(text, "\"torn"), "%s", text);
	cr_assert_eq(lines_in(path), (int)(3 + (whole ? 1 : 0)));
	char args[256];
	snprintf(args, sizeof(args), "lines %s", path);
	check(args);
}

Test(sink_file, a_line_torn_by_a_crash_is_cut_before_appending)
{
	static const char before[] = "{\"seq\": 0, \"pdu\": \"trap\"}\n{\"torn\": \"by a cr";
	torn_tail_is_cut(before, strlen("{\"seq\": 0, \"pdu\": \"trap\"}\n"));
}

Test(sink_file, a_file_of_one_torn_line_is_cut_to_nothing)
{
	torn_tail_is_cut("{\"torn\": \"by a cr", 0);
}
