#!/usr/bin/env bash
# Runs the benchmarks of docs/benchmarks.md against `./kube4j up` (default sqlite profile, fresh
# data dir) with the team's ApiLoad tool, and prints every result line.
#   bench/run.sh [all|start|heap|create|list|watch|schedule|etcd|simulated|podstart|deployments]     (default: all)
# Env: PORT (default 16443), SHARED (default ../shared beside the checkout), APILOAD (default ../shared/bench/ApiLoad.java), STARTS (default 5),
#      PROFILE (the load benchmarks' profile; default bench/apiserver.yaml, the API server alone;
#      schedule uses bench/scheduler.yaml: API server and scheduler), SCHEDULE (node/pod sizes for schedule,
#      default "1000:10000 5000:10000"), SIM_NODES (simulated: nodes, default 1000), SIM_PODS (simulated: pods,
#      default 30000), PODSTART (podstart: pods, default 100).
# deployments runs samples/profiles/simulated-1000.yaml (API server, scheduler, controller-manager and 1,000
# simulated nodes in one JVM): one Deployment of 10,000 replicas, another one in the now warm JVM, then 600
# Deployments of one replica. COMPONENT_TRANSPORT=https runs it with the components reaching the API server
# through its port instead of in-process (apiserver.componentTransport).
# simulated and podstart use bench/NodeLoad.java (nodes Ready; pods created with spec.nodeName → Running
# seen by a watch), run with the launcher's class path.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${PORT:-16443}"
SHARED="${SHARED:-$ROOT/../shared}"
APILOAD="${APILOAD:-$SHARED/bench/ApiLoad.java}"
STARTS="${STARTS:-5}"
JAVA="$("$SHARED/bench/java21.sh")"
JDK_BIN="$(dirname "$JAVA")"
SERVER="https://127.0.0.1:$PORT"
WORK="$(mktemp -d /tmp/kube4j-bench.XXXXXX)"
PID=""

stop() {
  if [ -n "$PID" ]; then
    kill -TERM "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    PID=""
  fi
}
trap 'stop; rm -rf "$WORK"' EXIT

now_ms() { date +%s%3N; }

# Starts ./kube4j up on a fresh data dir; sets PID, TOKEN and READY_MS (spawn to first 200 on /readyz).
# /readyz needs the token: kube4j does not serve it to anonymous callers.
start() {
  local dir="$WORK/data-$1" t0 code
  t0=$(now_ms)
  T0=$t0
  "$ROOT/kube4j" up ${PROFILE:-} --data-dir "$dir" --address "127.0.0.1:$PORT" >"$WORK/up-$1.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 3000); do
    TOKEN=$(grep -sv '^#' "$dir/tokens.csv" | head -1 | cut -d, -f1 || true)
    code=$(curl -sk -o /dev/null -w '%{http_code}' --max-time 1 -H "Authorization: Bearer $TOKEN" "$SERVER/readyz" || true)
    if [ "$code" = 200 ]; then
      READY_MS=$(( $(now_ms) - t0 ))
      return 0
    fi
    kill -0 "$PID" 2>/dev/null || { cat "$WORK/up-$1.log" >&2; return 1; }
    sleep 0.01
  done
  return 1
}

# The JVM's pid: ./kube4j execs java, so it is the launcher's pid.
heap() {
  "$JDK_BIN/jcmd" "$PID" GC.run >/dev/null
  "$JDK_BIN/jcmd" "$PID" GC.heap_info | sed 's/^/# heap: /'
  echo "op=heap rss_kib=$(awk '/VmRSS/{print $2}' "/proc/$PID/status")"
}

load() {
  "$JAVA" "$APILOAD" "$@" --server "$SERVER" --insecure --token "$TOKEN" --max-seconds 180 \
    || echo "op=failed rc=$? args=$*"
}

# ApiLoad schedule on bench/scheduler.yaml; prints the server's CPU (utime+stime of the JVM, which
# runs the API server and the scheduler) per pod, counted from when the pods start to be created.
schedule() {
  local nodes=$1 pods=$2 tck c0 c1 line
  tck=$(getconf CLK_TCK)
  c0=""
  while IFS= read -r line; do
    echo "$line"
    case "$line" in *"nodes created"*) c0=$(awk '{print $14+$15}' "/proc/$PID/stat") ;; esac
  done < <("$JAVA" "$APILOAD" schedule --nodes "$nodes" --pods "$pods" --server "$SERVER" --insecure --token "$TOKEN" \
      --max-seconds 240 --timeout-s 300 2>&1 | grep --line-buffered -v '^# schedule: bound' || echo "op=failed rc=$? schedule")
  c1=$(awk '{print $14+$15}' "/proc/$PID/stat")
  [ -n "$c0" ] && awk -v n="$nodes" -v p="$pods" -v d="$((c1 - c0))" -v t="$tck" \
    'BEGIN { printf "op=schedule_cpu nodes=%d pods=%d server_cpu_s=%.2f server_cpu_ms_per_pod=%.2f\n", n, p, d / t, d * 1000 / t / p }'
}

