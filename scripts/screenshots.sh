#!/usr/bin/env bash
# Regenerates the README's screenshots of `graf serve` (docs/serve-search.png,
# docs/serve-narrow.png, docs/serve-companies.png): the release binary serves an index of the
# bundled corpus on loopback and headless Chromium (Debian's, installed by
# scripts/services/chromium.sh when missing) photographs the pages.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v chromium >/dev/null || bash scripts/services/chromium.sh start /dev/null
bash scripts/services/chromium.sh stop
cargo build --release --bin graf
graf=${CARGO_TARGET_DIR:-target}/release/graf
work=$(mktemp -d)
"$graf" ingest corpus --index "$work/index" >/dev/null 2>&1
port=7793
"$graf" serve --index "$work/index" --addr "127.0.0.1:$port" --quiet &
server=$!
trap 'kill -INT $server; wait $server || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/api/search?q=chips&limit=1" >/dev/null 2>&1 && break
  sleep 0.2
done

shot() { # url WIDTH,HEIGHT file
  rm -rf "$work/profile"
  timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$work/profile" --window-size="$2" \
    --screenshot="$3" "http://127.0.0.1:$port$1" >/dev/null 2>&1
}
mkdir -p docs
shot "/?q=chips+cloud&company=Amazon" 1280,900 docs/serve-search.png
shot "/companies?company=Amazon" 1280,900 docs/serve-companies.png
shot "/?q=chips+cloud&company=Amazon" 390,844 docs/serve-narrow.png
ls -l docs/serve-*.png
