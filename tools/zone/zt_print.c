/* SPDX-License-Identifier: BSD-3-Clause */
// dig-like text of a DNS message, from wire through proto's parser.
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <linerate/dns_err.h>
#include <linerate/dns_msg.h>
#include <linerate/dns_name.h>
#include <linerate/dns_rdata.h>
#include <linerate/dns_types.h>

#include "zt_print.h"

// Room for any rdata once its names are decompressed, and for its text:
// the worst presentation is four characters (\DDD) per octet.
#define RDATA_CAP (DNS_RDATA_MAXLEN + DNS_RDATA_MAXNAMES * DNS_NAME_MAXLEN)
#define TEXT_CAP  (4 * RDATA_CAP + 64)

struct print_buf {
	uint8_t rdata[RDATA_CAP];
	char text[TEXT_CAP];
};

static const struct {
	uint16_t bit;
	const char *name;
} flag_names[] = {
	// dig's order; z is printed only when a peer sets it.
	{DNS_FLAG_QR, "qr"}, {DNS_FLAG_AA, "aa"}, {DNS_FLAG_TC, "tc"}, {DNS_FLAG_RD, "rd"},
	{DNS_FLAG_RA, "ra"}, {DNS_FLAG_Z, "z"},	  {DNS_FLAG_AD, "ad"}, {DNS_FLAG_CD, "cd"},
};

char *zt_flags_text(uint16_t flags, char *out, size_t cap)
{
	size_t n = 0;
	if (cap == 0)
		return out;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++) {
		if (!(flags & flag_names[i].bit))
			continue;
		int w = snprintf(out + n, cap - n, "%s%s", n ? " " : "", flag_names[i].name);
		if (w < 0 || (size_t)w >= cap - n) {
			out[n] = '\0'; // whole words only
			break;
		}
		n += (size_t)w;
	}
	return out;
}

static void print_header(FILE *out, const struct dns_header *h, uint16_t rcode)
{
	char op[16], rc[16], fl[64];
	fprintf(out, ";; ->>HEADER<<- opcode: %s, status: %s, id: %u\n",
		dns_opcode_to_text(DNS_OPCODE_OF(h->flags), op), dns_rcode_to_text(rcode, rc),
		h->id);
	fprintf(out, ";; flags: %s; QUERY: %u, ANSWER: %u, AUTHORITY: %u, ADDITIONAL: %u\n",
		zt_flags_text(h->flags, fl, sizeof(fl)), h->count[DNS_SECTION_QUESTION],
		h->count[DNS_SECTION_ANSWER], h->count[DNS_SECTION_AUTHORITY],
		h->count[DNS_SECTION_ADDITIONAL]);
}

static void print_hex(FILE *out, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%02x", p[i]);
}

// Printable ASCII as is, anything else as '.', as dig shows an NSID.
static void print_ascii(FILE *out, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fputc(p[i] >= 0x20 && p[i] < 0x7f ? p[i] : '.', out);
}

static void print_option(FILE *out, uint16_t code, const uint8_t *data, uint16_t len)
{
	switch (code) {
	case DNS_EDNS_NSID:
		fputs("; NSID: ", out);
		print_hex(out, data, len);
		fputs(" (\"", out);
		print_ascii(out, data, len);
		fputs("\")\n", out);
		return;
	case DNS_EDNS_COOKIE:
		fputs("; COOKIE: ", out);
		print_hex(out, data, len);
		fputc('\n', out);
		return;
	case DNS_EDNS_PADDING:
		fprintf(out, "; PADDING: %u octets\n", len);
		return;
	case DNS_EDNS_EDE:
		if (len >= 2) {
			fprintf(out, "; EDE: %u (\"", (unsigned)(data[0] << 8 | data[1]));
			print_ascii(out, data + 2, len - 2u);
			fputs("\")\n", out);
			return;
		}
		break;
	default:
		break;
	}
	fprintf(out, "; OPT=%u: ", code);
	print_hex(out, data, len);
	fputc('\n', out);
}

