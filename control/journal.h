/* SPDX-License-Identifier: BSD-3-Clause */
// The trap journal: an append-only local store of records (trap records,
// proto/include/linerate/trap_record.h, though the journal never looks
// inside them), written by one journal thread with group commit, read by
// every sink at its own pace through readers.
//
// On disk, one directory holds the segment files, oldest first:
//
//   DIR/00000000000000000001.seg    the number is the segment's first
//   DIR/00000000000000052817.seg    sequence number, 20 decimal digits
//
// Each segment starts with a 32-octet header (integers big-endian):
//
//    0  8   magic "LRJOURNL"
//    8  u16 format version (1)
//   10  u16 header length (32)
//   12  u32 CRC32C of these 32 octets with this field zero
//   16  u64 first sequence number (the same as the file name)
//   24  u64 creation time, ns since the Unix epoch
//
// then records back to back, each framed as
//
//    0  u32 CRC32C of octets 4 .. 16+len (length, sequence, payload)
//    4  u32 len, the payload's length (at most JOURNAL_RECORD_MAX)
//    8  u64 sequence number: the segment's first, then +1 per record
//   16  len octets of payload
//
// CRC32C is the Castagnoli CRC (iSCSI, ext4, SCTP; `crc32c` in Python's
// crc32c module, check value 0xe3069283 for "123456789"), written here
// rather than zlib's crc32: it detects more error patterns at these lengths,
// x86 (SSE 4.2) and ARMv8 compute it in hardware, and it needs no library.
//
// Sequence numbers start at 1 and only grow, across segments and restarts.
// A gap between two segments means records lost: dropped when the journal
// was full, or a batch whose write failed. The last segment may end in a
// torn record after a crash: at open it is found by its length or CRC and
// cut (the file truncated), and numbering continues after the last intact
// record. A record is durable (fdatasync'ed, reported to on_durable,
// visible to readers) or it does not exist: readers never see more.
//
// Bounds: max_bytes for all segments and max_age for sealed ones. Sealed
// segments that every reader has released are deleted as needed (normal
// retention). When the journal is full of records some reader still needs,
// it is full: new informs are refused (JOURNAL_REFUSED_FULL: do not ack,
// the sender retries) and new traps are kept by deleting the oldest
// segment, its unread records counted as dropped and logged, or, with
// full_refuse_traps, refused too (what is journaled is kept).
//
// Threading: journal_open starts the journal thread (a pthread), which
// alone writes, syncs, deletes and calls on_durable and log. journal_append,
// journal_flush, journal_get_stats and the reader functions may be called
// from any thread; one reader is used by one thread at a time.
#ifndef LINERATE_JOURNAL_H
#define LINERATE_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JOURNAL_RECORD_MAX	      (1u << 20)
#define JOURNAL_SEG_HDR_LEN	      32
#define JOURNAL_FRAME_HDR_LEN	      16
#define JOURNAL_MAX_BYTES_DEFAULT     (1ull << 30)
#define JOURNAL_SEGMENT_BYTES_DEFAULT (64ull << 20)
#define JOURNAL_SYNC_NS_DEFAULT	      1000000ull // 1 ms
#define JOURNAL_QUEUE_BYTES_DEFAULT   (8u << 20)
#define JOURNAL_QUEUE_BYTES_MIN	      4096u

// An inform token, returned by on_durable once its record is durable.
struct journal_token {
	uint64_t seq;
	void *token;
};

struct journal_cfg {
	const char *dir;	// created if missing
	uint64_t max_bytes;	// all segments; 0: JOURNAL_MAX_BYTES_DEFAULT
	uint64_t max_age_ns;	// sealed segments older are deleted; 0: no limit
	uint64_t segment_bytes; // 0: JOURNAL_SEGMENT_BYTES_DEFAULT; at most max_bytes / 4
	// group commit: at most one fdatasync per this interval, every record
	// appended meanwhile in the same batch; 0: sync each batch at once
	uint64_t sync_interval_ns; // JOURNAL_SYNC_DEFAULT unless sync_now
	bool sync_now;		   // sync_interval_ns = 0
	// when full, refuse new traps too (JOURNAL_REFUSED_FULL) rather than
	// delete the oldest unread segment to make room
	bool full_refuse_traps;
	// appended, not yet written; 0: default. A record must fit in it.
	uint32_t queue_bytes;
	// Called on the journal thread once per batch, in sequence order:
	// status 0 and every record up to `upto` is durable (tokens: those
	// of the batch's records that carried one), or a negative errno and
	// the batch's records [first, upto] were lost (do not ack them).
	void (*on_durable)(void *ctx, int status, uint64_t first, uint64_t upto,
			   const struct journal_token *tokens, size_t n_tokens);
	// Operator messages (syslog levels: LOG_ERR, LOG_WARNING, LOG_NOTICE),
	// on the journal thread or in journal_open; NULL: none.
	void (*log)(void *ctx, int level, const char *msg);
	void *ctx;
};

