/* SPDX-License-Identifier: BSD-3-Clause */
// The trap stage (DESIGN.md, issue #6): one SNMP datagram at a time,
// through snmp_rx_process with the worker's own USM context and the
// published users table; v1/v2c checked against the configured
// communities; a Report sent back from the same mbuf when USM asks for
// one; an accepted Trap-v1, SNMPv2-Trap or InformRequest encoded as a
// trap record into a slot and handed to the journal thread through the
// worker's SPSC ring, an inform's Response travelling with it in the
// request's own mbuf until the journal has made the record durable.
// Storm control first, on the source address alone, so that a storm is
// shed before it costs any decoding or cryptography.
// Every failure is a counted drop; no lock, allocation or log here.
#include <stdio.h>
#include <time.h>

#include <rte_errno.h>
#include <rte_ethdev.h>

#include <linerate/snmp_err.h>
#include <linerate/snmp_v3.h>
#include <linerate/trap_fast.h>
#include <linerate/trap_record.h>

#include "process.h"
#include "trap.h"

#define SNMP_ERR_TOO_BIG 1 // RFC 3416 §3 error-status tooBig

_Atomic(const struct usm_table *) lr_trap_users;

static const char *const drop_names[] = {
#define LR_TRAP_DROP_NAME(sym, name) [LR_TRAP_DROP_##sym] = name,
	LR_TRAP_DROPS(LR_TRAP_DROP_NAME)
#undef LR_TRAP_DROP_NAME
};

const char *lr_trap_drop_name(enum lr_trap_drop d)
{
	return (unsigned)d < LR_TRAP_DROP_COUNT ? drop_names[d] : "?";
}

static enum lr_snmp_ver ver_index(int32_t version)
{
	return version == SNMP_V1 ? LR_SNMP_V1 : version == SNMP_V2C ? LR_SNMP_V2C : LR_SNMP_V3;
}

static bool community_ok(const struct lr_trap_snap *ts, const struct snmp_bytes *c)
{
	for (unsigned i = 0; i < ts->n_communities; i++)
		if (ts->community[i].len == c->len && !memcmp(ts->community[i].s, c->ptr, c->len))
			return true;
	return false;
}

// The wall-clock time of the burst received at TSC tick tsc: read once a
// burst (every datagram of it arrived by the poll that took it), not once
// a trap, where the vDSO call cost ~50 cycles of a ~1000-cycle trap.
static uint64_t rx_time(struct lr_trap_worker *t, uint64_t tsc)
{
	if (tsc != t->rx_tsc || !t->rx_ns) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts); // the vDSO: no system call
		t->rx_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
		t->rx_tsc = tsc;
	}
	return t->rx_ns;
}

// Source and destination as the record keeps them, from the frame.
static void meta_from_frame(const uint8_t *buf, const struct dp_pkt_info *info, uint64_t rx_ns,
			    struct trap_rec_meta *meta)
{
	const uint8_t *ip = buf + info->l3_off, *u = buf + info->l4_off;
	memset(meta, 0, sizeof(*meta));
	meta->rx_ns = rx_ns;
	meta->src.family = meta->dst.family = info->family;
	if (info->family == 4) {
		memcpy(meta->src.addr, ip + 12, 4);
		memcpy(meta->dst.addr, ip + 16, 4);
	} else {
		memcpy(meta->src.addr, ip + 8, 16);
		memcpy(meta->dst.addr, ip + 24, 16);
	}
	meta->src.port = (uint16_t)(u[0] << 8 | u[1]);
	meta->dst.port = (uint16_t)(u[2] << 8 | u[3]);
}

// out[0..len) sent back from m in place of the request; false when it
// does not fit in the mbuf.
static bool turn(struct rte_mbuf *m, const struct lr_port_snap *ps, const struct dp_pkt_info *info,
		 const uint8_t *out, size_t len)
{
	uint8_t *buf = rte_pktmbuf_mtod(m, uint8_t *);
	size_t dlen = rte_pktmbuf_data_len(m);
	size_t n = dp_pkt_udp_reply(&ps->addrs, info, buf, dlen, dlen + rte_pktmbuf_tailroom(m),
				    out, len, ps->tx_flags);
	if (!n)
		return false;
	lr_tx_ready(m, n, info->l2_len, info->family == 4 ? 20 : 40, info->family, ps->tx_flags);
	return true;
}

