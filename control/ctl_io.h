/* SPDX-License-Identifier: BSD-3-Clause */
// What the control plane's non-blocking socket servers (ctl_server.c,
// metrics_http.c) share.
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

#endif
