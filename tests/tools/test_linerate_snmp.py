#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""linerate-snmp decode as a command, against the interop corpus
(tests/data/snmp_corpus): every JSON line's fields against MANIFEST.tsv
(what pysnmp decoded, what snmptrapd answered), a users file with wrong
passwords, captures that are truncated, cut by the snap length, not SNMP,
or of every link type the tool reads, traps fragmented (IPv4 and IPv6) in
order, out of order, with fragments missing, overlapping or repeated, and
its usage errors.

    test_linerate_snmp.py build/tools/linerate-snmp
"""

import json
import os
import struct
import subprocess
import sys
import tempfile
import unittest

import logging
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import IP, UDP, IPv6, IPv6ExtHdrFragment, Raw, fragment, fragment6, raw  # noqa: E402

TOOL = None
TIMEOUT = 120
HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "data", "snmp_corpus")
USERS = os.path.join(CORPUS, "users.yaml")
TRAPD_ENGINE = "80001f880474726170642d636f72707573"  # the informs' receiver: us
PCAPS = ["netsnmp-traps.pcap", "netsnmp-informs.pcap", "pysnmp-traps.pcap",
         "pysnmp-informs.pcap"]
USM_STATS = {"1.3.6.1.6.3.15.1.1.%d.0" % i: name for i, name in enumerate(
    ["unsupportedSecLevels", "notInTimeWindows", "unknownUserNames", "unknownEngineIDs",
     "wrongDigests", "decryptionErrors"], 1)}
# our type names → pyasn1's, which the manifest writes
KINDS = {"integer": "Integer", "octet-string": "OctetString", "oid": "ObjectIdentifier",
         "timeticks": "TimeTicks", "counter32": "Counter32", "gauge32": "Gauge32",
         "ipaddress": "IpAddress", "counter64": "Counter64"}
SNMP_TRAP_OID = "1.3.6.1.6.3.1.1.4.1.0"

LINKTYPE_NULL, LINKTYPE_ETHERNET, LINKTYPE_RAW, LINKTYPE_LOOP = 0, 1, 101, 108
LINKTYPE_LINUX_SLL, LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_LINUX_SLL2 = 113, 228, 229, 276


def run(args):
    return subprocess.run([TOOL] + args, capture_output=True, timeout=TIMEOUT)


def lines_of(r):
    return [json.loads(x) for x in r.stdout.decode().splitlines()]


def manifest():
    with open(os.path.join(CORPUS, "MANIFEST.tsv")) as f:
        rows = [line.rstrip("\n").split("\t") for line in f if not line.startswith("#")]
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def decode_corpus(pcap, users=USERS, extra=()):
    args = ["decode"] + (["--users", users] if users else []) + list(extra)
    if "informs" in pcap:
        args += ["--engine-id", TRAPD_ENGINE]
    return run(args + [os.path.join(CORPUS, pcap)])


def manifest_varbinds(o):
    """The JSON line's varbinds as the manifest writes pysnmp's reading."""
    out = []
    if o["pdu"] == "trap-v1":
        out.append("enterprise=%s;agent-addr=%s;generic=%d;specific=%d" % (
            o["enterprise"], o["agent_address"], o["generic_trap"], o["specific_trap"]))
    for v in o["varbinds"]:
        value = v["value"]
        if v.get("encoding") == "hex":
            value = "0x" + value
        out.append("%s=%s:%s" % (v["oid"], KINDS[v["type"]], value))
    return ";".join(out)


def expected_trap_oid(row):
    """snmpTrapOID.0 from the manifest: the varbind, or RFC 3584 §3.1."""
    for vb in row["varbinds"].split(";"):
        if vb.startswith(SNMP_TRAP_OID + "="):
            return vb.split(":", 1)[1]
    if row["pdu"] == "trap-v1":
        f = dict(kv.split("=", 1) for kv in row["varbinds"].split(";")[0:4])
        g = int(f["generic"])
        if g < 6:
            return "1.3.6.1.6.3.1.1.5.%d" % (g + 1)
        return "%s.0.%s" % (f["enterprise"], f["specific"])
    return None


def expected_outcome(rows, i):
    """What snmptrapd said of a message to it: the usmStats its Report named."""
    r = rows[i]
    if r["dir"] != "to_manager" or i + 1 >= len(rows):
        return "ok"
    g = rows[i + 1]
    if g["file"] != r["file"] or g["dir"] != "from_manager" or g["pdu"] != "report":
        return "ok"
    return USM_STATS[g["varbinds"].split("=")[0]]


def pcap_file(linktype, frames, snaplen=65535, step=1):
    """A pcap of (captured octets, length on the wire) records, step
    seconds apart."""
    out = struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, snaplen, linktype)
    for i, (data, wirelen) in enumerate(frames):
        out += struct.pack("<IIII", 1700000000 + i * step, 0, len(data), wirelen) + data
    return out


def csum(data):
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data[:len(data) // 2 * 2]))
    s = (s >> 16) + (s & 0xffff)
    return ~(s + (s >> 16)) & 0xffff


def udp(payload, sport=40000, dport=162):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def ipv4(l4, proto=17, src=b"\xc0\x00\x02\x01", dst=b"\xc0\x00\x02\x35", frag=0):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), 1, frag, 64, proto, 0, src, dst)
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + l4


V6_SRC = bytes.fromhex("20010db8000000000000000000000001")
V6_DST = bytes.fromhex("20010db8000000000000000000000053")


def ipv6(l4, next_header=17, ext=b""):
    first = ext[0:0]
    if ext:  # a hop-by-hop header before UDP
        first, next_header = struct.pack("!BB", next_header, 0) + b"\x01\x04\x00\x00\x00\x00", 0
    return struct.pack("!IHBB16s16s", 6 << 28, len(first) + len(l4), next_header, 64,
                       V6_SRC, V6_DST) + first + l4


def ether(l3, ethertype=0x0800, vlan=None):
    tag = struct.pack("!HH", 0x8100, vlan) if vlan is not None else b""
    return b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + tag + struct.pack("!H", ethertype) + l3


def corpus_payloads(pcap):
    """(payload) of every frame of a corpus pcap (Ethernet, IPv4, UDP)."""
    with open(os.path.join(CORPUS, pcap), "rb") as f:
        data = f.read()
    pos, out = 24, []
    while pos < len(data):
        incl = struct.unpack("<I", data[pos + 8:pos + 12])[0]
        frame = data[pos + 16:pos + 16 + incl]
        ihl = (frame[14] & 0x0f) * 4
        out.append(frame[14 + ihl + 8:])
        pos += 16 + incl
    return out


class LinerateSnmp(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.rows = manifest()

    def tearDown(self):
        self.dir.cleanup()

    def path(self, name):
        return os.path.join(self.dir.name, name)

    def write(self, name, data):
        with open(self.path(name), "wb") as f:
            f.write(data)
        return self.path(name)

    def test_corpus_fields_match_the_manifest(self):
        checked = {"lines": 0, "varbinds": 0, "trap_oid": 0, "refused": 0}
        for pcap in PCAPS:
            r = decode_corpus(pcap)
            self.assertEqual(r.returncode, 0, r.stderr.decode())
            got = {o["frame"]: o for o in lines_of(r)}
            rows = [x for x in self.rows if x["file"] == pcap]
            self.assertEqual(len(got), len(rows), pcap)
            self.assertIn("%d SNMP messages" % len(rows), r.stderr.decode())
            for i, row in enumerate(rows):
                o = got[int(row["frame"])]
                what = "%s frame %s: %s" % (pcap, row["frame"], o)
                self.assertEqual(o["version"], "v" + row["version"], what)
                self.assertEqual(o["source"].split(":")[0], "127.0.0.1", what)
                if row["version"] != "3":
                    self.assertEqual(o["community"], row["name"], what)
                else:
                    self.assertEqual(o["user"], row["name"], what)
                    self.assertEqual(o["security_level"], row["level"], what)
                    self.assertEqual(o["engine_id"], row["engine"], what)
                    if row["dir"] == "to_manager":
                        want = expected_outcome(rows, i)
                        self.assertEqual(o["usm"], want, what)
                        checked["refused"] += want != "ok"
                    elif row["pdu"] == "response":
                        self.assertEqual(o["usm"], "ok", what)
                    if row["dir"] == "from_manager":
                        self.assertTrue(o.get("sent_by_us"), what)
                if "varbinds" not in o:  # encrypted, and refused before decryption
                    self.assertEqual(row["level"], "authPriv", what)
                    self.assertNotEqual(o["usm"], "ok", what)
                    continue
                pdu = {"trap": "trap-v2"}.get(row["pdu"], row["pdu"])
                self.assertEqual(o["pdu"], pdu, what)
                self.assertEqual(manifest_varbinds(o), row["varbinds"], what)
                checked["varbinds"] += 1
                trap_oid = expected_trap_oid(row)
                self.assertEqual(o.get("trap_oid"), trap_oid, what)
                checked["trap_oid"] += trap_oid is not None
                checked["lines"] += 1
        # every trap and inform, and the Reports snmptrapd sent
        self.assertGreaterEqual(checked["varbinds"], 280)
        self.assertGreaterEqual(checked["trap_oid"], 150)
        self.assertGreaterEqual(checked["refused"], 60)

    def test_wrong_passwords_give_wrong_digests(self):
        with open(USERS) as f:
            text = f.read().replace("maplesyrup-auth", "not-the-password")
        users = self.path("wrong.yaml")
        with open(users, "w") as f:
            f.write(text)
        n = 0
        for pcap in ("netsnmp-traps.pcap", "pysnmp-traps.pcap", "netsnmp-informs.pcap"):
            r = decode_corpus(pcap, users)
            self.assertEqual(r.returncode, 0, r.stderr.decode())
            got = {o["frame"]: o for o in lines_of(r)}
            rows = [x for x in self.rows if x["file"] == pcap]
            for i, row in enumerate(rows):
                if row["version"] != "3" or row["dir"] != "to_manager" or not row["name"]:
                    continue
                o = got[int(row["frame"])]
                want = "wrongDigests" if row["auth"] else "ok"
                self.assertEqual(o["usm"], want, o)
                if want != "ok":
                    self.assertIn("HMAC", o["usm_reason"])
                    n += 1
                if row["priv"]:  # nothing decrypted, nothing printed
                    self.assertNotIn("varbinds", o)
        self.assertGreaterEqual(n, 120)
        self.assertNotIn(b"not-the-password", r.stdout + r.stderr)
        self.assertNotIn(b"maplesyrup", r.stdout + r.stderr)

    def test_without_users_nothing_is_verified(self):
        r = decode_corpus("netsnmp-traps.pcap", users=None)
        self.assertEqual(r.returncode, 0)
        for o in lines_of(r):
            if o["version"] != "v3":
                continue
            self.assertEqual(o["usm"], "no user file")
            self.assertEqual("varbinds" in o, o["security_level"] != "authPriv", o)

    def test_truncated_capture(self):
        with open(os.path.join(CORPUS, "netsnmp-traps.pcap"), "rb") as f:
            data = f.read()
        # the file ends in the middle of the 6th record's data
        pos = 24
        for _ in range(5):
            pos += 16 + struct.unpack("<I", data[pos + 8:pos + 12])[0]
        cut = self.write("cut.pcap", data[:pos + 16 + 40])
        r = run(["decode", "--users", USERS, cut])
        self.assertEqual(r.returncode, 2, r.stderr.decode())
        self.assertEqual([o["frame"] for o in lines_of(r)], [0, 1, 2, 3, 4])
        self.assertIn(b"truncated", r.stderr)
        # only the file header
        self.assertEqual(run(["decode", self.write("hdr.pcap", data[:24])]).returncode, 0)
        self.assertEqual(run(["decode", self.write("half.pcap", data[:20])]).returncode, 2)

    def test_datagram_cut_by_snap_length(self):
        payload = corpus_payloads("netsnmp-traps.pcap")[1]
        frame = ether(ipv4(udp(payload)))
        pcap = self.write("snap.pcap", pcap_file(LINKTYPE_ETHERNET, [
            (frame[:60], len(frame)), (frame, len(frame))]))
        r = run(["decode", pcap])
        self.assertEqual(r.returncode, 1)
        out = lines_of(r)
        self.assertEqual(out[0]["error"], "CUT")
        self.assertEqual(out[1]["pdu"], "trap-v2")
        self.assertIn(b"1 cut short", r.stderr)

    def test_non_snmp_capture(self):
        dns = bytes.fromhex("1234010000010000000000000377777707657861"
                            "6d706c6503636f6d0000010001")
        tcp = struct.pack("!HHIIBBHHH", 40000, 162, 1, 0, 0x50, 0x02, 1024, 0, 0)
        frames = [ether(ipv4(udp(dns, dport=53))), ether(ipv4(udp(b"\x30\x03\x04\x01a"))),
                  ether(ipv4(tcp, proto=6)), ether(b"\x00" * 28, ethertype=0x0806)]
        r = run(["decode", self.write("dns.pcap", pcap_file(
            LINKTYPE_ETHERNET, [(f, len(f)) for f in frames]))])
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertEqual(r.stdout, b"")
        self.assertIn(b"4 frames, 0 SNMP messages", r.stderr)
        self.assertIn(b"2 UDP not SNMP, 2 not UDP", r.stderr)

    def test_malformed_snmp_fails_the_run(self):
        payloads = corpus_payloads("netsnmp-traps.pcap")[:2]
        bad = payloads[1][:-3] + b"\xff\xff\xff"  # inside the last varbind
        frames = [ether(ipv4(udp(p))) for p in (payloads[0], bad)]
        r = run(["decode", self.write("bad.pcap", pcap_file(
            LINKTYPE_ETHERNET, [(f, len(f)) for f in frames]))])
        self.assertEqual(r.returncode, 1)
        out = lines_of(r)
        self.assertEqual(out[0]["pdu"], "trap-v1")
        self.assertTrue(out[1]["error"].startswith("SNMP_E_"), out[1])
        self.assertGreater(out[1]["error_offset"], 0)

    def test_every_link_type(self):
        # an authPriv trap and the v1 trap, through each link layer
        payloads = corpus_payloads("pysnmp-traps.pcap")
        v1, priv = payloads[0], payloads[30]  # py-sha256-aes128
        ref = {o["frame"]: o for o in lines_of(decode_corpus("pysnmp-traps.pcap"))}
        d4 = [ipv4(udp(v1)), ipv4(udp(priv))]
        d6 = [ipv6(udp(v1)), ipv6(udp(priv), ext=b"hbh")]
        sll = struct.pack("!HHH8s", 0, 1, 6, b"\x02\0\0\0\0\x01\0\0")
        sll2 = struct.pack("!HHIHBB8s", 0x86dd, 0, 2, 1, 0, 6, b"\x02\0\0\0\0\x01\0\0")
        cases = {
            "ethernet-vlan-ipv6": (LINKTYPE_ETHERNET, [ether(p, 0x86dd, vlan=100) for p in d6]),
            "sll-ipv4": (LINKTYPE_LINUX_SLL, [sll + struct.pack("!H", 0x0800) + p for p in d4]),
            "sll2-ipv6": (LINKTYPE_LINUX_SLL2, [sll2 + p for p in d6]),
            "raw-ipv4": (LINKTYPE_RAW, d4),
            "raw-ipv6": (LINKTYPE_RAW, d6),
            "ipv4": (LINKTYPE_IPV4, d4),
            "ipv6": (LINKTYPE_IPV6, d6),
            "null-ipv4": (LINKTYPE_NULL, [struct.pack("<I", 2) + p for p in d4]),
            "loop-ipv6": (LINKTYPE_LOOP, [struct.pack("!I", 24) + p for p in d6]),
        }
        for name, (linktype, frames) in cases.items():
            pcap = self.write(name + ".pcap", pcap_file(linktype, [(f, len(f)) for f in frames]))
            r = run(["decode", "--users", USERS, pcap])
            self.assertEqual(r.returncode, 0, name + r.stderr.decode())
            out = lines_of(r)
            self.assertEqual(len(out), 2, name)
            for got, want in zip(out, (ref[0], ref[30])):
                self.assertEqual(got["varbinds"], want["varbinds"], name)
                self.assertEqual(got.get("usm"), want.get("usm"), name)
            src = out[0]["source"]
            if "ipv6" in name:
                self.assertEqual(src, "[2001:db8::1]:40000", name)
                self.assertEqual(out[0]["destination"], "[2001:db8::53]:162", name)
            else:
                self.assertEqual(src, "192.0.2.1:40000", name)

    # Fragments. The v2c trap and an authPriv v3 trap of the corpus, each
    # a datagram cut into fragments of 32 octets (IPv4 and IPv6: scapy's
    # fragment6 counts the 48 octets of headers), against the same datagram
    # in one frame.
    V2C, PRIV = 1, 30  # pysnmp-traps.pcap: v2c trap, py-sha256-aes128

    def trap_datagrams(self, ident):
        """{name: (scapy datagram, its fragments)} for both traps and
        families; ident makes each datagram's identification distinct."""
        payloads = corpus_payloads("pysnmp-traps.pcap")
        out = {}
        for i, which in enumerate((self.V2C, self.PRIV)):
            l4 = UDP(sport=40000, dport=162) / Raw(payloads[which])
            v4 = IP(src="192.0.2.1", dst="192.0.2.53", id=ident + i) / l4
            v6 = IPv6(src="2001:db8::1", dst="2001:db8::53")
            v6frag = v6 / IPv6ExtHdrFragment(id=0x10000 + ident + i) / l4
            out["v4-%d" % which] = (v4, fragment(v4, fragsize=32))
            out["v6-%d" % which] = (v6 / l4, fragment6(v6frag, 88))
        for name, (_, frags) in out.items():
            self.assertGreaterEqual(len(frags), 3, name)
        return out

    def decode_frames(self, name, frames, step=1):
        """The tool over frames (scapy IPv4 or IPv6 packets, or octets)
        in a raw-IP capture: (exit status, JSON lines, stderr)."""
        octets = [f if isinstance(f, bytes) else raw(f) for f in frames]
        r = run(["decode", "--users", USERS, self.write(name, pcap_file(
            LINKTYPE_RAW, [(f, len(f)) for f in octets], step=step))])
        return r.returncode, lines_of(r), r.stderr.decode()

    def assertSameMessage(self, got, want, what):
        """got (reassembled) says what want (one frame) says, but where and
        when it was captured."""
        drop = ("frame", "capture_time", "reassembled_from")
        self.assertEqual({k: v for k, v in got.items() if k not in drop},
                         {k: v for k, v in want.items() if k not in drop}, what)
        self.assertEqual(got["usm"] if "usm" in got else "ok", "ok", what)
        self.assertIn("varbinds", got, what)

    def test_fragments_in_order_decode_as_the_whole_datagram(self):
        grams = self.trap_datagrams(100)
        rc, whole, _ = self.decode_frames("whole.pcap", [g for g, _ in grams.values()])
        self.assertEqual(rc, 0)
        self.assertEqual(len(whole), 4)
        frames = [f for _, frags in grams.values() for f in frags]
        rc, out, err = self.decode_frames("frag.pcap", frames)
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(out), 4, err)
        last = -1
        for (name, (_, frags)), got, want in zip(grams.items(), out, whole):
            last += len(frags)
            self.assertSameMessage(got, want, name)
            self.assertEqual(got["frame"], last, name)
            self.assertEqual(got["reassembled_from"], len(frags), name)
            self.assertNotIn("reassembled_from", want, name)
            self.assertEqual(got["trap_oid"], "1.3.6.1.6.3.1.1.5.4", name)
            if name.endswith("-%d" % self.PRIV):
                self.assertEqual(got["security_level"], "authPriv", name)
            else:
                self.assertEqual(got["version"], "v2c", name)
        self.assertIn("%d IP fragments, 4 datagrams reassembled, dropped: 0 incomplete, "
                      "0 overlapping, 0 evicted, 0 oversize, 0 cut short" % len(frames), err)

    def test_fragments_out_of_order_and_interleaved(self):
        for fam in ("v4", "v6"):
            grams = self.trap_datagrams(200)
            a = grams["%s-%d" % (fam, self.V2C)][1]
            b = grams["%s-%d" % (fam, self.PRIV)][1]
            # b backwards, a's last first, the two interleaved
            a = a[-1:] + a[:-1]
            b = b[::-1]
            frames = []
            for i in range(max(len(a), len(b))):
                frames += a[i:i + 1] + b[i:i + 1]
            rc, out, err = self.decode_frames(fam + ".pcap", frames)
            self.assertEqual(rc, 0, err)
            self.assertEqual(sorted(o["version"] for o in out), ["v2c", "v3"], fam + err)
            for o in out:
                self.assertEqual(o["trap_oid"], "1.3.6.1.6.3.1.1.5.4", fam)
                self.assertEqual(o.get("usm", "ok"), "ok", fam)
            self.assertIn("2 datagrams reassembled, dropped: 0 incomplete", err)

    def test_missing_fragment_is_counted_incomplete(self):
        for fam in ("v4", "v6"):
            grams = self.trap_datagrams(300)
            frags = grams["%s-%d" % (fam, self.PRIV)][1]
            whole = grams["%s-%d" % (fam, self.V2C)][1]
            rc, out, err = self.decode_frames(fam + ".pcap", frags[:1] + frags[2:] + whole)
            self.assertEqual(rc, 0, err)
            self.assertEqual([o["version"] for o in out], ["v2c"], fam)
            self.assertIn("1 datagrams reassembled, dropped: 1 incomplete, 0 overlapping",
                          err, fam)

    def test_overlap_with_other_data_discards_the_datagram(self):
        for fam in ("v4", "v6"):
            grams = self.trap_datagrams(400)
            frags = grams["%s-%d" % (fam, self.PRIV)][1]
            liar = frags[1].copy()
            body = bytearray(raw(liar[Raw]))
            body[3] ^= 0xff
            liar[Raw].load = bytes(body)
            # before its twin, and after: either way the datagram is lost,
            # and so are its fragments still to come (RFC 5722)
            for order in ([frags[0], liar] + frags[1:], frags[:2] + [liar] + frags[2:]):
                rc, out, err = self.decode_frames(fam + ".pcap", order)
                self.assertEqual(rc, 0, err)
                self.assertEqual(out, [], fam)
                self.assertIn("0 datagrams reassembled, dropped: 0 incomplete, "
                              "1 overlapping", err, fam)

    def test_duplicate_fragment_decodes_once(self):
        for fam in ("v4", "v6"):
            grams = self.trap_datagrams(500)
            frags = grams["%s-%d" % (fam, self.PRIV)][1]
            rc, out, err = self.decode_frames(fam + ".pcap", frags[:2] + frags[1:])
            self.assertEqual(rc, 0, err)
            self.assertEqual(len(out), 1, fam)
            self.assertEqual(out[0]["reassembled_from"], len(frags), fam)
            self.assertEqual(out[0]["frame"], len(frags), fam)
            self.assertIn("1 datagrams reassembled, dropped: 0 incomplete, 0 overlapping",
                          err, fam)

    def test_fragment_table_is_bounded(self):
        grams = self.trap_datagrams(600)
        v4 = grams["v4-%d" % self.V2C][1]
        # 256 datagrams in progress (first fragments only), then one more
        # (id 256) and the trap: the two oldest (ids 0 and 1) are evicted,
        # the trap still decodes; then the last fragments of ids 0 and 2:
        # 0 starts anew, 2 was kept and completes (not UDP)
        def first(i):
            return IP(src="192.0.2.9", dst="192.0.2.53", id=i, flags="MF") / Raw(b"x" * 8)

        def last(i):
            return IP(src="192.0.2.9", dst="192.0.2.53", id=i, frag=1) / Raw(b"y" * 8)
        frames = [first(i) for i in range(257)] + v4 + [last(0), last(2)]
        rc, out, err = self.decode_frames("evict.pcap", frames, step=0)
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(out), 1)
        self.assertIn("1 not UDP", err)
        self.assertIn("2 datagrams reassembled, dropped: 255 incomplete, 0 overlapping, "
                      "2 evicted", err)

    def test_bad_fragments_are_counted(self):
        grams = self.trap_datagrams(700)
        frags = grams["v4-%d" % self.PRIV][1]
        # past 65535 octets; the rest of its datagram follows and is dropped
        big = frags[0].copy()
        big.frag = 8190
        oversize = [big] + frags[1:]
        # a fragment of 12 octets with more to come (RFC 8200 §4.5)
        odd = IP(src="192.0.2.1", dst="192.0.2.53", id=9, flags="MF") / Raw(b"x" * 12)
        rc, out, err = self.decode_frames("bad.pcap", oversize + [odd])
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, [])
        self.assertIn("1 with bad IP/UDP headers; %d IP fragments" % len(oversize), err)
        self.assertIn("0 incomplete, 0 overlapping, 0 evicted, 1 oversize", err)
        # a fragment the snap length cut: its datagram cannot be rebuilt
        frames = [raw(f) for f in grams["v6-%d" % self.V2C][1]]
        r = run(["decode", self.write("snap.pcap", pcap_file(
            LINKTYPE_RAW, [(frames[0], len(frames[0]))] + [(frames[1][:60], len(frames[1]))]
            + [(f, len(f)) for f in frames[2:]]))])
        self.assertEqual(r.returncode, 0)
        self.assertEqual(r.stdout, b"")
        self.assertIn(b"0 datagrams reassembled, dropped: 0 incomplete, 0 overlapping, "
                      b"0 evicted, 0 oversize, 1 cut short", r.stderr)
        # the UDP length is not the reassembled datagram's
        frags = grams["v4-%d" % self.V2C][1]
        first = bytearray(raw(frags[0]))
        struct.pack_into("!H", first, 24, struct.unpack_from("!H", first, 24)[0] + 8)
        rc, out, err = self.decode_frames("ulen.pcap", [bytes(first)] + frags[1:])
        self.assertEqual(out, [])
        self.assertIn("1 with bad IP/UDP headers; %d IP fragments, 1 datagrams reassembled"
                      % len(frags), err)

    def test_fragments_too_far_apart_in_time(self):
        frags = self.trap_datagrams(800)["v6-%d" % self.PRIV][1]
        rc, out, err = self.decode_frames("slow.pcap", frags, step=61)
        self.assertEqual(out, [])
        self.assertIn("0 datagrams reassembled, dropped: %d incomplete" % len(frags), err)
        self.assertLessEqual(len(frags) * 8, 60)
        rc, out, err = self.decode_frames("fast.pcap", frags, step=8)
        self.assertEqual(len(out), 1, err)

    def test_usage_and_io_errors(self):
        traps = os.path.join(CORPUS, "netsnmp-traps.pcap")
        self.assertEqual(run([]).returncode, 2)
        self.assertEqual(run(["help"]).returncode, 0)
        self.assertEqual(run(["decode"]).returncode, 2)
        self.assertEqual(run(["decode", traps, traps]).returncode, 2)
        self.assertEqual(run(["frobnicate", traps]).returncode, 2)
        self.assertEqual(run(["decode", self.path("absent.pcap")]).returncode, 2)
        for bad in ("0x1234", "zz" * 8, "80" * 33):
            r = run(["decode", "--engine-id", bad, traps])
            self.assertEqual(r.returncode, 2, bad)
            self.assertIn(b"--engine-id", r.stderr)
        self.assertEqual(run(["decode", "--engine-id", "0x" + TRAPD_ENGINE, traps]).returncode, 0)
        # a users file that does not load: its error names the place, never
        # the password
        users = self.path("bad.yaml")
        with open(users, "w") as f:
            f.write('users:\n  - name: eve\n    auth: sha\n    auth_password: "hunter2-secret"\n'
                    '    priv: rot13\n    priv_password: "hunter2-secret"\n')
        r = run(["decode", "--users", users, traps])
        self.assertEqual(r.returncode, 2)
        self.assertIn(b"rot13", r.stderr)
        self.assertNotIn(b"hunter2", r.stderr + r.stdout)
        # a link type it does not read
        r = run(["decode", self.write("usb.pcap", pcap_file(189, []))])
        self.assertEqual(r.returncode, 2)
        self.assertIn(b"not supported", r.stderr)


if __name__ == "__main__":
    TOOL = sys.argv.pop(1)
    unittest.main(verbosity=2)
