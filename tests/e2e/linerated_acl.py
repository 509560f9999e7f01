#!/usr/bin/python3
"""dns.acl (issue #7): linerated --config with rules that refuse the client's
IPv4 prefix and drop its IPv6 prefix, queried from the client namespace:

  * over IPv4 every query gets REFUSED, also one for a name the zone holds
    (a template hit: the fast lane must not answer it) and a CHAOS
    version.bind (a refused client learns nothing of the server);
  * over IPv6 no query is answered;
  * ping over IPv6 (ND and echo) still works: the list is the DNS
    service's, not a firewall;
  * `linerate-ctl stats` counts them: dns_acl_refused, dns_acl_dropped;
  * `config dump` shows the rules as loaded.

    linerated_acl.py --linerated PATH --ctl PATH/linerate-ctl [--zones DIR]

Exit 0 all good; 1 a failure; 77 not root / no netns.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import lr_e2e  # noqa: E402
from lr_e2e import V4, V6, Checks, log  # noqa: E402

lr_e2e.require_netns('linerated_acl')

ACL = ('acl: [{prefix: 192.0.2.0/24, action: refuse}, '
       '{prefix: "2001:db8::/32", action: drop}], ')


def query(name, qtype, qclass='IN'):
    import dns.message
    return dns.message.make_query(name, qtype, rdclass=qclass).to_wire()


def rcode(wire):
    return wire[3] & 0x0f if wire and len(wire) >= 12 else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--linerated', required=True)
    ap.add_argument('--ctl', required=True)
    ap.add_argument('--zones', default=os.path.join(HERE, '..', 'data', 'zones'))
    a = ap.parse_args()
    c = Checks()
    tmp = tempfile.mkdtemp(prefix='lr-acl-')
    sock = os.path.join(tmp, 'control.sock')
    try:
        with lr_e2e.environment('lra') as ns:
            config = lr_e2e.daemon_config(ns, a.zones, sock, '').replace('dns: {zones:',
                                                                         'dns: {' + ACL + 'zones:')
            # the readiness probe over IPv4 gets REFUSED: an answer all the same
            d = lr_e2e.start_daemon_config(ns, a.linerated, config, 'example.com.', (V4,))
            try:
                for name, qtype, qclass in (('example.com.', 'SOA', 'IN'),
                                            ('www.example.com.', 'A', 'IN'),
                                            ('nosuch.example.com.', 'A', 'IN'),
                                            ('version.bind.', 'TXT', 'CH')):
                    r = lr_e2e.udp_exchange(V4, query(name, qtype, qclass), 2.0)
                    c.check(rcode(r) == 5, 'IPv4 %s %s %s: REFUSED (got rcode %s)'
                            % (name, qclass, qtype, rcode(r)))
                    r = lr_e2e.udp_exchange(V6, query(name, qtype, qclass), 1.0)
                    c.check(r is None, 'IPv6 %s %s %s: dropped, no answer' % (name, qclass, qtype))
                p = subprocess.run(['ping', '-6', '-c', '1', '-W', '2', V6], capture_output=True,
                                   text=True)
                c.check(p.returncode == 0, 'ping %s still answered: %s' % (V6, p.stdout[-200:]))
                st = lr_e2e.ctl_json(a.ctl, sock, 'stats')
                log('stats: dns_acl_refused %s dns_acl_dropped %s dns_answers %s'
                    % (st.get('dns_acl_refused'), st.get('dns_acl_dropped'), st.get('dns_answers')))
                c.check(st.get('dns_acl_refused', 0) >= 5,
                        'dns_acl_refused counts the probe and 4 queries: %s'
                        % st.get('dns_acl_refused'))
                c.check(st.get('dns_acl_dropped', 0) == 4,
                        'dns_acl_dropped counts the 4 IPv6 queries: %s'
                        % st.get('dns_acl_dropped'))
                dump = lr_e2e.ctl_json(a.ctl, sock, 'config', 'dump').get('config', '')
                c.check('prefix: "192.0.2.0/24", action: refuse' in dump and
                        'prefix: "2001:db8::/32", action: drop' in dump,
                        'config dump shows the rules: %s' % dump[dump.find('acl'):][:200])
            finally:
                d.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return c.finish('linerated_acl')


if __name__ == '__main__':
    sys.exit(main())
