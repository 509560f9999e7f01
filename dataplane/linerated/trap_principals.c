/* SPDX-License-Identifier: BSD-3-Clause */
// Notifications by principal and security level (trap_principals.h): an
// open-addressing table of LR_PRINCIPALS_MAX rows keyed by (level, name),
// plus one "(other)" row per level for what does not fit.
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <linerate/snmp_msg.h>
#include <linerate/trap_record.h>
#include <linerate/wire.h>

#include "trap_principals.h"

#define SLOTS	     (2 * LR_PRINCIPALS_MAX) // load at most one half: short probes
#define SHOWN_PREFIX 2			     // a community's leading characters shown
#define FP_OCTETS    4			     // of the HMAC, shown as hex

struct entry {
	bool used;
	uint8_t level;
	uint16_t len;
	uint8_t name[LR_PRINCIPAL_KEY]; // a community is a secret: wiped at free
	char text[LR_PRINCIPAL_TEXT];
	uint64_t n[2]; // traps, informs
};

struct lr_principals {
	pthread_mutex_t lock; // held for one count or one copy
	uint8_t key[LR_PRINCIPAL_FP_KEY];
	size_t rows; // used entries in slot[], "(other)" not included
	uint64_t unparsed;
	struct entry other[LR_PLEVEL_COUNT];
	struct entry slot[SLOTS];
};

#define LR_PRINCIPAL_LEVEL_NAME(sym, name) [LR_PLEVEL_##sym] = name,
static const char *const level_names[LR_PLEVEL_COUNT] = {
	LR_PRINCIPAL_LEVELS(LR_PRINCIPAL_LEVEL_NAME)};
#undef LR_PRINCIPAL_LEVEL_NAME

const char *lr_principal_level_name(enum lr_principal_level l)
{
	return (unsigned)l < LR_PLEVEL_COUNT ? level_names[l] : "unknown";
}

struct lr_principals *lr_principals_new(const uint8_t key[LR_PRINCIPAL_FP_KEY])
{
	struct lr_principals *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	memcpy(p->key, key, LR_PRINCIPAL_FP_KEY);
	for (int l = 0; l < LR_PLEVEL_COUNT; l++) {
		p->other[l].used = true;
		p->other[l].level = (uint8_t)l;
		snprintf(p->other[l].text, sizeof(p->other[l].text), "%s", LR_PRINCIPAL_OTHER);
	}
	p->lock = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER; // cannot fail, unlike _init
	return p;
}

void lr_principals_free(struct lr_principals *p)
{
	if (!p)
		return;
	pthread_mutex_destroy(&p->lock);
	OPENSSL_cleanse(p, sizeof(*p));
	free(p);
}

// Printable ASCII as is, every other octet as \xNN (JSON and the metrics
// take only UTF-8), cut to fit with "..." at the end.
static void text_of(char *out, size_t cap, const uint8_t *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char esc[5];
		size_t k = 1;
		if (s[i] >= 0x20 && s[i] < 0x7f)
			esc[0] = (char)s[i];
		else
			k = (size_t)snprintf(esc, sizeof(esc), "\\x%02x", s[i]);
		if (o + k + 4 > cap) { // room for "..." and the NUL
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		memcpy(out + o, esc, k);
		o += k;
	}
	out[o] = '\0';
}

// "community:" + at most SHOWN_PREFIX characters, never more than half of
// it, + "~" + a keyed fingerprint: enough to tell communities apart and
// to recognise one's own, not enough to read or guess one offline.
static void community_text(const struct lr_principals *p, char *out, size_t cap, const uint8_t *s,
			   size_t n)
{
	uint8_t mac[EVP_MAX_MD_SIZE];
	unsigned mlen = 0;
	char shown[4 * SHOWN_PREFIX + 4]; // \xNN each, and text_of's spare room
	size_t keep = n / 2 < SHOWN_PREFIX ? n / 2 : SHOWN_PREFIX;
	text_of(shown, sizeof(shown), s, keep); // never cut
	if (!HMAC(EVP_sha256(), p->key, sizeof(p->key), s, n, mac, &mlen) || mlen < FP_OCTETS)
		memset(mac, 0, FP_OCTETS);
	snprintf(out, cap, "community:%s~%02x%02x%02x%02x", shown, mac[0], mac[1], mac[2], mac[3]);
	OPENSSL_cleanse(mac, sizeof(mac));
}

// FNV-1a over the level and the name.
static size_t hash_of(uint8_t level, const uint8_t *s, size_t n)
{
	uint32_t h = 2166136261u ^ level;
	h *= 16777619u;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 16777619u;
	}
	return h % SLOTS;
}

