#!/usr/bin/env bash
# The iptables proxy mode's benchmarks (docs/benchmarks.md): programs 1,000 Services x 10
# endpoints, times one endpoint change, and measures HTTP through a ClusterIP vs. straight to
# the backend, all inside a network namespace this script creates and deletes. Needs root.
#   bench/iptables.sh [services] [endpoints] [seconds-per-phase] [concurrency]   (default 1000 10 1 16)
# The default tools (iptables-nft here) with the default batch and the traffic run first; then, each
# in a fresh namespace, the programming alone with other batch sizes (BATCHES, default "0 25 100 250";
# 0 is one transaction) and with iptables-legacy (LEGACY=0: not). ROUNDS (default 10) alternated traffic rounds
# of seconds-per-phase each, after 3 s of warm-up per target.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
NS="k4j-ipt-bench-$$"
CP_FILE="$(mktemp /tmp/kube4j-ipt-cp.XXXXXX)"
trap 'ip netns del "$NS" 2>/dev/null || true; rm -f "$CP_FILE"' EXIT

(cd "$ROOT" && mvn -o -q -B -pl plugins-network -am compile dependency:build-classpath \
  -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=provided >/dev/null)
CP="$ROOT/plugins-network/target/classes:$ROOT/core-api/target/classes:$(cat "$CP_FILE")"

SERVICES="${1:-1000}" ENDPOINTS="${2:-10}" SECONDS_PER="${3:-1}" CONCURRENCY="${4:-16}"
setup() {
  ip netns add "$NS"
  ip netns exec "$NS" sh -c '
    ip link set lo up
    ip link add node0 type veth peer name uplink0
    ip link set uplink0 up; ip link set node0 up
    ip addr add 10.233.0.1/24 dev node0
    for a in 10.233.1.1 10.233.1.2 10.233.1.3; do ip addr add $a/32 dev node0; done
    ip route add default dev node0
    sysctl -q -w net.ipv4.ip_local_port_range="1024 65000" net.ipv4.tcp_tw_reuse=1'
}
run() {
  setup
  ip netns exec "$NS" "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Drounds="${ROUNDS:-10}" -cp "$CP" "$ROOT/bench/IptablesBench.java" \
    "$SERVICES" "$ENDPOINTS" "$SECONDS_PER" "$CONCURRENCY" "$@"
  ip netns del "$NS"
}
echo "# kube4j iptables bench $(date -u +%FT%TZ) on $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, kernel $(uname -r), $(iptables --version)"
echo "# git $(git -C "$ROOT" rev-parse --short HEAD)"
run iptables default traffic
for batch in ${BATCHES:-0 25 100 250}; do run iptables "$batch" no-traffic; done
if [ "${LEGACY:-1}" = 1 ]; then run legacy default no-traffic; fi
