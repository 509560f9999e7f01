/* SPDX-License-Identifier: BSD-3-Clause */
// The control socket's I/O: listener and clients in one poll() set, all
// non-blocking. Each client has a bounded input line and a bounded output
// queue; every fault (oversized line, bad peer, stall, hang-up) closes that
// client only.
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "ctl_io.h"
#include "ctl_server.h"

struct ctl_client {
	int fd;
	bool closing;	 // send what is queued, then close
	int64_t last_ms; // last activity, for the idle timeout
	size_t in_len;
	char in[CTL_REQUEST_MAX + 1];
	char *out;
	size_t out_len, out_off;
};

struct ctl_server {
	struct ctl_server_cfg cfg;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int fd;
	struct ctl_client **clients; // max_clients slots
	struct pollfd *pfd;	     // listener + one per slot
	struct ctl_server_stats stats;
};

static int set_addr(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	strcpy(sa->sun_path, path);
	return 0;
}

// What is at path: 0 nothing (or a stale socket, removed), else a negative
// errno saying why we must not take it.
static int clear_path(const char *path, char *err, size_t errlen)
{
	struct stat st;
	struct sockaddr_un sa;
	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "%s exists and is not a socket: refusing to replace it",
			 path);
		return -EEXIST;
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	set_addr(&sa, path);
	int live = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	close(fd);
	if (live) {
		snprintf(err, errlen, "%s: another server is listening there", path);
		return -EADDRINUSE;
	}
	return unlink(path) == 0 || errno == ENOENT ? 0 : -errno;
}

// Bind in a fresh 0700 directory next to path, set mode and group there,
// then rename into place: nobody ever sees the socket with the umask's mode.
static int bind_private(struct ctl_server *s, char *err, size_t errlen)
{
	char dir[PATH_MAX], tmp[PATH_MAX];
	struct sockaddr_un sa;
	const char *slash = strrchr(s->path, '/');
	int rc;
	if (snprintf(dir, sizeof(dir), "%.*s/.ctl-XXXXXX", slash ? (int)(slash - s->path) : 1,
		     slash ? s->path : ".") >= (int)sizeof(dir) ||
	    !mkdtemp(dir))
		return -errno;
	if (snprintf(tmp, sizeof(tmp), "%s/s", dir) >= (int)sizeof(tmp) ||
	    (rc = set_addr(&sa, tmp)) != 0) {
		rc = -ENAMETOOLONG;
		snprintf(err, errlen, "%s: socket path too long for the staging name", s->path);
		goto out;
	}
	if (bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || chmod(tmp, s->cfg.mode) != 0 ||
	    (s->cfg.group != (gid_t)-1 && chown(tmp, (uid_t)-1, s->cfg.group) != 0) ||
	    rename(tmp, s->path) != 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", s->path, strerror(errno));
	}
	unlink(tmp);
out:
	rmdir(dir);
	return rc;
}

void ctl_server_free(struct ctl_server *s)
{
	if (!s)
		return;
	for (unsigned i = 0; s->clients && i < s->cfg.max_clients; i++) {
		if (!s->clients[i])
			continue;
		close(s->clients[i]->fd);
		free(s->clients[i]->out);
		free(s->clients[i]);
	}
	if (s->fd >= 0) {
		close(s->fd);
		unlink(s->path);
	}
	free(s->clients);
	free(s->pfd);
	free(s);
}

