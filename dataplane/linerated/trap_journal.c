/* SPDX-License-Identifier: BSD-3-Clause */
// The control side of the trap pipeline (issue #6): the users table and
// our engine published to the workers, the workers' rings and record
// pools, the journal thread that drains the rings into the journal
// (control/journal.h) and sends durable informs' Responses back to their
// workers, and the configured sinks (control/sink_set.h), each reading the
// journal on its own thread, with OID names from the MIB table.
//
// Threads: lr_traps_start/stop/reload and the stats readers run on the
// main lcore; the drain thread (a pthread) is the only consumer of the
// record rings and the only producer putting slots back; the journal's own
// thread calls on_durable, the only producer of the acked rings.
//
// Reload (SIGHUP): the users file is read again by usm_keys.c, which
// builds the new users table off the workers and publishes it by RCU. The
// MIB table is rebuilt and swapped under names_lock, which every sink
// holds for reading while it renders a record.
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <syslog.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include <openssl/crypto.h>

#include <linerate/snmp_msg.h>

#include "control_ops.h"
#include "ctl_config.h"
#include "ctl_snmp_state.h"
#include "journal.h"
#include "mib.h"
#include "sink.h"
#include "sink_set.h"
#include "trap.h"
#include "trap_principals.h"
#include "usm_keys.h"

#define DRAIN_BATCH	64
#define LEARN_BUDGET	4    // key requests handled per batch (the rest shed, counted)
#define DRAIN_IDLE_US	100
#define SINK_CATCHUP_MS 3000 // at shutdown, how long the sinks may take
#define DROP_LOG_S	10   // drops are logged at most this often, summed

static struct {
	bool started;
	unsigned nworkers;
	struct lr_trap_worker *w[LR_MAX_WORKERS];
	const struct ctl_config *cfg; // lives until after lr_traps_stop
	struct lr_trap_snap snap;     // copied into every snapshot
	struct ctl_snmp_state engine; // our engine ID and this start's boots
	struct journal *journal;
	pthread_rwlock_t names_lock; // mib: swapped by reload (write), read by the sinks
	struct mib_table *mib;
	struct sink_set *sinks;
	pthread_t thread;
	atomic_bool stop;
	struct lr_trap_drops logged; // the drain thread's: drops last logged
	int64_t logged_ns;
	// drain thread: appended, refused_*; journal thread: lost,
	// acked_ring_full; read by the main lcore (stats)
	struct lr_trapj_stats stats;
	struct lr_principals *principals; // counted by the drain thread (issue #7)
} T;

// The journal's and sinks' messages, held to the daemon's log level
// (syslog's LOG_ERR .. LOG_DEBUG are error .. debug).
static void log_cb(void *ctx, int level, const char *msg)
{
	(void)ctx;
	lr_log(level <= LOG_ERR	    ? CTL_LOG_ERROR
	       : level >= LOG_DEBUG ? CTL_LOG_DEBUG
				    : (enum ctl_log_level)(level - LOG_ERR),
	       "%s", msg);
}

// On the journal's thread, once per batch: the informs whose records are
// durable go back to their workers to be sent; a lost batch's are dropped
// (the senders retry).
static void on_durable(void *ctx, int status, uint64_t first, uint64_t upto,
		       const struct journal_token *tokens, size_t n_tokens)
{
	(void)ctx;
	if (status < 0)
		T.stats.lost += upto - first + 1;
	for (size_t i = 0; i < n_tokens; i++) {
		struct rte_mbuf *m = tokens[i].token;
		unsigned wi = m->hash.usr;
		if (status < 0 || wi >= T.nworkers || !T.w[wi] ||
		    rte_ring_sp_enqueue(T.w[wi]->acked, m) != 0) {
			if (status == 0)
				T.stats.acked_ring_full++;
			rte_pktmbuf_free(m);
		}
	}
}

