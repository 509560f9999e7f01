/* SPDX-License-Identifier: BSD-3-Clause */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <linerate/snmp_ber.h>

#include "st_json.h"

#define HEX_MAX (2 * 65536 + 3)

static bool printable(struct snmp_bytes b)
{
	for (uint32_t i = 0; i < b.len; i++) {
		uint8_t c = b.ptr[i];
		if ((c < 0x20 || c > 0x7e) && c != '\t' && c != '\r' && c != '\n')
			return false;
	}
	return true;
}

// Octets as they stand; an empty span may have no pointer at all.
static json_t *text_json(struct snmp_bytes b)
{
	return json_stringn(b.len ? (const char *)b.ptr : "", b.len);
}

static json_t *hex_json(struct snmp_bytes b, const char *prefix)
{
	static char hex[HEX_MAX];
	size_t n = (size_t)snprintf(hex, sizeof(hex), "%s", prefix);
	for (uint32_t i = 0; i < b.len && n + 3 <= sizeof(hex); i++)
		n += (size_t)snprintf(hex + n, sizeof(hex) - n, "%02x", b.ptr[i]);
	return json_stringn(hex, n);
}

json_t *st_octets_json(struct snmp_bytes b)
{
	if (printable(b))
		return text_json(b);
	return hex_json(b, "0x");
}

void st_timeticks_text(uint32_t ticks, char *out, size_t cap)
{
	uint32_t cs = ticks % 100, s = ticks / 100;
	uint32_t days = s / 86400, h = s / 3600 % 24, m = s / 60 % 60;
	if (days)
		snprintf(out, cap,
			 "%" PRIu32 " day%s, %" PRIu32 ":%02" PRIu32 ":%02" PRIu32 ".%02" PRIu32,
			 days, days == 1 ? "" : "s", h, m, s % 60, cs);
	else
		snprintf(out, cap, "%" PRIu32 ":%02" PRIu32 ":%02" PRIu32 ".%02" PRIu32, h, m,
			 s % 60, cs);
}

static json_t *oid_json(struct snmp_bytes oid)
{
	char text[SNMP_OID_TEXT_MAX];
	if (snmp_oid_to_text(oid.ptr, oid.len, text, sizeof(text)) < 0)
		return hex_json(oid, "0x"); // the decoder checked it: never here
	return json_string(text);
}

json_t *st_varbind_json(const struct snmp_varbind *v)
{
	json_t *o = json_object();
	json_t *value = NULL, *extra = NULL; // extra: TimeTicks as text
	char text[64];
	json_object_set_new(o, "oid", oid_json(v->oid));
	json_object_set_new(o, "type", json_string(snmp_type_name(v->type)));
	switch (v->type) {
	case SNMP_T_INTEGER:
		value = json_integer(v->num.i32);
		break;
	case SNMP_T_COUNTER32:
	case SNMP_T_GAUGE32:
	case SNMP_T_UINTEGER32:
		value = json_integer(v->num.u32);
		break;
	case SNMP_T_TIMETICKS:
		value = json_integer(v->num.u32);
		st_timeticks_text(v->num.u32, text, sizeof(text));
		extra = json_string(text);
		break;
	case SNMP_T_COUNTER64:
		snprintf(text, sizeof(text), "%" PRIu64, v->num.u64);
		value = json_string(text);
		break;
	case SNMP_T_OID:
		value = oid_json(v->data);
		break;
	case SNMP_T_IPADDRESS:
		snprintf(text, sizeof(text), "%u.%u.%u.%u", v->data.ptr[0], v->data.ptr[1],
			 v->data.ptr[2], v->data.ptr[3]);
		value = json_string(text);
		break;
	case SNMP_T_OCTET_STRING:
	case SNMP_T_OPAQUE:
	case SNMP_T_NSAPADDRESS:
		if (v->type == SNMP_T_OCTET_STRING && printable(v->data)) {
			value = text_json(v->data);
		} else {
			value = hex_json(v->data, "");
			extra = json_string("hex");
		}
		break;
	default: // NULL, noSuchObject, noSuchInstance, endOfMibView
		value = json_null();
	}
	json_object_set_new(o, "value", value);
	if (extra)
		json_object_set_new(o, v->type == SNMP_T_TIMETICKS ? "text" : "encoding", extra);
	return o;
}

// snmpTrapOID.0's value among the varbinds (RFC 3416 §4.2.6 puts it second).
static json_t *trap_oid_json(const struct snmp_varbind *vb, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (vb[i].type == SNMP_T_OID && vb[i].oid.len == snmp_oid_snmp_trap_oid_0.len &&
		    memcmp(vb[i].oid.ptr, snmp_oid_snmp_trap_oid_0.ptr, vb[i].oid.len) == 0)
			return oid_json(vb[i].data);
	return NULL;
}

static const char *version_name(int32_t v)
{
	return v == SNMP_V1 ? "v1" : v == SNMP_V2C ? "v2c" : v == SNMP_V3 ? "v3" : "?";
}

static const char *level_name(uint8_t flags)
{
	static const char *const names[] = {"noAuthNoPriv", "authNoPriv", "?", "authPriv"};
	return names[flags & (SNMP_FLAG_AUTH | SNMP_FLAG_PRIV)];
}

