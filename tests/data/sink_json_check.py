#!/usr/bin/python3
"""Checks the file sink's JSON Lines with Python's own json parser.

  sink_json_check.py fields FILE   the four records test_sink_file writes,
                                   every member compared exactly
  sink_json_check.py seqs N FILE.. the files, in the order given, hold
                                   records 1..N, each once, in order

Exit status 0 when everything matches; a message and 1 otherwise. The
expected values are written here from the test's inputs (RFC 3339 time,
dotted OIDs, hex for what is not printable UTF-8), not from our output.
"""
import json
import sys

MIB = "1.3.6.1.4.1.99"


def vb(i, typ, value, name=None, **extra):
    d = {"oid": f"{MIB}.{i}", "name": name or f"testMib.{i}", "type": typ, "value": value}
    d.update(extra)
    return d


V2C = {
    "seq": 1, "time": "2026-05-01T12:34:56.123456Z",
    "src": "192.0.2.10", "src_port": 40001, "dst": "192.0.2.1", "dst_port": 162,
    "version": "v2c", "community": "public", "request_id": 77, "pdu": "trap",
    "trap_oid": "1.3.6.1.6.3.1.1.5.3", "trap_name": "linkDown",
    "uptime": {"ticks": 8640123, "duration": "1d 00:00:01.23"},
    "varbinds": [
        vb(0, "integer", -123456),
        vb(1, "octet-string", "port ge-0/0/1 down"),
        vb(2, "null", None),
        vb(3, "oid", "1.3.6.1.6.3.1.1.5.3", value_name="linkDown"),
        vb(4, "ipaddress", "192.0.2.77"),
        vb(5, "counter32", 4294967295, name='odd"name\\'),
        vb(6, "gauge32", 128),
        vb(7, "timeticks", 8640000, duration="1d 00:00:00.00"),
        vb(8, "opaque", "9f780441200000", encoding="hex"),
        vb(9, "nsapaddress", "470005800005", encoding="hex"),
        vb(10, "counter64", 18446744073709551614),
        vb(11, "uinteger32", 4294967295),
        vb(12, "no-such-object", "noSuchObject"),
        vb(13, "no-such-instance", "noSuchInstance"),
        vb(14, "end-of-mib-view", "endOfMibView"),
    ],
}

V1 = {
    "seq": 2, "time": "2026-05-01T12:34:57.000001Z",
    "src": "198.51.100.9", "src_port": 1025, "dst": "192.0.2.1", "dst_port": 162,
    "version": "v1", "community": "private", "pdu": "trapv1",
    "trap_oid": "1.3.6.1.4.1.8072.3.2.10.0.17", "trap_name": "netSnmpLinux.0.17",
    "uptime": {"ticks": 4242, "duration": "0d 00:00:42.42"},
    "enterprise": "1.3.6.1.4.1.8072.3.2.10", "enterprise_name": "netSnmpLinux",
    "agent_address": "198.51.100.9", "generic_trap": 6, "specific_trap": 17,
    "varbinds": [vb(0, "integer", -123456)],
}

V3 = {
    "seq": 3, "time": "1970-01-01T00:00:00.000000Z",
    "src": "2001:db8::10", "src_port": 1024, "dst": "2001:db8::1", "dst_port": 162,
    "version": "v3", "user": "opsuser", "security_level": "authPriv",
    "context_engine_id": "80001f88046c72", "context_name": "edge-7",
    "request_id": 9001, "pdu": "inform",
    "trap_oid": f"{MIB}.1.2", "trap_name": "testMib.1.2",
    "uptime": {"ticks": 55, "duration": "0d 00:00:00.55"},
    "varbinds": [vb(1, "octet-string", "port ge-0/0/1 down")],
}


def text(s):
    return vb(7, "octet-string", s)


def hexed(b):
    return vb(7, "octet-string", b.hex(), encoding="hex")


ESCAPES = {
    "seq": 4, "time": "2026-05-01T12:34:56.123456Z",
    "src": "192.0.2.10", "src_port": 40001, "dst": "192.0.2.1", "dst_port": 162,
    "version": "v2c", "community_hex": "00707562", "request_id": 4, "pdu": "trap",
    "varbinds": [
        text('say "hi" \\ back\nslash\ttab \u00e9 \u20ac'),
        hexed(b"\x01abc"),
        hexed(b"\xff\xfe"),
        hexed(b"\xc0\x80"),          # overlong NUL
        hexed(b"\xed\xa0\x80"),      # a UTF-16 surrogate
        text(""),
        hexed(b"\xc2\x85"),          # C1 control NEL
        text("\U0001f600"),
        hexed(b"\xf4\x90\x80\x80"),  # above U+10FFFF
    ],
}


def fail(msg):
    print(f"sink_json_check: {msg}", file=sys.stderr)
    sys.exit(1)


def lines(paths):
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.endswith("\n"):
                    fail(f"{path}:{n}: no newline at the end of the line")
                try:
                    yield json.loads(line)
                except ValueError as e:
                    fail(f"{path}:{n}: not JSON: {e}")


def main():
    if sys.argv[1] == "fields":
        got = list(lines(sys.argv[2:]))
        want = [V2C, V1, V3, ESCAPES]
        if len(got) != len(want):
            fail(f"{len(got)} records, want {len(want)}")
        for g, w in zip(got, want):
            if g != w:
                for k in sorted(set(g) | set(w)):
                    if g.get(k) != w.get(k):
                        fail(f"record {w['seq']}: {k}: got {g.get(k)!r}, want {w.get(k)!r}")
        print(f"sink_json_check: {len(got)} records match")
    elif sys.argv[1] == "seqs":
        n = int(sys.argv[2])
        seqs = [o["seq"] for o in lines(sys.argv[3:])]
        if seqs != list(range(1, n + 1)):
            fail(f"seqs {seqs[:5]}...{seqs[-5:]} ({len(seqs)}), want 1..{n}")
        print(f"sink_json_check: records 1..{n} in order")
    elif sys.argv[1] == "lines":
        n = len(list(lines(sys.argv[2:])))
        print(f"sink_json_check: {n} lines, each one JSON")
    else:
        fail("usage: sink_json_check.py fields FILE | seqs N FILE... | lines FILE...")


main()
