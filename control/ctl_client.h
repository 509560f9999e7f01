/* SPDX-License-Identifier: BSD-3-Clause */
// The client side of the control socket, for linerate-ctl and tests:
// connect, send one request line, read one reply line.
#ifndef LINERATE_CTL_CLIENT_H
#define LINERATE_CTL_CLIENT_H

#include <jansson.h>
#include <stddef.h>

// Connect to the socket at path with a receive/send timeout. Returns the
// fd or a negative errno.
int ctl_client_connect(const char *path, int timeout_ms);

// Send req (one JSON object, without newline) and read the reply object
// into *reply (caller decrefs). Returns 0, or a negative errno with a
// message in err (EPROTO: the reply was not a JSON object).
int ctl_client_call(int fd, const json_t *req, json_t **reply, char *err, size_t errlen);

// Read one line (newline stripped) of at most max octets into a new buffer
// (caller frees). Returns its length or a negative errno (0-length EOF:
// -ECONNRESET).
long ctl_client_read_line(int fd, char **line, size_t max);

#endif
