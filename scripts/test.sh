#!/usr/bin/env bash
# Runs the whole test suite: unit tests, integration tests on SQLite and
# PostgreSQL, browser tests in headless Chromium, and Schemathesis against the
# JSON API on both databases (scripts/schemathesis.sh; skip it with
# REDES_SKIP_SCHEMATHESIS=1). Installs or starts what
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
st_log=$(mktemp)
trap 'rm -f "$log" "$st_log"' EXIT
status=0
cargo test --workspace "$@" 2>&1 | tee "$log" || status=$?

# Schemathesis against /api/v1/openapi.json on SQLite and PostgreSQL; each
# API operation on each database counts as one test in the closing line.
st_passed=0
st_failed=0
if [ "${REDES_SKIP_SCHEMATHESIS:-0}" = 1 ]; then
  echo "schemathesis: skipped (REDES_SKIP_SCHEMATHESIS=1)"
else
  st_status=0
  bash scripts/schemathesis.sh 2>&1 | tee "$st_log" || st_status=${PIPESTATUS[0]}
  counts=$(sed -n 's/^schemathesis: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$st_log" | tail -n 1)
  if [ -n "$counts" ]; then
    read -r st_passed st_failed <<<"$counts"
  fi
  if [ "$st_status" != 0 ]; then
    [ "$st_failed" -gt 0 ] || st_failed=1
    [ "$status" != 0 ] || status=$st_status
  fi
fi

# One closing line for the whole run (cargo prints one per test binary,
# the last being the doc tests), with the Schemathesis operations added.
awk -v sp="$st_passed" -v sf="$st_failed" \
  '/^test result:/ { for (i = 1; i <= NF; i++) { if ($i ~ /^passed/) p += $(i-1); if ($i ~ /^failed/) f += $(i-1) } }
     END { printf "%d passed, %d failed\n", p + sp, f + sf }' "$log"
exit "$status"