// One batch from one worker's ring into the journal; the slots go back.
static unsigned drain_one(struct lr_trap_worker *t)
{
	struct lr_trap_slot *slot[DRAIN_BATCH];
	struct journal_rec rec[DRAIN_BATCH];
	struct rte_mbuf *reply[DRAIN_BATCH];
	unsigned n = rte_ring_sc_dequeue_burst(t->records, (void **)slot, DRAIN_BATCH, NULL);
	unsigned nr = 0, budget = LEARN_BUDGET;
	if (!n)
		return 0;
	for (unsigned i = 0; i < n; i++) {
		const struct lr_trap_slot *s = slot[i];
		if (s->key_request) {
			// localising may hash a megabyte (Reeder keys): a few per
			// batch, so records are never held up for long
			int rc = budget ? (budget--, lr_usm_learn(s->rec, s->len)) : -2;
			if (rc == -2)
				T.stats.keys_shed++;
			else if (rc == 1)
				T.stats.keys_learned++;
			else if (rc == -1)
				T.stats.keys_refused++;
			continue;
		}
		// accepted by the worker: counted by principal here, off the workers
		lr_principals_count(T.principals, s->rec, s->len);
		reply[nr] = s->reply;
		rec[nr++] = (struct journal_rec){.data = s->rec,
						 .len = s->len,
						 .inform = s->reply != NULL,
						 .token = s->reply};
	}
	// the journal copies the records into its queue: the slots are free
	// once it returns
	if (nr)
		journal_append(T.journal, rec, nr);
	for (unsigned i = 0; i < nr; i++) {
		if (rec[i].status == JOURNAL_OK) {
			T.stats.appended++;
			continue;
		}
		if (rec[i].status == JOURNAL_REFUSED_FULL)
			T.stats.refused_full++;
		else
			T.stats.refused_other++;
		rte_pktmbuf_free(reply[i]); // no Response: the sender retries
	}
	lr_trap_slots_put(t, slot, n);
	return n;
}

static unsigned drain_all(void)
{
	unsigned got = 0;
	for (unsigned i = 0; i < T.nworkers; i++)
		got += drain_one(T.w[i]);
	return got;
}

const char *lr_journal_drop_name(enum lr_journal_drop d)
{
	static const char *const names[LR_JDROP_COUNT] = {
#define LR_JDROP_NAME(sym, name, why) [LR_JDROP_##sym] = name,
		LR_JOURNAL_DROPS(LR_JDROP_NAME)
#undef LR_JDROP_NAME
	};
	return (unsigned)d < LR_JDROP_COUNT ? names[d] : "?";
}

void lr_traps_drops(struct lr_trap_drops *out)
{
	struct journal_stats js;
	memset(out, 0, sizeof(*out));
	if (!T.journal)
		return;
	journal_get_stats(T.journal, &js);
	out->n[LR_JDROP_INFORM_FULL] = js.refused_full;
	out->n[LR_JDROP_TRAP_FULL] = js.refused_traps;
	out->n[LR_JDROP_BUSY] = js.refused_busy;
	out->n[LR_JDROP_SIZE] = js.refused_size;
	out->n[LR_JDROP_LOST] = js.lost_records;
	out->n[LR_JDROP_OLDEST] = js.dropped_records;
	out->n[LR_JDROP_EXPIRED] = js.expired_records;
}

// At most every DROP_LOG_S: one line with what was dropped since the last
// one, by reason (a storm of drops is one line, not one per record).
static void drops_log(void)
{
	static const char *const why[LR_JDROP_COUNT] = {
#define LR_JDROP_WHY(sym, name, w) [LR_JDROP_##sym] = w,
		LR_JOURNAL_DROPS(LR_JDROP_WHY)
#undef LR_JDROP_WHY
	};
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	int64_t now = ts.tv_sec * 1000000000ll + ts.tv_nsec;
	if (now - T.logged_ns < DROP_LOG_S * 1000000000ll)
		return;
	T.logged_ns = now;
	struct lr_trap_drops d;
	char line[1024];
	size_t used = 0;
	lr_traps_drops(&d);
	for (int i = 0; i < LR_JDROP_COUNT; i++) {
		uint64_t delta = d.n[i] - T.logged.n[i];
		if (!delta)
			continue;
		int k = snprintf(line + used, sizeof(line) - used, "%s%" PRIu64 " %s",
				 used ? "; " : "", delta, why[i]);
		if (k > 0 && (size_t)k < sizeof(line) - used)
			used += (size_t)k;
	}
	T.logged = d;
	if (used)
		fprintf(stderr, "linerated: warning: journal drops in the last %d s or more: %s\n",
			DROP_LOG_S, line);
}

