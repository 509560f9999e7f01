/* SPDX-License-Identifier: BSD-3-Clause */
// Shared by journal.c (thread, append, retention), journal_seg.c (segment
// files, recovery) and journal_read.c (readers).
#ifndef LINERATE_JOURNAL_INTERNAL_H
#define LINERATE_JOURNAL_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "journal.h"

#define JOURNAL_MAGIC	     "LRJOURNL"
#define JOURNAL_FORMAT	     1
#define JOURNAL_SEG_NAME_MAX 32 // "%020" PRIu64 ".seg" and the NUL

// One segment file. For the active (last) one, count and bytes are what is
// durable; written holds what the journal thread has written.
struct jseg {
	uint64_t first_seq;
	uint64_t count; // records
	uint64_t bytes; // file length
	int64_t mtime_ns;
};

// Records appended and not yet written: frames (CRC left for the journal
// thread) and the tokens of those that carry one.
struct jbatch {
	uint8_t *data;
	size_t len, cap;
	struct journal_token *tok;
	size_t n_tok, cap_tok;
	uint64_t first_seq; // 0: empty
	uint64_t last_seq;
};

struct journal_reader {
	struct journal *j;
	struct journal_reader *next; // in j->readers
	uint64_t pos;		     // next sequence number to return
	uint64_t hold;		     // below this, released (under j->mu)
	int fd;			     // of the segment being read, or -1
	uint64_t seg_first;	     // its first sequence number
	uint64_t off;		     // file offset of record pos in it
	uint8_t *buf;
	size_t cap;
	struct journal_reader_stats st;
};

struct journal {
	struct journal_cfg cfg;
	char *dir;
	int dir_fd;
	pthread_t thread;
	pthread_mutex_t mu;	// everything below
	pthread_cond_t work;	// to the journal thread: records, stop
	pthread_cond_t durable; // from it: durable_seq moved, batch done
	struct jseg *segs;	// oldest first; the last is active
	size_t n_segs, cap_segs;
	int active_fd;		 // journal thread only
	uint64_t active_written; // octets written to it (journal thread)
	uint64_t next_seq;
	uint64_t durable_seq;
	uint64_t done_seq;     // last record durable or lost
	int last_err;	       // of the last failed batch
	uint64_t lost_upto;    // its last record
	uint64_t total_bytes;  // segments and queued frames
	struct jbatch pending; // appended, not yet taken
	struct journal_reader *readers;
	bool stop;
	struct journal_stats st;
};

// journal_seg.c: segment files (the directory is j->dir_fd).
void jseg_name(char out[JOURNAL_SEG_NAME_MAX], uint64_t first_seq);
// Lists, checks and recovers the segments into j->segs, opens the last
// one for appending (creating a first segment in an empty journal).
int jseg_recover(struct journal *j, char *err, size_t errlen);
// Creates segment first_seq, makes it durable, appends it to j->segs and
// makes it the active one. Called with j->mu held.
int jseg_create(struct journal *j, uint64_t first_seq);
// Checks one frame header read at a file offset; returns the payload
// length or -EBADMSG.
int64_t jseg_frame_len(const uint8_t hdr[JOURNAL_FRAME_HDR_LEN], uint64_t want_seq);
// Whether a frame's CRC matches.
bool jseg_frame_ok(const uint8_t *frame, uint32_t len);
void jseg_frame_seal(uint8_t *frame, uint32_t len);
// Fills in errno-style failure messages for the operator.
void journal_log(struct journal *j, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

int64_t journal_now_ns(void);
uint32_t journal_crc32c_sw(uint32_t crc, const void *p, size_t n);

// The lowest sequence number some reader still needs (UINT64_MAX: none).
uint64_t journal_min_hold(const struct journal *j);

#endif
