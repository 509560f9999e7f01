/* SPDX-License-Identifier: BSD-3-Clause */
// linerate-ctl's operability commands: config check (offline), config
// dump|save, log level, trace start|stop|status.
#include "ctl_ops.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linerate/dns_types.h>
#include <linerate/dns_zone.h>
#include <linerate/dns_zone_set.h>

#include "ctl_config.h"
#include "ctl_server.h"

static json_t *request(const char *cmd)
{
	return json_pack("{s:i,s:s}", "v", CTL_PROTO_VERSION, "cmd", cmd);
}

// path as the daemon must get it: absolute (its directory is not ours).
static json_t *abs_path(const char *path)
{
	char cwd[4096], buf[8192];
	if (path[0] == '/')
		return json_string(path);
	if (!getcwd(cwd, sizeof(cwd)))
		return NULL;
	snprintf(buf, sizeof(buf), "%s/%s", cwd, path);
	return json_string(buf);
}

// trace start FILE [--kinds K] [--snaplen N] [--max-packets N] [--max-bytes N]
static json_t *trace_start(int argc, char **argv)
{
	static const struct {
		const char *opt, *key;
		bool number;
	} opts[] = {{"--kinds", "kinds", false},
		    {"--snaplen", "snaplen", true},
		    {"--max-packets", "max_packets", true},
		    {"--max-bytes", "max_bytes", true}};
	if (argc < 3 || argc % 2 == 0)
		return NULL;
	json_t *req = request("trace start");
	json_object_set_new(req, "file", abs_path(argv[2]));
	for (int i = 3; i + 1 < argc; i += 2) {
		size_t k = 0;
		while (k < sizeof(opts) / sizeof(opts[0]) && strcmp(argv[i], opts[k].opt) != 0)
			k++;
		if (k == sizeof(opts) / sizeof(opts[0])) {
			json_decref(req);
			return NULL;
		}
		char *end;
		long long n = strtoll(argv[i + 1], &end, 10);
		if (opts[k].number && (*end || end == argv[i + 1])) {
			json_decref(req);
			return NULL;
		}
		// out-of-range numbers are the daemon's to refuse, with the reason
		json_object_set_new(req, opts[k].key,
				    opts[k].number ? json_integer(n) : json_string(argv[i + 1]));
	}
	return req;
}

json_t *ctl_ops_request(int argc, char **argv)
{
	if (argc < 2)
		return NULL;
	const char *a = argv[0], *b = argv[1];
	if (!strcmp(a, "config") && !strcmp(b, "dump") && argc == 2)
		return request("config dump");
	if (!strcmp(a, "config") && !strcmp(b, "save") && argc <= 3) {
		json_t *req = request("config save");
		if (argc == 3)
			json_object_set_new(req, "path", abs_path(argv[2]));
		return req;
	}
	if (!strcmp(a, "log") && !strcmp(b, "level") && argc <= 3) {
		json_t *req = request("log level");
		if (argc == 3)
			json_object_set_new(req, "level", json_string(argv[2]));
		return req;
	}
	if (!strcmp(a, "trace") && !strcmp(b, "start"))
		return trace_start(argc, argv);
	if (!strcmp(a, "trace") && (!strcmp(b, "stop") || !strcmp(b, "status")) && argc == 2)
		return request(!strcmp(b, "stop") ? "trace stop" : "trace status");
	return NULL;
}

static void zone_warning(void *ctx, const struct dns_zone_diag *d)
{
	char msg[512];
	(void)ctx;
	dns_zone_diag_format(d, msg, sizeof(msg));
	fprintf(stderr, "linerate-ctl: warning: %s\n", msg);
}

// zone check [ORIGIN=]FILE: the daemon's own loader (as --zone and zones:
// read a file), so what passes here loads on `zone reload`. No daemon.
static int zone_check(const char *word, bool as_json)
{
	struct dns_zone_spec spec;
	struct dns_zone_diag d;
	struct dns_zone *z = NULL;
	char err[600] = "";
	size_t records = 0;
	int rc = dns_zone_spec_parse(word, &spec);
	if (rc < 0) {
		snprintf(err, sizeof(err), "%s: not [ORIGIN=]FILE with a domain name for ORIGIN",
			 word);
	} else if (!(z = dns_zone_new(spec.origin, DNS_CLASS_IN))) {
		snprintf(err, sizeof(err), "%s: %s", word, strerror(errno));
		rc = -1;
	} else if ((rc = dns_zone_load_file(z, spec.path, 3600, zone_warning, NULL, &d)) < 0) {
		dns_zone_diag_format(&d, err, sizeof(err));
	} else {
		records = dns_zone_record_count(z);
	}
	dns_zone_free(z);
	if (as_json) {
		json_t *o = json_pack("{s:b,s:s}", "ok", rc == 0, "file", word);
		json_object_set_new(o, rc == 0 ? "records" : "error",
				    rc == 0 ? json_integer((json_int_t)records) : json_string(err));
		char *text = json_dumps(o, JSON_COMPACT);
		printf("%s\n", text ? text : "");
		free(text);
		json_decref(o);
	} else if (rc == 0) {
		printf("OK %s: %zu records\n", word, records);
	} else {
		fprintf(stderr, "linerate-ctl: %s\n", err);
	}
	return rc == 0 ? 0 : 1;
}

bool ctl_ops_offline(int argc, char **argv, bool as_json, int *status)
{
	if (argc == 3 && !strcmp(argv[0], "zone") && !strcmp(argv[1], "check")) {
		*status = zone_check(argv[2], as_json);
		return true;
	}
	if (argc != 3 || strcmp(argv[0], "config") != 0 || strcmp(argv[1], "check") != 0)
		return false;
	// the daemon's own loader and user lookup: what passes here starts
	char err[CTL_CONFIG_ERR_MAX] = "";
	struct ctl_config *cfg = ctl_config_load_file(argv[2], err, sizeof(err));
	uid_t uid;
	gid_t gid;
	if (cfg && ctl_config_run_as(cfg, &uid, &gid, err, sizeof(err)) < 0) {
		ctl_config_free(cfg);
		cfg = NULL;
	}
	*status = cfg ? 0 : 1;
	if (as_json) {
		json_t *o = json_pack("{s:b,s:s}", "ok", cfg != NULL, "file", argv[2]);
		if (!cfg)
			json_object_set_new(o, "error", json_string(err));
		char *text = json_dumps(o, JSON_COMPACT);
		printf("%s\n", text ? text : "");
		free(text);
		json_decref(o);
	} else if (cfg) {
		printf("OK %s\n", argv[2]);
	} else {
		fprintf(stderr, "linerate-ctl: %s\n", err);
	}
	ctl_config_free(cfg);
	return true;
}

bool ctl_ops_print(FILE *out, const json_t *reply)
{
	// config dump: the YAML as it is, ready to be saved or diffed
	const char *text = json_string_value(json_object_get(reply, "config"));
	if (!text)
		return false;
	fputs(text, out);
	return true;
}