// The record's header fields we count by (trap_record.h layout), read
// with bounds checks: the rest of the record is the sinks' business.
static int read_header(const uint8_t *rec, size_t len, uint8_t *level, bool *inform,
		       struct snmp_bytes *name)
{
	int64_t rlen = trap_rec_peek_len(rec, len);
	struct wire_cur c;
	if (rlen < 0)
		return (int)rlen;
	if (rlen < TRAP_REC_HDR_LEN || (uint64_t)rlen > len)
		return len < TRAP_REC_HDR_LEN ? TRAP_REC_E_TRUNCATED : TRAP_REC_E_LENGTH;
	wire_cur_init(&c, rec, (size_t)rlen);
	wire_cur_skip(&c, 1);
	uint8_t pdu = wire_read_u8(&c);
	wire_cur_seek(&c, 16);
	uint8_t version = wire_read_u8(&c);
	uint8_t sec = wire_read_u8(&c);
	wire_cur_seek(&c, TRAP_REC_HDR_LEN);
	name->len = wire_read_u16(&c);
	name->ptr = wire_read_view(&c, name->len);
	if (c.err)
		return TRAP_REC_E_TRUNCATED;
	if (pdu != SNMP_PDU_TRAP_V1 && pdu != SNMP_PDU_TRAP_V2 && pdu != SNMP_PDU_INFORM)
		return TRAP_REC_E_FIELD;
	*inform = pdu == SNMP_PDU_INFORM;
	if (version == SNMP_V1 || version == SNMP_V2C)
		*level = LR_PLEVEL_COMMUNITY;
	else if (version == SNMP_V3 && sec >= TRAP_REC_NO_AUTH_NO_PRIV && sec <= TRAP_REC_AUTH_PRIV)
		*level = (uint8_t)(sec - TRAP_REC_NO_AUTH_NO_PRIV + LR_PLEVEL_NO_AUTH_NO_PRIV);
	else
		return TRAP_REC_E_FIELD; // RFC 3411 §5: levels 1..3
	return 0;
}

// The entry of (level, name), made if there is room; NULL when the table
// is full. Caller holds the lock.
static struct entry *find(struct lr_principals *p, uint8_t level, const uint8_t *s, size_t n)
{
	size_t i = hash_of(level, s, n);
	for (size_t probe = 0; probe < SLOTS; probe++, i = (i + 1) % SLOTS) {
		struct entry *e = &p->slot[i];
		if (!e->used) {
			if (p->rows >= LR_PRINCIPALS_MAX)
				return NULL;
			e->used = true;
			e->level = level;
			e->len = (uint16_t)n;
			memcpy(e->name, s, n);
			if (level == LR_PLEVEL_COMMUNITY)
				community_text(p, e->text, sizeof(e->text), s, n);
			else
				text_of(e->text, sizeof(e->text), s, n);
			p->rows++;
			return e;
		}
		if (e->level == level && e->len == n && memcmp(e->name, s, n) == 0)
			return e;
	}
	return NULL; // not reached: at most half the slots are used
}

int lr_principals_count(struct lr_principals *p, const uint8_t *rec, size_t len)
{
	uint8_t level = 0;
	bool inform = false;
	struct snmp_bytes name = {0}; // read_header leaves them unset on an error
	int rc = read_header(rec, len, &level, &inform, &name);
	// names past LR_PRINCIPAL_KEY octets (none a configured user or
	// community) are told apart by their first LR_PRINCIPAL_KEY
	size_t n = name.len < LR_PRINCIPAL_KEY ? name.len : LR_PRINCIPAL_KEY;
	pthread_mutex_lock(&p->lock);
	if (rc) {
		p->unparsed++;
	} else {
		struct entry *e = find(p, level, name.ptr, n);
		(e ? e : &p->other[level])->n[inform]++;
	}
	pthread_mutex_unlock(&p->lock);
	return rc;
}

static uint64_t total_of(const struct lr_principal_row *r)
{
	return r->traps + r->informs;
}

static int by_count(const void *a, const void *b)
{
	const struct lr_principal_row *x = a, *y = b;
	uint64_t nx = total_of(x), ny = total_of(y);
	if (nx != ny)
		return nx > ny ? -1 : 1;
	int c = strcmp(x->principal, y->principal);
	return c ? c : (int)x->level - (int)y->level;
}

static void row_of(struct lr_principal_row *r, const struct entry *e)
{
	memcpy(r->principal, e->text, sizeof(r->principal));
	r->level = (enum lr_principal_level)e->level;
	r->kind = e->level == LR_PLEVEL_COMMUNITY ? "community" : "user";
	r->traps = e->n[0];
	r->informs = e->n[1];
}

size_t lr_principals_read(struct lr_principals *p, struct lr_principal_row *out, size_t max,
			  struct lr_principals_totals *t)
{
	// the copy is taken under the lock (one memcpy-sized pass); sorting
	// happens after it, so the drain thread waits for the copy only
	struct lr_principal_row *all = malloc((LR_PRINCIPALS_MAX + LR_PLEVEL_COUNT) * sizeof(*all));
	struct lr_principals_totals tot;
	size_t n = 0;
	memset(&tot, 0, sizeof(tot));
	pthread_mutex_lock(&p->lock);
	tot.unparsed = p->unparsed;
	for (size_t i = 0; i < SLOTS + LR_PLEVEL_COUNT; i++) {
		const struct entry *e = i < SLOTS ? &p->slot[i] : &p->other[i - SLOTS];
		if (!e->used || (!e->n[0] && !e->n[1]))
			continue;
		tot.by_level[e->level][0] += e->n[0];
		tot.by_level[e->level][1] += e->n[1];
		if (all)
			row_of(&all[n], e);
		n++;
	}
	pthread_mutex_unlock(&p->lock);
	tot.distinct = n;
	if (t)
		*t = tot;
	if (!all)
		return 0;
	qsort(all, n, sizeof(*all), by_count);
	n = n < max ? n : max;
	memcpy(out, all, n * sizeof(*all));
	free(all);
	return n;
}
