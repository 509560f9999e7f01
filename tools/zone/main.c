/* SPDX-License-Identifier: BSD-3-Clause */
// linerate-zone: check zone files, compile them into an image, and ask the
// answer engine what it would respond, without starting anything. See
// zt_args.h for the command line.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linerate/dns_answer.h>
#include <linerate/dns_err.h>
#include <linerate/dns_image.h>
#include <linerate/dns_msg.h>
#include <linerate/dns_zone.h>
#include <linerate/dns_zone_set.h>

#include "zt_args.h"
#include "zt_frame.h"
#include "zt_print.h"
#include "zt_query.h"

// TTL of records that give none when the file has no $TTL either (BIND's
// and Knot's default).
#define DEFAULT_TTL 3600

enum {
	EXIT_USAGE = 2,
};

struct zone_list {
	struct dns_zone **zones;
	size_t n;
	size_t records;
};

static void zone_list_free(struct zone_list *zl)
{
	for (size_t i = 0; i < zl->n; i++)
		dns_zone_free(zl->zones[i]);
	free(zl->zones);
	zl->zones = NULL;
	zl->n = 0;
}

// "file:line:col: message", with "warning: " before the message of a warning.
static void print_diag(const struct dns_zone_diag *d, bool warning)
{
	char line[sizeof(d->file) + sizeof(d->msg) + 64];
	int n = dns_zone_diag_format(d, line, sizeof(line));
	size_t msg = strlen(d->msg);
	if (n < 0)
		return;
	if (d->line == 0) // the file itself: no position to show
		fprintf(stderr, "%s: %s\n", d->file, d->msg);
	else if (!warning || (size_t)n < msg)
		fprintf(stderr, "%s\n", line);
	else
		fprintf(stderr, "%.*swarning: %s\n", (int)((size_t)n - msg), line, d->msg);
}

static void on_warning(void *ctx, const struct dns_zone_diag *d)
{
	unsigned *warnings = ctx;
	++*warnings;
	print_diag(d, true);
}

// Load every [ORIGIN=]FILE word; diagnostics on stderr. With summary, one
// line per zone on stdout. Returns the number of zones that failed.
static int load_zones(const struct zt_cmd *c, struct zone_list *zl, bool summary)
{
	int failed = 0;
	zl->zones = calloc((size_t)c->nfiles + 1, sizeof(*zl->zones));
	if (!zl->zones) {
		perror("linerate-zone");
		return c->nfiles ? c->nfiles : 1;
	}
	for (int i = 0; i < c->nfiles; i++) {
		struct zt_zone_spec spec;
		struct dns_zone_diag diag;
		char err[512], origin[DNS_NAME_TEXT_MAX];
		unsigned warnings = 0;
		if (zt_zone_spec_parse(c->files[i], &spec, err, sizeof(err)) < 0) {
			fprintf(stderr, "linerate-zone: %s\n", err);
			failed++;
			continue;
		}
		dns_name_to_text(spec.origin, origin, sizeof(origin));
		struct dns_zone *z = dns_zone_new(spec.origin, DNS_CLASS_IN);
		if (!z) {
			fprintf(stderr, "linerate-zone: %s: %s\n", origin, strerror(errno));
			failed++;
			continue;
		}
		memset(&diag, 0, sizeof(diag));
		int rc =
			dns_zone_load_file(z, spec.path, DEFAULT_TTL, on_warning, &warnings, &diag);
		if (rc < 0) {
			if (diag.line == 0 && diag.msg[0] == '\0')
				fprintf(stderr, "%s: %s\n", spec.path, dns_strerror(rc));
			else
				print_diag(&diag, false);
			fprintf(stderr, "%s: zone %s rejected\n", spec.path, origin);
			dns_zone_free(z);
			failed++;
			continue;
		}
		zl->zones[zl->n++] = z;
		zl->records += dns_zone_record_count(z);
		if (summary)
			printf("%s: zone %s: %zu records, %u warnings\n", spec.path, origin,
			       dns_zone_record_count(z), warnings);
	}
	return failed;
}

// The image of the loaded zones, or NULL (reason on stderr).
static void *compile_zones(const struct zone_list *zl, size_t *size)
{
	void *img = dns_image_compile(zl->zones, zl->n, size);
	if (!img)
		fprintf(stderr, "linerate-zone: cannot compile the zones: %s%s\n", strerror(errno),
			errno == EINVAL ? " (the same origin twice?)" : "");
	return img;
}

