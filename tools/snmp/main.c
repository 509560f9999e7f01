/* SPDX-License-Identifier: BSD-3-Clause */
// linerate-snmp: SNMP from the command line (issue #5).
//
//   linerate-snmp decode [--users FILE] [--engine-id HEX] CAPTURE.pcap
//
// decode prints one JSON object per line for every SNMP message in the
// capture (UDP on any port; see st_frame.h for the link types; IPv4 and
// IPv6 fragments reassembled, see st_reasm.h), each
// through the same glue as the collector's workers (snmp_rx_process): with
// --users, SNMPv3 messages are verified and decrypted and "usm" says ok or
// the usmStats reason; without, "usm" is "no user file". --engine-id is our
// engine ID when the capture holds informs to us (we are authoritative);
// without it, every message is taken as from its own authoritative engine
// (traps). Users configured without an engine are localised for the engine
// of each message that names them. Our engine's boots and time are read
// from the capture: from the Reports and Responses it sent, else the first
// message to it that carries them is taken as in time.
//
// A summary goes to stderr. Exit status: 0 every SNMP message decoded, 1
// some did not (the others are still printed), 2 usage or I/O errors
// (an unreadable users file, a capture that cannot be opened or ends in
// the middle of a record). A fragmented datagram that could not be
// rebuilt is counted in the summary but does not fail the run: nothing
// says it was SNMP.
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linerate/snmp_v3.h>

#include "ctl_usm_users.h"
#include "st_frame.h"
#include "st_json.h"
#include "st_reasm.h"

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

#define VB_MAX	     16384 // a 64 KiB message holds fewer
#define LEARN_ROOM   1024  // any-engine users met at other engines
#define ENGINE_CACHE 4096  // remote engines' boots and time
#define UDP_MAX	     65536
#define REASM_SLOTS  256 // fragmented datagrams in progress at once

struct counts {
	unsigned long frames, snmp, ok, refused, malformed, cut, not_snmp, not_udp, bad_headers;
};

struct decoder {
	struct ctl_usm_users *users; // NULL: no --users
	struct usm_table *table;
	size_t table_cap;
	struct usm_ctx *usm;
	struct usm_local local; // engine_len 0: no --engine-id
	bool clock_known;
	struct st_reasm *reasm;
	struct counts n;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: linerate-snmp decode [--users FILE] [--engine-id HEX] CAPTURE.pcap\n"
		   "  -u, --users FILE      SNMPv3 users (YAML, the daemon's form): verify and\n"
		   "                        decrypt; without, v3 messages are not checked\n"
		   "  -e, --engine-id HEX   our engine ID, when the capture holds informs to us\n"
		   "One JSON object per SNMP message on stdout, a summary on stderr.\n"
		   "Exit status: 0 all decoded, 1 some did not, 2 usage or I/O error.\n");
}

// "0x8000..." or "8000..." → engine ID; -1 when not 5..32 octets of hex.
static int parse_engine(const char *s, uint8_t *out)
{
	size_t n = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!OPENSSL_hexstr2buf_ex(out, USM_ENGINE_ID_MAX, &n, s, '\0'))
		return -1;
	return usm_engine_id_check(out, n) ? -1 : (int)n;
}

// Does the payload start like an SNMP message (a SEQUENCE whose first
// element is the version INTEGER)? What is not is counted, not decoded.
static bool looks_like_snmp(const uint8_t *p, size_t n)
{
	if (n < 2 || p[0] != BER_SEQUENCE)
		return false;
	size_t hdr = 2;
	if (p[1] & 0x80)
		hdr += p[1] & 0x7f;
	return n > hdr && p[hdr] == BER_INTEGER;
}

static bool same_engine(const struct usm_local *l, struct snmp_bytes id)
{
	return l->engine_len && id.len == l->engine_len &&
	       memcmp(id.ptr, l->engine_id, id.len) == 0;
}

