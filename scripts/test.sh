#!/usr/bin/env bash
# The project's one test command: the README's Quickstart gives it and `.ci/run` calls it.
#
# It starts what the tests need beside the binary (each `scripts/services/NAME.sh`, for example
# a headless browser or a two-node OpenSearch cluster), runs `cargo test` with their addresses in
# the environment, and stops them again on every way out. A service script is called as
# `NAME.sh start ENV_FILE` (install what it needs, start, wait until ready, append VAR=value
# lines to ENV_FILE) and `NAME.sh stop`. A service that cannot start is reported in one line and
# the tests that need it skip with a message, so the rest of the suite still runs on a machine
# without it. Arguments are passed on to `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."

mkdir -p target
env_file="target/services.env"
: >"$env_file"
started=()

stop_services() {
  local service
  for service in "${started[@]}"; do
    bash "$service" stop || echo "test.sh: could not stop $(basename "$service" .sh)" >&2
  done
}
trap stop_services EXIT

for service in scripts/services/*.sh; do
  [ -e "$service" ] || continue
  started+=("$service") # stop is safe to call after a failed start
  if ! bash "$service" start "$env_file"; then
    echo "test.sh: $(basename "$service" .sh) did not start; the tests that need it skip" >&2
  fi
done

set -a
# shellcheck disable=SC1090
. "$env_file"
set +a

cargo test "$@"
