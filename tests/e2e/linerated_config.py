#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""linerated --config refuses a bad worker or queue set-up at start, naming
the key (issue #4), and starts with a good one. Ports are net_ring devices:
no network, no namespace.

Refused (exit 1, the key and the reason on stderr):
  * a workers: lcore the EAL does not have (eal: -l 0-1, workers: [1, 100]);
  * the EAL's main lcore as a worker (workers: [0]);
  * rx_queues above the number of workers, with workers: absent (every EAL
    worker lcore: one) and with workers: given;
  * tx_queues below the RX queues (two workers, so two RX queues);
  * a port whose device the EAL made no port for (a PCI address with
    --no-pci).
Started: two net_ring ports, one of them also given in eal: (linerated must
not give it twice), workers: [1, 2] on two EAL lcores where no port has two
queues (net_ring has no RSS): `linerate-ctl status` shows both ports and the
one worker started; stderr warns about the other.

    linerated_config.py --linerated PATH --ctl PATH/linerate-ctl

Exit 0 all good; 1 a failure; 77 not root.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
# pylint: disable=wrong-import-position
import lr_e2e  # noqa: E402
from lr_e2e import Checks, log  # noqa: E402

EAL = ('eal: [--no-huge, --no-shconf, -m, "128", --no-pci, --log-level, "*:warning", '
       '--lcores, "%s"%s]\n')
TWO_LCORES, THREE_LCORES = '0@0,1@1', '0@0,1@1,2@1'   # lcore 2 shares CPU 1: never started here
PORT = 'ports: [{name: a, device: net_ring0, ipv4: [192.0.2.53]%s}]\n'

REFUSED = [
    ('worker not an EAL lcore', EAL % (TWO_LCORES, '') + PORT % '' + 'workers: [1, 100]\n',
     ['workers[1]', "lcore 100 is not one of the EAL's lcores"]),
    ('main lcore as worker', EAL % (TWO_LCORES, '') + PORT % '' + 'workers: [0]\n',
     ['workers[0]', "lcore 0 is the EAL's main lcore"]),
    ('rx_queues over the EAL workers', EAL % (TWO_LCORES, '') + PORT % ', rx_queues: 2',
     ['ports[0].rx_queues', '2 RX queues but only 1 worker']),
    ('rx_queues over workers:', EAL % (TWO_LCORES, '') + PORT % ', rx_queues: 2' +
     'workers: [1]\n', ['ports[0].rx_queues', '2 RX queues but only 1 workers']),
    ('tx_queues under the RX queues', EAL % (THREE_LCORES, '') + PORT % ', tx_queues: 1',
     ['ports[0].tx_queues', '1 TX queues for 2 RX queues']),
    ('no such device', EAL % (TWO_LCORES, '') +
     'ports: [{name: a, device: "0000:00:1f.6", ipv4: [192.0.2.53]}]\n',
     ['ports[0].device 0000:00:1f.6', 'no such DPDK port']),
]


def run(linerated, path, text, seconds=1):
    with open(path, 'w') as f:
        f.write(text)
    return subprocess.run([linerated, '--config', path, '--run-seconds', str(seconds)],
                          capture_output=True, text=True, timeout=60)


def started(c, linerated, ctl, tmp):
    sock = os.path.join(tmp, 'control.sock')
    path = os.path.join(tmp, 'good.yaml')
    with open(path, 'w') as f:
        f.write(EAL % (THREE_LCORES, ', --vdev, net_ring0') +
                'ports:\n'
                '  - {name: a, device: net_ring0, ipv4: [192.0.2.53], ipv6: ["2001:db8::53"]}\n'
                '  - {name: b, device: net_ring1, ipv4: [198.51.100.53], vlan: 7}\n'
                'workers: [1, 2]\n'
                'control: {socket: %s}\n' % sock)
    errpath = os.path.join(tmp, 'good.log')
    with open(errpath, 'w') as err:
        proc = subprocess.Popen([linerated, '--config', path, '--run-seconds', '20'],
                                stdout=err, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        st = None
        for _ in range(80):
            if proc.poll() is not None:
                break
            r = subprocess.run([ctl, '--json', '-s', sock, 'status'], capture_output=True,
                               text=True, timeout=10)
            if r.returncode == 0:
                st = json.loads(r.stdout)
                break
            time.sleep(0.25)
        if c.check(st is not None, 'no status from the control socket'):
            ports = st.get('ports', [])
            c.check([p.get('name') for p in ports] == ['a', 'b'], 'ports %s' % ports)
            c.check([p.get('device') for p in ports] == ['net_ring0', 'net_ring1'],
                    'devices %s' % ports)
            c.check([p.get('vlan') for p in ports] == [None, 7], 'vlans %s' % ports)
            c.check(all(p.get('rx_queues') == 1 and p.get('link') == 'up' for p in ports),
                    'queues and link %s' % ports)
            c.check(st.get('worker_lcores') == [1], 'worker_lcores %s' % st.get('worker_lcores'))
    finally:
        if proc.poll() is None:
            proc.terminate()
        proc.wait(15)
    with open(errpath) as f:
        text = f.read()
    c.check(proc.returncode == 0, 'exit %s:\n%s' % (proc.returncode, text))
    c.check('linerated: port a = DPDK port' in text and 'linerated: port b = DPDK port' in text,
            'both ports set up:\n' + text)
    c.check('from lcore 2 on have no queue to poll' in text, 'the idle worker is told:\n' + text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--linerated', required=True)
    ap.add_argument('--ctl', required=True)
    a = ap.parse_args()
    if os.geteuid() != 0:
        lr_e2e.skip('linerated_config runs DPDK (root)')
    c = Checks()
    tmp = tempfile.mkdtemp(prefix='lr-config-')
    try:
        for what, text, want in REFUSED:
            r = run(a.linerated, os.path.join(tmp, 'bad.yaml'), text)
            c.check(r.returncode == 1 and all(w in r.stderr for w in want),
                    '%s: exit %d, stderr lacks %s:\n%s' % (what, r.returncode, want, r.stderr))
        started(c, a.linerated, a.ctl, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log('config cases: %d refused, one started' % len(REFUSED))
    return c.finish('linerated_config')


if __name__ == '__main__':
    sys.exit(main())
