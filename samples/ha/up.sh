#!/usr/bin/env bash
# The highly available sample, with one command: a three-member etcd cluster on loopback, and two
# control-plane processes (samples/profiles/ha/control-plane-{1,2}.yaml), each with an API server
# on that etcd and a leader-elected scheduler and controller-manager, and a third process
# (samples/profiles/ha/nodes.yaml) with two nodes whose kubelets know both API servers.
#
#   samples/ha/up.sh            start everything; Ctrl-C stops everything
#   DATA=/tmp/ha samples/ha/up.sh
#
# Needs etcd (apt-get install etcd-server). Ports: etcd clients 2379, 2479, 2579 (peers +1);
# API servers 6443 and 6444. State: $DATA (default ~/.kube4j/ha): etcd-{0,1,2}/, pki/, tokens.csv,
# kubeconfig, nodes/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA="${DATA:-$HOME/.kube4j/ha}"
command -v etcd >/dev/null || { echo "ha: etcd is needed (apt-get install etcd-server)" >&2; exit 1; }
mkdir -p "$DATA"

PIDS=()
stop() {
  trap - INT TERM EXIT
  echo "ha: stopping" >&2
  # In reverse order of starting, each gone before the next is told: the control planes release
  # their leases while etcd still answers.
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    kill -TERM "${PIDS[$i]}" 2>/dev/null || true
    wait "${PIDS[$i]}" 2>/dev/null || true
  done
}
trap stop INT TERM EXIT

CLUSTER="m0=http://127.0.0.1:2380,m1=http://127.0.0.1:2480,m2=http://127.0.0.1:2580"
for i in 0 1 2; do
  client=$((2379 + 100 * i)); peer=$((client + 1))
  etcd --name "m$i" --data-dir "$DATA/etcd-$i" \
    --listen-client-urls "http://127.0.0.1:$client" --advertise-client-urls "http://127.0.0.1:$client" \
    --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
    --initial-cluster "$CLUSTER" --initial-cluster-token kube4j-ha --initial-cluster-state new \
    --log-level error >"$DATA/etcd-$i.log" 2>&1 &
  PIDS+=($!)
done
echo "ha: etcd members on 127.0.0.1:2379, :2479, :2579 (logs in $DATA/etcd-*.log)" >&2

# The first control plane creates the CA and the admin token in $DATA; the second reuses them.
for n in 1 2; do
  log="$DATA/control-plane-$n.log"
  "$ROOT/kube4j" up "$ROOT/samples/profiles/ha/control-plane-$n.yaml" --data-dir "$DATA" >"$log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 600); do
    grep -q '^export KUBECONFIG=' "$log" && break
    kill -0 "${PIDS[-1]}" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.1
  done
  grep -q '^export KUBECONFIG=' "$log" || { echo "ha: control plane $n did not start; see $log" >&2; exit 1; }
  echo "ha: control plane $n up at https://127.0.0.1:$((6442 + n)) (pid ${PIDS[-1]}, log $log)" >&2
done

# The nodes: two kubelets in a process of their own that know both API servers.
log="$DATA/nodes.log"
"$ROOT/kube4j" up "$ROOT/samples/profiles/ha/nodes.yaml" --data-dir "$DATA" >"$log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 600); do
  grep -q '^export KUBECONFIG=' "$log" && break
  kill -0 "${PIDS[-1]}" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.1
done
grep -q '^export KUBECONFIG=' "$log" || { echo "ha: the nodes did not start; see $log" >&2; exit 1; }
echo "ha: nodes node-1 and node-2 up (pid ${PIDS[-1]}, log $log), using both API servers" >&2

cat <<EOF
kube4j HA sample is up: 3 etcd members, 2 control planes (API server, scheduler, controller-manager),
and a process with 2 nodes whose kubelets fail over between the two API servers.
Point kubectl at it with (the kubeconfig names control plane 2's API server, https://127.0.0.1:6444):
export KUBECONFIG=$DATA/kubeconfig
Who leads:  kubectl get leases -n kube-system; kubectl get endpoints kube-scheduler -n kube-system -o yaml
Fail over:  kill -9 ${PIDS[3]}   (control plane 1, which started first and leads), then watch the leases move
            to control plane 2 within 15-25 s: kubectl get leases -n kube-system -w
Ctrl-C stops everything.
EOF
wait
