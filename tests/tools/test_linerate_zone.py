#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""linerate-zone as a command: exit status and messages of check and
compile, the batch framing of answer with good and malformed input, and
query's text and wire output.

    test_linerate_zone.py build/tools/linerate-zone
"""

import os
import struct
import subprocess
import sys
import tempfile
import unittest

TOOL = None
TIMEOUT = 60

GOOD_ZONE = """$ORIGIN example.com.
$TTL 3600
@	SOA	ns1 hostmaster 1 7200 3600 1209600 300
	NS	ns1
ns1	A	192.0.2.1
www	A	192.0.2.10
"""

# A warning on line 4 (data outside the zone), then a bad address on line
# 5, column 6 (the rdata), which ends the reading.
BAD_ZONE = """$ORIGIN bad.example.
$TTL 3600
@	SOA	ns hm 1 2 3 4 5
out.example.org. A 192.0.2.1
ns	A	192.0.2.300
"""

# www.example.com. A, id 0x1234, RD; no EDNS.
QUERY = bytes.fromhex('12340100000100000000000003777777076578616d706c6503636f6d0000010001')


def run(args, data=b''):
    return subprocess.run([TOOL] + args, input=data, capture_output=True, timeout=TIMEOUT)


def frames(*msgs):
    return b''.join(struct.pack('!H', len(m)) + m for m in msgs)


def unframe(data):
    out, pos = [], 0
    while pos < len(data):
        n = struct.unpack('!H', data[pos:pos + 2])[0]
        out.append(data[pos + 2:pos + 2 + n])
        pos += 2 + n
    return out


class LinerateZone(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.good = os.path.join(self.dir.name, 'example.com.zone')
        self.bad = os.path.join(self.dir.name, 'bad.zone')
        with open(self.good, 'w') as f:
            f.write(GOOD_ZONE)
        with open(self.bad, 'w') as f:
            f.write(BAD_ZONE)

    def tearDown(self):
        self.dir.cleanup()

    def test_check_passes_a_good_zone_named_by_its_file(self):
        r = run(['check', self.good])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(b'zone example.com.: 4 records', r.stdout)

    def test_check_names_file_line_and_column_and_fails(self):
        r = run(['check', 'bad.example.=' + self.bad, self.good])
        self.assertEqual(r.returncode, 1)
        err = r.stderr.decode()
        self.assertIn(self.bad + ':4:1: warning: ', err)
        self.assertIn(self.bad + ':5:6: ', err)
        self.assertIn('zone bad.example. rejected', err)
        # the good zone is still checked and reported
        self.assertIn(b'zone example.com.', r.stdout)

    def test_check_reports_a_missing_file(self):
        missing = os.path.join(self.dir.name, 'none.zone')
        r = run(['check', missing])
        self.assertEqual(r.returncode, 1)
        self.assertIn(missing + ': No such file or directory', r.stderr.decode())

    def test_compile_writes_an_image(self):
        out = os.path.join(self.dir.name, 'z.img')
        r = run(['compile', '-o', out, self.good])
        self.assertEqual(r.returncode, 0, r.stderr)
        size = os.path.getsize(out)
        self.assertEqual(r.stdout.decode().strip(),
                         '%s: 1 zones, 4 records, %d bytes' % (out, size))
        with open(out, 'rb') as f:
            self.assertEqual(f.read(4), b'LRZI')

    def test_compile_refuses_a_bad_zone_and_writes_nothing(self):
        out = os.path.join(self.dir.name, 'z.img')
        r = run(['compile', '-o', out, self.good, 'bad.example.=' + self.bad])
        self.assertEqual(r.returncode, 1)
        self.assertFalse(os.path.exists(out))

    def test_usage_errors_exit_2(self):
        for args in ([], ['frob'], ['query', self.good], ['check']):
            r = run(args)
            self.assertEqual(r.returncode, 2, args)
            self.assertIn(b'usage: linerate-zone', r.stderr)

    def test_answer_writes_one_frame_per_query(self):
        qr_set = bytearray(QUERY)
        qr_set[2] |= 0x80
        r = run(['answer', self.good], frames(QUERY, b'', bytes(qr_set), QUERY))
        self.assertEqual(r.returncode, 0, r.stderr)
        out = unframe(r.stdout)
        self.assertEqual(len(out), 4)
        self.assertEqual(out[0][:2], b'\x12\x34')
        self.assertEqual(out[0][3] & 0x0f, 0)           # NOERROR
        self.assertTrue(out[0].endswith(bytes([192, 0, 2, 10])))
        self.assertEqual(out[1], b'')                     # shorter than a header: none
        self.assertEqual(out[2], b'')                     # a response: never answered
        self.assertEqual(out[3], out[0])

    def test_burst_answers_as_one_at_a_time(self):
        # 70 queries: two full bursts and a part, with every kind of frame.
        queries = []
        for i in range(70):
            q = bytearray(QUERY)
            q[0:2] = struct.pack('!H', i)
            if i % 7 == 3:
                q[2] |= 0x80                              # a response: dropped
            if i % 11 == 5:
                q = q[:9]                                 # short: dropped
            if i % 5 == 1:
                q[-3] = 0x1c                              # AAAA: NODATA
            queries.append(bytes(q))
        one = run(['answer', self.good], frames(*queries))
        burst = run(['answer', '--burst', self.good], frames(*queries))
        self.assertEqual(one.returncode, 0, one.stderr)
        self.assertEqual(burst.returncode, 0, burst.stderr)
        self.assertEqual(len(unframe(one.stdout)), 70)
        self.assertEqual(burst.stdout, one.stdout)
        # A framing error inside a burst: the frames before it are answered.
        r = run(['answer', '--burst', self.good], frames(*queries[:40]) + b'\x01')
        self.assertEqual(r.returncode, 1)
        self.assertIn(b'frame 41: input ends inside a length prefix', r.stderr)
        self.assertEqual(r.stdout, frames(*unframe(one.stdout)[:40]))

    def test_answer_without_zones_refuses(self):
        r = run(['answer'], frames(QUERY))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(unframe(r.stdout)[0][3] & 0x0f, 5)  # REFUSED

    def test_answer_stops_at_a_truncated_length_prefix(self):
        r = run(['answer', self.good], frames(QUERY) + b'\x00')
        self.assertEqual(r.returncode, 1)
        self.assertIn(b'frame 2: input ends inside a length prefix', r.stderr)
        self.assertEqual(len(unframe(r.stdout)), 1)       # the first was answered

    def test_answer_stops_at_a_short_body(self):
        r = run(['answer', self.good], struct.pack('!H', 40) + QUERY[:20])
        self.assertEqual(r.returncode, 1)
        self.assertIn(b'frame 1: input ends before the length the prefix announced (40 octets)',
                      r.stderr)

    def test_answer_refuses_a_frame_no_udp_datagram_carries(self):
        big = struct.pack('!H', 65508) + bytes(65508)
        r = run(['answer', self.good], big)
        self.assertEqual(r.returncode, 1)
        self.assertIn(b'frame 1: frame longer than the limit (65508 octets, at most 65507',
                      r.stderr)
        # over TCP the same length is a query like any other (FORMERR here)
        r = run(['answer', '--tcp', self.good], big)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(unframe(r.stdout)[0][3] & 0x0f, 1)

    def test_query_prints_text_and_wire(self):
        r = run(['query', self.good, '--', 'WWW.example.com', 'A', '+noedns', '+id=4660'])
        self.assertEqual(r.returncode, 0, r.stderr)
        text = r.stdout.decode()
        self.assertIn(';; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 4660\n', text)
        self.assertIn(';; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 0\n',
                      text)
        self.assertIn('WWW.example.com.\t3600\tIN\tA\t192.0.2.10\n', text)
        r = run(['query', '--wire', self.good, '--', 'www.example.com', 'A', '+noedns',
                 '+id=4660'])
        self.assertEqual(r.returncode, 0, r.stderr)
        b = run(['answer', self.good], frames(QUERY))
        self.assertEqual(r.stdout, unframe(b.stdout)[0])


if __name__ == '__main__':
    if len(sys.argv) < 2:
        sys.exit('usage: test_linerate_zone.py LINERATE_ZONE')
    TOOL = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
