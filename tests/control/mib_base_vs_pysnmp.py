#!/usr/bin/python3
"""Checks linerate's base MIB modules (control/mibs/) against pysnmp's
compiled IETF modules (Debian python3-pysnmp4 and python3-pysnmp4-mibs),
an independent rendering of the RFCs: every node of ours must exist in
pysnmp's module of the same name with the same OID, and every label of
ours must name the same value there. Exits 77 (skipped) without pysnmp.

  mib_base_vs_pysnmp.py MIB_DUMP BASE_DIR
"""
import re
import subprocess
import sys

try:
    from pysnmp.smi import builder
except ImportError:
    print("pysnmp (Debian python3-pysnmp4) is not installed: skipped")
    sys.exit(77)

PYSNMP_MIBS = "/usr/lib/python3/dist-packages/pysnmp_mibs"


def main():
    mib_dump, base = sys.argv[1], sys.argv[2]
    out = subprocess.run([mib_dump, base], capture_output=True, text=True, check=True)
    b = builder.MibBuilder()
    b.addMibSources(builder.DirMibSource(PYSNMP_MIBS))
    checked = failures = 0
    for line in out.stdout.splitlines():
        oid, qname, kind, syntax, typ, labels = line.split("\t")
        if "::" not in qname:
            continue
        module, name = qname.split("::")
        try:
            b.loadModules(module)
            (sym,) = b.importSymbols(module, name)
        except Exception as e:  # pysnmp raises its own error classes
            print(f"FAIL {qname}: not in pysnmp's {module}: {e}")
            failures += 1
            continue
        theirs = ".".join(map(str, sym.getName()))
        if theirs != oid:
            print(f"FAIL {qname}: ours {oid}, pysnmp {theirs}")
            failures += 1
        ours = dict((n, int(v)) for n, v in re.findall(r"([A-Za-z][\w-]*)\((-?\d+)\)", labels))
        named = {}
        syn = getattr(sym, "getSyntax", lambda: None)()
        if syn is not None and getattr(syn, "namedValues", None):
            named = dict(syn.namedValues.items())
        for label, value in ours.items():
            if named.get(label) != value:
                print(f"FAIL {qname}: {label}({value}) ours, pysnmp {named.get(label)}")
                failures += 1
        if named and not ours:
            print(f"FAIL {qname}: pysnmp has labels {named}, ours none")
            failures += 1
        checked += 1
    print(f"{checked - failures} passed, {failures} failed (nodes of the base modules)")
    return 1 if failures or checked < 100 else 0


if __name__ == "__main__":
    sys.exit(main())
