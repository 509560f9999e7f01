#!/usr/bin/env bash
# The main job, end to end, on a fresh Debian 12 machine (run as root):
# set up, build, start linerated in a network namespace on a veth pair
# (net_af_packet, no hugepages), ask it questions from the other namespace
# with dig over IPv4 and IPv6, send it SNMP traps and informs with net-snmp
# (v2c and v3 authPriv), show the journaled traps and its counters, clean up.
set -euo pipefail
cd "$(dirname "$0")/.."
here=$(pwd)
NS=lrdemo # tools/demo/linerated.yaml names its veth end, lrdemod0
BUILD=${LR_DEMO_BUILD:-build-demo}

if [ "$(id -u)" -ne 0 ]; then
	echo "demo.sh: run as root (it creates network namespaces)" >&2
	exit 1
fi
bash tools/setup.sh
if [ ! -f "$BUILD/build.ninja" ]; then
	meson setup "$BUILD" -Dbuildtype=release -Db_lto=true -Dtests=disabled >/dev/null
fi
ninja -C "$BUILD" >/dev/null

# shellcheck source=tools/netns.sh
. tools/netns.sh
daemon=
cleanup() {
	if [ -n "$daemon" ] && kill -0 "$daemon" 2>/dev/null; then
		kill -TERM "$daemon"
		wait "$daemon" 2>/dev/null || true
	fi
	lr_netns_down "$NS"
	rmdir /var/run/dpdk/lrdemo 2>/dev/null || true # the EAL's runtime directory
	rm -rf /tmp/linerate-demo-journal /tmp/linerate-demo-traps.jsonl* # tools/demo/linerated.yaml
}
trap cleanup EXIT INT TERM
rm -rf /tmp/linerate-demo-journal /tmp/linerate-demo-traps.jsonl* # a fresh journal
lr_netns_up "$NS"

echo "== starting linerated in $NS-d on ${NS}d0 (192.0.2.53, 2001:db8::53): tools/demo/linerated.yaml"
ip netns exec "$NS-d" "$here/$BUILD/dataplane/linerated/linerated" --config tools/demo/linerated.yaml &
daemon=$!

c() { ip netns exec "$NS-c" "$@"; }
# ready when it answers (bounded: 50 tries, 0.2 s apart)
for _ in $(seq 50); do
	if c dig +short +tries=1 +time=1 @192.0.2.53 example.com SOA >/dev/null 2>&1; then
		break
	fi
	sleep 0.2
done

# several types, a CNAME, an NXDOMAIN, a wildcard, a referral
for q in "www.example.com A" "www.example.com AAAA" "example.com MX" "ftp.example.com A" \
	"nothing.www.example.com A" "anything.example.com TXT" "host.dev.example.com A"; do
	for server in 192.0.2.53 2001:db8::53; do
		echo "== dig @$server $q"
		# shellcheck disable=SC2086
		c dig +norec +tries=1 +time=2 @"$server" $q |
			sed -n '/->>HEADER/p;/ANSWER SECTION/,/^$/p;/AUTHORITY SECTION/,/^$/p;/ADDITIONAL SECTION/,/^$/p'
	done
done
echo "== ping and ping6 (ARP and ND answered by linerated)"
c ping -c 2 -W 1 192.0.2.53 | tail -2
c ping -6 -c 2 -W 1 2001:db8::53 | tail -2
echo "== CHAOS: version.bind"
c dig +short +tries=1 +time=2 @192.0.2.53 version.bind TXT CH
# SNMP: 1.3.6.1.6.3.1.1.5.3 is linkDown (IF-MIB), with ifIndex, ifAdminStatus
# and ifOperStatus; net-snmp's tools read no MIBs here (MIBS= : numeric)
linkdown=(1.3.6.1.6.3.1.1.5.3 1.3.6.1.2.1.2.2.1.1.2 i 2 1.3.6.1.2.1.2.2.1.7.2 i 1
	1.3.6.1.2.1.2.2.1.8.2 i 2)
echo "== snmptrap -v 2c -c public 192.0.2.53 (linkDown)"
c env MIBS= snmptrap -v 2c -c public 192.0.2.53:162 '' "${linkdown[@]}"
echo "== snmpinform -v 3 -l authPriv -a SHA-256 -x AES (discovers our engine; acknowledged once journaled)"
if c env MIBS= snmpinform -v 3 -u demo -l authPriv -a SHA-256 -A demo-auth-pass -x AES \
	-X demo-priv-pass -r 2 -t 2 udp:192.0.2.53:162 '' "${linkdown[@]}"; then
	echo "snmpinform: acknowledged"
fi
echo "== snmpinform -v 3 with a wrong password (our Report: usmStatsWrongDigests)"
c env MIBS= snmpinform -v 3 -u demo -l authPriv -a SHA-256 -A wrong-password -x AES \
	-X demo-priv-pass -r 0 -t 2 udp:192.0.2.53:162 '' "${linkdown[@]}" 2>&1 | head -2 || true
sleep 0.5 # the file sink follows the journal
echo "== /tmp/linerate-demo-traps.jsonl (the file sink), trap OID and varbind names"
cat /tmp/linerate-demo-traps.jsonl
echo "== linerate-ctl stats"
"$here/$BUILD/tools/linerate-ctl" -s /tmp/linerate-demo.sock stats
# the metrics listener is on the daemon namespace's loopback (its veth
# belongs to DPDK)
echo "== Prometheus: curl http://127.0.0.1:9253/metrics (in $NS-d), DNS responses by rcode"
ip netns exec "$NS-d" curl -s --max-time 5 http://127.0.0.1:9253/metrics |
	grep -E '^linerate_dns_responses_total\{rcode="(NOERROR|NXDOMAIN|REFUSED)"\}'
echo "== DPDK telemetry: dpdk-telemetry.py -f lrdemo, /linerate/dns"
echo /linerate/dns | dpdk-telemetry.py -f lrdemo
echo "== stopping linerated: its counters"
kill -TERM "$daemon"
wait "$daemon" || true
daemon=
