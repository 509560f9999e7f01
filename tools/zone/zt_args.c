/* SPDX-License-Identifier: BSD-3-Clause */
// linerate-zone's command line, parsed without getopt's global state so the
// unit tests can call it again and again.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linerate/dns_answer.h>
#include <linerate/dns_err.h>
#include <linerate/dns_zone.h>

#include "zt_args.h"
#include "zt_util.h"

const char zt_usage[] =
	"usage: linerate-zone check [ORIGIN=]FILE...\n"
	"       linerate-zone compile [-o OUT] [ORIGIN=]FILE...\n"
	"       linerate-zone query [--wire] [SERVER...] [ORIGIN=]FILE... [--] NAME [TYPE [CLASS]] "
	"[+OPTION...]\n"
	"       linerate-zone answer [--tcp] [--burst] [SERVER...] [ORIGIN=]FILE... <queries "
	">responses\n"
	"\n"
	"check    load each zone, print warnings and errors as file:line:col: message;\n"
	"         exit 1 if any zone has an error\n"
	"compile  compile the zones into one image (default " ZT_DEFAULT_IMAGE ")\n"
	"query    answer one query with the engine and print it as dig does\n"
	"         (--wire: the response's octets on stdout instead)\n"
	"answer   read queries, each after a 2-octet length (DNS-over-TCP framing), and\n"
	"         write a framed response for each (empty: no response); --burst answers\n"
	"         32 at a time through the workers' burst API\n"
	"\n"
	"A zone's origin is ORIGIN, or the file name less .zone or .db. For query, the\n"
	"zone files are the words that name files; the query starts at the first that\n"
	"does not, or after \"--\".\n"
	"\n"
	"SERVER options:\n"
	"  --edns-size N         our EDNS payload size (512..65535, default 1232)\n"
	"  --nsid TEXT           NSID for clients that ask\n"
	"  --chaos-id TEXT       CHAOS TXT id.server and hostname.bind\n"
	"  --chaos-version TEXT  CHAOS TXT version.bind\n"
	"  --no-chaos            refuse CHAOS queries\n"
	"\n"
	"query options (after NAME): +dnssec +[no]edns +edns=N +ednsver=N +[no]rec +ad +cd\n"
	"  +nsid +cookie[=HEX] +opcode=QUERY|IQUERY|STATUS|NOTIFY|UPDATE|N +id=N +tcp\n"
	"  Defaults: type A, class IN, RD, EDNS with 1232 octets, id 0.\n";

static const char *const command_names[ZT_CMD_COUNT] = {
	[ZT_CMD_HELP] = "help",	  [ZT_CMD_CHECK] = "check",   [ZT_CMD_COMPILE] = "compile",
	[ZT_CMD_QUERY] = "query", [ZT_CMD_ANSWER] = "answer",
};

// An option's value: the next word, which must exist.
static const char *value(int *i, int argc, char *const *argv, char *err, size_t errlen)
{
	if (*i + 1 >= argc) {
		zt_fail(err, errlen, "%s needs a value", argv[*i]);
		return NULL;
	}
	return argv[++*i];
}

static int text_opt(const char **dst, const char *v, size_t max, const char *opt, char *err,
		    size_t errlen)
{
	if (!v)
		return -EINVAL;
	if (strlen(v) > max)
		return zt_fail(err, errlen, "%s: at most %zu characters", opt, max);
	*dst = v;
	return 0;
}

