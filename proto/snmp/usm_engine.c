/* SPDX-License-Identifier: BSD-3-Clause */
// Engine IDs (RFC 3411 §5), our boots and time, and timeliness (RFC 3414
// §3.2 step 7) on both sides: against our own clock when we are the
// authoritative engine, and against a per-worker cache of remote engines
// when an agent is.
#include <errno.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

#include "usm_internal.h"

int usm_engine_id_check(const uint8_t *id, size_t len)
{
	if (len < USM_ENGINE_ID_MIN || len > USM_ENGINE_ID_MAX)
		return USM_EENGINE_LEN;
	// RFC 3411 §5 SnmpEngineID: "may not be all zeros or all 'ff'H"
	bool zeros = true, ones = true;
	for (size_t i = 0; i < len; i++) {
		zeros = zeros && id[i] == 0x00;
		ones = ones && id[i] == 0xff;
	}
	return zeros || ones ? USM_EENGINE_VALUE : 0;
}

int usm_engine_id_build(uint32_t enterprise, enum usm_engine_format fmt, const void *data,
			size_t len, uint8_t out[USM_ENGINE_ID_MAX])
{
	if (enterprise >= 0x80000000u || (!data && len))
		return USM_EINVAL;
	size_t want_min, want_max;
	switch (fmt) {
	case USM_ENGINE_FMT_IPV4:
		want_min = want_max = 4;
		break;
	case USM_ENGINE_FMT_IPV6:
		want_min = want_max = 16;
		break;
	case USM_ENGINE_FMT_MAC:
		want_min = want_max = 6;
		break;
	case USM_ENGINE_FMT_TEXT:
	case USM_ENGINE_FMT_OCTETS:
		want_min = 1;
		want_max = USM_ENGINE_ID_MAX - 5; // RFC 3411 §5: at most 27 octets
		break;
	default:
		return USM_EINVAL;
	}
	if (len < want_min || len > want_max)
		return USM_EENGINE_FORMAT;
	// the first bit set: the RFC 3411 format, enterprise in the other 31
	uint32_t e = enterprise | 0x80000000u;
	out[0] = (uint8_t)(e >> 24);
	out[1] = (uint8_t)(e >> 16);
	out[2] = (uint8_t)(e >> 8);
	out[3] = (uint8_t)e;
	out[4] = (uint8_t)fmt;
	memcpy(out + 5, data, len);
	return (int)(5 + len);
}

uint32_t usm_local_time(const struct usm_local *l, uint64_t now)
{
	uint64_t t = now > l->time_base ? now - l->time_base : 0;
	return t > USM_TIME_MAX ? USM_TIME_MAX : (uint32_t)t;
}

static uint32_t window_of(uint32_t window)
{
	return window ? window : USM_TIME_WINDOW_DEFAULT;
}

int usm_time_check_local(const struct usm_local *l, uint64_t now, uint32_t boots, uint32_t time)
{
	// RFC 3414 §3.2 step 7a
	if (l->boots >= USM_BOOTS_MAX)
		return USM_EBOOTS_LATCHED;
	if (boots != l->boots)
		return USM_EBOOTS;
	uint32_t ours = usm_local_time(l, now);
	uint32_t diff = time > ours ? time - ours : ours - time;
	return diff > window_of(l->window) ? USM_ETIME : 0;
}

// --- remote engines ---

#define PROBE_WINDOW 8

struct remote {
	uint8_t engine_id[USM_ENGINE_ID_MAX];
	uint8_t engine_len; // 0: free
	uint32_t boots;	    // snmpEngineBoots of that engine, as we know it
	uint32_t time;	    // its snmpEngineTime when we learnt it ...
	uint32_t latest;    // latestReceivedEngineTime
	uint64_t at;	    // ... and our `now` then
};

struct usm_engine_cache {
	uint64_t key[2];
	size_t mask;
	struct remote slot[];
};

struct usm_engine_cache *usm_engine_cache_new(size_t capacity)
{
	size_t n = 16;
	while (n < capacity && n < ((size_t)1 << 40))
		n <<= 1;
	if (capacity > n) {
		errno = EINVAL;
		return NULL;
	}
	struct usm_engine_cache *c = calloc(1, sizeof(*c) + n * sizeof(c->slot[0]));
	if (!c) {
		errno = ENOMEM;
		return NULL;
	}
	c->mask = n - 1;
	if (RAND_bytes((unsigned char *)c->key, sizeof(c->key)) != 1) {
		free(c);
		errno = ENOMEM;
		return NULL;
	}
	return c;
}

