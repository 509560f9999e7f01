/* SPDX-License-Identifier: BSD-3-Clause */
#include <criterion/criterion.h>

#include <linerate/wire.h>

Test(wire_cur, reads_big_endian_values_in_order)
{
	const uint8_t buf[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d};
	struct wire_cur c;
	wire_cur_init(&c, buf, sizeof(buf));
	cr_assert_eq(wire_read_u8(&c), 0x01);
	cr_assert_eq(wire_read_u16(&c), 0x0203);
	cr_assert_eq(wire_read_u32(&c), 0x04050607u);
	cr_assert_eq(wire_read_u48(&c), 0x08090a0b0c0dull);
	cr_assert_eq(c.err, WIRE_OK);
	cr_assert_eq(wire_cur_left(&c), 0);
}

Test(wire_cur, error_is_sticky_and_reads_return_zero)
{
	const uint8_t buf[] = {0xff, 0xff, 0xff};
	struct wire_cur c;
	wire_cur_init(&c, buf, sizeof(buf));
	cr_assert_eq(wire_read_u32(&c), 0);
	cr_assert_eq(c.err, WIRE_ETRUNC);
	// the cursor did not move and stays failed even for a read that would fit
	cr_assert_eq(wire_cur_offset(&c), 0);
	cr_assert_eq(wire_read_u8(&c), 0);
	cr_assert_eq(wire_cur_left(&c), 0);
	cr_assert_null(wire_read_view(&c, 1));
}

Test(wire_cur, view_and_skip_respect_the_end)
{
	const uint8_t buf[] = {1, 2, 3, 4};
	struct wire_cur c;
	wire_cur_init(&c, buf, sizeof(buf));
	const uint8_t *v = wire_read_view(&c, 2);
	cr_assert_eq(v, buf);
	wire_cur_skip(&c, 2);
	cr_assert_eq(c.err, WIRE_OK);
	wire_cur_skip(&c, 1);
	cr_assert_eq(c.err, WIRE_ETRUNC);
}

Test(wire_cur, seek_outside_is_an_error)
{
	const uint8_t buf[4] = {0};
	struct wire_cur c;
	wire_cur_init(&c, buf, sizeof(buf));
	wire_cur_seek(&c, 4);
	cr_assert_eq(c.err, WIRE_OK);
	wire_cur_seek(&c, 5);
	cr_assert_eq(c.err, WIRE_ERANGE);
}

Test(wire_wr, writes_until_full_then_fails_without_writing)
{
	uint8_t buf[5];
	memset(buf, 0xee, sizeof(buf));
	struct wire_wr w;
	wire_wr_init(&w, buf, 4);
	wire_write_u16(&w, 0x1234);
	wire_write_u8(&w, 0x56);
	wire_write_u16(&w, 0x789a); // needs 2, 1 left
	cr_assert_eq(w.err, WIRE_ENOSPACE);
	cr_assert_eq(wire_wr_len(&w), 3);
	cr_assert_eq(buf[3], 0xee);
	cr_assert_eq(buf[4], 0xee);
	const uint8_t want[] = {0x12, 0x34, 0x56};
	cr_assert_arr_eq(buf, want, 3);
}