// Counters since journal_open (recovery ones from it), and the state now.
struct journal_stats {
	uint64_t appended;	   // records accepted
	uint64_t appended_bytes;   // their payload octets
	uint64_t batches;	   // batches written
	uint64_t syncs;		   // fdatasync calls
	uint64_t refused_full;	   // informs refused: journal full
	uint64_t refused_traps;	   // traps refused: full, with full_refuse_traps
	uint64_t refused_busy;	   // records refused: append queue full
	uint64_t refused_size;	   // records refused: empty or too long
	uint64_t dropped_segments; // deleted while full with unread records
	uint64_t dropped_records;  // unread records in them (oldest traps)
	uint64_t expired_segments; // deleted for max_age
	uint64_t expired_records;  // unread records in them
	uint64_t retired_segments; // deleted after every reader was done
	uint64_t io_errors;	   // failed writes or syncs
	uint64_t lost_records;	   // records of batches that failed
	uint64_t torn_cut_bytes;   // cut from the tail at open
	uint64_t first_seq;	   // oldest record kept (0: none)
	uint64_t durable_seq;	   // newest durable record (0: none)
	uint64_t next_seq;	   // the next record's number
	uint64_t bytes;		   // all segments and queued records
	uint32_t segments;
	bool full;
};

// One record to append. Outputs: seq (0 when refused) and status.
struct journal_rec {
	const void *data;
	uint32_t len;
	bool inform; // refused while the journal is full
	void *token; // given back by on_durable (NULL: nothing to give back)
	uint64_t seq;
	int status; // JOURNAL_OK or JOURNAL_REFUSED_*
};

enum journal_status {
	JOURNAL_OK = 0,
	JOURNAL_REFUSED_FULL = 1, // an inform (or, full_refuse_traps, a trap) while full
	JOURNAL_REFUSED_BUSY = 2, // the append queue is full: counted drop
	JOURNAL_REFUSED_SIZE = 3, // empty, over JOURNAL_RECORD_MAX or the queue
};

struct journal;

// Opens (creating) the journal in cfg->dir, locks it (flock: one journal
// per directory, EWOULDBLOCK otherwise), recovers it (torn tail cut,
// numbering continued), starts the journal thread. Returns NULL with errno
// set and a message in err.
struct journal *journal_open(const struct journal_cfg *cfg, char *err, size_t errlen);

// Appends recs[0..n) in order, assigning consecutive sequence numbers to
// the ones accepted; returns how many were. Never waits for the disk: the
// journal thread writes them and reports them through on_durable.
size_t journal_append(struct journal *j, struct journal_rec *recs, size_t n);

// Waits until every record appended before the call is durable or lost.
// Returns 0, or the negative errno of the last failed batch.
int journal_flush(struct journal *j);

// Waits up to timeout_ms for a durable record above seq; returns whether
// there is one.
bool journal_wait(struct journal *j, uint64_t seq, int timeout_ms);

void journal_get_stats(struct journal *j, struct journal_stats *out);

// Writes what is queued, syncs, stops the thread, closes. NULL is a no-op.
// Readers must be freed first.
void journal_close(struct journal *j);

// --- readers ------------------------------------------------------------

// A record as a reader returns it: data valid until the reader's next call.
struct journal_view {
	uint64_t seq;
	const uint8_t *data;
	uint32_t len;
};

struct journal_reader_stats {
	uint64_t read;	      // records returned
	uint64_t skipped;     // records gone before this reader read them
	uint64_t corrupt;     // records that failed their CRC (the rest of
			      // their segment skipped)
	uint64_t lag_records; // durable records not yet returned
	uint64_t lag_bytes;   // their octets on disk, frames included
};

struct journal_reader;

// A reader whose first record is from_seq (or the oldest kept, if that is
// gone); records below from_seq are released. NULL with errno set.
struct journal_reader *journal_reader_new(struct journal *j, uint64_t from_seq);

// The next durable record: 1 with *v set, 0 when caught up, or a negative
// errno (I/O). Records the journal lost are skipped and counted.
int journal_reader_next(struct journal_reader *r, struct journal_view *v);

// The sequence number the reader returns next.
uint64_t journal_reader_pos(const struct journal_reader *r);

// Records below seq are no longer needed by this reader: the journal may
// delete them without counting a drop.
void journal_reader_release(struct journal_reader *r, uint64_t seq);

void journal_reader_get_stats(struct journal_reader *r, struct journal_reader_stats *out);

void journal_reader_free(struct journal_reader *r);

// CRC32C (Castagnoli) of p[0..n), continuing from crc (0 to start).
uint32_t journal_crc32c(uint32_t crc, const void *p, size_t n);

#endif
