#!/usr/bin/env bash
# Regenerates the README's screenshots of `graf serve` (docs/serve-search.png,
# docs/serve-narrow.png, docs/serve-companies.png): the browser test walks the pages in
# headless Chromium and, with GRAF_SCREENSHOTS set, saves them on the way.
set -euo pipefail
cd "$(dirname "$0")/.."

mkdir -p target docs
env_file="target/screenshots.env"
: >"$env_file"
trap 'bash scripts/services/chromium.sh stop' EXIT
bash scripts/services/chromium.sh start "$env_file"
set -a
# shellcheck disable=SC1090
. "$env_file"
set +a
GRAF_SCREENSHOTS="$PWD/docs" cargo test --test serve browser -- --nocapture
ls -l docs/serve-*.png