nodeload() {
  "$JAVA" -cp "$ROOT/distribution/target/lib/*" "$ROOT/bench/NodeLoad.java" "$@" --server "$SERVER" --token "$TOKEN" \
    || echo "op=failed rc=$? nodeload $*"
}

# utime+stime of the server JVM, in clock ticks.
cpu_ticks() { awk '{print $14+$15}' "/proc/$PID/stat"; }

# Prints op=cpu for what ran between two cpu_ticks readings ($1, $2) over $3 ms of wall time.
cpu_line() {
  awk -v what="$4" -v d="$(( $2 - $1 ))" -v t="$(getconf CLK_TCK)" -v ms="$3" \
    'BEGIN { printf "op=cpu what=%s server_cpu_s=%.2f wall_s=%.2f cores=%.2f\n", what, d / t, ms / 1000, d / t / (ms / 1000) }'
}

what="${1:-all}"
echo "# kube4j bench $(date -u +%FT%TZ) on $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; JDK $("$JAVA" -version 2>&1 | head -1)"
echo "# git $(git -C "$ROOT" rev-parse --short HEAD)"

if [ "$what" = all ] || [ "$what" = start ]; then
  for i in $(seq 1 "$STARTS"); do
    start "s$i"
    echo "op=start run=$i ready_ms=$READY_MS"
    stop
  done
fi
if [ "$what" = etcd ]; then
  # Side by side in one run, at concurrency 32: raw etcd puts (gRPC, bench/EtcdPut.java), kube4j's
  # create on that etcd (bench/apiserver-etcd.yaml), and kube4j's create on SQLite (bench/apiserver.yaml);
  # then the watch fan-out on etcd. One etcd member on 127.0.0.1:2379, its data in the work dir.
  command -v etcd >/dev/null || { echo "etcd is needed (apt-get install etcd-server)" >&2; exit 1; }
  etcd --name bench --data-dir "$WORK/etcd" --listen-client-urls http://127.0.0.1:2379 \
    --advertise-client-urls http://127.0.0.1:2379 --listen-peer-urls http://127.0.0.1:2380 \
    --log-level error >"$WORK/etcd.log" 2>&1 &
  ETCD=$!
  trap 'stop; kill $ETCD 2>/dev/null; wait $ETCD 2>/dev/null || true; rm -rf "$WORK"' EXIT
  for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/2379) 2>/dev/null && break; sleep 0.1; done
  "$JAVA" -cp "$ROOT/distribution/target/lib/*" "$ROOT/bench/EtcdPut.java" http://127.0.0.1:2379 10000 32 1633
  PROFILE="$ROOT/bench/apiserver-etcd.yaml"
  start etcd
  load create --n 10000 --concurrency 32 --label etcd
  load watch --watchers 500 --events 1000 --watch-transport http --label etcd
  stop
  PROFILE="$ROOT/bench/apiserver.yaml"
  start sqlite
  load create --n 10000 --concurrency 32 --label sqlite
  stop
  exit 0
fi
if [ "$what" = schedule ]; then
  # The API server and the scheduler only (bench/scheduler.yaml): no node that runs the load's pods.
  PROFILE="${PROFILE:-$ROOT/bench/scheduler.yaml}"
  for size in ${SCHEDULE:-1000:10000 5000:10000}; do
    start "sched-${size%%:*}"
    schedule "${size%%:*}" "${size##*:}"
    stop
  done
  exit 0
fi
if [ "$what" = simulated ]; then
  # bench/simulated.yaml: the API server and SIM_NODES simulated nodes in one JVM (no scheduler, no controllers).
  nodes="${SIM_NODES:-1000}" pods="${SIM_PODS:-30000}"
  sed "s/count: 1000/count: $nodes/" "$ROOT/bench/simulated.yaml" >"$WORK/simulated.yaml"
  PROFILE="$WORK/simulated.yaml"
  start sim
  echo "op=start profile=simulated ready_ms=$READY_MS"
  nodeload nodes --expect "$nodes" --since-ms "$T0" --max-seconds 120
  echo "op=threads what=${nodes}_nodes os_threads=$(awk '/^Threads/{print $2}' "/proc/$PID/status")"
  sleep 15   # let the start-up settle (JIT, first lease renewals) before the idle figures
  heap
  c0=$(cpu_ticks); w0=$(now_ms); sleep 30; cpu_line "$c0" "$(cpu_ticks)" "$(( $(now_ms) - w0 ))" "idle_${nodes}_nodes"
  c0=$(cpu_ticks); w0=$(now_ms)
  nodeload pods --pods "$pods" --concurrency 32 --selector kube4j.io/simulated=true --max-seconds 300
  cpu_line "$c0" "$(cpu_ticks)" "$(( $(now_ms) - w0 ))" "pods_${pods}_on_${nodes}_nodes"
  heap
  c0=$(cpu_ticks); w0=$(now_ms); sleep 30; cpu_line "$c0" "$(cpu_ticks)" "$(( $(now_ms) - w0 ))" "idle_${nodes}_nodes_${pods}_pods"
  stop
  # The baseline: the API server alone (bench/apiserver.yaml) given the same pods, bound to nodes that do
  # not exist, so that the difference is what the kubelets cost (their own work and the writes they cause).
  PROFILE="$ROOT/bench/apiserver.yaml"
  start base
  c0=$(cpu_ticks); w0=$(now_ms)
  nodeload pods --pods "$pods" --concurrency 32 --names "sim-{index}:$nodes" --max-seconds 1 | sed 's/^op=pods_running/op=baseline_pods_created/'
  cpu_line "$c0" "$(cpu_ticks)" "$(( $(now_ms) - w0 ))" "baseline_${pods}_pods_no_kubelet"
  heap
  stop
  exit 0