static void *drain_main(void *arg)
{
	(void)arg;
	while (!atomic_load_explicit(&T.stop, memory_order_acquire)) {
		if (!drain_all())
			usleep(DRAIN_IDLE_US);
		drops_log();
	}
	// the workers have stopped: what is left in the rings goes in too
	while (drain_all())
		;
	return NULL;
}

static void worker_free(struct lr_trap_worker *t)
{
	if (!t)
		return;
	dp_storm_free(t->storm);
	usm_ctx_free(t->usm);
	rte_mempool_free(t->slots);
	rte_mempool_free(t->big_slots);
	rte_ring_free(t->records);
	if (t->acked) {
		struct rte_mbuf *m;
		while (rte_ring_sc_dequeue(t->acked, (void **)&m) == 0) {
			T.stats.shutdown_unacked++;
			rte_pktmbuf_free(m);
		}
		rte_ring_free(t->acked);
	}
	rte_free(t);
}

// Worker i's storm control table, when enabled (its memory fixed now).
static int storm_new(const struct ctl_config *c, struct lr_trap_worker *t)
{
	struct dp_storm_cfg sc = {
		.per_source_rate = c->snmp.storm.per_source_rate,
		.per_source_burst = c->snmp.storm.per_source_burst,
		.global_rate = c->snmp.storm.global_rate,
		.global_burst = c->snmp.storm.global_burst ? c->snmp.storm.global_burst
							   : c->snmp.storm.global_rate,
		.sources = c->snmp.storm.sources,
	};
	uint64_t key[2];
	if (!c->snmp.storm.enabled)
		return 0;
	// the set-hash key: unknown to senders, so they cannot aim at a set
	if (getrandom(key, sizeof(key), 0) != sizeof(key))
		return -1;
	t->storm = dp_storm_new(&sc, rte_get_tsc_hz(), key);
	return t->storm ? 0 : -1;
}

static struct lr_trap_worker *worker_new(const struct ctl_config *cfg, unsigned i)
{
	struct lr_trap_worker *t = rte_zmalloc("lr_trap", sizeof(*t), RTE_CACHE_LINE_SIZE);
	if (!t)
		return NULL;
	t->index = i;
	if (storm_new(cfg, t) < 0) {
		fprintf(stderr, "linerated: snmp.storm for worker %u: %s\n", i, strerror(errno));
		rte_free(t);
		return NULL;
	}
	t->usm = usm_ctx_new(1024);
	if (!t->usm || lr_trap_slots_new(t, "lr_trap", i, cfg->snmp.record_slots,
					 cfg->snmp.big_record_slots) < 0) {
		worker_free(t);
		return NULL;
	}
	return t;
}

// The users, the key store and the hashing pool (usm_keys.h), once our
// engine is known: the key store beside the journal unless configured.
static int users_load(const struct ctl_config *cfg)
{
	char path[4200];
	const char *p = cfg->snmp.key_store;
	if (!p) {
		snprintf(path, sizeof(path), "%s/usm.keys", cfg->snmp.journal.dir);
		p = path;
	}
	return lr_usm_start(cfg, T.engine.engine_id, T.engine.engine_len, p,
			    cfg->snmp.hash_threads);
}

static void mib_warn(void *arg, const char *msg)
{
	(void)arg;
	fprintf(stderr, "linerated: warning: MIB: %s\n", msg);
}

// A MIB table for the sinks' names from the Debian sets, then
// snmp.mib_dirs, then the base modules. mib_table_build forks (libsmi runs
// in the child); at start it is called before the journal's and the sinks'
// threads exist, so that no lock (malloc's, ASan's) is held by another
// thread at the fork. Broken modules are skipped with a warning.
static struct mib_table *mib_build(const struct ctl_config *cfg)
{
	const char *dirs[CTL_CONFIG_MIB_DIRS_MAX + 16];
	size_t nd = 0;
	for (size_t i = 0; i < mib_default_ndirs && nd < 15; i++)
		dirs[nd++] = mib_default_dirs[i];
	for (size_t i = 0; i < cfg->snmp.n_mib_dirs; i++)
		dirs[nd++] = cfg->snmp.mib_dirs[i];
	dirs[nd++] = LR_SRC_MIBDIR; // the base modules when not installed
	struct mib_diag diag = {.warn = mib_warn};
	struct mib_table *t = mib_table_build(dirs, nd, NULL, &diag);
	if (!t) // names are a comfort: numeric OIDs without them
		fprintf(stderr, "linerated: warning: no MIB table (%s): OIDs stay numeric\n",
			strerror(errno));
	return t;
}

