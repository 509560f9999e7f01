/* SPDX-License-Identifier: BSD-3-Clause */
// linerate-snmp's JSON values: every varbind type as operators read it.
#include <criterion/criterion.h>
#include <string.h>

#include "st_json.h"

static const uint8_t uptime[] = {0x2b, 6, 1, 2, 1, 1, 3, 0};
#define OID_UPTIME ((struct snmp_bytes){uptime, sizeof(uptime)})

// The varbind's JSON, compact.
static char *render(struct snmp_varbind v)
{
	static char out[1024];
	v.oid = OID_UPTIME;
	json_t *o = st_varbind_json(&v);
	char *s = json_dumps(o, JSON_COMPACT);
	snprintf(out, sizeof(out), "%s", s);
	free(s);
	json_decref(o);
	return out;
}

#define HEAD "{\"oid\":\"1.3.6.1.2.1.1.3.0\","

Test(st_json, numbers_as_numbers_counter64_as_a_string)
{
	struct snmp_varbind v = {.type = SNMP_T_INTEGER, .num.i32 = -5};
	cr_assert_str_eq(render(v), HEAD "\"type\":\"integer\",\"value\":-5}");
	v = (struct snmp_varbind){.type = SNMP_T_COUNTER32, .num.u32 = 4294967295u};
	cr_assert_str_eq(render(v), HEAD "\"type\":\"counter32\",\"value\":4294967295}");
	v = (struct snmp_varbind){.type = SNMP_T_GAUGE32, .num.u32 = 7};
	cr_assert_str_eq(render(v), HEAD "\"type\":\"gauge32\",\"value\":7}");
	v = (struct snmp_varbind){.type = SNMP_T_UINTEGER32, .num.u32 = 8};
	cr_assert_str_eq(render(v), HEAD "\"type\":\"uinteger32\",\"value\":8}");
	v = (struct snmp_varbind){.type = SNMP_T_COUNTER64, .num.u64 = 18446744073709551615ull};
	cr_assert_str_eq(render(v),
			 HEAD "\"type\":\"counter64\",\"value\":\"18446744073709551615\"}");
}

Test(st_json, timeticks_with_text)
{
	struct snmp_varbind v = {.type = SNMP_T_TIMETICKS, .num.u32 = 12345};
	cr_assert_str_eq(render(v),
			 HEAD "\"type\":\"timeticks\",\"value\":12345,\"text\":\"0:02:03.45\"}");
	char t[64];
	st_timeticks_text(8640000, t, sizeof(t));
	cr_assert_str_eq(t, "1 day, 0:00:00.00");
	st_timeticks_text(4294967295u, t, sizeof(t));
	cr_assert_str_eq(t, "497 days, 2:27:52.95");
}

Test(st_json, strings_text_or_hex)
{
	struct snmp_varbind v = {.type = SNMP_T_OCTET_STRING,
				 .data = {(const uint8_t *)"link \"up\"\n", 10}};
	cr_assert_str_eq(render(v),
			 HEAD "\"type\":\"octet-string\",\"value\":\"link \\\"up\\\"\\n\"}");
	static const uint8_t mac[] = {0x00, 0x1b, 0x21, 0xff};
	v.data = (struct snmp_bytes){mac, sizeof(mac)};
	cr_assert_str_eq(render(v), HEAD "\"type\":\"octet-string\",\"value\":\"001b21ff\","
					 "\"encoding\":\"hex\"}");
	v.type = SNMP_T_OPAQUE;
	v.data = (struct snmp_bytes){(const uint8_t *)"ab", 2}; // Opaque is BER: always hex
	cr_assert_str_eq(render(v),
			 HEAD "\"type\":\"opaque\",\"value\":\"6162\",\"encoding\":\"hex\"}");
	v.type = SNMP_T_OCTET_STRING;
	v.data = (struct snmp_bytes){NULL, 0};
	cr_assert_str_eq(render(v), HEAD "\"type\":\"octet-string\",\"value\":\"\"}");
	json_t *s = st_octets_json((struct snmp_bytes){mac, sizeof(mac)});
	cr_assert_str_eq(json_string_value(s), "0x001b21ff");
	json_decref(s);
}

Test(st_json, addresses_oids_and_nulls)
{
	static const uint8_t ip[] = {192, 0, 2, 1};
	struct snmp_varbind v = {.type = SNMP_T_IPADDRESS, .data = {ip, 4}};
	cr_assert_str_eq(render(v), HEAD "\"type\":\"ipaddress\",\"value\":\"192.0.2.1\"}");
	v = (struct snmp_varbind){.type = SNMP_T_OID, .data = OID_UPTIME};
	cr_assert_str_eq(render(v), HEAD "\"type\":\"oid\",\"value\":\"1.3.6.1.2.1.1.3.0\"}");
	v = (struct snmp_varbind){.type = SNMP_T_NO_SUCH_INSTANCE};
	cr_assert_str_eq(render(v), HEAD "\"type\":\"no-such-instance\",\"value\":null}");
	v = (struct snmp_varbind){.type = SNMP_T_NULL};
	cr_assert_str_eq(render(v), HEAD "\"type\":\"null\",\"value\":null}");
}