// Our clock from a message carrying our engine ID (see the top).
static void learn_clock(struct decoder *d, const uint8_t *wire, size_t len, uint64_t now)
{
	static struct snmp_varbind vb[VB_MAX];
	struct snmp_msg m;
	if (!d->local.engine_len || snmp_msg_decode(&m, wire, len, vb, VB_MAX) ||
	    m.version != SNMP_V3 || !same_engine(&d->local, m.usm.engine_id))
		return;
	bool ours =
		m.pdu_decoded && (m.pdu.type == SNMP_PDU_REPORT || m.pdu.type == SNMP_PDU_RESPONSE);
	if (ours || (!d->clock_known && (m.usm.boots || m.usm.time))) {
		d->local.boots = m.usm.boots;
		d->local.time_base = now - m.usm.time;
		d->clock_known = true;
	}
}

// USM_PENDING_KEY: localise the any-engine user for the message's engine,
// as the control plane will. (The daemon checks the HMAC with the new
// entry before adding it; a tool reading a file need not, the re-run
// checks it.) Returns 0 when the table has the entry now.
static int learn_user(struct decoder *d, const struct snmp_msg *m)
{
	const struct snmp_usm_params *p = &m->usm;
	for (size_t i = 0; i < d->users->n; i++) {
		const struct usm_user_cfg *c = &d->users->users[i];
		if (c->engine_len || c->name_len != p->user_name.len ||
		    memcmp(c->name, p->user_name.ptr, c->name_len) != 0)
			continue;
		struct usm_user u;
		int rc = usm_user_localize(c, p->engine_id.ptr, p->engine_id.len, &u);
		if (rc == 0 && (rc = usm_table_add(d->table, &u)) == -ENOSPC) {
			struct usm_table *t =
				usm_table_grow(d->table, d->table_cap * 2, d->users->n);
			if (t) {
				usm_table_free(d->table);
				d->table = t;
				d->table_cap *= 2;
				rc = usm_table_add(d->table, &u);
			}
		}
		OPENSSL_cleanse(&u, sizeof(u));
		return rc;
	}
	return -ENOENT;
}

static void timestamp_text(const struct pcap_pkthdr *h, char *out, size_t cap)
{
	struct tm tm;
	time_t t = h->ts.tv_sec;
	char day[32];
	gmtime_r(&t, &tm);
	strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, cap, "%s.%06ldZ", day, (long)h->ts.tv_usec);
}

static void print_json(json_t *o)
{
	if (o) {
		json_dumpf(o, stdout, JSON_COMPACT);
		fputc('\n', stdout);
		json_decref(o);
	}
}

// One SNMP message: through the glue, printed. reassembled_from: how many
// fragments brought it (0: one frame).
static void decode_msg(struct decoder *d, long frame, const struct pcap_pkthdr *h,
		       const struct st_udp *u, unsigned reassembled_from)
{
	static uint8_t plain[UDP_MAX];
	static struct snmp_varbind vb[VB_MAX];
	char src[64], dst[64], ts[64];
	uint64_t now = (uint64_t)h->ts.tv_sec;
	struct snmp_rx rx;
	struct snmp_rx_env env = {.usm = d->usm, .users = d->table, .local = &d->local};
	learn_clock(d, u->payload, u->len, now);
	enum snmp_rx_status st = snmp_rx_process(&env, now, u->payload, u->len, plain,
						 sizeof(plain), vb, VB_MAX, &rx);
	if (st == SNMP_RX_PENDING_KEY && learn_user(d, &rx.msg) == 0) {
		env.users = d->table;
		st = snmp_rx_process(&env, now, u->payload, u->len, plain, sizeof(plain), vb,
				     VB_MAX, &rx);
	}
	st_endpoint(u->family, u->src, u->sport, src, sizeof(src));
	st_endpoint(u->family, u->dst, u->dport, dst, sizeof(dst));
	timestamp_text(h, ts, sizeof(ts));
	const struct snmp_msg *m = &rx.msg;
	struct st_msg_meta meta = {
		.frame = frame,
		.timestamp = ts,
		.source = src,
		.destination = dst,
		.usm_name = d->table ? NULL : "no user file",
		.reassembled_from = reassembled_from,
		.sent_by_us =
			m->version == SNMP_V3 && m->pdu_decoded &&
			(m->pdu.type == SNMP_PDU_REPORT || m->pdu.type == SNMP_PDU_RESPONSE) &&
			same_engine(&d->local, m->usm.engine_id),
	};
	print_json(st_rx_json(&rx, &meta));
	d->n.snmp++;
	d->n.ok += st == SNMP_RX_OK || st == SNMP_RX_UNCHECKED;
	d->n.refused += st == SNMP_RX_REFUSED || st == SNMP_RX_PENDING_KEY;
	d->n.malformed += st == SNMP_RX_MALFORMED;
}

