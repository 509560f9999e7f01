#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Seed corpora for the libFuzzer harnesses, from the golden vectors.

    python3 tests/fuzz/make_corpus.py

Rewrites tests/fuzz/corpus/answer/ (queries for the answer engine) and
tests/fuzz/corpus/rdata_text/ (two type octets, big endian, then
rdata presentation: the first vector of every type, which is the RFC 3597
form for types without another one) and tests/fuzz/corpus/msg_parse/ (every golden
message, plus one response per type carrying that type's first vector in
its answer) and tests/fuzz/corpus/pkt/ (every frame of pkt_golden.tsv
behind a flags octet: bit 0 the VLAN 100 profile, bit 1 TX offload,
bit 2 trust RX checksums), tests/fuzz/corpus/snmp_msg/ (every message of
snmp_golden.tsv) and tests/fuzz/corpus/usm/ (SNMPv3 frames of the interop
corpus behind fuzz_usm's 16-octet header, spans from its manifest, set to be
signed so they reach decryption) and tests/fuzz/corpus/snmp_v3/ (every frame
of the interop corpus behind fuzz_snmp_v3's control octet: as snmptrapd with
its clock, so informs reach their Responses, and a few as an engine no one
names). Plain standard library: no dnspython needed here.
"""

import hashlib
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(os.path.dirname(HERE), "data")
CORPUS = os.path.join(HERE, "corpus")


def read_tsv(name):
    with open(os.path.join(DATA, name), encoding="ascii") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            yield line.rstrip("\n").split("\t")


def write(folder, stem, blob):
    # A content hash in the name keeps names stable and unique.
    tag = hashlib.sha1(blob).hexdigest()[:8]
    with open(os.path.join(folder, "%s-%s" % (stem, tag)), "wb") as f:
        f.write(blob)


def qname(text):
    out = b""
    for label in text.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def response(num, rdata):
    """Header, question for t.example./num, one answer whose owner points at
    the question name (TSIG in the additional section: it must be last,
    RFC 8945 §5.1, class ANY, §4.2)."""
    counts = (1, 0, 0, 1) if num == 250 else (1, 1, 0, 0)
    rclass, ttl = (255, 0) if num == 250 else (1, 300)
    hdr = struct.pack("!6H", 0x5a5a, 0x8400, *counts)
    question = qname("t.example.") + struct.pack("!HH", num, 1)
    answer = struct.pack("!HHHIH", 0xC00C, num, rclass, ttl, len(rdata)) + rdata
    return hdr + question + answer


# Queries for fuzz_answer against the zones compiled into it: every path of
# the engine (exact, CNAME and DNAME chains, wildcards, referrals, DS at a
# cut, ANY, TC, CHAOS, REFUSED, NOTIFY, opcodes), each without and with EDNS.
ANSWER_QUERIES = [
    ("www.example.com.", 1, 1), ("WWW.Example.COM.", 28, 1), ("nope.example.com.", 1, 1),
    ("x.wild.example.com.", 16, 1), ("x.wild.example.com.", 15, 1), ("y.wc.example.com.", 1, 1),
    ("a.wl.example.com.", 1, 1), ("www.child.example.com.", 1, 1), ("child.example.com.", 43, 1),
    ("loop1.example.com.", 1, 1), ("ext.example.com.", 1, 1), ("a.dn.example.com.", 1, 1),
    ("a.b.dl.example.com.", 1, 1), ("multi.example.com.", 255, 1), ("big.example.com.", 16, 1),
    ("version.bind.", 16, 3), ("id.server.", 16, 3), ("www.example.org.", 1, 1),
    ("ent.deep.example.com.", 1, 1), ("q.w.example.net.", 1, 1), ("x.ns.example.com.", 1, 1),
    ("example.com.", 252, 1),
]


# OPT options: an NSID request and a client cookie; a client cookie alone
# (as dig sends); a cookie with a server cookie and padding (RFC 7830)
EDNS_OPTIONS = [
    struct.pack("!HH", 3, 0) + struct.pack("!HH", 10, 8) + bytes(range(8)),
    struct.pack("!HH", 10, 8) + bytes(range(8)),
    struct.pack("!HH", 10, 24) + bytes(range(24)) + struct.pack("!HH", 12, 5) + bytes(5),
]


def query(name, qtype, qclass, edns, opcode=0, opts=EDNS_OPTIONS[0]):
    hdr = struct.pack("!6H", 0x1234, 0x0100 | opcode << 11, 1, 0, 0, 1 if edns else 0)
    q = hdr + qname(name) + struct.pack("!HH", qtype, qclass)
    if edns:  # OPT 1232, DO, the options
        q += b"\0" + struct.pack("!HHIH", 41, 1232, 0x8000, len(opts)) + opts
    return q


def pcap_frames(path):
    """UDP payloads of an Ethernet/IPv4 pcap, in order."""
    with open(path, "rb") as f:
        blob = f.read()
    off, out = 24, []
    while off + 16 <= len(blob):
        incl = struct.unpack_from("<I", blob, off + 8)[0]
        pkt = blob[off + 16:off + 16 + incl]
        ihl = (pkt[14] & 0x0F) * 4
        udp = 14 + ihl
        ulen = struct.unpack_from("!H", pkt, udp + 4)[0]
        out.append(pkt[udp + 8:udp + ulen])
        off += 16 + incl
    return out


# fuzz_usm's users by privacy protocol (bits 2-3 of the control octet)
USM_USER = {"des": 0, "aes192": 1, "aes192c": 1, "aes128": 2, "3des": 3}


def usm_seeds(folder):
    corpus = os.path.join(DATA, "snmp_corpus")
    frames, seen = {}, set()
    rows = list(read_tsv(os.path.join("snmp_corpus", "MANIFEST.tsv")))
    cols = rows[0]
    for r in rows[1:]:
        r = dict(zip(cols, r))
        # one seed per sender, protocol and direction
        kind = (r["name"][:2], r["priv"], r["dir"])
        if r["level"] != "authPriv" or r["priv"] not in USM_USER or kind in seen:
            continue
        seen.add(kind)
        if r["file"] not in frames:
            frames[r["file"]] = pcap_frames(os.path.join(corpus, r["file"]))
        msg = frames[r["file"]][int(r["frame"])]
        ours = r["dir"] == "to_manager" and r["pdu"] == "inform"
        ctl = 1 | (2 if ours else 0) | USM_USER[r["priv"]] << 2
        write(folder, "%s-%s" % (r["name"], r["dir"]), usm_seed(r, ctl, ours, msg))
        # the same with a scopedPDU in clear for fuzz_usm to encrypt
        engine = bytes.fromhex(r["engine"])
        vb = bytes.fromhex("300f 060b 2b06010401bf08ce0f0100 0400")  # ...8072.9999.1.0 ""
        pdu = bytes([0xA7, 11 + len(vb)]) + bytes.fromhex("020101 020100 020100") + \
            bytes([0x30, len(vb)]) + vb
        body = bytes([0x04, len(engine)]) + engine + b"\x04\x00" + pdu
        plain = bytes([0x30, len(body)]) + body
        write(folder, "%s-%s-clear" % (r["name"], r["dir"]),
              usm_seed(r, ctl | 0x10, ours, msg[:int(r["data_off"])] + plain))


def snmp_v3_seeds(folder):
    corpus = os.path.join(DATA, "snmp_corpus")
    rows = list(read_tsv(os.path.join("snmp_corpus", "MANIFEST.tsv")))
    cols = rows[0]
    frames = {}
    for r in rows[1:]:
        r = dict(zip(cols, r))
        if r["file"] not in frames:
            frames[r["file"]] = pcap_frames(os.path.join(corpus, r["file"]))
        msg = frames[r["file"]][int(r["frame"])]
        stem = "%s-%s-%s" % (r["file"].split(".")[0], r["frame"], r["name"] or "probe")
        write(folder, stem, b"\x03" + msg)  # snmptrapd, its clock
        if int(r["frame"]) % 8 == 0:  # some as another engine, without users
            write(folder, stem + "-other", b"\x00" + msg)
            write(folder, stem + "-nousers", b"\x08" + msg)


def usm_seed(r, ctl, ours, msg):
    """fuzz_usm's header for a manifest row, then the message."""
    return struct.pack("!BBHBBHII", 3, ctl, int(r["auth_off"]), int(r["auth_len"]),
                       int(r["salt_len"]), int(r["data_off"]), 5 if ours else int(r["boots"]),
                       1000 if ours else int(r["time"])) + msg


