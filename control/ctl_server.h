/* SPDX-License-Identifier: BSD-3-Clause */
// The control socket: a Unix stream socket speaking one JSON object per
// line, versioned:
//
//   → {"v":1,"cmd":"status"}              (optional "id", echoed back)
//   ← {"v":1,"ok":true, ...handler fields}
//   ← {"v":1,"ok":false,"error":"..."}
//
// Commands come from a table the daemon registers (status, stats, zone
// reload, ...), so this file knows no command but "help". Requests longer
// than CTL_REQUEST_MAX, malformed JSON, unknown commands and failing
// handlers get an error object; a client that floods, stalls or hangs up
// costs at most its own connection. Peers are checked by SO_PEERCRED
// against an allowed set of uids and gids (root always allowed).
//
// Threading: one thread (the control thread) owns a server and calls
// everything on it; handlers run in that thread. No DPDK.
#ifndef LINERATE_CTL_SERVER_H
#define LINERATE_CTL_SERVER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CTL_PROTO_VERSION   1
#define CTL_REQUEST_MAX	    (64u * 1024) // octets in one request line, newline excluded
#define CTL_REPLY_MAX	    (16u << 20)	 // queued output per client before it is dropped
#define CTL_CLIENTS_DEFAULT 16
#define CTL_IDLE_MS_DEFAULT 30000 // a silent client is closed after this
#define CTL_ALLOWED_MAX	    16

// A command handler. req is the whole request object (arguments are its
// other members); add reply members to reply. Return 0, or a negative errno
// after writing a message for the operator into err.
struct ctl_command {
	const char *name;
	const char *help;
	int (*fn)(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen);
};

struct ctl_server_cfg {
	const char *path;
	mode_t mode; // of the socket file; 0: 0660
	gid_t group; // group of the socket file; (gid_t)-1: ours
	// who may talk to us besides root; both empty: our euid and the group
	uid_t allow_uids[CTL_ALLOWED_MAX];
	size_t n_allow_uids;
	gid_t allow_gids[CTL_ALLOWED_MAX];
	size_t n_allow_gids;
	unsigned max_clients; // 0: CTL_CLIENTS_DEFAULT
	int idle_ms;	      // 0: CTL_IDLE_MS_DEFAULT
	const struct ctl_command *commands;
	size_t n_commands;
	void *ctx; // passed to every handler
};

struct ctl_server_stats {
	uint64_t accepted;
	uint64_t refused_creds; // peers not in the allowed set
	uint64_t refused_full;	// over max_clients
	uint64_t requests;
	uint64_t errors; // error replies of any cause
	uint64_t oversized;
	uint64_t timeouts;
	unsigned clients; // connected now
};

struct ctl_server;

// Create the socket: refuse when path exists and is not a socket, or when a
// live server answers on it; replace a stale socket. The file appears under
// its final name already with its mode and group (bound in a private 0700
// directory, then renamed), whatever the umask. Returns NULL with errno set
// and a message in err.
struct ctl_server *ctl_server_new(const struct ctl_server_cfg *cfg, char *err, size_t errlen);

// Wait up to timeout_ms for activity and serve it: accept, read, answer,
// write, close. Returns 0 or a negative errno (only for poll() itself).
int ctl_server_poll(struct ctl_server *s, int timeout_ms);

// Serve until *stop becomes true (checked at least every 100 ms).
int ctl_server_run(struct ctl_server *s, const volatile bool *stop);

void ctl_server_get_stats(const struct ctl_server *s, struct ctl_server_stats *out);

// Close every connection and the socket, unlink it. NULL is a no-op.
void ctl_server_free(struct ctl_server *s);

// Whether a peer with these credentials may use the socket: root, or a uid
// or gid in the sets (with the defaults of struct ctl_server_cfg applied).
bool ctl_server_peer_allowed(const struct ctl_server_cfg *cfg, uid_t uid, gid_t gid);

// Handle one request line and return the reply line (newline included; the
// caller frees). For the server and for tests; never NULL except on ENOMEM.
char *ctl_server_handle_line(const struct ctl_server_cfg *cfg, const char *line, size_t len,
			     bool *is_error);

// The complete lines of buf[0..*len) (a client's input): fn(arg, line,
// line_len) for each non-empty one (its "\n" or "\r\n" dropped) until fn
// returns false; each handled line is then wiped, as are the octets the
// rest leaves behind when it moves to the front (*len updated), so a
// password in a request does not outlive its handling in the buffer.
// Returns the lines handed to fn.
size_t ctl_server_take_lines(char *buf, size_t *len,
			     bool (*fn)(void *arg, const char *line, size_t line_len), void *arg);

// Make jansson wipe every block it frees (passwords in requests, and every
// other string) before freeing it: json_set_alloc_funcs with malloc and
// ctl_free_wiped. Call first thing in main, before any jansson call (a
// block allocated before is freed with the new free: harmless, both are
// malloc's). Blocks jansson hands out (json_dumps) may still be given to
// free(); they are then not wiped.
void ctl_json_wipe_on_free(void);
// Wipe p's whole block (malloc's: malloc_usable_size octets); the octets
// wiped (0 for NULL).
size_t ctl_wipe_block(void *p);
// ctl_wipe_block, then free. NULL: nothing.
void ctl_free_wiped(void *p);

#endif
