#!/usr/bin/env bash
# Push benchmark (issue 18): the Gutenberg sample (about 0.9 M passages) into the local
# two-node OpenSearch cluster, graf against a plain client, then remote search latency.
#
#   1. builds the release binary and, once, a local index of ../shared/data/gutenberg/sample.jsonl.gz
#      (target/bench-push/index; GRAF_DATA_DIR overrides the data folder);
#   2. baseline: `graf push --dump` writes exactly the _bulk bodies graf would send
#      (4 MB NDJSON files, untimed); a fresh index is created with the same settings and
#      mapping, and curl posts the files, 3 at a time (xargs -P 3, graf's default parallelism);
#      (curl retries a request refused with 429 or 5xx, up to 8 times with growing delays);
#   3. graf: `graf push` of the same index into another fresh index (2 shards, 1 replica),
#      timed to the moment the replicas are allocated (green), as the baseline is;
#   4. remote latency: benches/latency.rs with GRAF_BENCH_REMOTE set (its 1,000 queries, local
#      and remote).
# Runs the baseline and graf twice, alternately (the machine is shared: A/B/A/B). Uses the
# cluster at GRAF_OPENSEARCH_URL, or starts one with scripts/services/opensearch.sh (and stops it).
set -euo pipefail
cd "$(dirname "$0")/.."

data=${GRAF_DATA_DIR:-../shared/data}/gutenberg/sample.jsonl.gz
work=target/bench-push
index=$work/index
rounds=${GRAF_BENCH_ROUNDS:-2}
if [[ ! -f $data ]]; then
    echo "bench-push: $data not found (set GRAF_DATA_DIR); skipped" >&2
    exit 0
fi
mkdir -p "$work"

started_cluster=
if [[ -z ${GRAF_OPENSEARCH_URL:-} ]]; then
    GRAF_OPENSEARCH_HEAP=${GRAF_OPENSEARCH_HEAP:-1g} bash scripts/services/opensearch.sh start "$work/services.env"
    started_cluster=1
    # shellcheck disable=SC1091
    . "$work/services.env"
fi
cleanup() { [[ -n $started_cluster ]] && bash scripts/services/opensearch.sh stop; }
trap cleanup EXIT
url=$GRAF_OPENSEARCH_URL

cargo build --release --bin graf
graf=${CARGO_TARGET_DIR:-target}/release/graf
if [[ ! -f $index/meta.json ]]; then
    echo "indexing the Gutenberg sample locally (once)"
    "$graf" ingest "$data" --index "$index"
fi
passages=$("$graf" stats --index "$index" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["passages"])')
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "local index: $passages passages"

if [[ ! -f $work/dump/index.json ]]; then
    rm -rf "$work/dump"
    "$graf" push "$url" --index "$index" --dump "$work/dump" >/dev/null
fi
echo "bulk files: $(ls "$work"/dump/bulk-*.ndjson | wc -l), $(du -sm "$work/dump" | cut -f1) MB"

green() { curl -fsS "$url/_cluster/health/$1?wait_for_status=green&timeout=600s" >/dev/null; }
count() { curl -fsS -XPOST "$url/$1/_refresh" >/dev/null; curl -fsS "$url/$1/_count" | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])'; }

baseline() {
    curl -fsS -XDELETE "$url/bench-curl" >/dev/null 2>&1 || true
    curl -fsS -XPUT "$url/bench-curl" -H 'Content-Type: application/json' --data-binary @"$work/dump/index.json" >/dev/null
    local t0 t1
    t0=$(date +%s.%N)
    ls "$work"/dump/bulk-*.ndjson | xargs -P 3 -I{} \
        curl -fsS --retry 8 -o /dev/null -XPOST "$url/bench-curl/_bulk" -H 'Content-Type: application/x-ndjson' --data-binary @{}
    curl -fsS -XPOST "$url/bench-curl/_refresh" >/dev/null
    green bench-curl
    t1=$(date +%s.%N)
    local n
    n=$(count bench-curl)
    python3 -c "print(f'baseline curl _bulk: {$n} passages in {$t1-$t0:.1f} s = {$n/($t1-$t0):.0f} passages/s')"
    curl -fsS -XDELETE "$url/bench-curl" >/dev/null
}

graf_push() {
    curl -fsS -XDELETE "$url/bench-graf" >/dev/null 2>&1 || true
    local t0 t1
    t0=$(date +%s.%N)
    "$graf" push "$url" --into bench-graf --index "$index" >"$work/graf-push.txt"
    green bench-graf
    t1=$(date +%s.%N)
    local n
    n=$(count bench-graf)
    python3 -c "print(f'graf push:           {$n} passages in {$t1-$t0:.1f} s = {$n/($t1-$t0):.0f} passages/s')"
    sed 's/^/  /' "$work/graf-push.txt"
}

for ((round = 1; round <= rounds; round++)); do
    echo "round $round (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    baseline
    graf_push
done

echo
echo "remote search latency (benches/latency.rs queries against $url/bench-graf)"
GRAF_BENCH_INDEX=$index GRAF_BENCH_REMOTE="$url/bench-graf" cargo bench --bench latency
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
