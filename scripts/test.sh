#!/usr/bin/env bash
# Runs the whole test suite: unit tests, integration tests on SQLite and
# PostgreSQL, and browser tests in headless Chromium. Installs or starts what
# is missing on a fresh machine (Debian's chromium and chromium-driver,
# the local PostgreSQL cluster).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromedriver >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing chromium and chromium-driver for the browser tests..."
    apt-get update -qq
    apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "The browser tests need Debian's chromium and chromium-driver: sudo apt-get install chromium chromium-driver" >&2
    exit 1
  fi
fi

if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  echo "Starting PostgreSQL..."
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
cargo test --workspace "$@" 2>&1 | tee "$log" || status=$?
# One closing line for the whole run (cargo prints one per test binary,
# the last being the doc tests).
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($i ~ /^passed/) p += $(i-1); if ($i ~ /^failed/) f += $(i-1) } }
     END { printf "%d passed, %d failed\n", p, f }' "$log"
exit "$status"