static int cmd_check(const struct zt_cmd *c)
{
	struct zone_list zl = {0};
	int failed = load_zones(c, &zl, true);
	zone_list_free(&zl);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

static int write_file(const char *path, const void *data, size_t size)
{
	// Write beside the target, then rename: a reader never sees half an image.
	char tmp[4096];
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return -errno;
	int rc = fwrite(data, 1, size, f) == size ? 0 : -EIO;
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc < 0)
		unlink(tmp);
	return rc;
}

static int cmd_compile(const struct zt_cmd *c)
{
	struct zone_list zl = {0};
	size_t size;
	int status = EXIT_FAILURE;
	if (load_zones(c, &zl, false) > 0)
		goto out;
	void *img = compile_zones(&zl, &size);
	if (!img)
		goto out;
	int rc = write_file(c->out, img, size);
	if (rc < 0)
		fprintf(stderr, "linerate-zone: %s: %s\n", c->out, strerror(-rc));
	else
		printf("%s: %zu zones, %zu records, %zu bytes\n", c->out, zl.n, zl.records, size);
	status = rc < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
	free(img);
out:
	zone_list_free(&zl);
	return status;
}

static int answer_cfg(const struct zt_server_opts *s, struct dns_answer_cfg *cfg)
{
	dns_answer_cfg_default(cfg);
	if (s->edns_size)
		cfg->edns_size = s->edns_size;
	if (s->no_chaos)
		cfg->chaos = false;
	// Lengths were checked against these fields by zt_cmd_parse.
	if (s->chaos_id)
		snprintf(cfg->chaos_id, sizeof(cfg->chaos_id), "%s", s->chaos_id);
	if (s->chaos_version)
		snprintf(cfg->chaos_version, sizeof(cfg->chaos_version), "%s", s->chaos_version);
	if (s->nsid) {
		cfg->nsid_len = (uint16_t)strlen(s->nsid);
		memcpy(cfg->nsid, s->nsid, cfg->nsid_len);
	}
	return 0;
}

static void answer_client(struct dns_answer_client *cl, bool tcp)
{
	memset(cl, 0, sizeof(*cl));
	cl->transport = tcp ? DNS_TRANSPORT_TCP : DNS_TRANSPORT_UDP;
	cl->family = 4;
	memcpy(cl->addr, "\x7f\0\0\x01", 4); // 127.0.0.1: the tool is its own client
	cl->now = (uint32_t)time(NULL);
}

static const char *drop_reason(enum dns_answer_drop d)
{
	switch (d) {
	case DNS_DROP_SHORT:
		return "the query is shorter than a header";
	case DNS_DROP_RESPONSE:
		return "the message is a response (QR set)";
	case DNS_DROP_NOSPACE:
		return "no room for a response";
	default:
		return "no reason given";
	}
}

// Loaded zones and their image, shared by query and answer.
struct engine {
	struct zone_list zl;
	void *img; // NULL with no zones: the engine refuses everything
	struct dns_answer_cfg cfg;
};

static int engine_open(const struct zt_cmd *c, struct engine *e)
{
	size_t size;
	memset(e, 0, sizeof(*e));
	answer_cfg(&c->server, &e->cfg);
	if (load_zones(c, &e->zl, false) > 0)
		return -EINVAL;
	if (e->zl.n && !(e->img = compile_zones(&e->zl, &size)))
		return -EINVAL;
	return 0;
}

static void engine_close(struct engine *e)
{
	free(e->img);
	zone_list_free(&e->zl);
}

static int cmd_query(const struct zt_cmd *c)
{
	struct zt_query q;
	struct engine e;
	struct dns_answer_client cl;
	struct dns_answer_info info;
	char err[512];
	static uint8_t pkt[DNS_MSG_MAXLEN];
	int status = EXIT_FAILURE;

	if (zt_query_parse(&q, c->nquery, c->query, err, sizeof(err)) < 0) {
		fprintf(stderr, "linerate-zone: %s\n%s", err, zt_usage);
		return EXIT_USAGE;
	}
	int len = zt_query_build(&q, pkt, sizeof(pkt));
	if (len < 0) {
		fprintf(stderr, "linerate-zone: cannot build the query: %s\n", dns_strerror(len));
		return EXIT_FAILURE;
	}
	if (engine_open(c, &e) < 0)
		goto out;
	answer_client(&cl, q.tcp);
	size_t n = dns_answer(e.img, &e.cfg, &cl, pkt, (size_t)len, sizeof(pkt), &info);
	if (c->wire) {
		status = fwrite(pkt, 1, n, stdout) == n ? EXIT_SUCCESS : EXIT_FAILURE;
		goto out;
	}
	if (n == 0) {
		printf(";; no response: %s\n", drop_reason(info.drop));
	} else {
		zt_print_msg(stdout, pkt, n);
		printf(";; ENGINE: %s%s\n",
		       info.template_hit ? "template path"
		       : info.suffix_hit ? "suffix template path"
					 : "full path",
		       info.notify ? ", NOTIFY acknowledged" : "");
	}
	status = EXIT_SUCCESS;
out:
	engine_close(&e);
	return status;
}