// The Response to an accepted inform in out, within what one frame of the
// port carries: we send no IP fragments, so a larger one is the tooBig
// Response without varbinds (RFC 3416 §4.2.7: a local constraint). For v3
// the glue applies it given the smaller of the requester's msgMaxSize and
// ours; for v1/v2c (no such field) it is built here.
static int inform_response(const struct snmp_rx_env *env, uint64_t now, const struct snmp_rx *rx,
			   const struct lr_port_snap *ps, const struct dp_pkt_info *info,
			   uint8_t *out, size_t cap)
{
	int32_t room = (ps->mtu ? ps->mtu : 1500) - (info->family == 4 ? 20 : 40) - 8;
	struct snmp_rx r = *rx;
	if (r.msg.max_size > room)
		r.msg.max_size = room;
	int n = snmp_rx_inform_response(env, now, &r, out, cap);
	if (n <= room || r.msg.version == SNMP_V3)
		return n;
	struct snmp_pdu resp;
	snmp_pdu_response_to(&resp, &r.msg.pdu);
	resp.error_status = SNMP_ERR_TOO_BIG;
	resp.vb = NULL;
	resp.vb_count = 0;
	return snmp_msg_encode(out, cap, r.msg.version, r.msg.community, &resp);
}

// --- record slots -------------------------------------------------------------

// Marks each slot of a new pool with its class (rte_mempool_obj_iter).
static void slot_init(struct rte_mempool *mp, void *arg, void *obj, unsigned idx)
{
	struct lr_trap_slot *s = obj;
	(void)idx;
	s->big = arg != NULL;
	s->cap = (uint32_t)(mp->elt_size - sizeof(*s));
}

// A pool of n slots of size octets as a lock-free LIFO stack ("lf_stack":
// the most recently put slot, still in cache, is the next one out; both
// the worker and the journal thread may put), or, where that driver is
// missing, a multi-producer ring.
static struct rte_mempool *slot_pool(const char *name, uint32_t n, size_t size, bool big)
{
	struct rte_mempool *mp =
		rte_mempool_create_empty(name, n, (unsigned)size, 0, 0, (int)rte_socket_id(), 0);
	if (!mp)
		return NULL;
	if (rte_mempool_set_ops_byname(mp, "lf_stack", NULL) != 0) {
		fprintf(stderr,
			"linerated: warning: %s: no lf_stack mempool driver, a ring "
			"instead (slots reused first in, first out)\n",
			name);
		if (rte_mempool_set_ops_byname(mp, "ring_mp_mc", NULL) != 0)
			goto fail;
	}
	if (rte_mempool_populate_default(mp) != (int)n)
		goto fail;
	rte_mempool_obj_iter(mp, slot_init, big ? mp : NULL);
	return mp;
fail:
	rte_mempool_free(mp);
	return NULL;
}

int lr_trap_slots_new(struct lr_trap_worker *t, const char *prefix, unsigned i, uint32_t small,
		      uint32_t big)
{
	char name[RTE_MEMZONE_NAMESIZE];
	// every slot fits in the rings: a burst is bounded by the slots alone
	unsigned count = small + big;
	snprintf(name, sizeof(name), "%s_slots%u", prefix, i);
	t->slots = slot_pool(name, small, LR_TRAP_SLOT_SMALL, false);
	snprintf(name, sizeof(name), "%s_big%u", prefix, i);
	t->big_slots = slot_pool(name, big, sizeof(struct lr_trap_slot) + LR_TRAP_REC_MAX, true);
	snprintf(name, sizeof(name), "%s_rec%u", prefix, i);
	t->records = rte_ring_create(name, count, (int)rte_socket_id(),
				     RING_F_SP_ENQ | RING_F_SC_DEQ | RING_F_EXACT_SZ);
	snprintf(name, sizeof(name), "%s_ack%u", prefix, i);
	t->acked = rte_ring_create(name, count, (int)rte_socket_id(),
				   RING_F_SP_ENQ | RING_F_SC_DEQ | RING_F_EXACT_SZ);
	if (t->slots && t->big_slots && t->records && t->acked)
		return 0;
	fprintf(stderr,
		"linerated: worker %u: %u record slots of %u octets and %u of %zu: %s "
		"(snmp.record_slots, snmp.big_record_slots; the EAL's memory, -m)\n",
		i, small, LR_TRAP_SLOT_SMALL, big, sizeof(struct lr_trap_slot) + LR_TRAP_REC_MAX,
		rte_strerror(rte_errno));
	return -1;
}

void lr_trap_slots_put(struct lr_trap_worker *t, struct lr_trap_slot *const *s, unsigned n)
{
	void *small[LR_BURST * 2], *big[LR_BURST * 2];
	while (n) {
		unsigned k = n < RTE_DIM(small) ? n : RTE_DIM(small), ns = 0, nb = 0;
		for (unsigned i = 0; i < k; i++) {
			if (s[i]->big)
				big[nb++] = s[i];
			else
				small[ns++] = s[i];
		}
		if (ns)
			rte_mempool_put_bulk(t->slots, small, ns);
		if (nb)
			rte_mempool_put_bulk(t->big_slots, big, nb);
		s += k;
		n -= k;
	}
}

