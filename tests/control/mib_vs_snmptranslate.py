#!/usr/bin/python3
"""Cross-check of the MIB table against net-snmp's own MIB parser.

Builds the table from linerate's base modules, Debian's net-snmp MIBs and
the test modules (tests/control/mib_dump), draws 50 nodes at random (fixed
seed), and asks `snmptranslate -m ALL -M <the same directories>` for each:
-On must give the same numeric OID, and -Td the same enumeration labels.
Exits 77 (skipped) without snmptranslate (Debian package snmp).

  mib_vs_snmptranslate.py MIB_DUMP DIR...
"""
import random
import re
import shutil
import subprocess
import sys

SAMPLE = 50


def dump(mib_dump, dirs):
    out = subprocess.run([mib_dump] + dirs, capture_output=True, text=True, check=True)
    nodes = []
    for line in out.stdout.splitlines():
        oid, qname, kind, syntax, typ, labels = line.split("\t")
        if "::" not in qname:
            continue  # the roots (ccitt, iso, joint-iso-ccitt) have no module
        enum = dict((int(v), n) for n, v in re.findall(r"([A-Za-z][\w-]*)\((-?\d+)\)", labels))
        nodes.append((oid, qname, enum))
    return nodes


def translate(dirs, args):
    out = subprocess.run(["snmptranslate", "-M", ":".join(dirs), "-m", "ALL"] + args,
                         capture_output=True, text=True)
    return out.stdout


def main():
    if shutil.which("snmptranslate") is None:
        print("snmptranslate (Debian snmp) is not installed: skipped")
        return 77
    mib_dump, dirs = sys.argv[1], sys.argv[2:]
    nodes = dump(mib_dump, dirs)
    sample = random.Random(6).sample(nodes, SAMPLE)
    failures = 0
    numeric = translate(dirs, ["-On"] + [q for _, q, _ in sample]).split()
    if len(numeric) != len(sample):
        print(f"snmptranslate -On gave {len(numeric)} lines for {len(sample)} names")
        return 1
    for (oid, qname, enum), got in zip(sample, numeric):
        if got != "." + oid:
            print(f"FAIL {qname}: ours {oid}, snmptranslate {got}")
            failures += 1
        text = translate(dirs, ["-Td", qname])
        syntax = re.search(r"^\s*SYNTAX\s+(.*)$", text, re.M)
        theirs = {}
        if syntax and "{" in syntax.group(1):
            theirs = dict((int(v), n) for n, v in
                          re.findall(r"([A-Za-z][\w-]*)\((-?\d+)\)", syntax.group(1)))
        # our dump probes values -1..300
        theirs = {v: n for v, n in theirs.items() if -1 <= v <= 300}
        if theirs != enum:
            print(f"FAIL {qname}: labels ours {enum}, snmptranslate {theirs}")
            failures += 1
    labelled = sum(1 for _, _, e in sample if e)
    print(f"{len(sample) * 2 - failures} passed, {failures} failed "
          f"({len(sample)} OIDs, {labelled} with enumerations, of {len(nodes)} nodes)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
