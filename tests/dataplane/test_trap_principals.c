/* SPDX-License-Identifier: BSD-3-Clause */
// Notifications by principal and level (dataplane/linerated/
// trap_principals.h) from records trap_rec_write makes: counts by user,
// community and level, the order of the rows, the bound with its
// "(other)" rows, communities never shown whole, and records whose
// header lies (counted as unparsed, never read past their end).
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include <linerate/snmp_msg.h>
#include <linerate/trap_record.h>

#include "trap_principals.h"

static const uint8_t fp_key[LR_PRINCIPAL_FP_KEY] = {1, 2, 3, 4, 5, 6, 7, 8};

// A record of pdu (SNMP_PDU_*) from name at version/level into buf.
static size_t record(uint8_t *buf, size_t cap, uint8_t version, uint8_t level, uint8_t pdu,
		     const char *name, size_t name_len)
{
	struct trap_rec r = {
		.pdu_type = pdu,
		.snmp_version = version,
		.sec_level = level,
		.sec_name = {.ptr = (const uint8_t *)name, .len = (uint32_t)name_len},
		.meta = {.src = {.family = 4, .port = 162}, .dst = {.family = 4, .port = 162}},
	};
	int n = trap_rec_write(buf, cap, &r, NULL, 0);
	cr_assert_gt(n, 0, "trap_rec_write: %s", trap_rec_strerror(n));
	return (size_t)n;
}

static void send_n(struct lr_principals *p, unsigned n, uint8_t version, uint8_t level, uint8_t pdu,
		   const char *name)
{
	uint8_t buf[512];
	size_t len = record(buf, sizeof(buf), version, level, pdu, name, strlen(name));
	for (unsigned i = 0; i < n; i++)
		cr_assert_eq(lr_principals_count(p, buf, len), 0);
}

static const struct lr_principal_row *row_named(const struct lr_principal_row *rows, size_t n,
						const char *name, enum lr_principal_level level)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(rows[i].principal, name) && rows[i].level == level)
			return &rows[i];
	return NULL;
}

Test(trap_principals, counts_by_user_community_and_level_most_first)
{
	struct lr_principals *p = lr_principals_new(fp_key);
	struct lr_principal_row rows[LR_PRINCIPALS_TOP];
	struct lr_principals_totals t;
	cr_assert_not_null(p);
	send_n(p, 3, SNMP_V3, TRAP_REC_AUTH_PRIV, SNMP_PDU_TRAP_V2, "alice");
	send_n(p, 2, SNMP_V3, TRAP_REC_AUTH_PRIV, SNMP_PDU_INFORM, "alice");
	send_n(p, 1, SNMP_V3, TRAP_REC_AUTH_NO_PRIV, SNMP_PDU_TRAP_V2, "alice");
	send_n(p, 1, SNMP_V3, TRAP_REC_NO_AUTH_NO_PRIV, SNMP_PDU_TRAP_V2, "bob");
	send_n(p, 3, SNMP_V2C, TRAP_REC_NO_AUTH_NO_PRIV, SNMP_PDU_TRAP_V2, "public");
	send_n(p, 1, SNMP_V1, TRAP_REC_NO_AUTH_NO_PRIV, SNMP_PDU_TRAP_V1, "public");
	size_t n = lr_principals_read(p, rows, LR_PRINCIPALS_TOP, &t);
	cr_assert_eq(n, 4);
	cr_assert_str_eq(rows[0].principal, "alice");
	cr_assert_eq(rows[0].level, LR_PLEVEL_AUTH_PRIV);
	cr_assert_str_eq(rows[0].kind, "user");
	cr_assert_eq(rows[0].traps, 3);
	cr_assert_eq(rows[0].informs, 2);
	// v1 and v2c with one community: one row, level "community"
	cr_assert_eq(rows[1].level, LR_PLEVEL_COMMUNITY);
	cr_assert_str_eq(rows[1].kind, "community");
	cr_assert_eq(rows[1].traps, 4);
	// a tie (1 each) ordered by name: the same user at another level is
	// its own row
	cr_assert_str_eq(rows[2].principal, "alice");
	cr_assert_eq(rows[2].level, LR_PLEVEL_AUTH_NO_PRIV);
	cr_assert_str_eq(rows[3].principal, "bob");
	cr_assert_eq(rows[3].level, LR_PLEVEL_NO_AUTH_NO_PRIV);
	cr_assert_eq(t.by_level[LR_PLEVEL_AUTH_PRIV][0], 3);
	cr_assert_eq(t.by_level[LR_PLEVEL_AUTH_PRIV][1], 2);
	cr_assert_eq(t.by_level[LR_PLEVEL_AUTH_NO_PRIV][0], 1);
	cr_assert_eq(t.by_level[LR_PLEVEL_NO_AUTH_NO_PRIV][0], 1);
	cr_assert_eq(t.by_level[LR_PLEVEL_COMMUNITY][0], 4);
	cr_assert_eq(t.distinct, 4);
	cr_assert_eq(t.unparsed, 0);
	cr_assert_str_eq(lr_principal_level_name(LR_PLEVEL_COMMUNITY), "community");
	cr_assert_str_eq(lr_principal_level_name(LR_PLEVEL_COUNT), "unknown");
	lr_principals_free(p);
}