void usm_engine_cache_free(struct usm_engine_cache *c)
{
	free(c);
}

// The engine's entry: found, or a free one in its window, or the window's
// least recently updated one, cleared (engine_len 0 means "new").
static struct remote *remote_slot(struct usm_engine_cache *c, const uint8_t *id, size_t len)
{
	size_t h = (size_t)usm_hash(c->key, id, len, NULL, 0);
	struct remote *oldest = NULL;
	for (size_t i = 0; i < PROBE_WINDOW; i++) {
		struct remote *r = &c->slot[(h + i) & c->mask];
		if (r->engine_len == 0)
			return r;
		if (r->engine_len == len && memcmp(r->engine_id, id, len) == 0)
			return r;
		if (!oldest || r->at < oldest->at)
			oldest = r;
	}
	oldest->engine_len = 0;
	return oldest;
}

// r's notion of the engine: boots, snmpEngineTime and
// latestReceivedEngineTime as of our `now`.
static void remote_take(struct remote *r, const uint8_t *id, size_t len, uint32_t boots,
			uint32_t time, uint64_t now)
{
	memcpy(r->engine_id, id, len);
	r->engine_len = (uint8_t)len;
	r->boots = boots;
	r->time = time;
	r->latest = time;
	r->at = now;
}

int usm_time_check_remote(struct usm_engine_cache *c, const uint8_t *engine_id, size_t engine_len,
			  uint32_t boots, uint32_t time, uint64_t now, uint32_t window)
{
	if (engine_len < USM_ENGINE_ID_MIN || engine_len > USM_ENGINE_ID_MAX)
		return USM_EENGINE_LEN;
	struct remote *r = remote_slot(c, engine_id, engine_len);
	// a first authentic message from this engine is taken as it says;
	// RFC 3414 §3.2 step 7b, first part: so is one newer than what we knew
	if (r->engine_len == 0 || boots > r->boots || (boots == r->boots && time > r->latest))
		remote_take(r, engine_id, engine_len, boots, time, now);
	// ... second part
	if (r->boots >= USM_BOOTS_MAX)
		return USM_EBOOTS_LATCHED;
	if (boots < r->boots)
		return USM_EBOOTS;
	uint64_t theirs = (uint64_t)r->time + (now > r->at ? now - r->at : 0);
	if (boots == r->boots && (uint64_t)time + window_of(window) < theirs)
		return USM_ETIME;
	return 0;
}

void usm_ctx_engines_walk(const struct usm_ctx *ctx,
			  void (*fn)(void *arg, const struct usm_engine_seen *e), void *arg)
{
	const struct usm_engine_cache *c = ctx->engines;
	for (size_t i = 0; i <= c->mask; i++) {
		const volatile struct remote *r = &c->slot[i];
		struct usm_engine_seen e;
		uint8_t len = r->engine_len;
		if (!len || len > USM_ENGINE_ID_MAX)
			continue;
		memset(&e, 0, sizeof(e));
		e.engine_len = len;
		for (size_t k = 0; k < len; k++)
			e.engine_id[k] = r->engine_id[k];
		e.boots = r->boots;
		e.time = r->time;
		e.at = r->at;
		fn(arg, &e);
	}
}

void usm_ctx_engines_clear(struct usm_ctx *ctx)
{
	struct usm_engine_cache *c = ctx->engines;
	memset(c->slot, 0, (c->mask + 1) * sizeof(c->slot[0]));
}

int usm_engine_cache_set(struct usm_engine_cache *c, const uint8_t *engine_id, size_t engine_len,
			 uint32_t boots, uint32_t time, uint64_t at)
{
	if (engine_len < USM_ENGINE_ID_MIN || engine_len > USM_ENGINE_ID_MAX)
		return USM_EENGINE_LEN;
	remote_take(remote_slot(c, engine_id, engine_len), engine_id, engine_len, boots, time, at);
	return 0;
}

int usm_ctx_engine_set(struct usm_ctx *ctx, const uint8_t *engine_id, size_t engine_len,
		       uint32_t boots, uint32_t time, uint64_t at)
{
	return usm_engine_cache_set(ctx->engines, engine_id, engine_len, boots, time, at);
}
