#!/usr/bin/env bash
# The hostile-input catalogue of issue 13, re-runnable: creates each hostile input in a
# temporary directory, runs graf on it and checks the exit code, the message, the memory
# ceiling (peak RSS from /usr/bin/time, when installed), the time and the index afterwards.
# Prints one PASS/FAIL line per probe and exits 1 when any failed.
#
#   scripts/probe-hostile.sh            # builds target/release/graf first
#   GRAF=path/to/graf scripts/probe-hostile.sh
#
# The full-disk probe mounts a 2 MB tmpfs and needs root; it is skipped otherwise. The
# probes of the HTML extractor (deep nesting, many attributes) and of short articles belong
# to other parts of graf but are part of the catalogue.
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
if [ -z "${GRAF:-}" ]; then
  cargo build --release --quiet || exit 1
  GRAF="$repo/target/release/graf"
fi
GRAF=$(realpath "$GRAF") # the probes run in a temporary directory
work=$(mktemp -d)
trap 'umount "$work/disk" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"
export NO_COLOR=1
unset GRAF_INDEX GRAF_COMPANIES
failures=0

pass() { echo "PASS  $1"; }
fail() { echo "FAIL  $1: $2"; failures=$((failures + 1)); }

# graf ARGS with a time limit (seconds) and peak memory recorded: sets $code, $out, $err, $rss_mb.
run() {
  local limit="$1"
  shift
  if [ -x /usr/bin/time ]; then
    timeout "$limit" /usr/bin/time -f '%M' -o rss.txt "$GRAF" "$@" >out.txt 2>err.txt
    code=$?
    rss_mb=$(($(tail -1 rss.txt 2>/dev/null | tr -dc 0-9 || echo 0) / 1024))
  else
    timeout "$limit" "$GRAF" "$@" >out.txt 2>err.txt
    code=$?
    rss_mb=0
  fi
  out=$(cat out.txt)
  err=$(cat err.txt)
}

articles() { "$GRAF" stats --json "$@" | sed 's/.*"articles":\([0-9]*\).*/\1/'; }

no_backtrace() { ! grep -q -e panicked -e 'stack backtrace' -e 'RUST_BACKTRACE' err.txt; }

good_files() { # DIR N: N ordinary articles
  mkdir -p "$1"
  for n in $(seq 1 "$2"); do
    printf 'Story %s\n\nThe port of Rotterdam handled %s ships this week, officials said.\n' "$n" "$n" >"$1/good$n.txt"
  done
}

big_feed() { # FILE RECORDS
  awk -v n="$2" 'BEGIN { for (i = 0; i < n; i++) printf "{\"id\":\"r%d\",\"text\":\"Paragraph %d says tonnage rose by %d points. Analysts expect more of the same, they said.\"}\n", i, i, i }' >"$1"
}

# 1. YAML billion laughs in front matter.
mkdir -p p1 && good_files p1 24
{
  echo '---'
  echo 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
  prev=a
  for level in b c d e f g h i; do
    echo "$level: &$level [*$prev,*$prev,*$prev,*$prev,*$prev,*$prev,*$prev,*$prev,*$prev]"
    prev=$level
  done
  echo '---'
  echo 'The body of the bomb.'
} >p1/bomb.md
run 60 ingest p1 --index i1
if [ "$code" = 0 ] && grep -q 'bomb.md.*expands' err.txt && [ "$rss_mb" -lt 1000 ] && [ "$(articles --index i1)" = 25 ]; then
  pass "1 yaml bomb: skipped with a warning, ${rss_mb} MB peak, 25 articles"
else fail "1 yaml bomb" "exit $code, ${rss_mb} MB, $err"; fi

# 2. HTML nested 10,000 levels deep beside good files.
mkdir -p p2 && good_files p2 24
{ printf '<html><body>'; for _ in $(seq 1 10000); do printf '<div>'; done; printf '<p>Deep.</p></body></html>'; } >p2/deep.html
run 120 ingest p2 --index i2
if [ "$code" != 134 ] && [ "$code" -le 3 ] && no_backtrace && [ "$(articles --index i2 2>/dev/null)" -ge 24 ]; then
  pass "2 deep html: exit $code, the good files indexed"
else fail "2 deep html" "exit $code, $(head -c 300 err.txt)"; fi

# 3. One HTML tag with 100,000 attributes.
mkdir -p p3
{ printf '<html><body><p '; for n in $(seq 1 100000); do printf 'a%s="x" ' "$n"; done; printf '>Text of the page.</p></body></html>'; } >p3/attrs.html
start=$(date +%s)
run 120 ingest p3 --index i3
took=$(($(date +%s) - start))
if [ "$code" -le 3 ] && [ "$took" -lt 10 ] && no_backtrace; then
  pass "3 html attributes: exit $code in ${took}s"
else fail "3 html attributes" "exit $code in ${took}s"; fi

