/* SPDX-License-Identifier: BSD-3-Clause */
// The control side of the trap pipeline (issue #6): the users table and
// our engine published to the workers, the workers' rings and record
// pools, the journal thread that drains the rings into the journal
// (control/journal.h) and sends durable informs' Responses back to their
// workers, and the file sink that reads the journal (control/sink.h) with
// OID names from the MIB table.
//
// Threads: lr_traps_start/stop and the stats readers run on the main
// lcore; the drain thread (a pthread) is the only consumer of the record
// rings and the only producer putting slots back; the journal's own
// thread calls on_durable, the only producer of the acked rings.
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include <openssl/crypto.h>

#include <linerate/snmp_msg.h>

#include "ctl_config.h"
#include "ctl_snmp_state.h"
#include "journal.h"
#include "mib.h"
#include "sink.h"
#include "trap.h"
#include "usm_keys.h"

#define DRAIN_BATCH	64
#define LEARN_BUDGET	4    // key requests handled per batch (the rest shed, counted)
#define DRAIN_IDLE_US	100
#define SINK_CATCHUP_MS 3000 // at shutdown, how long the file sink may take

static struct {
	bool started;
	unsigned nworkers;
	struct lr_trap_worker *w[LR_MAX_WORKERS];
	struct lr_trap_snap snap; // copied into every snapshot
	struct ctl_snmp_state engine; // our engine ID and this start's boots
	struct journal *journal;
	struct mib_table *mib;
	struct sink *file;
	pthread_t thread;
	atomic_bool stop;
	// drain thread: appended, refused_*; journal thread: lost,
	// acked_ring_full; read by the main lcore (stats)
	struct lr_trapj_stats stats;
} T;

static void log_cb(void *ctx, int level, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "linerated: %s%s\n", level <= LOG_ERR ? "error: " : "", msg);
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
	rte_mempool_put_bulk(t->slots, (void **)slot, n);
	return n;
}

static unsigned drain_all(void)
{
	unsigned got = 0;
	for (unsigned i = 0; i < T.nworkers; i++)
		got += drain_one(T.w[i]);
	return got;
}

static void *drain_main(void *arg)
{
	(void)arg;
	while (!atomic_load_explicit(&T.stop, memory_order_acquire))
		if (!drain_all())
			usleep(DRAIN_IDLE_US);
	// the workers have stopped: what is left in the rings goes in too
	while (drain_all())
		;
	return NULL;
}