static struct lr_trap_slot *slot_get(struct lr_trap_worker *t, bool big)
{
	void *obj;
	return rte_mempool_get(big ? t->big_slots : t->slots, &obj) == 0 ? obj : NULL;
}

static void slot_put(struct lr_trap_worker *t, struct lr_trap_slot *s)
{
	rte_mempool_put(s->big ? t->big_slots : t->slots, s);
}

// A message from an any-engine user at a new engine, copied to the control
// side (trap.h, struct lr_trap_slot); when no slot or no room in the ring,
// the sender's next message asks again.
static void ask_key(struct lr_trap_worker *t, const uint8_t *wire, size_t len)
{
	struct lr_trap_slot *slot;
	if (len > LR_TRAP_REC_MAX || !(slot = slot_get(t, len > LR_TRAP_SMALL_CAP)))
		return;
	slot->reply = NULL;
	slot->key_request = true;
	slot->len = (uint32_t)len;
	memcpy(slot->rec, wire, len);
	if (rte_ring_sp_enqueue(t->records, slot) != 0)
		slot_put(t, slot);
}

// An accepted notification: its record into a slot on the ring, with the
// Response for an inform. Returns the drop reason, or LR_TRAP_DROP_COUNT
// when the mbuf left with the record (inform) or may be freed (trap).
static enum lr_trap_drop journal_it(struct lr_worker *w, const struct snmp_rx_env *env,
				    uint64_t now, const struct snmp_rx *rx,
				    const struct lr_port_snap *ps, struct rte_mbuf *m,
				    const struct dp_pkt_info *info, uint64_t tsc)
{
	struct lr_trap_worker *t = w->trap;
	struct trap_rec_meta meta;
	bool inform = rx->msg.pdu.type == SNMP_PDU_INFORM;
	struct lr_trap_slot *slot = slot_get(t, false);
	if (!slot)
		return LR_TRAP_DROP_NO_SLOT;
	enum lr_trap_drop why = LR_TRAP_DROP_COUNT;
	meta_from_frame(rte_pktmbuf_mtod(m, const uint8_t *), info, rx_time(t, tsc), &meta);
	int len = trap_rec_encode(slot->rec, slot->cap, &meta, &rx->msg);
	if (len == TRAP_REC_E_NOSPACE) {
		// sized before a byte is written: the small slot is untouched,
		// and the record goes whole into a big one
		struct lr_trap_slot *big = slot_get(t, true);
		slot_put(t, slot);
		if (!(slot = big))
			return LR_TRAP_DROP_NO_BIG_SLOT;
		len = trap_rec_encode(slot->rec, slot->cap, &meta, &rx->msg);
	}
	if (len < 0) {
		why = LR_TRAP_DROP_RECORD;
		goto fail;
	}
	slot->len = (uint32_t)len;
	slot->reply = NULL;
	slot->key_request = false;
	if (inform) {
		// built now, while the request is still in the mbuf; sent once
		// the record is durable
		int n = inform_response(env, now, rx, ps, info, t->out, sizeof(t->out));
		if (n < 0) {
			why = n == SNMP_E_NOT_OURS ? LR_TRAP_DROP_NOT_OURS : LR_TRAP_DROP_RESPONSE;
			goto fail;
		}
		if (!turn(m, ps, info, t->out, (size_t)n)) {
			why = LR_TRAP_DROP_RESPONSE;
			goto fail;
		}
		m->hash.usr = t->index; // which worker's acked ring it returns to
		slot->reply = m;
	}
	if (rte_ring_sp_enqueue(t->records, slot) != 0) {
		why = LR_TRAP_DROP_RING_FULL;
		goto fail;
	}
	return LR_TRAP_DROP_COUNT;
fail:
	slot_put(t, slot);
	return why;
}

// The fast lanes (linerate/trap_fast.h): a notification of the common
// shape decoded straight into a record slot. A small slot: a record that
// needs a big one is declined to the general path, which takes one.
static struct lr_trap_slot *fast_slot(struct lr_trap_worker *t, const struct rte_mbuf *m,
				      const struct dp_pkt_info *info, uint64_t tsc,
				      struct trap_rec_meta *meta)
{
	struct lr_trap_slot *slot = slot_get(t, false);
	if (slot)
		meta_from_frame(rte_pktmbuf_mtod(m, const uint8_t *), info, rx_time(t, tsc), meta);
	return slot;
}

