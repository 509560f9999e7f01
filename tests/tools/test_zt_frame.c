/* SPDX-License-Identifier: BSD-3-Clause */
// linerate-zone's batch framing: round trips, and every way an input
// stream can be malformed.
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zt_frame.h"

static FILE *input(const void *bytes, size_t n)
{
	// fmemopen of a zero-length buffer is not portable; an empty stream
	// is a temporary file instead.
	FILE *f = n ? fmemopen((void *)bytes, n, "rb") : tmpfile();
	cr_assert_not_null(f);
	return f;
}

Test(zt_frame, round_trips_frames_and_ends_cleanly_between_them)
{
	char *data = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&data, &size);
	cr_assert_eq(zt_frame_write(out, (const uint8_t *)"abc", 3), 0);
	cr_assert_eq(zt_frame_write(out, NULL, 0), 0);
	cr_assert_eq(zt_frame_write(out, (const uint8_t *)"z", 1), 0);
	fclose(out);
	cr_assert_eq(size, 2 + 3 + 2 + 2 + 1);
	cr_assert_arr_eq(data, "\0\3abc\0\0\0\1z", size);

	FILE *in = input(data, size);
	uint8_t buf[8];
	size_t len;
	cr_assert_eq(zt_frame_read(in, buf, sizeof(buf), sizeof(buf), &len), 1);
	cr_assert_eq(len, 3);
	cr_assert_arr_eq(buf, "abc", 3);
	cr_assert_eq(zt_frame_read(in, buf, sizeof(buf), sizeof(buf), &len), 1);
	cr_assert_eq(len, 0);
	cr_assert_eq(zt_frame_read(in, buf, sizeof(buf), sizeof(buf), &len), 1);
	cr_assert_eq(len, 1);
	cr_assert_eq(buf[0], 'z');
	cr_assert_eq(zt_frame_read(in, buf, sizeof(buf), sizeof(buf), &len), 0);
	fclose(in);
	free(data);
}

Test(zt_frame, empty_input_is_a_clean_end)
{
	FILE *in = input(NULL, 0);
	uint8_t buf[4];
	size_t len = 99;
	cr_assert_eq(zt_frame_read(in, buf, sizeof(buf), sizeof(buf), &len), 0);
	cr_assert_eq(len, 0);
	fclose(in);
}

Test(zt_frame, rejects_a_truncated_length_prefix)
{
	FILE *in = input("\0\1x\0", 4);
	uint8_t buf[4];
	size_t len;
	cr_assert_eq(zt_frame_read(in, buf, sizeof(buf), sizeof(buf), &len), 1);
	cr_assert_eq(zt_frame_read(in, buf, sizeof(buf), sizeof(buf), &len),
		     ZT_FRAME_ETRUNC_PREFIX);
	fclose(in);
}

Test(zt_frame, rejects_a_body_shorter_than_announced)
{
	FILE *in = input("\0\5abc", 5);
	uint8_t buf[8];
	size_t len;
	cr_assert_eq(zt_frame_read(in, buf, sizeof(buf), sizeof(buf), &len), ZT_FRAME_ETRUNC_BODY);
	cr_assert_eq(len, 5);
	fclose(in);
}

Test(zt_frame, rejects_a_length_over_the_limit_before_reading_it)
{
	// 0xffdc = 65500 is a UDP-sized query; 0xfffe is not.
	uint8_t buf[16];
	size_t len;
	FILE *in = input("\xff\xfe", 2);
	cr_assert_eq(zt_frame_read(in, buf, sizeof(buf), ZT_FRAME_UDP_MAX, &len), ZT_FRAME_ETOOBIG);
	cr_assert_eq(len, 0xfffe);
	fclose(in);
	// A frame within the limit but past the buffer is refused as well.
	in = input("\0\x11", 2);
	cr_assert_eq(zt_frame_read(in, buf, sizeof(buf), ZT_FRAME_UDP_MAX, &len), ZT_FRAME_ETOOBIG);
	fclose(in);
	// The limit itself is accepted.
	in = input("\0\x10"
		   "0123456789abcdef",
		   18);
	cr_assert_eq(zt_frame_read(in, buf, sizeof(buf), 16, &len), 1);
	cr_assert_eq(len, 16);
	fclose(in);
}

Test(zt_frame, refuses_to_write_more_than_a_prefix_can_say)
{
	static uint8_t big[ZT_FRAME_MAX + 1];
	FILE *out = tmpfile();
	cr_assert_eq(zt_frame_write(out, big, sizeof(big)), ZT_FRAME_ETOOBIG);
	cr_assert_eq(ftell(out), 0);
	cr_assert_eq(zt_frame_write(out, big, ZT_FRAME_MAX), 0);
	cr_assert_eq(ftell(out), 2 + ZT_FRAME_MAX);
	fclose(out);
}

Test(zt_frame, names_every_error)
{
	cr_assert_str_eq(zt_frame_strerror(ZT_FRAME_ETRUNC_PREFIX),
			 "input ends inside a length prefix");
	cr_assert_str_eq(zt_frame_strerror(ZT_FRAME_EIO), "read or write error");
	cr_assert_str_eq(zt_frame_strerror(0), "unknown frame error");
	cr_assert_str_eq(zt_frame_strerror(ZT_FRAME_ELAST_), "unknown frame error");
}