struct ctl_server *ctl_server_new(const struct ctl_server_cfg *cfg, char *err, size_t errlen)
{
	struct ctl_server *s = calloc(1, sizeof(*s));
	int rc = -ENOMEM;
	err[0] = '\0';
	if (!s)
		goto fail;
	s->fd = -1;
	s->cfg = *cfg;
	if (!s->cfg.mode)
		s->cfg.mode = 0660;
	if (!s->cfg.max_clients)
		s->cfg.max_clients = CTL_CLIENTS_DEFAULT;
	if (!s->cfg.idle_ms)
		s->cfg.idle_ms = CTL_IDLE_MS_DEFAULT;
	if (s->cfg.mode & ~0777u || s->cfg.mode & 0002) {
		snprintf(err, errlen, "mode %04o: the control socket must not be world-writable",
			 (unsigned)s->cfg.mode);
		rc = -EINVAL;
		goto fail;
	}
	if (!cfg->path || strlen(cfg->path) >= sizeof(s->path)) {
		snprintf(err, errlen, "socket path missing or too long");
		rc = -ENAMETOOLONG;
		goto fail;
	}
	strcpy(s->path, cfg->path);
	s->cfg.path = s->path;
	s->clients = calloc(s->cfg.max_clients, sizeof(*s->clients));
	s->pfd = calloc(s->cfg.max_clients + 1, sizeof(*s->pfd));
	if (!s->clients || !s->pfd)
		goto fail;
	if ((rc = clear_path(s->path, err, errlen)) != 0)
		goto fail;
	s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		rc = -errno;
		goto fail;
	}
	if ((rc = bind_private(s, err, errlen)) != 0) {
		close(s->fd);
		s->fd = -1;
		goto fail;
	}
	if (listen(s->fd, 64) != 0) {
		rc = -errno;
		goto fail;
	}
	return s;
fail:
	if (!err[0])
		snprintf(err, errlen, "%s: %s", cfg->path ? cfg->path : "control socket",
			 strerror(-rc));
	ctl_server_free(s);
	errno = -rc;
	return NULL;
}

void ctl_server_get_stats(const struct ctl_server *s, struct ctl_server_stats *out)
{
	*out = s->stats;
}

static void client_close(struct ctl_server *s, unsigned slot)
{
	struct ctl_client *c = s->clients[slot];
	close(c->fd);
	free(c->out);
	OPENSSL_cleanse(c->in, c->in_len); // a request cut short may hold a password
	free(c);
	s->clients[slot] = NULL;
	s->stats.clients--;
}

// Queue text for the client; over CTL_REPLY_MAX the client is not reading
// and is dropped.
static int client_queue(struct ctl_client *c, const char *text)
{
	size_t n = strlen(text);
	if (c->out_off == c->out_len)
		c->out_off = c->out_len = 0;
	if (c->out_len + n > CTL_REPLY_MAX)
		return -ENOBUFS;
	char *p = realloc(c->out, c->out_len + n);
	if (!p)
		return -ENOMEM;
	memcpy(p + c->out_len, text, n);
	c->out = p;
	c->out_len += n;
	return 0;
}

static void client_error(struct ctl_server *s, struct ctl_client *c, const char *msg)
{
	char line[256];
	snprintf(line, sizeof(line), "{\"v\":%d,\"ok\":false,\"error\":\"%s\"}\n",
		 CTL_PROTO_VERSION, msg);
	s->stats.errors++;
	client_queue(c, line);
	c->closing = true;
}

static void accept_one(struct ctl_server *s)
{
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	int fd = accept4(s->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	unsigned slot = 0;
	while (slot < s->cfg.max_clients && s->clients[slot])
		slot++;
	const char *refuse = NULL;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) != 0 ||
	    !ctl_server_peer_allowed(&s->cfg, cred.uid, cred.gid)) {
		s->stats.refused_creds++;
		refuse = "permission denied";
	} else if (slot == s->cfg.max_clients) {
		s->stats.refused_full++;
		refuse = "too many clients";
	}
	if (refuse) {
		// best effort: a new socket's buffer takes a short line
		char line[128];
		int n = snprintf(line, sizeof(line), "{\"v\":%d,\"ok\":false,\"error\":\"%s\"}\n",
				 CTL_PROTO_VERSION, refuse);
		(void)!send(fd, line, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT);
		s->stats.errors++;
		close(fd);
		return;
	}
	struct ctl_client *c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	c->fd = fd;
	c->last_ms = ctl_now_ms();
	s->clients[slot] = c;
	s->stats.accepted++;
	s->stats.clients++;
}

size_t ctl_server_take_lines(char *buf, size_t *len,
			     bool (*fn)(void *arg, const char *line, size_t line_len), void *arg)
{
	char *start = buf, *nl;
	size_t n = 0;
	bool more = true;
	while (more && (nl = memchr(start, '\n', *len - (size_t)(start - buf)))) {
		size_t ll = (size_t)(nl - start);
		if (ll && start[ll - 1] == '\r')
			ll--;
		if (ll) {
			more = fn(arg, start, ll);
			n++;
		}
		OPENSSL_cleanse(start, (size_t)(nl + 1 - start));
		start = nl + 1;
	}
	size_t used = (size_t)(start - buf), old = *len;
	*len -= used;
	memmove(buf, start, *len);
	if (used)
		OPENSSL_cleanse(buf + *len, old - *len);
	return n;
}