// Answer the queries in bufs[0..n) in place: one at a time, or with --burst
// all at once through the workers' burst API.
static void answer_batch(const struct zt_cmd *c, const struct engine *e,
			 const struct dns_answer_client *cl, uint8_t (*bufs)[DNS_MSG_MAXLEN],
			 const size_t *lens, size_t *outs, unsigned n)
{
	static struct dns_answer_job jobs[DNS_ANSWER_BURST_MAX];
	struct dns_answer_info info;
	if (!c->burst) {
		for (unsigned i = 0; i < n; i++)
			outs[i] = dns_answer(e->img, &e->cfg, cl, bufs[i], lens[i], DNS_MSG_MAXLEN,
					     &info);
		return;
	}
	for (unsigned i = 0; i < n; i++)
		jobs[i] = (struct dns_answer_job){
			.pkt = bufs[i], .len = lens[i], .cap = DNS_MSG_MAXLEN, .client = *cl};
	dns_answer_burst(e->img, &e->cfg, jobs, n);
	for (unsigned i = 0; i < n; i++)
		outs[i] = jobs[i].out;
}

static void frame_error(const struct zt_cmd *c, int rc, unsigned long frame, size_t len,
			size_t limit)
{
	fprintf(stderr, "linerate-zone: %s: frame %lu: %s", rc == ZT_FRAME_EIO ? "I/O" : "stdin",
		frame, zt_frame_strerror(rc));
	if (rc == ZT_FRAME_ETOOBIG)
		fprintf(stderr, " (%zu octets, at most %zu%s)", len, limit,
			c->tcp ? "" : " in a UDP datagram");
	else if (rc == ZT_FRAME_ETRUNC_BODY)
		fprintf(stderr, " (%zu octets)", len);
	fputc('\n', stderr);
}

static int cmd_answer(const struct zt_cmd *c)
{
	static uint8_t bufs[DNS_ANSWER_BURST_MAX][DNS_MSG_MAXLEN];
	size_t lens[DNS_ANSWER_BURST_MAX], outs[DNS_ANSWER_BURST_MAX];
	struct engine e;
	struct dns_answer_client cl;
	size_t limit = c->tcp ? ZT_FRAME_MAX : ZT_FRAME_UDP_MAX;
	unsigned burst = c->burst ? DNS_ANSWER_BURST_MAX : 1;
	unsigned long frames = 0;
	int status = EXIT_FAILURE, rc = 1;

	if (engine_open(c, &e) < 0)
		goto out;
	answer_client(&cl, c->tcp);
	while (rc > 0) {
		unsigned n = 0;
		size_t len = 0;
		while (n < burst &&
		       (rc = zt_frame_read(stdin, bufs[n], DNS_MSG_MAXLEN, limit, &len)) > 0)
			lens[n++] = len;
		// What was read before a framing error is still answered.
		answer_batch(c, &e, &cl, bufs, lens, outs, n);
		for (unsigned i = 0; i < n; i++)
			if (zt_frame_write(stdout, bufs[i], outs[i]) < 0) {
				frame_error(c, ZT_FRAME_EIO, frames + i + 1, 0, limit);
				goto out;
			}
		frames += n;
		if (rc < 0) {
			frame_error(c, rc, frames + 1, len, limit);
			goto out;
		}
	}
	status = fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
out:
	engine_close(&e);
	return status;
}

int main(int argc, char **argv)
{
	struct zt_cmd c;
	char err[512];
	if (zt_cmd_parse(&c, argc, argv, err, sizeof(err)) < 0) {
		fprintf(stderr, "linerate-zone: %s\n%s", err, zt_usage);
		return EXIT_USAGE;
	}
	switch (c.cmd) {
	case ZT_CMD_CHECK:
		return cmd_check(&c);
	case ZT_CMD_COMPILE:
		return cmd_compile(&c);
	case ZT_CMD_QUERY:
		return cmd_query(&c);
	case ZT_CMD_ANSWER:
		return cmd_answer(&c);
	default:
		fputs(zt_usage, stdout);
		return EXIT_SUCCESS;
	}
}
