#!/usr/bin/env bash
# HTML ingest speed (issue 19): `graf ingest` of the 181 pages of the article-extraction
# benchmark (../shared/data/html/html/*.html.gz, copied to a temporary folder), into a fresh
# index each run (--rebuild, 2 threads), RUNS times (default 7); prints each run and the median
# milliseconds per page, indexing included, wall-clock and CPU (user + system: steadier when
# the machine is shared). Skips when the data is absent.
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
cpus=()
TIMEFORMAT='%R %U %S'
for ((run = 1; run <= runs; run++)); do
    measured=$({ time "$graf" ingest "$work/pages" --index "$work/index" --rebuild --threads 2 >/dev/null 2>&1; } 2>&1 | tail -n 1)
    read -r wall user sys <<<"$measured"
    ms=$(echo "$wall * 1000 / 1" | bc)
    cpu=$(echo "($user + $sys) * 1000 / 1" | bc)
    times+=("$ms")
    cpus+=("$cpu")
    printf 'run %d: %d ms wall, %.2f ms/page; %d ms CPU, %.2f ms CPU/page\n' "$run" "$ms" \
        "$(echo "$ms / $pages" | bc -l)" "$cpu" "$(echo "$cpu / $pages" | bc -l)"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
wall=$(median "${times[@]}")
cpu=$(median "${cpus[@]}")
printf 'median: %d ms wall (%.2f ms/page), %d ms CPU (%.2f ms CPU/page) for %d pages\n' \
    "$wall" "$(echo "$wall / $pages" | bc -l)" "$cpu" "$(echo "$cpu / $pages" | bc -l)" "$pages"
