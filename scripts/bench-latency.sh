#!/usr/bin/env bash
# Search latency benchmark (issue 6): runs benches/latency.rs (in-process percentiles; builds
# the bench index on first use), then the CLI's cold start: `graf search TERM --index INDEX`
# run 20 times with the release binary, median and max wall time.
# Usage: scripts/bench-latency.sh [TERM]   (default term: lantern; honours CARGO_TARGET_DIR,
# GRAF_BENCH_INDEX and GRAF_DATA_DIR)
set -euo pipefail
cd "$(dirname "$0")/.."

term=${1:-lantern}
runs=20
index=${GRAF_BENCH_INDEX:-${CARGO_TARGET_DIR:-target}/bench-index}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
cargo bench --bench latency
if [[ ! -f "$index/meta.json" ]]; then
    echo "bench-latency: no index at $index: CLI cold start skipped" >&2
    exit 0
fi

cargo build --release --bin graf
graf=${CARGO_TARGET_DIR:-target}/release/graf
echo
echo "CLI cold start: $graf search $term --index $index  ($runs runs)"
python3 - "$graf" "$term" "$index" "$runs" <<'PY'
import statistics, subprocess, sys, time
graf, term, index, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
times = []
for _ in range(runs):
    started = time.perf_counter()
    subprocess.run([graf, "search", term, "--index", index], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append((time.perf_counter() - started) * 1e3)
print(f"  median {statistics.median(times):.1f} ms, max {max(times):.1f} ms, min {min(times):.1f} ms")
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