Test(trap_principals, shows_a_community_as_a_prefix_and_fingerprint_never_whole)
{
	struct lr_principals *p = lr_principals_new(fp_key);
	struct lr_principal_row rows[8];
	const char *names[] = {"public", "ops-trap", "ab", "x"};
	const char *shown[] = {"community:pu~", "community:op~", "community:a~", "community:~"};
	for (size_t i = 0; i < 4; i++)
		send_n(p, (unsigned)(10 - i), SNMP_V2C, TRAP_REC_NO_AUTH_NO_PRIV, SNMP_PDU_TRAP_V2,
		       names[i]);
	size_t n = lr_principals_read(p, rows, 8, NULL);
	cr_assert_eq(n, 4);
	for (size_t i = 0; i < 4; i++) {
		cr_assert_eq(strncmp(rows[i].principal, shown[i], strlen(shown[i])), 0, "%s",
			     rows[i].principal);
		const char *fp = rows[i].principal + strlen(shown[i]);
		cr_assert_eq(strlen(fp), 8, "%s", rows[i].principal);
		cr_assert_eq(strspn(fp, "0123456789abcdef"), 8, "%s", rows[i].principal);
		cr_assert_null(strstr(rows[i].principal, names[i]), "%s", rows[i].principal);
	}
	// the fingerprint depends on the key: another start, another text
	uint8_t other_key[LR_PRINCIPAL_FP_KEY] = {9};
	struct lr_principals *q = lr_principals_new(other_key);
	struct lr_principal_row r2;
	send_n(q, 1, SNMP_V2C, TRAP_REC_NO_AUTH_NO_PRIV, SNMP_PDU_TRAP_V2, "public");
	cr_assert_eq(lr_principals_read(q, &r2, 1, NULL), 1);
	cr_assert_str_neq(r2.principal, rows[0].principal);
	lr_principals_free(q);
	lr_principals_free(p);
}

Test(trap_principals, escapes_unprintable_user_names)
{
	struct lr_principals *p = lr_principals_new(fp_key);
	struct lr_principal_row row;
	send_n(p, 1, SNMP_V3, TRAP_REC_AUTH_PRIV, SNMP_PDU_TRAP_V2, "a\n\"\xff");
	cr_assert_eq(lr_principals_read(p, &row, 1, NULL), 1);
	cr_assert_str_eq(row.principal, "a\\x0a\"\\xff");
	lr_principals_free(p);
}

