#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Parse one DNS message (hex on the command line) with dnspython, an
independent implementation, and print it as dnspython sees it. test_dns_msg.c
runs this on what the builder wrote and compares the text; any exception
(bad compression pointer, trailing bytes, bad OPT) exits non-zero."""
import sys

import dns.message

msg = dns.message.from_wire(bytes.fromhex(sys.argv[1]))
print(msg.to_text())