// The sinks' OID names: from whichever MIB table is current (the caller,
// a sink rendering a record, holds names_lock for reading).
static const char *names_oid(void *ctx, const uint32_t *oid, size_t n, size_t *matched)
{
	(void)ctx;
	if (!T.mib) {
		*matched = 0;
		return NULL;
	}
	return mib_oid_name(T.mib, oid, n, matched);
}

static int sinks_open(const struct ctl_config *cfg)
{
	char err[1024];
	struct sink_set_cfg sc = {
		.cfg = cfg,
		.names = {.oid_name = names_oid, .ctx = NULL},
		.names_lock = &T.names_lock,
		.log = log_cb,
	};
	T.sinks = sink_set_new(T.journal, &sc, err, sizeof(err));
	if (!T.sinks) {
		fprintf(stderr, "linerated: snmp.sinks: %s\n", err);
		return -1;
	}
	for (size_t i = 0; i < cfg->snmp.n_sinks; i++)
		fprintf(stderr, "linerated: sink %s (%s)\n", cfg->snmp.sinks[i].name,
			ctl_sink_type_name(cfg->snmp.sinks[i].type));
	fprintf(stderr, "linerated: %zu sink(s), %zu MIB nodes\n", cfg->snmp.n_sinks,
		T.mib ? mib_table_nodes(T.mib) : 0);
	return 0;
}

static void snap_fill(const struct ctl_config *cfg)
{
	struct lr_trap_snap *s = &T.snap;
	s->enabled = true;
	s->port = cfg->snmp.trap_port;
	s->v3_only = cfg->snmp.v3_only;
	s->n_communities = (unsigned)cfg->snmp.n_communities;
	for (unsigned i = 0; i < s->n_communities; i++) {
		// the loader keeps them within LR_COMMUNITY_MAX octets
		s->community[i].len = (uint8_t)strlen(cfg->snmp.communities[i]);
		memcpy(s->community[i].s, cfg->snmp.communities[i], s->community[i].len);
	}
	memcpy(s->local.engine_id, T.engine.engine_id, T.engine.engine_len);
	s->local.engine_len = (uint8_t)T.engine.engine_len;
	s->local.boots = T.engine.boots;	   // one more than the last start's
	s->local.time_base = (uint64_t)time(NULL); // the workers' clock is lr.now
	s->local.window = cfg->snmp.time_window;
}

// Our engine ID and this start's boots (ctl_snmp_state.h), read, bumped and
// written back before anything is localised to the engine ID or answered.
static int engine_start(const struct ctl_config *cfg)
{
	char path[4200], err[600], hex[2 * CTL_SNMP_ENGINE_MAX + 1];
	const char *p = cfg->snmp.state_file;
	if (!p) { // beside the journal, which ignores files that are not segments
		if (mkdir(cfg->snmp.journal.dir, 0700) != 0 && errno != EEXIST) {
			fprintf(stderr, "linerated: snmp.journal.dir %s: %s\n",
				cfg->snmp.journal.dir, strerror(errno));
			return -1;
		}
		snprintf(path, sizeof(path), "%s/engine.state", cfg->snmp.journal.dir);
		p = path;
	}
	if (ctl_snmp_state_start(p, cfg->snmp.engine_id, cfg->snmp.engine_len, &T.engine, err,
				 sizeof(err)) < 0) {
		fprintf(stderr, "linerated: snmp.state_file: %s\n", err);
		return -1;
	}
	for (size_t i = 0; i < T.engine.engine_len; i++)
		snprintf(hex + 2 * i, 3, "%02x", T.engine.engine_id[i]);
	fprintf(stderr, "linerated: SNMP engine %s%s, boots %u (%s)\n", hex,
		T.engine.generated ? " (new)" : "", T.engine.boots, p);
	if (T.engine.boots_latched)
		fprintf(stderr, "linerated: warning: snmpEngineBoots is at its maximum: give the "
				"engine a new snmp.engine_id (RFC 3414 §2.2.2)\n");
	return 0;
}