// The Trap-v1 fields, and its snmpTrapOID.0 per RFC 3584 §3.1.
static void trap_v1_fields(json_t *o, const struct snmp_msg *m)
{
	const struct snmp_pdu *p = &m->pdu;
	char addr[16];
	json_object_set_new(o, "enterprise", oid_json(p->enterprise));
	snprintf(addr, sizeof(addr), "%u.%u.%u.%u", p->agent_addr.ptr[0], p->agent_addr.ptr[1],
		 p->agent_addr.ptr[2], p->agent_addr.ptr[3]);
	json_object_set_new(o, "agent_address", json_string(addr));
	json_object_set_new(o, "generic_trap", json_integer(p->generic_trap));
	json_object_set_new(o, "specific_trap", json_integer(p->specific_trap));
	json_object_set_new(o, "timestamp", json_integer(p->timestamp));
	struct snmp_varbind v2[8];
	struct snmp_trap_oid_buf buf;
	// only snmpTrapOID.0 is read: the head of the translation suffices
	struct snmp_pdu head = *p;
	head.vb_count = 0;
	int n = snmp_trap_v1_to_v2(&head, (struct snmp_bytes){0}, v2, 8, &buf, 0);
	json_t *oid = n > 0 ? trap_oid_json(v2, (uint32_t)n) : NULL;
	if (oid)
		json_object_set_new(o, "trap_oid", oid);
	else
		json_object_set_new(o, "trap_oid_error", json_string(snmp_strerror(n)));
}

static void pdu_fields(json_t *o, const struct snmp_msg *m)
{
	const struct snmp_pdu *p = &m->pdu;
	json_object_set_new(o, "pdu", json_string(snmp_pdu_type_name(p->type)));
	if (p->type == SNMP_PDU_TRAP_V1) {
		trap_v1_fields(o, m);
	} else {
		json_object_set_new(o, "request_id", json_integer(p->request_id));
		if (p->error_status || p->error_index) {
			json_object_set_new(o, "error_status", json_integer(p->error_status));
			json_object_set_new(o, "error_index", json_integer(p->error_index));
		}
		json_t *oid = trap_oid_json(p->vb, p->vb_count);
		if (oid)
			json_object_set_new(o, "trap_oid", oid);
	}
	json_t *vbs = json_array();
	for (uint32_t i = 0; i < p->vb_count; i++)
		json_array_append_new(vbs, st_varbind_json(&p->vb[i]));
	json_object_set_new(o, "varbinds", vbs);
}

static void v3_fields(json_t *o, const struct snmp_rx *rx, const struct st_msg_meta *meta)
{
	const struct snmp_msg *m = &rx->msg;
	json_object_set_new(o, "user", st_octets_json(m->usm.user_name));
	json_object_set_new(o, "security_level", json_string(level_name(m->flags)));
	json_object_set_new(o, "engine_id", hex_json(m->usm.engine_id, ""));
	json_object_set_new(o, "engine_boots", json_integer(m->usm.boots));
	json_object_set_new(o, "engine_time", json_integer(m->usm.time));
	json_object_set_new(o, "msg_id", json_integer(m->msg_id));
	json_object_set_new(o, "reportable", json_boolean(m->flags & SNMP_FLAG_REPORTABLE));
	if (rx->status == SNMP_RX_MALFORMED && !rx->err_in_plain)
		return; // USM never ran
	const char *name = meta->usm_name ? meta->usm_name : usm_outcome_name(rx->usm.outcome);
	json_object_set_new(o, "usm", json_string(name));
	if (rx->usm.err)
		json_object_set_new(o, "usm_reason", json_string(usm_strerror(rx->usm.err)));
	if (rx->discovery)
		json_object_set_new(o, "discovery", json_true());
	if (meta->sent_by_us)
		json_object_set_new(o, "sent_by_us", json_true());
}

json_t *st_rx_json(const struct snmp_rx *rx, const struct st_msg_meta *meta)
{
	const struct snmp_msg *m = &rx->msg;
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "frame", json_integer(meta->frame));
	if (meta->reassembled_from)
		json_object_set_new(o, "reassembled_from", json_integer(meta->reassembled_from));
	json_object_set_new(o, "capture_time", json_string(meta->timestamp));
	json_object_set_new(o, "source", json_string(meta->source));
	json_object_set_new(o, "destination", json_string(meta->destination));
	json_object_set_new(o, "version", json_string(version_name(m->version)));
	if (m->version == SNMP_V1 || m->version == SNMP_V2C)
		json_object_set_new(o, "community", st_octets_json(m->community));
	else if (m->version == SNMP_V3 && (rx->status != SNMP_RX_MALFORMED || m->usm.engine_id.ptr))
		v3_fields(o, rx, meta);
	if (m->pdu_decoded && rx->status != SNMP_RX_MALFORMED) {
		if (m->version == SNMP_V3) {
			json_object_set_new(o, "context_engine_id",
					    hex_json(m->context_engine_id, ""));
			json_object_set_new(o, "context_name", st_octets_json(m->context_name));
		}
		pdu_fields(o, m);
	}
	if (rx->status == SNMP_RX_MALFORMED) {
		json_object_set_new(o, "error", json_string(snmp_strerror_sym(rx->err)));
		json_object_set_new(o, "error_text", json_string(snmp_strerror(rx->err)));
		json_object_set_new(o, "error_offset", json_integer(m->err_off));
		if (rx->err_in_plain)
			json_object_set_new(o, "error_in", json_string("decrypted scopedPDU"));
	}
	return o;
}