struct line_ctx {
	struct ctl_server *s;
	struct ctl_client *c;
};

static bool client_line(void *arg, const char *line, size_t len)
{
	struct line_ctx *x = arg;
	bool is_err;
	char *reply = ctl_server_handle_line(&x->s->cfg, line, len, &is_err);
	x->s->stats.requests++;
	x->s->stats.errors += is_err;
	if (!reply || client_queue(x->c, reply) != 0)
		x->c->closing = true;
	free(reply);
	return !x->c->closing;
}

// Answer every complete line in the input buffer.
static void client_lines(struct ctl_server *s, struct ctl_client *c)
{
	struct line_ctx x = {s, c};
	if (!c->closing)
		ctl_server_take_lines(c->in, &c->in_len, client_line, &x);
	if (!c->closing && c->in_len > CTL_REQUEST_MAX) {
		s->stats.oversized++;
		client_error(s, c, "request larger than 65536 octets");
	}
}

// Returns false when the client is to be closed now.
static bool client_read(struct ctl_server *s, struct ctl_client *c)
{
	for (;;) {
		size_t room = sizeof(c->in) - c->in_len;
		ssize_t n = recv(c->fd, c->in + c->in_len, room, 0);
		if (n == 0)
			return false; // hung up, perhaps mid-request: nothing to answer
		if (n < 0)
			return errno == EAGAIN || errno == EINTR;
		c->in_len += (size_t)n;
		c->last_ms = ctl_now_ms();
		client_lines(s, c);
		if (c->closing)
			return true;
	}
}

static bool client_write(struct ctl_client *c)
{
	int rc = ctl_send_pending(c->fd, c->out, c->out_len, &c->out_off);
	if (rc <= 0)
		return rc == 0;
	return !c->closing;
}

int ctl_server_poll(struct ctl_server *s, int timeout_ms)
{
	unsigned n = s->cfg.max_clients;
	s->pfd[0] = (struct pollfd){.fd = s->fd, .events = POLLIN};
	for (unsigned i = 0; i < n; i++) {
		struct ctl_client *c = s->clients[i];
		s->pfd[i + 1] = (struct pollfd){.fd = -1};
		if (!c)
			continue;
		s->pfd[i + 1].fd = c->fd;
		s->pfd[i + 1].events =
			(c->closing ? 0 : POLLIN) | (c->out_off < c->out_len ? POLLOUT : 0);
	}
	if (poll(s->pfd, n + 1, timeout_ms) < 0)
		return errno == EINTR ? 0 : -errno;
	int64_t now = ctl_now_ms();
	for (unsigned i = 0; i < n; i++) {
		struct ctl_client *c = s->clients[i];
		short re = s->pfd[i + 1].revents;
		if (!c)
			continue;
		bool keep = true;
		if (re & POLLIN)
			keep = client_read(s, c);
		else if (re & (POLLHUP | POLLERR | POLLNVAL))
			keep = false;
		if (keep && c->out_off < c->out_len)
			keep = client_write(c);
		if (keep && c->closing && c->out_off == c->out_len)
			keep = false;
		if (keep && now - c->last_ms > s->cfg.idle_ms) {
			s->stats.timeouts++;
			keep = false;
		}
		if (!keep)
			client_close(s, i);
	}
	if (s->pfd[0].revents & POLLIN)
		for (int k = 0; k < 16; k++) // bounded: clients get their turn
			accept_one(s);
	return 0;
}

int ctl_server_run(struct ctl_server *s, const volatile bool *stop)
{
	while (!*stop) {
		int rc = ctl_server_poll(s, 100);
		if (rc)
			return rc;
	}
	return 0;
}

size_t ctl_wipe_block(void *p)
{
	size_t n = p ? malloc_usable_size(p) : 0;
	if (n)
		OPENSSL_cleanse(p, n);
	return n;
}

void ctl_free_wiped(void *p)
{
	ctl_wipe_block(p);
	free(p);
}

void ctl_json_wipe_on_free(void)
{
	json_set_alloc_funcs(malloc, ctl_free_wiped);
}