// One option at argv[*i]; *i moves past its value. 1 when the word is not
// an option this command takes.
static int parse_option(struct zt_cmd *c, int *i, int argc, char *const *argv, char *err,
			size_t errlen)
{
	const char *o = argv[*i];
	bool server = c->cmd == ZT_CMD_QUERY || c->cmd == ZT_CMD_ANSWER;
	if (c->cmd == ZT_CMD_COMPILE && strcmp(o, "-o") == 0) {
		c->out = value(i, argc, argv, err, errlen);
		return c->out ? 0 : -EINVAL;
	}
	if (c->cmd == ZT_CMD_QUERY && strcmp(o, "--wire") == 0) {
		c->wire = true;
		return 0;
	}
	if (c->cmd == ZT_CMD_ANSWER && strcmp(o, "--tcp") == 0) {
		c->tcp = true;
		return 0;
	}
	if (c->cmd == ZT_CMD_ANSWER && strcmp(o, "--burst") == 0) {
		c->burst = true;
		return 0;
	}
	if (!server)
		return 1;
	if (strcmp(o, "--edns-size") == 0) {
		const char *v = value(i, argc, argv, err, errlen);
		unsigned long n;
		if (!v)
			return -EINVAL;
		// RFC 6891 §6.2.5: values below 512 are treated as 512.
		if (!zt_parse_uint(v, UINT16_MAX, &n) || n < 512)
			return zt_fail(err, errlen, "--edns-size: a number from 512 to 65535");
		c->server.edns_size = (uint16_t)n;
		return 0;
	}
	if (strcmp(o, "--nsid") == 0)
		return text_opt(&c->server.nsid, value(i, argc, argv, err, errlen),
				DNS_ANSWER_NSID_MAX, o, err, errlen);
	if (strcmp(o, "--chaos-id") == 0)
		return text_opt(&c->server.chaos_id, value(i, argc, argv, err, errlen),
				DNS_ANSWER_CHAOS_MAX, o, err, errlen);
	if (strcmp(o, "--chaos-version") == 0)
		return text_opt(&c->server.chaos_version, value(i, argc, argv, err, errlen),
				DNS_ANSWER_CHAOS_MAX, o, err, errlen);
	if (strcmp(o, "--no-chaos") == 0) {
		c->server.no_chaos = true;
		return 0;
	}
	return 1;
}

// [ORIGIN=]FILE where FILE exists.
static bool names_a_file(const char *arg)
{
	const char *eq = strchr(arg, '=');
	return access(eq ? eq + 1 : arg, F_OK) == 0;
}

int zt_cmd_parse(struct zt_cmd *c, int argc, char *const *argv, char *err, size_t errlen)
{
	memset(c, 0, sizeof(*c));
	c->out = ZT_DEFAULT_IMAGE;
	if (argc < 2)
		return zt_fail(err, errlen, "missing command");
	const char *name = argv[1];
	if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0)
		name = "help";
	c->cmd = ZT_CMD_COUNT;
	for (int k = 0; k < ZT_CMD_COUNT; k++)
		if (strcmp(name, command_names[k]) == 0)
			c->cmd = (enum zt_command)k;
	if (c->cmd == ZT_CMD_COUNT)
		return zt_fail(err, errlen, "%s: unknown command (check, compile, query, answer)",
			       name);
	if (c->cmd == ZT_CMD_HELP)
		return 0;

	// Options first, then zone files up to "--" (query: then the query).
	int i = 2;
	for (; i < argc && argv[i][0] == '-' && strcmp(argv[i], "--") != 0; i++) {
		int rc = parse_option(c, &i, argc, argv, err, errlen);
		if (rc < 0)
			return rc;
		if (rc > 0)
			return zt_fail(err, errlen, "%s: unknown option for %s", argv[i], name);
	}
	int first = i;
	while (i < argc && strcmp(argv[i], "--") != 0)
		i++;
	c->files = argv + first;
	c->nfiles = i - first;
	if (c->cmd == ZT_CMD_QUERY) {
		if (i >= argc) {
			// No "--": the zone files are the leading words that name
			// files ([ORIGIN=]FILE); the query starts at the first that
			// does not ("--" settles a name that is also a file name).
			int j = first;
			while (j < argc && names_a_file(argv[j]))
				j++;
			c->nfiles = j - first;
			i = j - 1;
			if (j >= argc)
				return zt_fail(err, errlen, "query: the query (NAME [TYPE [CLASS]]) missing");
		}
		c->query = argv + i + 1;
		c->nquery = argc - i - 1;
		if (c->nquery == 0)
			return zt_fail(err, errlen, "query: NAME missing after \"--\"");
	} else if (i < argc) {
		return zt_fail(err, errlen, "%s: unexpected words after \"--\"", name);
	}
	if (c->nfiles == 0 && c->cmd != ZT_CMD_QUERY && c->cmd != ZT_CMD_ANSWER)
		return zt_fail(err, errlen, "%s: no zone files", name);
	return 0;
}

int zt_zone_spec_parse(const char *word, struct zt_zone_spec *z, char *err, size_t errlen)
{
	struct dns_zone_spec spec;
	int rc = dns_zone_spec_parse(word, &spec);
	if (rc == DNS_EMISSING)
		return zt_fail(err, errlen, "%s: no file name", word);
	if (rc < 0)
		return zt_fail(err, errlen,
			       "%s: origin '%.*s' is not a domain name (use ORIGIN=FILE)", word,
			       (int)spec.origin_len, spec.origin_text);
	memcpy(z->origin, spec.origin, sizeof(z->origin));
	z->path = spec.path;
	return 0;
}
