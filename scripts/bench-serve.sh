#!/usr/bin/env bash
# Load benchmark of `graf serve` (issue 17): wrk (Debian's package, installed when missing)
# against the release binary on loopback, over the Gutenberg sample index (about 0.9 M
# passages). Reports requests per second, p50 and p99 latency, and errors, for /api/search
# (no facets) at 1, 8 and 64 connections and for the HTML search page at 8.
#
# Queries: 500 drawn with a fixed seed from the sample's own text (a frequent word, 2-4
# words, a two-word phrase), cycled through by every connection, so the figures are not
# one cached query. Each run is bounded: DURATION seconds (default 10) after a 3 s warm-up.
#
# Usage: scripts/bench-serve.sh   (honours CARGO_TARGET_DIR, GRAF_BENCH_INDEX, GRAF_DATA_DIR,
# DURATION). The index is $GRAF_BENCH_INDEX, else <target>/bench-index (the one
# benches/latency.rs builds), built with `graf ingest --threads 2` when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

target=${CARGO_TARGET_DIR:-target}
index=${GRAF_BENCH_INDEX:-$target/bench-index}
sample=${GRAF_DATA_DIR:-../shared/data}/gutenberg/sample.jsonl.gz
duration=${DURATION:-10}
work="$target/bench-serve"
mkdir -p "$work"

if ! command -v wrk >/dev/null; then
  echo "bench-serve: installing wrk with apt-get" >&2
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
if [[ ! -f "$sample" && ! -f "$index/meta.json" ]]; then
  echo "bench-serve: skipped: no index at $index and no Gutenberg sample at $sample" >&2
  exit 0
fi

cargo build --release --bin graf
graf="$target/release/graf"
if [[ ! -f "$index/meta.json" ]]; then
  echo "bench-serve: building $index from $sample" >&2
  "$graf" ingest "$sample" --index "$index" --threads 2 --memory 256M
fi

python3 - "$sample" "$work" <<'PY'
import gzip, json, random, re, sys, urllib.parse
sample, work = sys.argv[1], sys.argv[2]
rng = random.Random(0x5eed)
texts = []
with gzip.open(sample, "rt", encoding="utf-8") as lines:
    for number, line in enumerate(lines):
        if number % 50 == 0:
            record = json.loads(line)
            texts.append(record.get("text") or record.get("body") or "")
        if len(texts) >= 1000:
            break
stop = set("a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with".split())
def words(text):
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w.lower() not in stop]
queries = []
while len(queries) < 500:
    found = words(rng.choice(texts))
    if len(found) < 6:
        continue
    kind = len(queries) % 3
    start = rng.randrange(len(found) - 4)
    if kind == 0:
        queries.append(found[start].lower())
    elif kind == 1:
        queries.append(" ".join(w.lower() for w in found[start:start + rng.randint(2, 4)]))
    else:
        queries.append('"%s %s"' % (found[start].lower(), found[start + 1].lower()))
for name, prefix in (("api", "/api/search?q="), ("page", "/?q=")):
    with open(f"{work}/{name}.lua", "w") as lua:
        lua.write("local paths = {\n")
        for query in queries:
            lua.write("  %s,\n" % json.dumps(prefix + urllib.parse.quote_plus(query)))
        lua.write("}\nlocal i = 0\n")
        lua.write("setup = function(thread) thread:set('offset', math.random(#paths)) end\n")
        lua.write("request = function()\n  i = i + 1\n  return wrk.format('GET', paths[(i + (offset or 0)) % #paths + 1])\nend\n")
PY

port=7791
"$graf" serve --index "$index" --addr "127.0.0.1:$port" --quiet &
server=$!
trap 'kill -INT $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
ready=""
for _ in $(seq 1 300); do
  if curl -fsS --max-time 30 "http://127.0.0.1:$port/api/search?q=lantern&limit=1" >/dev/null 2>&1; then
    ready=yes
    break
  fi
  sleep 0.2
done
[[ -n "$ready" ]] || { echo "bench-serve: the server did not answer" >&2; exit 1; }

run() { # name script connections
  local name=$1 script=$2 connections=$3 threads=$(( $3 < 2 ? 1 : 2 ))
  wrk -t"$threads" -c"$connections" -d3s -s "$work/$script.lua" "http://127.0.0.1:$port" >/dev/null
  local out
  out=$(timeout $((duration + 30)) wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 5s --latency \
    -s "$work/$script.lua" "http://127.0.0.1:$port")
  echo "$out" >"$work/$script-c$connections.txt"
  local rps p50 p99 non2xx errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  errors=$(awk '/Socket errors/ {print $0}' <<<"$out")
  printf '| %-11s | %3d | %9s | %8s | %8s | %s |\n' "$name" "$connections" "$rps" "$p50" "$p99" \
    "${non2xx:-0} non-2xx${errors:+; $errors}"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| endpoint    | connections | requests/s | p50 | p99 | errors |"
echo "|---|---|---|---|---|---|"
run /api/search api 1
run /api/search api 8
run /api/search api 64
run "/ (HTML)" page 8
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
