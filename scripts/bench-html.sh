#!/usr/bin/env bash
# HTML ingest speed (issue 19): `graf ingest` of the 181 pages of the article-extraction
# benchmark (../shared/data/html/html/*.html.gz, copied to a temporary folder), into a fresh
# index each run (--rebuild, 2 threads), RUNS times (default 7); prints each run and the median
# milliseconds per page, indexing included. Skips when the data is absent.
# Usage: scripts/bench-html.sh [GRAF_BINARY]   (default: cargo build --release's binary;
#        name another binary to compare builds, alternating runs on this noisy machine)
set -euo pipefail
cd "$(dirname "$0")/.."
data="${GRAF_DATA_DIR:-../shared/data}/html/html"
if [[ ! -d "$data" ]]; then
    echo "bench-html skipped: $data not found (set GRAF_DATA_DIR)"
    exit 0
fi
if [[ $# -ge 1 ]]; then
    graf="$1"
else
    cargo build --release --quiet
    graf="${CARGO_TARGET_DIR:-target}/release/graf"
fi
runs="${RUNS:-7}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/pages"
cp "$data"/*.html.gz "$work/pages/"
pages=$(find "$work/pages" -name '*.html.gz' | wc -l)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
times=()
for ((run = 1; run <= runs; run++)); do
    start=$(date +%s%N)
    "$graf" ingest "$work/pages" --index "$work/index" --rebuild --threads 2 >/dev/null 2>&1 || true
    end=$(date +%s%N)
    ms=$(( (end - start) / 1000000 ))
    times+=("$ms")
    printf 'run %d: %d ms, %.2f ms/page\n' "$run" "$ms" "$(echo "$ms / $pages" | bc -l)"
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
printf 'median: %d ms for %d pages, %.2f ms/page\n' "$median" "$pages" "$(echo "$median / $pages" | bc -l)"
