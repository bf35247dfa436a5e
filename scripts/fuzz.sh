#!/usr/bin/env bash
# Fuzzes graf's parsers with cargo fuzz (libFuzzer; needs the nightly toolchain and
# `cargo install cargo-fuzz`). Not part of .ci/run: it runs for minutes, not seconds.
#
#   scripts/fuzz.sh [MINUTES] [TARGET...]
#
# runs each target (default: all of segment front_matter html jsonl query) for MINUTES
# (default 10), one after the other, on one core and at low priority, with a 2 GB memory
# ceiling per input (a bigger appetite is a finding: memory must stay bounded) and a 10 s
# time-out per input (a hang is a finding too). Seeds come from tests/fixtures; the corpus
# grows in fuzz/corpus/TARGET (not committed). A crash, leak, time-out or out-of-memory input
# is written to fuzz/artifacts/TARGET/ and the script exits 1 after the remaining targets ran:
# fix it, and keep the input as a regression test (tests/hostile/ holds the earlier ones).
set -uo pipefail
cd "$(dirname "$0")/.."

minutes="${1:-10}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(segment front_matter html jsonl query)

seed() {
  local target="$1" dir="fuzz/corpus/$1"
  mkdir -p "$dir"
  case "$target" in
    segment | front_matter) cp tests/fixtures/segment/*.txt tests/fixtures/segment/*.md "$dir"/ 2>/dev/null ;;
    html) find tests/fixtures -name '*.html' -exec cp {} "$dir"/ \; ;;
    jsonl) find tests/fixtures -name '*.jsonl' -exec cp {} "$dir"/ \; ;;
    query) printf '%s\n' 'chips AND amazon' '"custom chips"~2' 'title:earnings -river' 'company:aws train*' >"$dir/seed" ;;
  esac
}

status=0
for target in "${targets[@]}"; do
  seed "$target"
  mkdir -p "fuzz/artifacts/$target"
  echo "fuzz.sh: $target for $minutes min" >&2
  if ! (cd fuzz && nice -n 10 cargo +nightly fuzz run "$target" "corpus/$target" -- \
    -max_total_time=$((minutes * 60)) -rss_limit_mb=2048 -timeout=10 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="artifacts/$target/"); then
    echo "fuzz.sh: $target found a problem: see fuzz/artifacts/$target/" >&2
    status=1
  fi
done
exit $status
