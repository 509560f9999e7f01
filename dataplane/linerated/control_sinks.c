/* SPDX-License-Identifier: BSD-3-Clause */
// The control commands of the trap sinks: "sink list" (each sink's cursor,
// lag, deliveries, errors and state) and "sink flush" (wait until one sink,
// or every one, has delivered what the journal holds). Answered on the main
// lcore; a flush waits there at most CTL_FLUSH_MS_MAX.
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "control.h"
#include "journal.h"
#include "sink_set.h"
#include "trap.h"

#define FLUSH_MS_DEFAULT 10000
#define FLUSH_MS_MAX	 60000

static const char *state_of(const struct sink_set_info *in)
{
	if (in->st.down)
		return "down";
	return in->st.lag_records ? "lagging" : "caught-up";
}

json_t *lr_sinks_json(void)
{
	struct sink_set *set = lr_traps_sinks();
	json_t *arr = json_array();
	struct sink_set_info in;
	for (size_t i = 0; sink_set_info(set, i, &in) == 0; i++) {
		json_t *o = json_pack(
			"{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:s,s:I,s:I,s:I}", "name", in.name, "type",
			ctl_sink_type_name(in.type), "cursor", (json_int_t)in.st.cursor,
			"lag_records", (json_int_t)in.st.lag_records, "lag_seconds",
			(json_int_t)in.lag_seconds, "delivered", (json_int_t)in.st.delivered,
			"errors", (json_int_t)in.st.failures, "state", state_of(&in), "bad_records",
			(json_int_t)in.st.bad_records, "skipped", (json_int_t)in.st.skipped, "sent",
			(json_int_t)in.st.io.sent);
		// a file's own (null for the others): lines and octets written,
		// rotations, fsyncs, write errors, and the octets of a line a crash
		// left torn, cut when the file was opened again
		bool f = in.type == CTL_SINK_FILE;
		const char *fk[] = {"lines",  "octets",	      "rotations",
				    "fsyncs", "write_errors", "torn_cut"};
		const uint64_t fv[] = {in.file.lines,  in.file.bytes,	     in.file.rotations,
				       in.file.fsyncs, in.file.write_errors, in.file.torn_cut};
		for (size_t k = 0; o && k < sizeof(fk) / sizeof(fk[0]); k++)
			json_object_set_new(o, fk[k],
					    f ? json_integer((json_int_t)fv[k]) : json_null());
		json_array_append_new(arr, o);
	}
	return arr;
}

int lr_cmd_sink_list(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
{
	(void)ctx;
	(void)req;
	if (!lr_traps_sinks()) {
		snprintf(err, errlen, "the trap collector is not running (snmp.enabled)");
		return -ENOENT;
	}
	json_object_set_new(reply, "sinks", lr_sinks_json());
	return 0;
}

int lr_cmd_sink_flush(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
{
	(void)ctx;
	struct sink_set *set = lr_traps_sinks();
	const json_t *jn = json_object_get(req, "name"), *jt = json_object_get(req, "timeout_ms");
	json_int_t timeout = FLUSH_MS_DEFAULT;
	int idx = -1;
	if (!set) {
		snprintf(err, errlen, "the trap collector is not running (snmp.enabled)");
		return -ENOENT;
	}
	if (jt && (!json_is_integer(jt) || json_integer_value(jt) < 0 ||
		   json_integer_value(jt) > FLUSH_MS_MAX)) {
		snprintf(err, errlen, "timeout_ms must be 0..%d", FLUSH_MS_MAX);
		return -EINVAL;
	}
	if (jt)
		timeout = json_integer_value(jt);
	if (jn && !json_is_string(jn)) {
		snprintf(err, errlen, "name must be a string");
		return -EINVAL;
	}
	if (jn && (idx = sink_set_find(set, json_string_value(jn))) < 0) {
		snprintf(err, errlen, "no sink called \"%s\"", json_string_value(jn));
		return -ENOENT;
	}
	int rc = sink_set_flush(set, idx, (int)timeout);
	json_object_set_new(reply, "sinks", lr_sinks_json());
	if (rc == -ETIMEDOUT) {
		snprintf(err, errlen, "%s still behind the journal after %d ms (see sink list)",
			 jn ? json_string_value(jn) : "a sink", (int)timeout);
		return rc;
	}
	return rc;
}
