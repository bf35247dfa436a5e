#!/usr/bin/env bash
# Ingest benchmark (issue 5): builds benches/ingest.rs once, runs it as `graf` (the library's
# pipeline) and as `bare` (a bare tantivy loop, same schema), each in its own process so peak
# RSS is the mode's own, then prints a table and the graf/bare throughput ratio.
# Targets: graf throughput >= 0.8 x bare; graf peak RSS <= 256 MB budget + 150 MB.
# Usage: scripts/bench-ingest.sh   (honours CARGO_TARGET_DIR and GRAF_DATA_DIR)
set -euo pipefail
cd "$(dirname "$0")/.."

bench=$(cargo bench --bench ingest --no-run --message-format=json | python3 -c '
import json, sys
for line in sys.stdin:
    message = json.loads(line)
    if message.get("reason") == "compiler-artifact" and message["target"]["name"] == "ingest" and message.get("executable"):
        print(message["executable"])' | tail -n 1)
if [[ -z "$bench" ]]; then
    echo "bench-ingest: could not find the ingest bench executable" >&2
    exit 1
fi

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
results=()
for mode in graf bare; do
    echo "== $mode"
    output=$("$bench" "$mode")
    echo "$output"
    if ! line=$(grep '^RESULT ' <<<"$output"); then
        echo "bench-ingest: no result for $mode (input missing?)" >&2
        exit 0
    fi
    results+=("$line")
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

printf '%s\n' "${results[@]}" | awk '
    {
        for (i = 2; i <= NF; i++) { split($i, kv, "="); v[NR, kv[1]] = kv[2] }
    }
    END {
        printf "\n%-5s %9s %8s %12s %12s %9s\n", "mode", "seconds", "MB/s", "passages/s", "peak RSS MB", "index MB"
        for (r = 1; r <= NR; r++)
            printf "%-5s %9s %8s %12s %12s %9s\n", v[r, "mode"], v[r, "seconds"], v[r, "mb_per_s"],
                v[r, "passages_per_s"], v[r, "peak_rss_mb"], v[r, "index_mb"]
        ratio = v[1, "mb_per_s"] / v[2, "mb_per_s"]
        printf "\ngraf/bare throughput (MB/s): %.2f (target >= 0.80: %s)\n", ratio, (ratio >= 0.8 ? "met" : "MISSED")
        rss = v[1, "peak_rss_mb"]
        printf "graf peak RSS: %s MB (target <= 406 MB: %s)\n", rss, (rss <= 406 ? "met" : "MISSED")
    }'