static int print_opt(FILE *out, const struct dns_msg *m)
{
	const struct dns_edns *e = &m->edns;
	fputs("\n;; OPT PSEUDOSECTION:\n", out);
	fprintf(out, "; EDNS: version: %u, flags:%s", e->version,
		e->flags & DNS_EDNS_DO ? " do" : "");
	if (e->flags & ~DNS_EDNS_DO)
		fprintf(out, " MBZ: 0x%04x", e->flags & ~DNS_EDNS_DO);
	fprintf(out, "; udp: %u\n", e->udp_size);

	struct dns_edns_opt_iter it;
	uint16_t code, len;
	const uint8_t *data;
	int rc;
	dns_edns_opt_iter_init(&it, m);
	while ((rc = dns_edns_opt_iter_next(&it, &code, &data, &len)) == 1)
		print_option(out, code, data, len);
	return rc < 0 ? rc : 0;
}

static const char *const section_titles[DNS_SECTION_COUNT] = {
	[DNS_SECTION_QUESTION] = "QUESTION",
	[DNS_SECTION_ANSWER] = "ANSWER",
	[DNS_SECTION_AUTHORITY] = "AUTHORITY",
	[DNS_SECTION_ADDITIONAL] = "ADDITIONAL",
};

static int print_rr(FILE *out, const struct dns_msg *m, const struct dns_rr_view *rr,
		    struct print_buf *pb)
{
	uint8_t owner[DNS_NAME_MAXLEN];
	char owner_text[DNS_NAME_TEXT_MAX], ty[16], cl[16];
	size_t pos = rr->owner_off;
	int rc = dns_name_unpack(m->wire, m->len, DNS_HEADER_LEN, &pos, owner);
	if (rc < 0)
		return rc;
	rc = dns_name_to_text(owner, owner_text, sizeof(owner_text));
	if (rc < 0)
		return rc;
	dns_type_to_text(rr->type, ty);
	dns_class_to_text(rr->rclass, cl);
	if (rr->section == DNS_SECTION_QUESTION) {
		fprintf(out, ";%s\t\t%s\t%s\n", owner_text, cl, ty);
		return 0;
	}

	int n = dns_rdata_unpack(m->wire, m->len, rr->rdata_off, rr->rdlen, rr->type, pb->rdata,
				 sizeof(pb->rdata));
	if (n < 0) // not valid for its type: show the octets as they are (RFC 3597)
		n = dns_rdata_to_generic(m->wire + rr->rdata_off, rr->rdlen, pb->text,
					 sizeof(pb->text));
	else
		n = dns_rdata_to_text(rr->type, pb->rdata, (size_t)n, pb->text, sizeof(pb->text));
	if (n < 0)
		return n;
	fprintf(out, "%s\t%u\t%s\t%s\t%s\n", owner_text, rr->ttl, cl, ty, pb->text);
	return 0;
}

static int print_section(FILE *out, const struct dns_msg *m, enum dns_section s,
			 struct print_buf *pb)
{
	struct dns_rr_iter it;
	struct dns_rr_view rr;
	bool title = false;
	int rc;
	dns_rr_iter_init(&it, m, s);
	while ((rc = dns_rr_iter_next(&it, &rr)) == 1) {
		if (rr.type == DNS_TYPE_OPT && s == DNS_SECTION_ADDITIONAL)
			continue; // shown as the pseudo-section
		if (!title) {
			fprintf(out, "\n;; %s SECTION:\n", section_titles[s]);
			title = true;
		}
		rc = print_rr(out, m, &rr, pb);
		if (rc < 0)
			return rc;
	}
	return rc;
}

int zt_print_msg(FILE *out, const uint8_t *wire, size_t len)
{
	struct dns_msg m;
	int rc = dns_msg_parse(&m, wire, len);
	if (rc < 0) {
		if (len >= DNS_HEADER_LEN)
			print_header(out, &m.hdr, DNS_RCODE_OF(m.hdr.flags));
		fprintf(out, ";; malformed message: %s\n", dns_strerror(rc));
		return rc;
	}

	struct print_buf *pb = malloc(sizeof(*pb));
	if (!pb)
		return -ENOMEM;
	print_header(out, &m.hdr, dns_msg_rcode(&m));
	if (m.edns.present)
		rc = print_opt(out, &m);
	for (int s = DNS_SECTION_QUESTION; rc == 0 && s < DNS_SECTION_COUNT; s++)
		rc = print_section(out, &m, (enum dns_section)s, pb);
	free(pb);
	if (rc < 0) {
		fprintf(out, ";; malformed message: %s\n", dns_strerror(rc));
		return rc;
	}
	fprintf(out, "\n;; MSG SIZE: %zu\n", len);
	return 0;
}
