#!/usr/bin/env bash
# A two-node OpenSearch 2.19.6 cluster on 127.0.0.1 for graf's remote tests (tests/opensearch.rs)
# and scripts/bench-push.sh, run from Maven Central artifacts by the launcher in opensearch/.
#
#   opensearch.sh start ENV_FILE   build the launcher (first run downloads ~100 MB into ~/.m2),
#                                  start both nodes, wait for green, append to ENV_FILE:
#                                    GRAF_OPENSEARCH_URL=http://127.0.0.1:PORT
#                                    GRAF_OPENSEARCH_DATA_NODE_PID=FILE  (the node a test may kill)
#   opensearch.sh stop             stop both nodes (a node already dead is fine), remove the data
#
# Node 1 is cluster-manager-eligible and holds data; node 2 holds data only, so that killing
# node 2 leaves a quorum and searches answer from replicas. Ports: GRAF_OPENSEARCH_PORT (HTTP of
# node 1, default 9200; node 2 takes +1) and transport ports 9300/9301 shifted by the same amount.
# Heaps: GRAF_OPENSEARCH_HEAP (default 512m) per node.
set -euo pipefail
cd "$(dirname "$0")/../.."

root="$PWD"
state="$root/target/opensearch"
launcher="$root/opensearch"
http1="${GRAF_OPENSEARCH_PORT:-9200}"
http2=$((http1 + 1))
transport1=$((http1 + 100))
transport2=$((http1 + 101))
heap="${GRAF_OPENSEARCH_HEAP:-512m}"
wait_seconds="${GRAF_OPENSEARCH_WAIT:-150}"

say() { echo "opensearch: $*" >&2; }

build() {
  command -v java >/dev/null || { say "java not found (Java 17 is needed)"; return 1; }
  command -v mvn >/dev/null || { say "mvn not found (Maven is needed)"; return 1; }
  local jar="$launcher/target/graf-opensearch-launcher-1.jar"
  if [ -f "$jar" ] && [ -d "$launcher/target/lib" ] &&
    [ -z "$(find "$launcher/pom.xml" "$launcher/src" -newer "$jar" -type f)" ]; then
    return 0
  fi
  say "building the launcher (mvn package; the first run downloads OpenSearch into ~/.m2)"
  # Offline first: once ~/.m2 holds everything, no network is needed.
  (cd "$launcher" && { mvn -q -B -o package >"$state/mvn.log" 2>&1 ||
    mvn -q -B package >"$state/mvn.log" 2>&1; }) || {
    say "mvn package failed; see $state/mvn.log"
    return 1
  }
}

start_node() {
  local name=$1 http=$2 transport=$3 roles=$4
  local home="$state/$name"
  mkdir -p "$home/data" "$home/logs"
  java -Xms"$heap" -Xmx"$heap" -XX:+UseSerialGC -Xss1m \
    -Djava.awt.headless=true -Dfile.encoding=UTF-8 \
    -Dio.netty.noUnsafe=true -Dio.netty.recycler.maxCapacityPerThread=0 \
    -cp "$launcher/target/graf-opensearch-launcher-1.jar:$launcher/target/lib/*" \
    graf.opensearch.Launcher \
    cluster.name=graf-test node.name="$name" node.roles="$roles" \
    path.home="$home" path.data="$home/data" path.logs="$home/logs" \
    http.port="$http" transport.port="$transport" \
    discovery.seed_hosts="127.0.0.1:$transport1,127.0.0.1:$transport2" \
    cluster.initial_cluster_manager_nodes=node-1 \
    >"$home/node.log" 2>&1 &
  echo $! >"$state/$name.pid"
}

port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
  local env_file=$1
  mkdir -p "$state"
  stop_nodes
  rm -rf "$state/node-1" "$state/node-2"
  for port in "$http1" "$http2" "$transport1" "$transport2"; do
    if port_busy "$port"; then
      say "port $port on 127.0.0.1 is taken (set GRAF_OPENSEARCH_PORT)"
      return 1
    fi
  done
  build
  local began=$SECONDS
  start_node node-1 "$http1" "$transport1" cluster_manager,data,ingest
  start_node node-2 "$http2" "$transport2" data,ingest
  local url="http://127.0.0.1:$http1"
  until curl -fsS "$url/_cluster/health?wait_for_status=green&wait_for_nodes=2&timeout=5s" 2>/dev/null |
    grep -q '"status":"green"'; do
    for name in node-1 node-2; do
      if ! kill -0 "$(cat "$state/$name.pid")" 2>/dev/null; then
        say "$name exited; see $state/$name/node.log"
        stop_nodes
        return 1
      fi
    done
    if ((SECONDS - began > wait_seconds)); then
      say "not green after ${wait_seconds}s; see $state/node-*/node.log"
      stop_nodes
      return 1
    fi
    sleep 1
  done
  say "two nodes green at $url in $((SECONDS - began))s"
  {
    echo "GRAF_OPENSEARCH_URL=$url"
    echo "GRAF_OPENSEARCH_DATA_NODE_PID=$state/node-2.pid"
  } >>"$env_file"
}

# Stops the nodes whose pid files exist: SIGTERM (the node closes cleanly), SIGKILL after 20 s.
stop_nodes() {
  local name pid
  for name in node-1 node-2; do
    [ -f "$state/$name.pid" ] || continue
    pid=$(cat "$state/$name.pid")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 40); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
      done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$state/$name.pid"
  done
}

case "${1:-}" in
start)
  [ $# -eq 2 ] || { say "usage: $0 start ENV_FILE"; exit 2; }
  start "$2"
  ;;
stop)
  stop_nodes
  rm -rf "$state/node-1" "$state/node-2"
  ;;
*)
  say "usage: $0 start ENV_FILE | stop"
  exit 2
  ;;
esac