// A datagram the capture cut short: SNMP that cannot be decoded.
static void print_cut(struct decoder *d, long frame, const struct pcap_pkthdr *h,
		      const struct st_udp *u)
{
	char src[64], dst[64], ts[64];
	st_endpoint(u->family, u->src, u->sport, src, sizeof(src));
	st_endpoint(u->family, u->dst, u->dport, dst, sizeof(dst));
	timestamp_text(h, ts, sizeof(ts));
	print_json(json_pack("{s:i,s:s,s:s,s:s,s:s,s:s}", "frame", (json_int_t)frame, "timestamp",
			     ts, "source", src, "destination", dst, "error", "CUT", "error_text",
			     "datagram cut short by the capture's snap length"));
	d->n.snmp++;
	d->n.cut++;
}

// A fragment into the table; the datagram it completes is read as any
// other, under the frame number of its last fragment.
static void fragment_in(struct decoder *d, long frame, const struct pcap_pkthdr *h,
			struct st_udp *u)
{
	struct st_reasm_datagram dg;
	if (st_reasm_add(d->reasm, u, h->ts.tv_sec, &dg) != ST_REASM_DONE)
		return;
	if (dg.proto != IPPROTO_UDP)
		d->n.not_udp++;
	else if (st_frame_reassembled(dg.data, dg.len, u) != ST_UDP)
		d->n.bad_headers++;
	else if (looks_like_snmp(u->payload, u->len))
		decode_msg(d, frame, h, u, dg.fragments);
	else
		d->n.not_snmp++;
}

static void frame_in(struct decoder *d, int linktype, long frame, const struct pcap_pkthdr *h,
		     const uint8_t *p)
{
	struct st_udp u;
	d->n.frames++;
	switch (st_frame_udp(linktype, p, h->caplen, h->len, &u)) {
	case ST_UDP:
		if (looks_like_snmp(u.payload, u.len))
			decode_msg(d, frame, h, &u, 0);
		else
			d->n.not_snmp++;
		break;
	case ST_UDP_CUT:
		if (looks_like_snmp(u.payload, u.len))
			print_cut(d, frame, h, &u);
		else
			d->n.not_snmp++;
		break;
	case ST_FRAGMENT:
		fragment_in(d, frame, h, &u);
		break;
	case ST_BAD_HEADERS:
		d->n.bad_headers++;
		break;
	default:
		d->n.not_udp++;
	}
}

static void summary(const char *path, const struct counts *n, const struct st_reasm_stats *f)
{
	fprintf(stderr,
		"linerate-snmp: %s: %lu frames, %lu SNMP messages (%lu ok, %lu refused by USM, %lu "
		"malformed, %lu cut short); skipped: %lu UDP not SNMP, %lu not UDP, %lu with bad "
		"IP/UDP headers; %lu IP fragments, %lu datagrams reassembled, dropped: %lu "
		"incomplete, %lu overlapping, %lu evicted, %lu oversize, %lu cut short\n",
		path, n->frames, n->snmp, n->ok, n->refused, n->malformed, n->cut, n->not_snmp,
		n->not_udp, n->bad_headers, f->fragments, f->reassembled, f->incomplete,
		f->overlapping, f->evicted, f->oversize, f->cut);
}