Test(trap_principals, sums_past_the_bound_under_other_per_level)
{
	struct lr_principals *p = lr_principals_new(fp_key);
	static struct lr_principal_row rows[LR_PRINCIPALS_MAX + LR_PLEVEL_COUNT];
	struct lr_principals_totals t;
	char name[32];
	unsigned extra = 100;
	// user i sends i % 7 + 1 traps: no name sends more than 7
	for (unsigned i = 0; i < LR_PRINCIPALS_MAX + extra; i++) {
		snprintf(name, sizeof(name), "user%u", i);
		send_n(p, i % 7 + 1, SNMP_V3, TRAP_REC_AUTH_PRIV, SNMP_PDU_TRAP_V2, name);
	}
	send_n(p, 2, SNMP_V2C, TRAP_REC_NO_AUTH_NO_PRIV, SNMP_PDU_INFORM, "late-community");
	size_t n = lr_principals_read(p, rows, LR_PRINCIPALS_MAX + LR_PLEVEL_COUNT, &t);
	cr_assert_eq(n, LR_PRINCIPALS_MAX + 2, "the bound, and (other) for two levels");
	cr_assert_eq(t.distinct, LR_PRINCIPALS_MAX + 2);
	uint64_t over = 0, all = 0;
	for (unsigned i = LR_PRINCIPALS_MAX; i < LR_PRINCIPALS_MAX + extra; i++)
		over += i % 7 + 1;
	for (unsigned i = 0; i < LR_PRINCIPALS_MAX + extra; i++)
		all += i % 7 + 1;
	const struct lr_principal_row *o =
		row_named(rows, n, LR_PRINCIPAL_OTHER, LR_PLEVEL_AUTH_PRIV);
	cr_assert_not_null(o);
	cr_assert_eq(o->traps, over);
	cr_assert_str_eq(rows[0].principal, LR_PRINCIPAL_OTHER, "the largest sum first");
	o = row_named(rows, n, LR_PRINCIPAL_OTHER, LR_PLEVEL_COMMUNITY);
	cr_assert_not_null(o);
	cr_assert_str_eq(o->kind, "community");
	cr_assert_eq(o->informs, 2);
	cr_assert_eq(t.by_level[LR_PLEVEL_AUTH_PRIV][0], all, "nothing lost past the bound");
	for (size_t i = 1; i < n; i++)
		cr_assert_geq(rows[i - 1].traps + rows[i - 1].informs,
			      rows[i].traps + rows[i].informs, "row %zu out of order", i);
	// the top of the list only
	struct lr_principal_row top[LR_PRINCIPALS_TOP];
	cr_assert_eq(lr_principals_read(p, top, LR_PRINCIPALS_TOP, NULL), LR_PRINCIPALS_TOP);
	cr_assert_eq(memcmp(top, rows, sizeof(top)), 0);
	lr_principals_free(p);
}

Test(trap_principals, counts_records_whose_header_lies_as_unparsed)
{
	struct lr_principals *p = lr_principals_new(fp_key);
	struct lr_principal_row row;
	struct lr_principals_totals t;
	uint8_t good[256], bad[256];
	size_t len = record(good, sizeof(good), SNMP_V3, TRAP_REC_AUTH_PRIV, SNMP_PDU_TRAP_V2,
			    "alice", 5);
	unsigned cases = 0;
	// truncated at every length below the name's end
	for (size_t cut = 0; cut < TRAP_REC_HDR_LEN + 2 + 5; cut++, cases++)
		cr_assert_lt(lr_principals_count(p, good, cut), 0, "cut at %zu", cut);
	struct {
		size_t off;
		uint8_t v;
	} lies[] = {
		{0, 9},			  // format version
		{1, SNMP_PDU_GET},	  // not a notification
		{4, 0xff},		  // record length past the buffer
		{7, 10},		  // record length below the header
		{16, 2},		  // SNMP version
		{17, 0},		  // level 0
		{17, 4},		  // level 4
		{TRAP_REC_HDR_LEN, 0xff}, // name length past the record
	};
	for (size_t i = 0; i < sizeof(lies) / sizeof(lies[0]); i++, cases++) {
		memcpy(bad, good, len);
		bad[lies[i].off] = lies[i].v;
		cr_assert_lt(lr_principals_count(p, bad, len), 0, "lie at %zu", lies[i].off);
	}
	cr_assert_eq(lr_principals_read(p, &row, 1, &t), 0);
	cr_assert_eq(t.unparsed, cases);
	lr_principals_free(p);
	lr_principals_free(NULL);
}
