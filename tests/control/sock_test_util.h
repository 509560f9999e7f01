/* SPDX-License-Identifier: BSD-3-Clause */
// Socket helpers of the control-plane tests (Criterion asserts inside).
#ifndef SOCK_TEST_UTIL_H
#define SOCK_TEST_UTIL_H

#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

// Send all n octets or fail the test.
static inline void send_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
		cr_assert_gt(w, 0, "send: %s", strerror(errno));
		s += w;
		n -= (size_t)w;
	}
}

#endif
