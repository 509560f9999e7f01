#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Seed corpora for the libFuzzer harnesses, from the golden vectors.

    python3 tests/fuzz/make_corpus.py

Rewrites tests/fuzz/corpus/rdata_text/ (two type octets, big endian, then
rdata presentation: the first vector of every type, which is the RFC 3597
form for types without another one) and tests/fuzz/corpus/msg_parse/ (every golden
message, plus one response per type carrying that type's first vector in
its answer). Plain standard library: no dnspython needed here.
"""

import hashlib
import os
import shutil
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


def main():
    rdata_dir = os.path.join(CORPUS, "rdata_text")
    msg_dir = os.path.join(CORPUS, "msg_parse")
    for d in (rdata_dir, msg_dir):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)

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
    print("rdata_text: %d seeds, msg_parse: %d seeds"
          % (len(os.listdir(rdata_dir)), len(os.listdir(msg_dir))))


if __name__ == "__main__":
    main()