// The record of len octets a lane wrote into slot (0: it declined) onto
// the ring when accepted. false when the lane declined the message,
// untouched, to the general path, which then reaches the same outcome;
// else *why as journal_it's.
static inline bool fast_done(struct lr_trap_worker *t, struct lr_trap_slot *slot, int len,
			     bool accepted, enum lr_trap_drop *why)
{
	if (len <= 0) {
		slot_put(t, slot);
		return false;
	}
	slot->len = (uint32_t)len;
	slot->reply = NULL;
	slot->key_request = false;
	*why = LR_TRAP_DROP_COMMUNITY;
	if (accepted) {
		*why = LR_TRAP_DROP_RING_FULL;
		if (rte_ring_sp_enqueue(t->records, slot) == 0) {
			*why = LR_TRAP_DROP_COUNT;
			return true;
		}
	}
	slot_put(t, slot);
	return true;
}

// A v2c SNMPv2-Trap, before any other decoding (informs stay on the
// general path, which builds their Response from the decoded PDU).
static bool fast_v2c(struct lr_worker *w, const struct lr_trap_snap *ts, const struct rte_mbuf *m,
		     const struct dp_pkt_info *info, const uint8_t *wire, uint64_t tsc,
		     enum lr_trap_drop *why)
{
	struct lr_trap_worker *t = w->trap;
	struct trap_rec_meta meta;
	struct trap_fast_v2c res;
	struct lr_trap_slot *slot = fast_slot(t, m, info, tsc, &meta);
	if (!slot)
		return false;
	int len = trap_fast_v2c(slot->rec, slot->cap, &meta, wire, info->payload_len,
				LR_TRAP_VB_MAX, TRAP_FAST_TRAP, &res);
	return fast_done(t, slot, len, len > 0 && community_ok(ts, &res.community), why);
}

// A v3 SNMPv2-Trap USM accepted, its scopedPDU decrypted into t->plain
// and not yet read (snmp_rx_env.defer_scoped).
static bool fast_v3(struct lr_worker *w, const struct rte_mbuf *m, const struct dp_pkt_info *info,
		    const struct snmp_rx *rx, uint64_t tsc, enum lr_trap_drop *why)
{
	struct lr_trap_worker *t = w->trap;
	struct trap_rec_meta meta;
	uint8_t type;
	struct lr_trap_slot *slot = fast_slot(t, m, info, tsc, &meta);
	if (!slot)
		return false;
	int len = trap_fast_scoped(slot->rec, slot->cap, &meta, &rx->msg, t->plain,
				   rx->usm.plain_len, LR_TRAP_VB_MAX, TRAP_FAST_TRAP, &type);
	return fast_done(t, slot, len, true, why);
}

// Storm control (linerate/storm.h) on the datagram's source, before any
// decoding or USM work: LR_TRAP_DROP_COUNT when it passes.
static enum lr_trap_drop storm(struct dp_storm *s, const struct rte_mbuf *m,
			       const struct dp_pkt_info *info, uint64_t tsc)
{
	const uint8_t *ip = rte_pktmbuf_mtod_offset(m, const uint8_t *, info->l3_off);
	uint8_t src[16];
	if (info->family == 4)
		dp_storm_map4(src, ip + 12);
	else
		memcpy(src, ip + 8, 16);
	switch (dp_storm_check(s, src, tsc)) {
	case DP_STORM_SHED_SOURCE:
		return LR_TRAP_DROP_STORM_SOURCE;
	case DP_STORM_SHED_GLOBAL:
		return LR_TRAP_DROP_STORM_GLOBAL;
	default:
		return LR_TRAP_DROP_COUNT;
	}
}