static void worker_free(struct lr_trap_worker *t)
{
	if (!t)
		return;
	usm_ctx_free(t->usm);
	rte_mempool_free(t->slots);
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

static struct lr_trap_worker *worker_new(unsigned i)
{
	char name[RTE_MEMZONE_NAMESIZE];
	struct lr_trap_worker *t = rte_zmalloc("lr_trap", sizeof(*t), RTE_CACHE_LINE_SIZE);
	if (!t)
		return NULL;
	t->index = i;
	t->usm = usm_ctx_new(1024);
	snprintf(name, sizeof(name), "lr_trap_slots%u", i);
	// the worker gets, the drain thread puts: one of each, no cache
	t->slots = rte_mempool_create(name, LR_TRAP_SLOTS, sizeof(struct lr_trap_slot), 0, 0, NULL,
				      NULL, NULL, NULL, (int)rte_socket_id(),
				      RTE_MEMPOOL_F_SP_PUT | RTE_MEMPOOL_F_SC_GET);
	snprintf(name, sizeof(name), "lr_trap_rec%u", i);
	t->records = rte_ring_create(name, LR_TRAP_RING, (int)rte_socket_id(),
				     RING_F_SP_ENQ | RING_F_SC_DEQ);
	snprintf(name, sizeof(name), "lr_trap_ack%u", i);
	t->acked = rte_ring_create(name, LR_TRAP_RING, (int)rte_socket_id(),
				   RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (!t->usm || !t->slots || !t->records || !t->acked) {
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

// The MIB table for the sink's names. mib_table_build forks (libsmi runs in
// the child): called before the journal's and the sink's threads exist, so
// that no lock (malloc's, ASan's) is held by another thread at the fork.
static void mib_load(void)
{
	const char *dirs[16];
	size_t nd = 0;
	for (size_t i = 0; i < mib_default_ndirs && nd < 15; i++)
		dirs[nd++] = mib_default_dirs[i];
	dirs[nd++] = LR_SRC_MIBDIR; // the base modules when not installed
	struct mib_diag diag = {.warn = mib_warn};
	T.mib = mib_table_build(dirs, nd, NULL, &diag);
	if (!T.mib) // names are a comfort: numeric OIDs without them
		fprintf(stderr, "linerated: warning: no MIB table (%s): OIDs stay numeric\n",
			strerror(errno));
}

static int sink_open(const struct ctl_config *cfg)
{
	char err[512], cursor[4200];
	struct sink_file_cfg fc = {
		.path = cfg->snmp.file_sink.path,
		.rotate_bytes = cfg->snmp.file_sink.rotate_bytes,
		.fsync = SINK_FSYNC_BATCH,
		.names = {.oid_name = T.mib ? mib_oid_name : NULL, .ctx = T.mib},
	};
	void *impl = sink_file_new(&fc, err, sizeof(err));
	if (!impl) {
		fprintf(stderr, "linerated: snmp.sinks.file: %s\n", err);
		return -1;
	}
	snprintf(cursor, sizeof(cursor), "%s.cursor", cfg->snmp.file_sink.path);
	struct sink_cfg sc = {.name = "file", .cursor_path = cursor, .log = log_cb};
	T.file = sink_new(T.journal, &sc, &sink_file_ops, impl, err, sizeof(err));
	if (!T.file || sink_start(T.file) != 0) {
		fprintf(stderr, "linerated: snmp.sinks.file: %s\n", T.file ? "thread" : err);
		return -1;
	}
	fprintf(stderr, "linerated: file sink %s (%zu MIB nodes)\n", fc.path,
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
			fprintf(stderr, "linerated: snmp.journal.dir %s: %s\n", cfg->snmp.journal.dir,
				strerror(errno));
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
	if (cfg->snmp.file_sink.path)
		mib_load();
	if (engine_start(cfg) < 0 || users_load(cfg) < 0)
		return -1;
	for (unsigned i = 0; i < nworkers; i++) {
		T.w[i] = worker_new(i);
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
		.on_durable = on_durable,
		.log = log_cb,
	};
	T.journal = journal_open(&jc, err, sizeof(err));
	if (!T.journal) {
		fprintf(stderr, "linerated: snmp.journal.dir %s: %s\n", jc.dir, err);
		return -1;
	}
	if (cfg->snmp.file_sink.path && sink_open(cfg) < 0)
		return -1;
	snap_fill(cfg);
	if (pthread_create(&T.thread, NULL, drain_main, NULL) != 0) {
		fprintf(stderr, "linerated: journal thread: %s\n", strerror(errno));
		T.snap.enabled = false;
		return -1;
	}
	fprintf(stderr, "linerated: trap collector on UDP port %u, journal %s\n",
		cfg->snmp.trap_port, jc.dir);
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

// The file sink a bounded while to deliver what the journal holds.
static void sink_catch_up(void)
{
	struct sink_stats ss;
	for (int ms = 0; ms < SINK_CATCHUP_MS; ms += 10) {
		sink_get_stats(T.file, &ss);
		if (ss.lag_records == 0 || ss.down)
			return;
		usleep(10000);
	}
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
	if (T.file)
		sink_catch_up();
	sink_free(T.file);
	journal_close(T.journal); // the last on_durable calls happen here
	struct lr_trapj_stats s = T.stats;
	fprintf(stderr,
		"linerated: journal: %" PRIu64 " records appended, %" PRIu64
		" informs refused (full), %" PRIu64 " refused (busy/size), %" PRIu64
		" lost, %" PRIu64 " acks dropped (ring full)\n",
		s.appended, s.refused_full, s.refused_other, s.lost, s.acked_ring_full);
	for (unsigned i = 0; i < T.nworkers; i++)
		worker_free(T.w[i]);
	mib_table_free(T.mib);
	lr_usm_stop(); // saves the key store, wipes the keys
	memset(&T, 0, sizeof(T));
}

void lr_traps_get_stats(struct lr_trapj_stats *out)
{
	*out = T.stats;
}

bool lr_traps_sink_stats(struct journal_stats *js, struct sink_stats *ss)
{
	if (!T.journal)
		return false;
	journal_get_stats(T.journal, js);
	if (T.file)
		sink_get_stats(T.file, ss);
	else
		memset(ss, 0, sizeof(*ss));
	return true;
}
