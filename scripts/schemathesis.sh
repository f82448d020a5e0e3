#!/usr/bin/env bash
# Property-based fuzzing of the JSON API: Schemathesis generates requests from
# /api/v1/openapi.json (valid and invalid ones) and checks every response
# against the document, on SQLite and on PostgreSQL.
#
# For each database it creates a fresh store with data, serves it on a free
# port of 127.0.0.1, gets a bearer token and runs Schemathesis with the checks
#   not_a_server_error, status_code_conformance, content_type_conformance,
#   response_schema_conformance
# bounded by REDES_SCHEMATHESIS_EXAMPLES cases per operation and phase (about
# 2,000 requests per database) and a hard time limit. It prints, per database,
# the requests sent, the test cases, and the failures grouped by check, and
# last one line `schemathesis: N passed, M failed` where N and M count API
# operations × databases (an operation fails on a database when any check
# failed for it there). Exit status 0 only when nothing failed. Failing cases
# are not shrunk, so requests and test cases are the same number. The server
# is a debug build: an integer overflow there panics, and the request gets no
# response ("connection closed") where a release build would go on.
#
# Needs only Python 3 with pip (Schemathesis is installed, pinned, into a
# virtualenv under the cargo target directory and reused), curl, and for
# PostgreSQL the local server and psql (REDES_TEST_POSTGRES, as in
# scripts/test.sh, names a database on it; the script creates and drops its
# own beside it).
#
# Environment:
#   REDES_SCHEMATHESIS_DATABASES  "sqlite postgres" (default) or one of them
#   REDES_SCHEMATHESIS_EXAMPLES   cases per operation and phase (default 150)
#   REDES_SCHEMATHESIS_SEED       random seed (default 1: the same run every time)
#   REDES_SCHEMATHESIS_TIMEOUT    seconds per database before giving up (default 600)
#   REDES_SCHEMATHESIS_KEEP=1     keep the stores, logs and reports (printed path)
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
databases=${REDES_SCHEMATHESIS_DATABASES:-sqlite postgres}
examples=${REDES_SCHEMATHESIS_EXAMPLES:-150}
seed=${REDES_SCHEMATHESIS_SEED:-1}
time_limit=${REDES_SCHEMATHESIS_TIMEOUT:-600}
pg_url=${REDES_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}
# Databases are created and dropped through the server's maintenance database.
pg_admin_url=${pg_url%/*}/postgres
password=demo-redes
checks=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance

target=${CARGO_TARGET_DIR:-$PWD/target}
mkdir -p "$target"
target=$(cd "$target" && pwd)
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore PIP_NO_INPUT=1

# --- Schemathesis, pinned, in its own virtualenv -----------------------------
# The virtualenv is named after a hash of the pinned requirements, so a change
# of versions makes a new one and an unchanged one is reused.
requirements=scripts/schemathesis-requirements.txt
pins=$(sha256sum "$requirements" | cut -c 1-12)
venv=$target/schemathesis-venv-$pins
st=$venv/bin/schemathesis
if ! [ -x "$st" ] || ! "$st" --version 2>/dev/null | grep -qF "$SCHEMATHESIS_VERSION"; then
  echo "Installing schemathesis $SCHEMATHESIS_VERSION into $venv ..."
  rm -rf "$venv"
  if python3 -m venv "$venv" >/dev/null 2>&1; then
    "$venv/bin/python" -m pip install -q -r "$requirements"
  else
    # Debian without python3-venv has no ensurepip: an empty virtualenv,
    # filled by the system's pip.
    rm -rf "$venv"
    python3 -m venv --without-pip "$venv"
    python3 -m pip --python "$venv/bin/python" install -q -r "$requirements"
  fi
  "$st" --version | grep -qF "$SCHEMATHESIS_VERSION"
fi

# --- the redes binary ---------------------------------------------------------
cargo build -q -p redes
redes=$target/debug/redes

work=$(mktemp -d "${TMPDIR:-/tmp}/redes-schemathesis.XXXXXX")
server_pids=()
pg_databases=()
st_pid=
cleanup() {
  local pid db
  if [ -n "$st_pid" ]; then
    kill "$st_pid" 2>/dev/null && wait "$st_pid" 2>/dev/null || true
  fi
  for pid in "${server_pids[@]}"; do
    kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  done
  for db in "${pg_databases[@]}"; do
    psql -q "$pg_admin_url" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
  done
  if [ "${REDES_SCHEMATHESIS_KEEP:-0}" = 1 ]; then
    echo "Stores, server logs and Schemathesis reports kept in $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# Starts `redes serve` on a free port; sets $base.
start_server() {
  local name=$1 url=$2 log=$work/$1/server.log
  DATABASE_URL=$url REDES_SEARCH_DIR=$work/$1/search RUST_LOG=redes=info,tower_http=warn \
    "$redes" serve --addr 127.0.0.1:0 >"$log" 2>&1 &
  server_pids+=("$!")
  base=
  for _ in $(seq 1 100); do
    base=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | head -n 1 || true)
    [ -n "$base" ] && break
    kill -0 "${server_pids[-1]}" 2>/dev/null || break
    sleep 0.2
  done
  if [ -z "$base" ]; then
    echo "$name: the server did not start:" >&2
    cat "$log" >&2
    return 1
  fi
}

token_for() {
  curl -fsS -X POST "$base/api/v1/tokens" -H 'Content-Type: application/json' \
    -d "{\"username\": \"$1\", \"password\": \"$password\", \"label\": \"schemathesis\"}" |
    json_field token
}

# Fresh stores with data. SQLite: the demo (without Chile's whole directory,
# to keep it quick). PostgreSQL: `redes demo` writes only SQLite, so an
# administrator (`redes user add`), the schools of the directory excerpt used
# by the tests (`redes import schools`) and a few networks through the API.
prepare_sqlite() {
  "$redes" demo --no-serve --file "$work/sqlite/redes.db" \
    --chile-directory "$work/no-directory.csv" >"$work/sqlite/load.log" 2>&1 ||
    { cat "$work/sqlite/load.log" >&2; return 1; }
  url=sqlite://$work/sqlite/redes.db
  start_server sqlite "$url"
  token=$(token_for admin)
}

prepare_postgres() {
  command -v psql >/dev/null || { echo "postgres: psql not found" >&2; return 1; }
  local db
  db=redes_schemathesis_$$_$(date +%s)
  psql -q "$pg_admin_url" -c "CREATE DATABASE \"$db\"" >/dev/null
  pg_databases+=("$db")
  url=${pg_url%/*}/$db
  {
    DATABASE_URL=$url REDES_PASSWORD=$password "$redes" user add --username admin --name "Administración"
    DATABASE_URL=$url "$redes" import schools crates/redes/tests/fixtures/directorio_excerpt.csv
  } >"$work/postgres/load.log" 2>&1 || { cat "$work/postgres/load.log" >&2; return 1; }
  start_server postgres "$url"
  token=$(token_for admin)
  local n
  for n in "cl Biobío Concepción Red Concepción Norte" "cl Maule Talca Red Talca" \
    "co Tolima Ibagué Red de maestros de Ibagué" "mx Querétaro Tequisquiapan Zona 12"; do
    set -- $n
    local country=$1 region=$2 province=$3
    shift 3
    curl -fsS -o /dev/null -X POST "$base/api/v1/networks" -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' \
      -d "{\"country\": \"$country\", \"region\": \"$region\", \"province\": \"$province\", \"name\": \"$*\", \"since_year\": \"2016\", \"objective\": \"Mejorar la lectura\"}"
  done
}

# Per database: requests sent, test cases, operations, and every failing check
# grouped by kind (check and what it found) with the operations it hit.
# Writes "PASSED FAILED" (operations) into $2.
summarise() {
  python3 - "$1" "$2" "$3" <<'EOF'
import collections, glob, json, sys
report, out, name = sys.argv[1:4]
requests = cases = errors = 0
operations, failed_operations = set(), set()
kinds = collections.defaultdict(lambda: collections.defaultdict(int))  # kind -> operation -> cases
for path in glob.glob(f"{report}/*.ndjson"):
    with open(path) as f:
        for line in f:
            event = json.loads(line)
            if "NonFatalError" in event:
                body = event["NonFatalError"]
                label = body.get("label") or "?"
                errors += 1
                failed_operations.add(label)
                value = body.get("value") or {}
                kinds[f"scenario aborted: {value.get('type', '?')}"][f"{label}: {value.get('message', '')[:100]}"] += 1
                continue
            body = event.get("ScenarioFinished")
            if not body:
                continue
            recorder = body.get("recorder") or {}
            label = recorder.get("label")
            if label:
                operations.add(label)
            cases += len(recorder.get("cases") or {})
            interactions = recorder.get("interactions") or {}
            requests += len(interactions)
            for case_id, interaction in interactions.items():
                if not interaction.get("response"):
                    # The server closed the connection without answering
                    # (a panic in a debug build, a crash).
                    kinds["no response: connection closed"][label] += 1
                    failed_operations.add(label)
            for case_id, checks in (recorder.get("checks") or {}).items():
                status = (interactions.get(case_id) or {}).get("response") or {}
                for check in checks:
                    if check.get("status") != "failure":
                        continue
                    failure = (check.get("failure_info") or {}).get("failure") or {}
                    kind = f"{check['name']}: {failure.get('title', '?')}"
                    code = status.get("status_code")
                    kinds[kind][f"{label} -> {code}"] += 1
                    failed_operations.add(label)
failing = sum(n for ops in kinds.values() for n in ops.values())
print(f"{name}: {requests} requests, {cases} test cases, {len(operations)} operations "
      f"({len(operations - failed_operations)} passed, {len(failed_operations)} failed); "
      f"{failing} failing checks, {errors} errors")
for kind, ops in sorted(kinds.items()):
    print(f"  {kind}: {sum(ops.values())}")
    for op, n in sorted(ops.items()):
        print(f"      {n:5}  {op}")
with open(out, "w") as f:
    f.write(f"{len(operations - failed_operations)} {len(failed_operations)}\n")
EOF
}

total_passed=0
total_failed=0
status=0
summaries=()
for name in $databases; do
  echo "=== schemathesis on $name ==="
  mkdir -p "$work/$name"
  if ! "prepare_$name"; then
    echo "$name: could not prepare the store" >&2
    summaries+=("$name: could not prepare the store")
    status=1
    total_failed=$((total_failed + 1))
    continue
  fi
  report=$work/$name/report
  run_status=0
  # Run from the store's folder: Schemathesis keeps a cache of past failures
  # (.schemathesis/) in the current directory and replays it, which would make
  # one run depend on the last; there it is thrown away with the store.
  # In the background, so that a signal to this script stops it at once.
  # Revoking a token is left out: a generated id could be the run's own
  # token and end the run early (tests/it/security.rs covers revocation).
  (cd "$work/$name" && exec timeout "$time_limit" "$st" run "$base/api/v1/openapi.json" \
    --checks "$checks" \
    --header "Authorization: Bearer $token" \
    --exclude-method DELETE \
    --phases examples,coverage,fuzzing \
    --max-examples "$examples" \
    --seed "$seed" \
    --workers 1 \
    --request-timeout 30 \
    --continue-on-failure \
    --no-shrink \
    --generation-database none \
    --report ndjson --report-dir "$report" \
    --no-color) >"$work/$name/schemathesis.log" 2>&1 &
  st_pid=$!
  tail -n +1 -f --pid="$st_pid" "$work/$name/schemathesis.log" &
  tail_pid=$!
  wait "$st_pid" || run_status=$?
  st_pid=
  wait "$tail_pid" || true
  if [ "$run_status" = 124 ]; then
    echo "$name: schemathesis did not finish within ${time_limit}s" >&2
  fi
  summary=$(summarise "$report" "$work/$name/counts" "$name")
  unique=$(grep -A1 '^Test cases:' "$work/$name/schemathesis.log" | tail -n 1 | sed 's/^ *//' || true)
  [ -z "$unique" ] || summary="$summary"$'\n'"  schemathesis: $unique"
  read -r passed failed <"$work/$name/counts"
  if [ "$run_status" != 0 ] && [ "$failed" = 0 ]; then
    failed=1   # schemathesis failed without a failing check (timeout, crash)
    summary="$summary"$'\n'"  schemathesis exited with status $run_status"
  fi
  errors=$(grep -c 'database error\|internal error\|panicked' "$work/$name/server.log" || true)
  if [ "$errors" -gt 0 ]; then
    summary="$summary"$'\n'"  the server logged $errors errors:"
    summary="$summary"$'\n'$(sed 's/\x1b\[[0-9;]*m//g' "$work/$name/server.log" |
      grep -o '\(database error\|internal error\|panicked at\).*' |
      sed 's/[0-9]\{4\}-[0-9-]*T[0-9:.]*Z//g' | sort | uniq -c | sort -rn | head -n 20)
  fi
  summaries+=("$summary")
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  [ "$run_status" = 0 ] || status=1
  kill "${server_pids[-1]}" 2>/dev/null || true
done

echo
echo "=== schemathesis summary (seed $seed, $examples examples per operation and phase) ==="
for summary in "${summaries[@]}"; do echo "$summary"; done
# Operations × databases.
echo "schemathesis: $total_passed passed, $total_failed failed"
if [ "$total_failed" -gt 0 ]; then status=1; fi
exit "$status"