struct rte_mbuf *lr_trap_process(struct lr_worker *w, const struct lr_trap_snap *ts,
				 const struct lr_port_snap *ps, struct rte_mbuf *m,
				 const struct dp_pkt_info *info, uint64_t tsc)
{
	struct lr_trap_worker *t = w->trap;
	struct lr_trap_stats *st = &w->trap_stats;
	const struct snmp_rx_env env = {
		.usm = t->usm,
		.users = atomic_load_explicit(&lr_trap_users, memory_order_acquire),
		.local = &ts->local,
		.defer_scoped = true};
	uint64_t now = atomic_load_explicit(&lr.now, memory_order_relaxed);
	const uint8_t *wire = rte_pktmbuf_mtod_offset(m, const uint8_t *, info->payload_off);
	struct snmp_rx rx;
	enum lr_trap_drop why;
	// shed datagrams are not looked at: an inform shed is not
	// acknowledged, and its sender retries
	if (t->storm && (why = storm(t->storm, m, info, tsc)) != LR_TRAP_DROP_COUNT)
		goto drop;
	if (!ts->v3_only && trap_fast_is_v2c(wire, info->payload_len) &&
	    fast_v2c(w, ts, m, info, wire, tsc, &why)) {
		if (why != LR_TRAP_DROP_COUNT)
			goto drop;
		st->traps[LR_SNMP_V2C]++;
		rte_pktmbuf_free(m);
		return NULL;
	}
	enum snmp_rx_status status = snmp_rx_process(&env, now, wire, info->payload_len, t->plain,
						     sizeof(t->plain), t->vb, LR_TRAP_VB_MAX, &rx);
	if (status == SNMP_RX_OK && rx.msg.version == SNMP_V3 && !rx.msg.pdu_decoded) {
		// authPriv, its scopedPDU in t->plain: the lane, else read it
		if (fast_v3(w, m, info, &rx, tsc, &why)) {
			st->usm[USM_OK]++;
			if (why != LR_TRAP_DROP_COUNT)
				goto drop;
			st->traps[LR_SNMP_V3]++;
			rte_pktmbuf_free(m);
			return NULL;
		}
		status = snmp_rx_scoped(&rx, t->plain, t->vb, LR_TRAP_VB_MAX);
	}
	if (status == SNMP_RX_MALFORMED) {
		why = LR_TRAP_DROP_MALFORMED;
		goto drop;
	}
	if (rx.msg.version == SNMP_V3 && status != SNMP_RX_UNCHECKED)
		st->usm[rx.usm.outcome < USM_OUTCOME_COUNT ? rx.usm.outcome : USM_OK]++;
	if (status == SNMP_RX_PENDING_KEY) {
		ask_key(t, wire, info->payload_len);
		why = LR_TRAP_DROP_PENDING_KEY;
		goto drop;
	}
	if (status == SNMP_RX_REFUSED || status == SNMP_RX_UNCHECKED) {
		why = LR_TRAP_DROP_USM;
		if (!rx.report)
			goto drop;
		// RFC 3414 §3.2: the usmStats counter, this message included
		uint32_t counter = (uint32_t)st->usm[rx.usm.outcome];
		int n = snmp_rx_report(&env, now, &rx, counter, t->out, sizeof(t->out));
		why = LR_TRAP_DROP_REPORT;
		if (n < 0 || !turn(m, ps, info, t->out, (size_t)n))
			goto drop;
		st->reports[rx.usm.outcome]++;
		return m;
	}
	if (rx.msg.version != SNMP_V3) {
		why = ts->v3_only ? LR_TRAP_DROP_V3_ONLY : LR_TRAP_DROP_COMMUNITY;
		if (ts->v3_only || !community_ok(ts, &rx.msg.community))
			goto drop;
	}
	uint8_t type = rx.msg.pdu_decoded ? rx.msg.pdu.type : 0;
	if (type != SNMP_PDU_TRAP_V1 && type != SNMP_PDU_TRAP_V2 && type != SNMP_PDU_INFORM) {
		why = LR_TRAP_DROP_NOT_NOTIFICATION;
		goto drop;
	}
	why = journal_it(w, &env, now, &rx, ps, m, info, tsc);
	if (why != LR_TRAP_DROP_COUNT)
		goto drop;
	enum lr_snmp_ver v = ver_index(rx.msg.version);
	if (type == SNMP_PDU_INFORM) {
		st->informs[v]++;
		return NULL; // it travels with its record
	}
	st->traps[v]++;
	rte_pktmbuf_free(m);
	return NULL;
drop:
	st->drops[why]++;
	rte_pktmbuf_free(m);
	return NULL;
}

void lr_trap_tx_acked(struct lr_worker *w)
{
	lr_usm_worker_sync(w->trap);
	struct rte_mbuf *m[LR_BURST];
	unsigned n = rte_ring_sc_dequeue_burst(w->trap->acked, (void **)m, LR_BURST, NULL);
	// one tx_burst per run of the same port (nearly always one port)
	for (unsigned i = 0; i < n;) {
		unsigned k = i + 1;
		while (k < n && m[k]->port == m[i]->port)
			k++;
		uint16_t sent = rte_eth_tx_burst(m[i]->port, w->queue, m + i, (uint16_t)(k - i));
		w->trap_stats.informs_acked += sent;
		if (sent < k - i) {
			w->trap_stats.acks_tx_full += k - i - sent;
			rte_pktmbuf_free_bulk(m + i + sent, k - i - sent);
		}
		i = k;
	}
}
