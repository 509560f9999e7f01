/* SPDX-License-Identifier: BSD-3-Clause */
// What the control plane's non-blocking socket servers (ctl_server.c,
// metrics_http.c) share, and the atomic file write of its state files.
#ifndef LINERATE_CTL_IO_H
#define LINERATE_CTL_IO_H

#include <stddef.h>
#include <stdint.h>

// CLOCK_MONOTONIC in milliseconds, for idle timeouts and deadlines.
int64_t ctl_now_ms(void);

// Send buf[*off..len) without blocking or SIGPIPE, advancing *off. 1: all
// sent; 0: the socket is full, wait for POLLOUT; a negative errno: the peer
// is gone.
int ctl_send_pending(int fd, const char *buf, size_t len, size_t *off);

// Format a message into err[0..errlen) and return rc: the control plane's
// "return an errno and say why" in one line.
int ctl_errf(char *err, size_t errlen, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

// Write buf[0..len) to path whole: FILE.tmp (mode 0600), fsync, rename
// over path, fsync of the directory, so a crash leaves the old file or the
// new one, never half. 0, or a negative errno and a message.
int ctl_write_atomic(const char *path, const void *buf, size_t len, char *err, size_t errlen);

#endif
