/* SPDX-License-Identifier: BSD-3-Clause */
#include "ctl_client.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "ctl_server.h"

int ctl_client_connect(const char *path, int timeout_ms)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};
	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) != 0 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		int rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

long ctl_client_read_line(int fd, char **line, size_t max)
{
	size_t len = 0, cap = 256;
	char *buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	// a byte at a time: the reply is small and the next line stays unread
	for (;;) {
		char ch;
		ssize_t n = recv(fd, &ch, 1, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int rc = n == 0 ? -ECONNRESET : -errno;
			free(buf);
			return rc;
		}
		if (ch == '\n')
			break;
		if (len == max) {
			free(buf);
			return -EMSGSIZE;
		}
		if (len + 1 >= cap) {
			char *p = realloc(buf, cap *= 2);
			if (!p) {
				free(buf);
				return -ENOMEM;
			}
			buf = p;
		}
		buf[len++] = ch;
	}
	buf[len] = '\0';
	*line = buf;
	return (long)len;
}

int ctl_client_call(int fd, const json_t *req, json_t **reply, char *err, size_t errlen)
{
	char *text = json_dumps(req, JSON_COMPACT);
	char *line = NULL;
	json_error_t jerr;
	if (!text) {
		snprintf(err, errlen, "cannot encode the request");
		return -ENOMEM;
	}
	size_t n = strlen(text), off = 0;
	int send_rc = 0;
	text[n++] = '\n'; // json_dumps leaves the NUL's room
	while (off < n && !send_rc) {
		ssize_t w = send(fd, text + off, n - off, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			send_rc = -errno;
		else
			off += (size_t)w;
	}
	OPENSSL_cleanse(text, n); // `usm user add` carries passwords
	free(text);
	// a server that refuses a peer says why and hangs up before reading:
	// its error line may wait for us even though the send failed
	long len = ctl_client_read_line(fd, &line, CTL_REPLY_MAX);
	if (len < 0 && send_rc) {
		snprintf(err, errlen, "send: %s", strerror(-send_rc));
		return send_rc;
	}
	if (len < 0) {
		snprintf(err, errlen, "no reply: %s",
			 len == -EAGAIN ? "timed out" : strerror((int)-len));
		return (int)len;
	}
	*reply = json_loadb(line, (size_t)len, 0, &jerr);
	free(line);
	if (!json_is_object(*reply)) {
		json_decref(*reply);
		*reply = NULL;
		snprintf(err, errlen, "the reply is not a JSON object");
		return -EPROTO;
	}
	return 0;
}