# 4. Huge result limits.
run 30 search port -n 18446744073709551615 --index i1
c1=$code
run 30 search port -n 4294967296 --offset 4294967296 --index i1
if [ "$c1" = 0 ] && [ "$code" = 0 ] && [ "$rss_mb" -lt 500 ] && no_backtrace; then
  pass "4 search -n huge: exit 0, ${rss_mb} MB peak"
else fail "4 search -n huge" "exits $c1/$code, ${rss_mb} MB, $err"; fi

# 5. Short bodies are not dropped.
mkdir -p p5
echo '{"id":"j1","title":"Prices","text":"Amazon raises prime prices"}' >p5/short.jsonl
printf 'Title: Prices\n\nAmazon raises prime prices\n' >p5/short.txt
run 30 ingest p5 --index i5
if [ "$(articles --index i5)" = 2 ]; then pass "5 short bodies: both indexed"; else fail "5 short bodies" "$out"; fi

# 6. The same relative path under two roots, in separate runs.
mkdir -p p6/r p6/a
printf 'Story\n\nThe first one.\n' >p6/r/story.txt
printf 'Story\n\nThe second one.\n' >p6/a/story.txt
(cd p6 && "$GRAF" ingest r --index ../i6 >/dev/null 2>&1)
(cd p6 && "$GRAF" ingest a --index ../i6 >../out.txt 2>../err.txt)
code=$?
if [ "$code" = 3 ] && grep -q 'already indexed from r/story.txt' err.txt && "$GRAF" search first --index i6 | grep -q 'first one'; then
  pass "6 id collision across runs: reported, first kept"
else fail "6 id collision" "exit $code, $(cat err.txt)"; fi

# 7. A duplicate id within one run, three runs.
mkdir -p p7
printf '%s\n' '{"id":"j1","text":"First version about barges."}' '{"id":"j1","text":"Second version about barges."}' >p7/dup.jsonl
ok7=1
for _ in 1 2 3; do
  run 30 ingest p7 --index i7
  { [ "$code" = 3 ] && grep -q 'dup.jsonl:2' err.txt && grep -q '1 duplicate' out.txt; } || ok7=0
  "$GRAF" search barges --index i7 | grep -q 'First version' || ok7=0
done
if [ $ok7 = 1 ]; then pass "7 duplicate id in one run: first kept, warned every run"; else fail "7 duplicate id" "$out $err"; fi

# 8. eval --ingest with GRAF_INDEX exported.
good_files p8 3
"$GRAF" ingest p8 --index i8 >/dev/null 2>&1
echo '{"id":"d1","text":"Wing flutter."}' >docs.jsonl
echo '{"id":1,"text":"flutter"}' >queries.jsonl
echo '1 0 d1 1' >qrels.txt
GRAF_INDEX="$work/i8" "$GRAF" eval queries.jsonl qrels.txt --ingest docs.jsonl >/dev/null 2>&1
if [ "$(articles --index i8)" = 3 ]; then pass "8 eval --ingest: GRAF_INDEX untouched"; else fail "8 eval --ingest" "the user's index changed"; fi

# 9. --prune while a subdirectory cannot be read.
mkdir -p p9/sub && good_files p9 2 && good_files p9/sub 2
"$GRAF" ingest p9 --index i9 >/dev/null 2>&1
if [ "$(id -u)" = 0 ]; then mv p9/sub sub9 && ln -s . p9/sub; else chmod 000 p9/sub; fi
run 30 ingest p9 --prune --index i9
[ "$(id -u)" = 0 ] || chmod 755 p9/sub
if [ "$code" = 3 ] && [ "$(articles --index i9)" = 4 ]; then pass "9 prune: nothing below an unreadable path deleted"; else fail "9 prune" "$out"; fi

# 10. Ctrl-C during --rebuild.
big_feed feed.jsonl 60000
"$GRAF" ingest feed.jsonl --index i10 >/dev/null 2>&1
before=$(articles --index i10)
"$GRAF" ingest feed.jsonl --rebuild --index i10 --commit-interval 0.2 >out.txt 2>err.txt &
pid=$!
for _ in $(seq 1 100); do [ -e i10.rebuild/meta.json ] && break; sleep 0.1; done
sleep 0.5
kill -INT $pid
wait $pid
code=$?
during=$(articles --index i10)
"$GRAF" ingest feed.jsonl --rebuild --index i10 >/dev/null 2>&1
after=$(articles --index i10)
if [ "$code" = 130 ] && [ "$during" = "$before" ] && [ "$after" = "$before" ] && [ ! -e i10.rebuild ]; then
  pass "10 interrupted rebuild: old index kept ($during articles), resumed"
else fail "10 interrupted rebuild" "exit $code, $before → $during → $after"; fi

# 11. File names that differ only in non-UTF-8 bytes.
mkdir -p p11
printf 'One\n\nFirst cafe.\n' >"p11/caf$(printf '\xe9').txt"
printf 'Two\n\nSecond cafe.\n' >"p11/caf$(printf '\xe8').txt"
"$GRAF" ingest p11 --index i11 >/dev/null 2>&1
if [ "$(articles --index i11)" = 2 ]; then pass "11 non-UTF-8 names: two ids"; else fail "11 non-UTF-8 names" "one article lost"; fi