int lr_traps_start(const struct ctl_config *cfg, unsigned nworkers)
{
	char err[512];
	if (!cfg || !cfg->snmp.enabled)
		return 0;
	RTE_BUILD_BUG_ON(CTL_CONFIG_COMMUNITIES_MAX > LR_COMMUNITIES_MAX);
	RTE_BUILD_BUG_ON(CTL_CONFIG_COMMUNITY_MAX > LR_COMMUNITY_MAX);
	T.started = true; // lr_traps_stop undoes whatever follows
	T.cfg = cfg;
	pthread_rwlock_init(&T.names_lock, NULL);
	if (cfg->snmp.n_sinks)
		T.mib = mib_build(cfg);
	if (engine_start(cfg) < 0 || users_load(cfg) < 0)
		return -1;
	for (unsigned i = 0; i < nworkers; i++) {
		T.w[i] = worker_new(cfg, i);
		if (!T.w[i]) {
			fprintf(stderr, "linerated: trap stage of worker %u: %s\n", i,
				rte_strerror(rte_errno));
			return -1;
		}
		T.nworkers = i + 1;
	}
	struct journal_cfg jc = {
		.dir = cfg->snmp.journal.dir,
		.max_bytes = cfg->snmp.journal.max_bytes,
		.sync_interval_ns = cfg->snmp.journal.sync_interval_us * 1000,
		.sync_now = cfg->snmp.journal.sync_interval_us == 0,
		.max_age_ns = cfg->snmp.journal.max_age_seconds * 1000000000ull,
		.full_refuse_traps = cfg->snmp.journal.when_full == CTL_JOURNAL_FULL_REFUSE,
		.on_durable = on_durable,
		.log = log_cb,
	};
	uint8_t fp_key[LR_PRINCIPAL_FP_KEY];
	if (getrandom(fp_key, sizeof(fp_key), 0) == sizeof(fp_key))
		T.principals = lr_principals_new(fp_key);
	OPENSSL_cleanse(fp_key, sizeof(fp_key));
	if (!T.principals) {
		fprintf(stderr, "linerated: notifications by principal: %s\n", strerror(errno));
		return -1;
	}
	T.journal = journal_open(&jc, err, sizeof(err));
	if (!T.journal) {
		fprintf(stderr, "linerated: snmp.journal.dir %s: %s\n", jc.dir, err);
		return -1;
	}
	if (sinks_open(cfg) < 0)
		return -1;
	snap_fill(cfg);
	if (pthread_create(&T.thread, NULL, drain_main, NULL) != 0) {
		fprintf(stderr, "linerated: journal thread: %s\n", strerror(errno));
		T.snap.enabled = false;
		return -1;
	}
	fprintf(stderr, "linerated: trap collector on UDP port %u, journal %s\n",
		cfg->snmp.trap_port, jc.dir);
	if (cfg->snmp.storm.enabled)
		fprintf(stderr,
			"linerated: storm control: %u/s per source (burst %u), budget %u/s per "
			"worker%s, %u sources tracked per worker\n",
			cfg->snmp.storm.per_source_rate, cfg->snmp.storm.per_source_burst,
			cfg->snmp.storm.global_rate,
			cfg->snmp.storm.global_rate ? "" : " (none)", cfg->snmp.storm.sources);
	return 0;
}

void lr_traps_snap(struct lr_trap_snap *t)
{
	*t = T.snap;
}

struct lr_trap_worker *lr_traps_worker(unsigned i)
{
	return i < T.nworkers ? T.w[i] : NULL;
}