def main():
    rdata_dir = os.path.join(CORPUS, "rdata_text")
    msg_dir = os.path.join(CORPUS, "msg_parse")
    answer_dir = os.path.join(CORPUS, "answer")
    pkt_dir = os.path.join(CORPUS, "pkt")
    snmp_dir = os.path.join(CORPUS, "snmp_msg")
    usm_dir = os.path.join(CORPUS, "usm")
    v3_dir = os.path.join(CORPUS, "snmp_v3")
    # generated seeds are rewritten; past findings (finding-*) stay
    for d in (rdata_dir, msg_dir, answer_dir, pkt_dir, snmp_dir, usm_dir, v3_dir):
        os.makedirs(d, exist_ok=True)
        for f in os.listdir(d):
            if not f.startswith("finding-"):
                os.unlink(os.path.join(d, f))
    for i, (name, qtype, qclass) in enumerate(ANSWER_QUERIES):
        for edns in (False, True):
            flags = bytes([i % 2])  # bit 0: over TCP
            write(answer_dir, "q", flags + query(name, qtype, qclass, edns))
        # bit 1: the configuration with cookies and NSID off
        opts = EDNS_OPTIONS[1 + i % 2]
        for f in (0, 2):
            write(answer_dir, "q", bytes([f]) + query(name, qtype, qclass, True, opts=opts))
    write(answer_dir, "notify", b"\0" + query("example.net.", 6, 1, False, opcode=4))
    write(answer_dir, "update", b"\0" + query("example.com.", 6, 1, False, opcode=5))

    seen = set()
    for mnemonic, num, text, hexwire, source in read_tsv("rdata_golden.tsv"):
        if mnemonic in seen:
            continue
        seen.add(mnemonic)
        num = int(num)
        write(rdata_dir, mnemonic.lower(), struct.pack("!H", num) + text.encode())
        write(msg_dir, "rr-" + mnemonic.lower(), response(num, bytes.fromhex(hexwire)))
    for name, hexwire, _facts in read_tsv("msg_golden.tsv"):
        write(msg_dir, name, bytes.fromhex(hexwire))
    for i, (name, profile, _verdict, frame, _reply) in enumerate(read_tsv("pkt_golden.tsv")):
        flags = (profile == "vlan100") | (i % 2) << 1 | (i % 3 == 0) << 2
        write(pkt_dir, name, bytes([flags]) + bytes.fromhex(frame))
    for name, hexwire, _facts in read_tsv("snmp_golden.tsv"):
        write(snmp_dir, name, bytes.fromhex(hexwire))
    usm_seeds(usm_dir)
    snmp_v3_seeds(v3_dir)
    print("pkt: %d seeds, snmp_msg: %d seeds, usm: %d seeds, snmp_v3: %d seeds" % (
        len(os.listdir(pkt_dir)), len(os.listdir(snmp_dir)), len(os.listdir(usm_dir)),
        len(os.listdir(v3_dir))))
    print("rdata_text: %d seeds, msg_parse: %d seeds, answer: %d seeds"
          % (len(os.listdir(rdata_dir)), len(os.listdir(msg_dir)), len(os.listdir(answer_dir))))


if __name__ == "__main__":
    main()
