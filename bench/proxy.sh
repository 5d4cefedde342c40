#!/usr/bin/env bash
# The userspace proxy benchmark of docs/benchmarks.md: requests/s and latency through a Service's
# cluster IP (kube-proxy's userspace mode) beside the same requests straight to the pod, in one run.
# Starts samples/profiles/userspace-proxy.yaml inside a network namespace of its own (needs root,
# iproute2, kubectl, and wrk: apt-get install wrk), one pod running bench/HttpHello.java, and runs
# wrk against both addresses, alternating, ROUNDS times.
#   bench/proxy.sh
# Env: DURATION (wrk -d, default 15s), CONNECTIONS (wrk -c, default 32), THREADS (wrk -t, default 1), ROUNDS (default 2)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${DURATION:-15s}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-1}"
ROUNDS="${ROUNDS:-2}"
NS="k4j-bench-$$"
WORK="$(mktemp -d /tmp/kube4j-proxy-bench.XXXXXX)"
PID=""
JAVA="$(readlink -f "${KUBE4J_JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/java}}" 2>/dev/null || true)"
[ -x "$JAVA" ] || JAVA="$(ls -d /usr/lib/jvm/*/bin/java | sort -V | tail -1)"

cleanup() {
  if [ -n "$PID" ]; then
    kill -TERM "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
  fi
  # Whatever still runs in the namespace was started here.
  for p in $(ip netns pids "$NS" 2>/dev/null); do kill -KILL "$p" 2>/dev/null || true; done
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

in_ns() { ip netns exec "$NS" "$@"; }
k() { in_ns kubectl --kubeconfig "$WORK/data/kubeconfig" "$@"; }

ip netns add "$NS"
in_ns ip link set lo up
in_ns "$ROOT/kube4j" up "$ROOT/samples/profiles/userspace-proxy.yaml" --data-dir "$WORK/data" \
  --address 127.0.0.1:6443 >"$WORK/up.log" 2>&1 &
PID=$!
for _ in $(seq 1 600); do
  grep -qs '^export KUBECONFIG=' "$WORK/up.log" && break
  kill -0 "$PID" 2>/dev/null || { cat "$WORK/up.log" >&2; exit 1; }
  sleep 0.1
done
k wait --for=condition=Ready node/node-1 --timeout=60s >/dev/null
k apply -f - >/dev/null <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: hello}
spec:
  replicas: 1
  selector: {matchLabels: {app: hello}}
  template:
    metadata: {labels: {app: hello}}
    spec:
      containers:
      - name: hello
        image: java
        command: [$JAVA, -XX:+UseSerialGC, $ROOT/bench/HttpHello.java, "9090"]
        ports: [{containerPort: 9090}]
        readinessProbe: {tcpSocket: {port: 9090}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: hello}
spec:
  selector: {app: hello}
  ports: [{port: 80, targetPort: 9090}]
YAML
k wait --for=condition=Available deployment/hello --timeout=120s >/dev/null
CIP=$(k get service hello -o jsonpath='{.spec.clusterIP}')
for _ in $(seq 1 100); do in_ns curl -sf --max-time 1 "http://$CIP/" >/dev/null && break; sleep 0.1; done

# wrk --latency prints "99%  1.23ms"; turn it into milliseconds.
ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }
run() {
  local name=$1 url=$2 out rps p50 p99
  out=$(in_ns wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url")
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
  p99=$(ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
  echo "op=$name connections=$CONNECTIONS duration=$DURATION requests_per_s=$rps p50_ms=$p50 p99_ms=$p99 ${errors:+errors=\"$errors\"}"
}

echo "# $(date -u +%FT%TZ) commit $(git -C "$ROOT" rev-parse --short HEAD) $(nproc) cores; pod 127.0.0.1:9090, cluster IP $CIP:80"
in_ns wrk -t1 -c"$CONNECTIONS" -d5s "http://127.0.0.1:9090/" >/dev/null   # warm-up, JIT of the backend
in_ns wrk -t1 -c"$CONNECTIONS" -d10s "http://$CIP/" >/dev/null            # warm-up, JIT of the proxy
for r in $(seq 1 "$ROUNDS"); do
  run direct "http://127.0.0.1:9090/"
  run cluster_ip "http://$CIP/"
done
