#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Golden rdata vectors from independent encoders.

Run with Debian's interpreter (python3-dnspython 2.3 is installed for it
only), from anywhere:

    /usr/bin/python3 tests/data/gen_rdata_golden.py

Writes tests/data/rdata_golden.tsv next to this script, one vector a line:

    MNEMONIC <TAB> TYPENUM <TAB> presentation <TAB> rdata hex <TAB> source=S

The presentation is the rdata part only (no owner, TTL, class or type) and
the hex is the uncompressed wire form. S says who made the pair:

  dnspython  python3-dnspython: to_text() and to_wire() without compression.
  kdig       Knot DNS's presentation (knsupdate, from knot-dnsutils: the same
             libknot printer as kdig), for types dnspython lacks.
  ldns       ldns-read-zone (ldnsutils), for types neither of the above has.
  generic    no independent tool has a presentation format for the type: the
             RFC 3597 form "\\# len hex", which every type accepts.

The list of types is read from the DNS_RRTYPES X-macro in
proto/include/linerate/dns_types.h, so a type added there without vectors
here (or listed as excluded) stops this script.

dnspython's text is taken as it prints it (to_text() with its defaults),
which includes its layout of long fields: base64 and hex broken into words
of 32 characters (128 for DS, TLSA, SSHFP, ZONEMD hex; OPENPGPKEY, TKEY and
TSIG unbroken). Knot and ldns print those fields unbroken, so the rows they
made keep their own layout; blanks inside such fields are insignificant
(RFC 4034 §2.2, §3.2, §5.3), so a reader must accept both.
"""

import base64
import binascii
import os
import re
import struct
import subprocess
import sys
import tempfile

import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.version

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
TYPES_H = os.path.join(TOP, "proto", "include", "linerate", "dns_types.h")
OUT = os.path.join(HERE, "rdata_golden.tsv")


def registry_types():
    """(mnemonic, number) of every DNS_RRTYPES entry, in header order."""
    with open(TYPES_H, encoding="utf-8") as f:
        src = f.read()
    m = re.search(r"#define DNS_RRTYPES\(X\)(.*?)\n\n", src, re.S)
    assert m, "DNS_RRTYPES not found in " + TYPES_H
    pairs = re.findall(r"X\((\w+),\s*(\d+)\)", m.group(1))
    assert len(pairs) > 60, pairs
    # The C symbol NSAP_PTR is the mnemonic NSAP-PTR (RFC 1706).
    return [(sym.replace("_", "-"), int(num)) for sym, num in pairs]


# Meta and pseudo types: they exist only in queries or as message machinery
# and have no rdata presentation format in any RFC.
EXCLUDED = {
    "OPT": "RFC 6891 §6.1.1: pseudo-RR carrying EDNS; never in a zone file, no presentation format",
    "IXFR": "RFC 1995: QTYPE only",
    "AXFR": "RFC 1035 §3.2.3: QTYPE only",
    "MAILB": "RFC 1035 §3.2.3: QTYPE only",
    "MAILA": "RFC 1035 §3.2.3: QTYPE only (obsolete)",
    "ANY": "RFC 1035 §3.2.3: QTYPE only",
}

KEY64 = base64.b64encode(bytes(range(1, 65))).decode()      # 64 octets
KEY256 = base64.b64encode(bytes((i * 7) & 0xFF for i in range(256))).decode()
SIG32 = base64.b64encode(bytes(range(0x40, 0x60))).decode()
SHA1 = "2bb183af5f22588179a53b0a98631fad1a292118"
SHA256 = "49fd46e6c4b45c55d4ac69cbd3cd34ac1afe51de1c4a4a3ae2c2b0b84f16e9dd"
SHA384 = "03ebcc9a5bf8a9b7b5f5a4fa1a6f7b1e5ac6a3c2b1d0e9f8a7b6c5d4e3f2a1b0" \
         "c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4"
LONG255 = "a" * 255

# dnspython: presentation inputs per type. The golden text is what dnspython
# prints back, not these strings (they may be in a non-canonical spelling on
# purpose: lower/upper case hex, unquoted TXT, short LOC).
DNSPYTHON = {
    "A": ["192.0.2.1", "0.0.0.0", "255.255.255.255"],
    "NS": ["ns1.example.com.", ".", "Mixed.CASE.example.", "a\\.dot\\032space.example."],
    "CNAME": ["www.example.org.", "\\255\\000bin.example."],
    "SOA": ["ns.example. hostmaster.example. 2024010101 7200 3600 1209600 300",
            ". . 0 0 0 0 0",
            "a.example. b\\.c.example. 4294967295 4294967295 4294967295 4294967295 4294967295"],
    "WKS": ["192.0.2.1 6 25 80 443", "192.0.2.2 17 53", "10.0.0.1 6 0 1 1023",
            # dnspython prints an empty bitmap with a trailing blank
            # ("10.0.0.1 6 "); that vector is left out rather than edited.
            ],
    "PTR": ["host.example.", "1.2.0.192.in-addr.arpa."],
    "HINFO": ['"INTEL-386" "Unix"', '"" ""', '"with space" "q\\"uote\\\\"',
              '"\\000\\031\\127" "x"'],
    "MX": ["10 mail.example.", "0 .", "65535 mx.example."],
    "TXT": ['"hello"', '"a" "b" "c"', '""', 'unquoted',
            '"q\\"uote and back\\\\slash"', '"tab\\009nul\\000del\\127hi\\255"',
            '"' + LONG255 + '"', '"' + LONG255 + '" ""',
            '"semi;colon (paren) @at $dollar"'],
    "RP": ["mbox.example. txt.example.", ". ."],
    "AFSDB": ["1 afs.example.", "65535 ."],
    "X25": ['"311061700956"', '""'],
    "ISDN": ['"150862028003217" "004"', '"150862028003217"'],
    "RT": ["10 relay.example.", "0 ."],
    "NSAP": ["0x47000580005a0000000001e133ffffff00016100",
             "0x47.0005.80.005a00.0000.0001.e133.ffffff000161.00"],
    "NSAP-PTR": ["foo.example."],
    "PX": ["10 map822.example. mapx400.example.", "0 . ."],
    "GPOS": ["-32.6882 116.8652 10.0", "0 0 0"],
    "AAAA": ["2001:db8::1", "::", "::ffff:192.0.2.1", "2001:db8:0:0:1:0:0:1",
             "2001:DB8:1:2:3:4:5:6", "fe80::", "::1"],
    "LOC": ["52 22 23.000 N 4 53 32.000 E -2.00m",
            "42 21 54 N 71 06 18 W -24m 30m",
            "42 21 43.952 N 71 5 6.344 W -24m 1m 200m 10m",
            "0 0 0 S 0 0 0 W 0m",
            "90 0 0 N 180 0 0 E 42849672.95m 90000000m 90000000m 90000000m",
            "31 S 106 E 10m 0.01m 0m 0m"],
    "SRV": ["0 5 5060 sipserver.example.", "65535 65535 65535 .", "1 0 9 _x._tcp.example."],
    "NAPTR": ['100 10 "S" "SIP+D2U" "" _sip._udp.example.',
              '102 10 "U" "E2U+sip" "!^.*$!sip:info@example.com!" .',
              '0 0 "" "" "" .',
              '65535 65535 "a\\"b" "\\\\" "x y" replace.example.'],
    "KX": ["10 kx.example.", "0 ."],
    "CERT": ["PKIX 12345 RSASHA256 " + KEY64, "1 0 0 " + SIG32, "65535 65535 255 AA==",
             "URI 1 8 " + KEY64, "IPKIX 2 5 " + SIG32],
    "DNAME": ["target.example.", "."],
    "APL": ["1:192.168.32.0/21 !1:192.168.38.0/28",
            "1:224.0.0.0/4 2:FF00:0:0:0:0:0:0:0/8",
            "!2:2001:db8::/32 1:0.0.0.0/0 2:::/0",
            "1:192.0.2.1/32 2:2001:db8::1/128"],
    "DS": ["60485 5 1 " + SHA1.upper(), "2371 13 2 " + SHA256, "1 0 3 " + SHA256,
           "65535 255 255 " + SHA384],
    "SSHFP": ["1 1 " + SHA1, "4 2 " + SHA256, "0 0 ff"],
    "IPSECKEY": ["10 0 2 . " + KEY64,
                 "10 1 2 192.0.2.38 " + KEY64,
                 "10 2 2 2001:db8:0:8002::2000:1 " + KEY64,
                 "10 3 2 gateway.example. " + KEY64,
                 "255 1 0 192.0.2.3 AA=="],
    "RRSIG": ["A 8 2 3600 20240101000000 20231201000000 12345 example. " + SIG32,
              "SOA 13 0 0 20380119031407 19700101000000 0 . " + KEY64,
              "TYPE65000 5 3 4294967295 21060207062815 20000101000000 65535 sub.example. AA==",
              "NSEC3 253 1 300 20240301120000 20240201120000 1 example. " + KEY256],
    "NSEC": ["host.example. A MX RRSIG NSEC TYPE1234",
             "a.example. NS SOA RRSIG NSEC DNSKEY",
             "b.example. A CAA TA DLV",
             "c.example. TYPE65535",
             "d.example. A AAAA URI TYPE512 TYPE40000 TYPE65534"],
    "DNSKEY": ["256 3 8 " + KEY256, "257 3 13 " + KEY64, "0 0 0 AA==", "65535 255 255 " + SIG32],
    "DHCID": ["AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA=", "AA=="],
    "NSEC3": ["1 1 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr A RRSIG",
              "1 0 0 - 2vptu5timamqttgl4luu9kg21e0aor3s",
              "1 0 65535 ff 2vptu5timamqttgl4luu9kg21e0aor3s NS SOA MX TXT AAAA RRSIG DNSKEY NSEC3PARAM CAA",
              "255 255 1 0102030405060708090a0b0c0d0e0f10 vvvvvvvv A"],
    "NSEC3PARAM": ["1 0 12 aabbccdd", "1 0 0 -", "255 255 65535 ff"],
    "TLSA": ["3 1 1 " + SHA256, "0 0 1 " + SHA256.upper(), "255 255 255 00"],
    "SMIMEA": ["3 1 1 " + SHA256, "2 0 2 " + SHA384],
    "HIP": ["2 200100107b1a74df365639cc39f1d578 " + KEY64,
            "2 200100107b1a74df365639cc39f1d578 " + KEY64 + " rvs1.example. rvs2.example.",
            "255 00 AA== ."],
    "CDS": ["60485 5 1 " + SHA1, "0 0 0 00"],
    "CDNSKEY": ["257 3 8 " + KEY64, "0 3 0 AA=="],
    "OPENPGPKEY": [KEY256, "AA=="],
    "CSYNC": ["1234 3 A NS AAAA", "0 0", "4294967295 65535 NS TYPE1234 TYPE65000"],
    "ZONEMD": ["2018031500 1 1 " + SHA384, "0 1 2 " + SHA384 + SHA384[:32], "4294967295 255 255 00"],
    "SPF": ['"v=spf1 +mx a:colo.example.com/28 -all"', '"a" ""', '"\\"x\\""'],
    "EUI48": ["00-00-5e-00-53-2a", "ff-ff-ff-ff-ff-ff"],
    "EUI64": ["00-00-5e-ef-10-00-00-2a", "00-00-00-00-00-00-00-00"],
    "TKEY": ["gss-tsig. 1600000000 1600003600 3 0 " + KEY64,
             "hmac-sha256. 0 4294967295 1 16 AA== AQID"],
    "TSIG": ["hmac-sha256. 1600000000 300 32 " + base64.b64encode(bytes(32)).decode() + " 1234 NOERROR 0",
             "hmac-md5.sig-alg.reg.int. 281474976710655 65535 1 AA== 0 BADTIME 6 AAECAwQF",
             "hmac-sha1. 1 0 16 " + base64.b64encode(bytes(range(16))).decode() + " 65535 BADSIG 0"],
    "URI": ['10 1 "ftp://ftp1.example.com/public"', '0 0 "x"', '65535 65535 "https://example.com/a?b=c&d=e"'],
    "CAA": ['0 issue "ca.example.net"', '0 issuewild ";"', '128 tbs "Unknown"',
            '0 iodef "mailto:security@example.com"', '0 issue ""',
            '0 issue "ca.example.net; account=230123"', '255 x0Y9 "q\\"uote\\\\ \\001\\127"'],
    "DLV": ["60485 5 1 " + SHA1, "2371 13 2 " + SHA256],
}

# Inputs in another layout than dnspython prints (unbroken, or broken
# elsewhere), checked to give the same wire as the type's first row. Not
# written to the TSV, whose text must print back as itself.
RELAID = {
    "DNSKEY": "256 3 8 " + KEY256,
    "DS": "60485 5 1 " + SHA1[:20] + " " + SHA1[20:],
}


# Wire forms that dnspython reads and prints (from_wire, then to_text) but
# whose text does not read back to the same octets in dnspython: its printer
# drops something, or its reader turns \DDD above 127 into UTF-8. Written as
# source=dnspython-wire; test_dns_golden lists each row where our text
# differs, with the reason. Left out: WKS with no bitmap, which dnspython
# prints with a trailing blank (and otherwise as we do), and a TSIG error
# above 4095, which dnspython refuses to print.
FROM_WIRE = [
    ("WKS", "c00002010640000000"),                  # bitmap ends in zero octets
    ("ISDN", "013100"),                              # present but empty subaddress
    ("LOC", "0002166289e22a3b7e03f6a400989680"),     # size 0 x 10^2
    ("HINFO", "01ff0161"),                           # octet 255
    ("CAA", "00056973737565ff"),                     # octet 255 in the value
]


def from_wire_rows(types):
    rows = []
    nums = dict(types)
    for mnemonic, hexwire in FROM_WIRE:
        num = nums[mnemonic]
        wire = bytes.fromhex(hexwire)
        rd = dns.rdata.from_wire(dns.rdataclass.IN, num, wire, 0, len(wire), None)
        assert not isinstance(rd, dns.rdata.GenericRdata), mnemonic
        out = rd.to_text(origin=None)
        back = dns.rdata.from_text(dns.rdataclass.IN, num, out, origin=dns.name.root, relativize=False)
        assert back.to_wire(None, None, None, False) != wire, (mnemonic, "round-trips: use DNSPYTHON")
        rows.append((mnemonic, num, out, wire, "dnspython-wire"))
    return rows


def name_wire(text):
    return dns.name.from_text(text).to_wire()


# ldns-read-zone: presentation inputs for types neither dnspython nor Knot
# knows. Each is parsed by ldns, printed back in its presentation and in the
# RFC 3597 form (-U), and the pair checked to map back onto itself.
LDNS = {
    "MD": ["mad.example.", "."],
    "MF": ["maf.example.", "."],
    "MB": ["madname.example.", "."],
    "MG": ["mgmname.example.", "."],
    "MR": ["newname.example.", "."],
    "SIG": ["A 8 2 3600 20240101000000 20231201000000 12345 example. " + SIG32,
            "TYPE0 1 0 0 20380119031407 19700101000000 0 . AA=="],
    # Nimrod locators (draft-ietf-nimrod-dns): ldns, like BIND, prints the
    # octets as hex.
    "EID": ["0102030405", "ff"],
    "NIMLOC": ["32251a03", "00"],
}

# Knot (knsupdate's "show"): rdata given as RFC 3597 wire, which Knot parses
# and prints; the printed text is fed back and must print as itself.
KDIG = {
    "MINFO": [name_wire("rmailbx.example.") + name_wire("emailbx.example."),
              name_wire(".") + name_wire(".")],
    "KEY": [struct.pack("!HBB", 256, 3, 8) + base64.b64decode(KEY64),
            # (Knot cannot print an empty key field, so the RFC 2535 NOKEY
            # form with no key octets is left out.)
            struct.pack("!HBB", 0x4201, 1, 5) + bytes([1, 0, 1]),
            struct.pack("!HBB", 65535, 255, 255) + bytes([0])],
}

# No independent presentation: dnspython prints these as \#, Knot does not
# know them, and ldns either does not know them or gets them wrong (it reads
# only the first octet of SINK; it prints ATMA's format octet and E.164
# digits as one hex blob, not RFC-style text). The rows are the generic
# form; the test checks that it round-trips and that our own form of the
# same wire round-trips too.
GENERIC = {
    "NULL": [b"", b"\x01\x02\x03", bytes(range(256))],   # RFC 1035 §3.3.10: no text form
    "NXT": [name_wire("b.example.") + bytes([0x60]),      # A NS
            name_wire("host.example.") + bytes([0x40, 0x01, 0x00, 0x00, 0x02])],  # NS SOA... + bit 30
    "ATMA": [b"\x01" + b"6175551212",                    # E.164
             b"\x00" + bytes.fromhex("47000580ffe1000000f21a1e0d0020481a002000")],  # 20-octet AESA
    "A6": [b"\x00" + bytes.fromhex("20010db8000000000000000000000001"),
           b"\x40" + bytes.fromhex("0000000100020003") + name_wire("prefix.example."),
           b"\x80" + name_wire(".")],
    # meaning, coding, subcoding octets, then data (draft-eastlake-kitchen-sink)
    "SINK": [bytes([1, 2, 3]) + b"\x01\x02\x03", bytes([255, 0, 0])],
    "UINFO": [b"\x0bJohn Doe 42"],
    "UID": [struct.pack("!I", 1000), struct.pack("!I", 0xFFFFFFFF)],
    "GID": [struct.pack("!I", 100), struct.pack("!I", 0)],
    "UNSPEC": [b"", b"\xde\xad\xbe\xef"],
    "TA": [struct.pack("!HBB", 60485, 5, 1) + bytes.fromhex(SHA1)],
}

# Unknown types (not in the registry): RFC 3597 from end to end.
UNKNOWN = [("TYPE65280", 65280, b"\x0a\x0b"), ("TYPE65534", 65534, b"")]


def generic_text(wire):
    """dnspython's RFC 3597 form (its hex in 32-digit words), less the
    blank it leaves after "\\# 0" for empty rdata."""
    return dns.rdata.GenericRdata(dns.rdataclass.IN, 0, wire).to_text().rstrip()


def dnspython_rows(mnemonic, num, texts):
    rows = []
    for text in texts:
        try:
            rd = dns.rdata.from_text(dns.rdataclass.IN, num, text, origin=dns.name.root, relativize=False)
        except Exception as e:
            raise SystemExit("dnspython rejects %s %r: %s" % (mnemonic, text, e)) from e
        assert not isinstance(rd, dns.rdata.GenericRdata), (mnemonic, "dnspython lacks it")
        wire = rd.to_wire(None, None, None, False)
        # Print from the wire: some dnspython types keep the text they were
        # given (AAAA, APL and WKS addresses), so only a record read from
        # the wire prints in dnspython's own spelling.
        rd = dns.rdata.from_wire(dns.rdataclass.IN, num, wire, 0, len(wire), None)
        out = rd.to_text(origin=None)
        # The pair must map onto itself in dnspython both ways.
        back = dns.rdata.from_text(dns.rdataclass.IN, num, out, origin=dns.name.root, relativize=False)
        assert back.to_wire(None, None, None, False) == wire, (mnemonic, text, out)
        rows.append((mnemonic, num, out, wire, "dnspython"))
    if mnemonic in RELAID:
        rd = dns.rdata.from_text(dns.rdataclass.IN, num, RELAID[mnemonic], origin=dns.name.root, relativize=False)
        assert rd.to_wire(None, None, None, False) == rows[0][3], mnemonic
    return rows


def ldns_zone(rr_line):
    """Run ldns-read-zone on one record; return (presentation, generic)."""
    zone = "$TTL 3600\n@ IN SOA ns.example. h.example. 1 2 3 4 5\n" + rr_line + "\n"
    with tempfile.NamedTemporaryFile("w", suffix=".zone", delete=False) as f:
        f.write("$ORIGIN example.\n" + zone)
        path = f.name
    try:
        outs = []
        for extra in ([], ["-U", "SOA"]):
            res = subprocess.run(["ldns-read-zone", "-n"] + extra + [path],
                                 capture_output=True, text=True, check=True)
            lines = [ln for ln in res.stdout.splitlines() if ln and not ln.startswith(";")]
            assert len(lines) == 1, (rr_line, res.stdout, res.stderr)
            outs.append(lines[0].split("\t", 4)[4])
        return outs[0], outs[1]
    finally:
        os.unlink(path)


def parse_generic(text):
    m = re.fullmatch(r"\\# (\d+)((?: [0-9a-fA-F]+)*)", text)
    assert m, text
    wire = bytes.fromhex(m.group(2).replace(" ", ""))
    assert len(wire) == int(m.group(1)), text
    return wire


def ldns_rows(mnemonic, num, texts):
    rows = []
    for text in texts:
        pres, gen = ldns_zone("a 3600 IN %s %s" % (mnemonic, text))
        wire = parse_generic(gen)
        # ldns reads its own output back to the same wire, and the wire back
        # to the same output.
        assert ldns_zone("a 3600 IN %s %s" % (mnemonic, pres)) == (pres, gen), (mnemonic, text)
        assert ldns_zone("a 3600 IN TYPE%d %s" % (num, gen))[0] == pres, (mnemonic, text)
        rows.append((mnemonic, num, pres, wire, "ldns"))
    return rows


def knot_show(mnemonic, rdata_text):
    script = ("server 127.0.0.1\nzone example.\nadd a.example. 3600 IN %s %s\nshow\nquit\n"
              % (mnemonic, rdata_text))
    res = subprocess.run(["knsupdate"], input=script, capture_output=True, text=True)
    lines = [ln for ln in res.stdout.splitlines() if ln.startswith("a.example.")]
    assert len(lines) == 1 and ";; ERROR" not in res.stdout + res.stderr, (mnemonic, rdata_text, res.stdout, res.stderr)
    return re.split(r"\s*\t", lines[0], maxsplit=4)[4]


def kdig_rows(mnemonic, num, wires):
    rows = []
    for wire in wires:
        pres = knot_show("TYPE%d" % num, generic_text(wire))
        assert knot_show(mnemonic, pres) == pres, (mnemonic, pres)
        rows.append((mnemonic, num, pres, wire, "kdig"))
    return rows


def generic_rows(mnemonic, num, wires):
    rows = []
    for wire in wires:
        text = generic_text(wire)
        # dnspython's generic reader is independent of ours: same bytes.
        rd = dns.rdata.from_text(dns.rdataclass.IN, num, text)
        assert rd.to_wire(None, None, None, False) == wire, (mnemonic, text)
        rows.append((mnemonic, num, text, wire, "generic"))
    return rows


def main():
    types = registry_types()
    names = [t for t, _ in types]
    tables = {"dnspython": DNSPYTHON, "ldns": LDNS, "kdig": KDIG, "generic": GENERIC}
    seen = {}
    for src, table in tables.items():
        for t in table:
            assert t in names, "%s (%s) is not in DNS_RRTYPES" % (t, src)
            assert t not in seen, "%s listed under %s and %s" % (t, seen[t], src)
            seen[t] = src
    for t in EXCLUDED:
        assert t in names and t not in seen, t
    missing = [t for t in names if t not in seen and t not in EXCLUDED]
    assert not missing, "registry types without vectors: %s" % missing

    rows = []
    for mnemonic, num in types:
        src = seen.get(mnemonic)
        if src == "dnspython":
            rows += dnspython_rows(mnemonic, num, DNSPYTHON[mnemonic])
        elif src == "ldns":
            rows += ldns_rows(mnemonic, num, LDNS[mnemonic])
        elif src == "kdig":
            rows += kdig_rows(mnemonic, num, KDIG[mnemonic])
        elif src == "generic":
            rows += generic_rows(mnemonic, num, GENERIC[mnemonic])
    rows += from_wire_rows(types)
    for mnemonic, num, wire in UNKNOWN:
        rows.append((mnemonic, num, generic_text(wire), wire, "generic"))

    counts = {}
    with open(OUT, "w", encoding="ascii", newline="\n") as f:
        f.write("# Generated by tests/data/gen_rdata_golden.py (dnspython %s); do not edit.\n"
                % dns.version.version)
        f.write("# mnemonic\ttype\tpresentation\trdata hex (uncompressed)\tsource\n")
        f.write("# excluded meta types: %s\n" % " ".join(sorted(EXCLUDED)))
        for mnemonic, num, text, wire, src in rows:
            assert "\t" not in text and "\n" not in text, (mnemonic, text)
            assert text == text.strip() and text.isascii() and text.isprintable(), (mnemonic, text)
            assert len(wire) <= 65535
            f.write("%s\t%d\t%s\t%s\tsource=%s\n" % (mnemonic, num, text, wire.hex(), src))
            counts[src] = counts.get(src, 0) + 1
    print("wrote %d rows to %s: %s" % (len(rows), OUT,
          ", ".join("%s=%d" % kv for kv in sorted(counts.items()))), file=sys.stderr)


if __name__ == "__main__":
    main()
