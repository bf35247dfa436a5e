#!/usr/bin/env bash
# A headless browser for the browser tests of `graf serve` (tests/serve/browser.rs), following
# the service contract of scripts/test.sh:
#
#   chromium.sh start ENV_FILE   install Debian's chromium and chromium-driver when missing,
#                                start chromedriver on 127.0.0.1, wait until it answers, and
#                                append GRAF_WEBDRIVER=http://127.0.0.1:PORT to ENV_FILE
#   chromium.sh stop             stop that chromedriver (its pid is in target/)
#
# The tests launch Chromium itself through chromedriver (binary /usr/bin/chromium, headless,
# a fresh profile, background networking off: see tests/serve/browser.rs).
set -euo pipefail
cd "$(dirname "$0")/../.."

pid_file="target/chromedriver.pid"
log_file="target/chromedriver.log"

install() {
  if command -v chromedriver >/dev/null && [ -x /usr/bin/chromium ]; then
    return 0
  fi
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "chromium.sh: chromium is not installed and there is no root to install it" >&2; return 1; }
    sudo=(sudo)
  fi
  echo "chromium.sh: installing chromium and chromium-driver with apt-get" >&2
  "${sudo[@]}" apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    chromium chromium-driver >/dev/null
}

free_port() {
  local port
  for port in $(seq 9515 9615); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

start() {
  local env_file="$1"
  install
  stop
  mkdir -p target
  local port
  port="$(free_port)"
  chromedriver --port="$port" --allowed-ips= >"$log_file" 2>&1 &
  echo $! >"$pid_file"
  local tries
  for tries in $(seq 1 100); do
    if curl -fsS "http://127.0.0.1:$port/status" 2>/dev/null | grep -q '"ready": *true'; then
      echo "GRAF_WEBDRIVER=http://127.0.0.1:$port" >>"$env_file"
      return 0
    fi
    if ! kill -0 "$(cat "$pid_file")" 2>/dev/null; then
      echo "chromium.sh: chromedriver exited; see $log_file" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "chromium.sh: chromedriver did not answer on port $port within 10 s" >&2
  return 1
}

stop() {
  [ -f "$pid_file" ] || return 0
  local pid
  pid="$(cat "$pid_file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
  rm -f "$pid_file"
}

case "${1:-}" in
  start) start "${2:?usage: chromium.sh start ENV_FILE}" ;;
  stop) stop ;;
  *) echo "usage: chromium.sh start ENV_FILE | stop" >&2; exit 2 ;;
esac