fi
if [ "$what" = deployments ]; then
  PROFILE="$ROOT/samples/profiles/simulated-1000.yaml"
  if [ -n "${COMPONENT_TRANSPORT:-}" ]; then
    # The same profile with apiserver.componentTransport set, e.g. https to compare with the in-process default.
    sed "s/^apiserver:\$/apiserver:\n  componentTransport: $COMPONENT_TRANSPORT/" "$PROFILE" >"$WORK/simulated-1000.yaml"
    PROFILE="$WORK/simulated-1000.yaml"
  fi
  echo "# componentTransport: ${COMPONENT_TRANSPORT:-in-process (default)}"
  start deploy
  echo "op=start profile=simulated-1000 ready_ms=$READY_MS"
  nodeload nodes --expect 1000 --since-ms "$T0" --max-seconds 120
  sleep 15   # the start-up settles (JIT, first lease renewals)
  c0=$(cpu_ticks); w0=$(now_ms)
  nodeload deployments --deployments 1 --replicas 10000 --concurrency 1 --max-seconds 300
  cpu_line "$c0" "$(cpu_ticks)" "$(( $(now_ms) - w0 ))" "deployment_10000_replicas"
  # The same again in the same JVM, now warm (JIT-compiled), beside the first one's 10,000 pods.
  sleep 10
  c0=$(cpu_ticks); w0=$(now_ms)
  nodeload deployments --deployments 1 --replicas 10000 --concurrency 1 --max-seconds 300
  cpu_line "$c0" "$(cpu_ticks)" "$(( $(now_ms) - w0 ))" "deployment_10000_replicas_warm"
  c0=$(cpu_ticks); w0=$(now_ms)
  nodeload deployments --deployments 600 --replicas 1 --concurrency 16 --max-seconds 300
  cpu_line "$c0" "$(cpu_ticks)" "$(( $(now_ms) - w0 ))" "deployments_600_of_1"
  heap
  stop
  exit 0
fi
if [ "$what" = podstart ]; then
  # samples/profiles/process-node.yaml: API server, scheduler and node-1 on the process runtime. Each pod
  # runs `sleep 3600` as a process; timed from its POST to the watch event that shows it Running.
  PROFILE="$ROOT/samples/profiles/process-node.yaml"
  start podstart
  nodeload nodes --expect 1 --since-ms "$T0" --max-seconds 60
  nodeload pods --pods 5 --concurrency 1 --node node-1 --command 'sleep 3600' --max-seconds 60 | sed 's/^op=/op=warmup_/'
  nodeload pods --pods "${PODSTART:-100}" --concurrency 1 --node node-1 --command 'sleep 3600' --max-seconds 120
  stop
  exit 0
fi
if [ "$what" != start ]; then
  # The load benchmarks measure the API server alone (bench/apiserver.yaml); start and heap the default profile.
  [ "$what" = heap ] || PROFILE="${PROFILE:-$ROOT/bench/apiserver.yaml}"
  start main
  case "$what" in
    all)
      heap
      load create --n 10000 --concurrency 32
      heap
      load list --n 10000 --iterations 5
      load watch --watchers 500 --events 1000 --watch-transport http
      load watch --watchers 500 --events 1000 --watch-transport ws
      ;;
    heap) heap ;;
    create)
      # A fresh JVM first (the JIT compiles as it goes), then the same server warm.
      load create --n 10000 --concurrency 32 --label fresh-jvm
      load create --n 20000 --concurrency 32 --label warm
      ;;
    list) load list --n 10000 --iterations 5 ;;
    watch)
      load watch --watchers 500 --events 1000 --watch-transport http
      load watch --watchers 500 --events 1000 --watch-transport ws
      ;;
  esac
fi
