/* SPDX-License-Identifier: BSD-3-Clause */
// linerate-zone's command line:
//
//   linerate-zone check [ORIGIN=]FILE…
//   linerate-zone compile [-o OUT] [ORIGIN=]FILE…
//   linerate-zone query [--wire] [SERVER…] [ORIGIN=]FILE… -- NAME [TYPE [CLASS]] [+OPTION…]
//   linerate-zone answer [--tcp] [--burst] [SERVER…] [ORIGIN=]FILE… <frames >frames
//
// SERVER options set what the engine is configured with:
//   --edns-size N        our EDNS payload size (512…65535; engine default 1232)
//   --nsid TEXT          NSID sent to clients that ask (RFC 5001)
//   --chaos-id TEXT      CHAOS TXT id.server and hostname.bind
//   --chaos-version TEXT CHAOS TXT version.bind
//   --no-chaos           no CHAOS answers (REFUSED)
//
// A zone's origin is ORIGIN when the word is ORIGIN=FILE (a '=' with no '/'
// before it), else the file's base name less a ".zone" or ".db" suffix:
// zones/example.com.zone is example.com.
#ifndef LINERATE_TOOLS_ZT_ARGS_H
#define LINERATE_TOOLS_ZT_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linerate/dns_name.h>

enum zt_command {
	ZT_CMD_HELP,
	ZT_CMD_CHECK,
	ZT_CMD_COMPILE,
	ZT_CMD_QUERY,
	ZT_CMD_ANSWER,
	ZT_CMD_COUNT,
};

#define ZT_DEFAULT_IMAGE "zones.img"

// What the engine is configured with; NULL and 0 leave its default.
struct zt_server_opts {
	uint16_t edns_size;
	bool no_chaos;
	const char *chaos_id;
	const char *chaos_version;
	const char *nsid;
};

struct zt_cmd {
	enum zt_command cmd;
	const char *out; // compile: image path
	bool wire;	 // query: raw response on stdout
	bool tcp;	 // answer: every query as over TCP
	bool burst;	 // answer: through dns_answer_burst(), 32 at a time
	struct zt_server_opts server;
	int nfiles;
	char *const *files; // the [ORIGIN=]FILE words (views into argv)
	int nquery;
	char *const *query; // query: the words after "--"
};

// Parse argv[1…] (argv[0] is the program). Returns 0, or -EINVAL with a
// message in err. "-h"/"--help"/"help" give ZT_CMD_HELP.
int zt_cmd_parse(struct zt_cmd *c, int argc, char *const *argv, char *err, size_t errlen);

struct zt_zone_spec {
	uint8_t origin[DNS_NAME_MAXLEN];
	const char *path; // view into the word
};

// Split one [ORIGIN=]FILE word. Returns 0, or -EINVAL with a message.
int zt_zone_spec_parse(const char *word, struct zt_zone_spec *z, char *err, size_t errlen);

// The usage text.
extern const char zt_usage[];

#endif