static int load_users(struct decoder *d, const char *path)
{
	char err[512];
	d->users = ctl_usm_users_load_file(path, err, sizeof(err));
	if (!d->users) {
		fprintf(stderr, "linerate-snmp: %s: %s\n", path, err);
		return -1;
	}
	d->table_cap = d->users->n + LEARN_ROOM;
	d->table = ctl_usm_table_build(d->users, d->local.engine_id, d->local.engine_len,
				       LEARN_ROOM, err, sizeof(err));
	if (!d->table) {
		fprintf(stderr, "linerate-snmp: %s: %s\n", path, err);
		return -1;
	}
	return 0;
}

static int decode(const char *users, const char *engine, const char *path)
{
	static struct decoder d;
	char errbuf[PCAP_ERRBUF_SIZE];
	int rc = EXIT_USAGE;
	pcap_t *pc = NULL;
	if (engine) {
		int n = parse_engine(engine, d.local.engine_id);
		if (n < 0) {
			fprintf(stderr,
				"linerate-snmp: --engine-id %s: not 5 to 32 octets of hex\n",
				engine);
			return EXIT_USAGE;
		}
		d.local.engine_len = (uint8_t)n;
	}
	d.usm = usm_ctx_new(ENGINE_CACHE);
	d.reasm = st_reasm_new(REASM_SLOTS);
	if (!d.usm || !d.reasm || (users && load_users(&d, users))) {
		if (!d.usm || !d.reasm)
			perror("linerate-snmp");
		goto out;
	}
	pc = pcap_open_offline(path, errbuf);
	if (!pc) {
		fprintf(stderr, "linerate-snmp: %s\n", errbuf);
		goto out;
	}
	int linktype = pcap_datalink(pc);
	if (!st_link_supported(linktype)) {
		fprintf(stderr, "linerate-snmp: %s: link type %s not supported\n", path,
			pcap_datalink_val_to_name(linktype) ? pcap_datalink_val_to_name(linktype)
							    : "?");
		goto out;
	}
	struct pcap_pkthdr *h;
	const uint8_t *p;
	long frame = 0;
	int got;
	while ((got = pcap_next_ex(pc, &h, &p)) == 1)
		frame_in(&d, linktype, frame++, h, p);
	fflush(stdout);
	st_reasm_finish(d.reasm);
	summary(path, &d.n, st_reasm_stats(d.reasm));
	if (got == PCAP_ERROR) {
		fprintf(stderr, "linerate-snmp: %s: after frame %ld: %s\n", path, frame - 1,
			pcap_geterr(pc));
		goto out;
	}
	rc = d.n.malformed || d.n.cut ? EXIT_FAILED : EXIT_OK;
out:
	if (pc)
		pcap_close(pc);
	usm_table_free(d.table);
	ctl_usm_users_free(d.users);
	usm_ctx_free(d.usm);
	st_reasm_free(d.reasm);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"users", required_argument, NULL, 'u'},
		{"engine-id", required_argument, NULL, 'e'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *users = NULL, *engine = NULL;
	if (argc < 2 || strcmp(argv[1], "decode") != 0) {
		bool help = argc >= 2 && (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
					  !strcmp(argv[1], "-h"));
		usage(help ? stdout : stderr);
		return help ? EXIT_OK : EXIT_USAGE;
	}
	argc--, argv++; // getopt from "decode" on
	int c;
	while ((c = getopt_long(argc, argv, "u:e:h", opts, NULL)) != -1) {
		switch (c) {
		case 'u':
			users = optarg;
			break;
		case 'e':
			engine = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	return decode(users, engine, argv[optind]);
}