int lr_traps_reload(char *err, size_t errlen)
{
	int rc = 0;
	if (!T.started || !T.snap.enabled)
		return 0;
	if (lr_usm_reload(err, errlen) < 0) {
		fprintf(stderr, "linerated: reload: the old SNMPv3 users stay: %s\n", err);
		rc = -1;
	}
	if (T.sinks && sink_set_count(T.sinks)) {
		struct mib_table *m = mib_build(T.cfg);
		if (m) {
			pthread_rwlock_wrlock(&T.names_lock);
			struct mib_table *old = T.mib;
			T.mib = m;
			pthread_rwlock_unlock(&T.names_lock);
			mib_table_free(old);
			fprintf(stderr, "linerated: MIB table reloaded: %zu nodes\n",
				mib_table_nodes(m));
		} else {
			fprintf(stderr, "linerated: reload: the old MIB table stays\n");
		}
	}
	return rc;
}

void lr_traps_stop(void)
{
	if (!T.started)
		return;
	if (T.snap.enabled) { // the drain thread runs
		atomic_store_explicit(&T.stop, true, memory_order_release);
		pthread_join(T.thread, NULL);
	}
	if (T.journal)
		journal_flush(T.journal);
	sink_set_free(T.sinks, SINK_CATCHUP_MS);
	journal_close(T.journal); // the last on_durable calls happen here
	struct lr_trapj_stats s = T.stats;
	fprintf(stderr,
		"linerated: journal: %" PRIu64 " records appended, %" PRIu64
		" refused (journal full), %" PRIu64 " refused (busy/size), %" PRIu64
		" lost, %" PRIu64 " acks dropped (ring full)\n",
		s.appended, s.refused_full, s.refused_other, s.lost, s.acked_ring_full);
	for (unsigned i = 0; i < T.nworkers; i++)
		worker_free(T.w[i]);
	mib_table_free(T.mib);
	lr_principals_free(T.principals);
	lr_usm_stop(); // saves the key store, wipes the keys
	pthread_rwlock_destroy(&T.names_lock);
	memset(&T, 0, sizeof(T));
}

void lr_traps_get_stats(struct lr_trapj_stats *out)
{
	*out = T.stats;
}

bool lr_traps_journal_stats(struct journal_stats *js)
{
	if (!T.journal)
		return false;
	journal_get_stats(T.journal, js);
	return true;
}

int lr_traps_storm_stats(struct dp_storm_stats *total, struct dp_storm_top *top)
{
	struct dp_storm_top all[LR_MAX_WORKERS * DP_STORM_TOP];
	unsigned n = 0, listed = 0;
	bool on = false;
	memset(total, 0, sizeof(*total));
	for (unsigned i = 0; i < T.nworkers; i++) {
		const struct dp_storm *s = T.w[i] ? T.w[i]->storm : NULL;
		struct dp_storm_stats st;
		if (!s)
			continue;
		on = true;
		dp_storm_get_stats(s, &st);
		total->passed += st.passed;
		total->shed_source += st.shed_source;
		total->shed_global += st.shed_global;
		total->evicted += st.evicted;
		n += dp_storm_read_top(s, all + n);
	}
	if (!on)
		return -1;
	// one source may be listed by several workers (RSS spreads its
	// ports): one row, the sum
	for (unsigned i = 0; i < n; i++) {
		unsigned k = 0;
		while (k < listed && memcmp(all[k].addr, all[i].addr, 16) != 0)
			k++;
		if (k < listed) {
			all[k].shed += all[i].shed;
		} else {
			all[listed++] = all[i];
		}
	}
	// the most shed first, DP_STORM_TOP of them
	for (unsigned j = 0; j < listed && j < DP_STORM_TOP; j++) {
		unsigned m = j;
		for (unsigned k = j + 1; k < listed; k++)
			if (all[k].shed > all[m].shed)
				m = k;
		struct dp_storm_top x = all[j];
		all[j] = all[m];
		all[m] = x;
		top[j] = all[j];
	}
	return (int)(listed < DP_STORM_TOP ? listed : DP_STORM_TOP);
}

const char *lr_storm_addr_text(const uint8_t a[16], char *buf, size_t len)
{
	static const uint8_t mapped[12] = {[10] = 0xff, [11] = 0xff};
	bool v4 = memcmp(a, mapped, 12) == 0;
	if (!inet_ntop(v4 ? AF_INET : AF_INET6, v4 ? a + 12 : a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

struct lr_principals *lr_traps_principals(void)
{
	return T.principals;
}

struct sink_set *lr_traps_sinks(void)
{
	return T.sinks;
}