# 12. Dates.
cat >dates.jsonl <<'EOF'
{"id":"a","date":"Jan 5, 2025","text":"Ferries one."}
{"id":"b","date":"Sun, 05 Jan 2025 10:00:00 +0000","text":"Ferries two."}
{"id":"c","date":"2025-01-05T10:00:00+01:00","text":"Ferries three."}
{"id":"d","date":"0001-01-01","text":"Ferries four."}
{"id":"e","date":"someday","text":"Ferries five."}
EOF
run 30 ingest dates.jsonl --index i12
hits=$("$GRAF" search ferries --since 2025-01-01 --until 2025-01-31 --index i12 --json | grep -c '"type":"hit"')
if grep -q 'dates.jsonl:4: date' err.txt && grep -q 'dates.jsonl:5: date' err.txt && [ "$hits" = 3 ]; then
  pass "12 dates: three formats read, two bad dates warned with file:line"
else fail "12 dates" "$hits hits in January; $err"; fi

# 13. SIGTERM.
"$GRAF" ingest feed.jsonl --index i13 --commit-interval 0.2 >out.txt 2>err.txt &
pid=$!
for _ in $(seq 1 100); do [ -e i13/meta.json ] && break; sleep 0.1; done
sleep 0.5
kill -TERM $pid
wait $pid
code=$?
orphans=$("$GRAF" check --json --index i13 | sed 's/.*"orphans":\[\([^]]*\)\].*/\1/')
if [ "$code" = 130 ] && [ "$(articles --index i13)" -gt 0 ] && [ -z "$orphans" ]; then
  pass "13 SIGTERM: committed, exit 130, no orphans"
else fail "13 SIGTERM" "exit $code, orphans: $orphans"; fi

# 14. A full disk.
mkdir -p disk
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=2m tmpfs disk 2>/dev/null; then
  run 120 ingest feed.jsonl --index disk/index --commit-interval 1000
  orphans=$("$GRAF" check --json --index disk/index 2>/dev/null | sed 's/.*"orphans":\[\([^]]*\)\].*/\1/')
  if [ "$code" = 1 ] && grep -q 'no space left on device' err.txt && [ "$(wc -l <err.txt)" = 1 ] && [ -z "$orphans" ]; then
    pass "14 full disk: said so in one line, no orphans"
  else fail "14 full disk" "exit $code, $err, orphans: $orphans"; fi
  umount disk
else
  echo "SKIP  14 full disk (needs root to mount a small tmpfs)"
fi

# 15. A damaged segment file.
cp -r "$repo/corpus" corpus15
"$GRAF" ingest corpus15 --index i15 --threads 1 >/dev/null 2>&1
for ext in idx term; do
  file=$(ls -S i15/*."$ext" | head -1)
  size=$(stat -c %s "$file")
  printf '\xff\xff\xff\xff\xff\xff\xff\xff' | dd of="$file" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
done
ok15=1
# Flipped bytes that tantivy happens to read without noticing cannot be seen without reading
# every file per search: search and stats either answer or say "damaged" in one line, never
# a backtrace; check reads the checksums and must find them; merge must refuse.
for cmd in "search chips amazon cloud" "stats"; do
  # shellcheck disable=SC2086
  run 30 $cmd --index i15
  { { [ "$code" = 0 ] || { [ "$code" = 1 ] && [ "$(wc -l <err.txt)" = 1 ] && grep -q 'damaged' err.txt; }; } && no_backtrace; } || { ok15=0; echo "      $cmd: exit $code: $err"; }
done
run 30 check --index i15
{ [ "$code" = 1 ] && [ "$(wc -l <err.txt)" = 1 ] && grep -q 'damaged' err.txt && no_backtrace; } || { ok15=0; echo "      check: exit $code: $err"; }
run 30 merge out15 i15
{ [ "$code" = 1 ] && [ ! -e out15 ] && [ ! -e out15.merging ] && no_backtrace; } || { ok15=0; echo "      merge: exit $code: $err"; }
# A truncated store file cannot be opened: search and stats say so in one line.
cp -r "$repo/corpus" corpus15b
"$GRAF" ingest corpus15b --index i15b --threads 1 >/dev/null 2>&1
store=$(ls -S i15b/*.store | head -1)
truncate -s $(($(stat -c %s "$store") / 2)) "$store"
for cmd in "search chips" "stats"; do
  # shellcheck disable=SC2086
  run 30 $cmd --index i15b
  { [ "$code" = 1 ] && [ "$(wc -l <err.txt)" = 1 ] && grep -q 'damaged' err.txt && no_backtrace; } || { ok15=0; echo "      truncated, $cmd: exit $code: $err"; }
done
if [ $ok15 = 1 ]; then pass "15 damaged segment: check finds it, merge refuses, a truncated file is one line"; else fail "15 damaged segment" "see above"; fi

echo "$failures probe(s) failed"
[ "$failures" = 0 ]
