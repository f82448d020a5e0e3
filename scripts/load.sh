#!/usr/bin/env bash
# Load probe (issue 6): the release server with the demo data, on SQLite and
# on PostgreSQL, signed in as the network coordinator `coordinador.rme`,
# under wrk at 64 connections against the main pages. Prints one table of
# requests per second, p50, p99 and failed answers (anything but 2xx, plus
# socket errors). Numbers to read, not a test: nothing here passes or fails.
#
#   LOAD_DURATION=5s      wrk's run per page
#   LOAD_CONNECTIONS=64   LOAD_THREADS=2
#   LOAD_DATABASES="sqlite postgres"
#   REDES_LOAD_POSTGRES=postgres://postgres@127.0.0.1:5432/test  (a fresh
#     schema is created there and dropped at the end)
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${LOAD_DURATION:-5s}
connections=${LOAD_CONNECTIONS:-64}
threads=${LOAD_THREADS:-2}
databases=${LOAD_DATABASES:-sqlite postgres}
pg_base=${REDES_LOAD_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}

for tool in wrk curl sqlite3 psql; do
  command -v "$tool" >/dev/null || { echo "load.sh needs $tool (apt-get install -y $tool)" >&2; exit 1; }
done

cargo build --release -p redes --quiet
redes="${CARGO_TARGET_DIR:-target}/release/redes"

work=$(mktemp -d)
schema="load_$$"
server=""
stop_server() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  server=""
}
cleanup() {
  stop_server
  if [[ " $databases " == *" postgres "* ]]; then
    psql "$pg_base" -qc "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "Loading the demo data..." >&2
"$redes" demo --no-serve --file "$work/demo.db" >"$work/demo.log"

# Tables of the demo store, as `redes demo` made them.
tables() {
  sqlite3 "$work/demo.db" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'"
}

# `redes demo` writes only SQLite, so PostgreSQL gets the same rows copied
# table by table into a schema made by Redes' own PostgreSQL migrations;
# both stores keep booleans as integers and timestamps as text, so the
# values carry over as they are. (REAL columns go through sqlite3's text, at
# least 15 significant digits: well below a metre in coordinates.)
load_postgres() {
  local url="$1" script="$work/copy.sql" table columns
  psql "$pg_base" -qc "CREATE SCHEMA $schema" >/dev/null
  DATABASE_URL="$url" "$redes" migrate >/dev/null
  # Foreign keys are not checked while copying, so the table order does not matter.
  echo "SET session_replication_role = replica;" >"$script"
  for table in $(tables); do
    columns=$(sqlite3 "$work/demo.db" "SELECT group_concat(name, ', ') FROM pragma_table_info('$table')")
    sqlite3 -csv -header -nullvalue '\N' "$work/demo.db" "SELECT $columns FROM $table" >"$work/$table.csv"
    echo "\\copy $table ($columns) FROM '$work/$table.csv' WITH (FORMAT csv, HEADER true, NULL '\\N')" >>"$script"
    if [[ ", $columns," == *", id,"* ]]; then
      echo "SELECT setval(pg_get_serial_sequence('$table', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM $table;" >>"$script"
    fi
  done
  PGOPTIONS="-c search_path=$schema" psql "$pg_base" -q -v ON_ERROR_STOP=1 -f "$script" >/dev/null
  local from to
  for table in $(tables); do
    from=$(sqlite3 "$work/demo.db" "SELECT COUNT(*) FROM $table")
    to=$(PGOPTIONS="-c search_path=$schema" psql "$pg_base" -Atc "SELECT COUNT(*) FROM $table")
    [ "$from" = "$to" ] || { echo "copying $table to PostgreSQL: $from rows became $to" >&2; exit 1; }
  done
}

# Starts the server on a free port; sets $server and $base.
start_server() {
  DATABASE_URL="$1" RUST_LOG=redes=warn "$redes" serve --addr 127.0.0.1:0 >"$work/server.out" 2>"$work/server.err" &
  server=$!
  base=""
  for _ in $(seq 1 300); do
    base=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/server.out" || true)
    [ -n "$base" ] && return
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
  done
  echo "the server did not start:" >&2
  cat "$work/server.err" >&2
  exit 1
}

# Signs in through the login form: the form's _csrf field must equal the
# redes_csrf cookie that GET /login sets. Sets $cookie for wrk.
sign_in() {
  local jar="$work/cookies" csrf
  rm -f "$jar"
  curl -fsS -c "$jar" -o /dev/null "$base/login"
  csrf=$(awk '$6 == "redes_csrf" { print $7 }' "$jar")
  curl -fsS -b "$jar" -c "$jar" -o /dev/null -H "Origin: $base" \
    --data-urlencode username=coordinador.rme --data-urlencode password=demo-redes \
    --data-urlencode "_csrf=$csrf" "$base/login"
  cookie=$(awk '$6 ~ /^redes_/ { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$jar")
  [[ "$cookie" == *redes_session=* ]] || { echo "sign-in as coordinador.rme failed" >&2; exit 1; }
}

# The first link of a page to one record, e.g. /redes/12.
first_link() {
  local html
  html=$(curl -fsS -H "Cookie: $cookie" "$base$1")
  [[ $html =~ href=\"($2/[0-9]+)\" ]] || { echo "no link to $2/<id> on $1" >&2; exit 1; }
  echo "${BASH_REMATCH[1]}"
}

# wrk counts 3xx as success; a redirect here means the session was lost, so
# every answer outside 2xx is counted, summed over wrk's threads.
cat >"$work/count.lua" <<'LUA'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) failed = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then failed = failed + 1 end
end
function done(summary, latency, requests)
  local failed = 0
  for _, t in ipairs(threads) do failed = failed + t:get("failed") end
  local e = summary.errors
  io.write(string.format("RESULT %.0f %.1f %.1f %d %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, failed, e.connect + e.read + e.write + e.timeout))
end
LUA

rows="$work/rows"
: >"$rows"
for db in $databases; do
  case "$db" in
    sqlite) url="sqlite://$work/demo.db" ;;
    postgres)
      if [[ $pg_base == *\?* ]]; then sep='&'; else sep='?'; fi
      url="$pg_base${sep}options=-c%20search_path%3D$schema"
      load_postgres "$url"
      ;;
    *) echo "unknown database $db" >&2; exit 1 ;;
  esac
  start_server "$url"
  sign_in
  network=$(first_link /redes /redes)
  school=$(first_link "/escuelas?q=liceo" /escuelas)
  for page in / /redes "$network" /escuelas "/escuelas?q=liceo" "$school" /censo /encuentros; do
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base$page")
    echo "$db $page: HTTP $status, wrk for $duration..." >&2
    result=$(wrk -t"$threads" -c"$connections" -d"$duration" --timeout 10s -H "Cookie: $cookie" \
      -s "$work/count.lua" "$base$page" | grep '^RESULT')
    read -r _ rps p50 p99 failed errors <<<"$result"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$db" "$page" "$status" "$rps" "$p50" "$p99" "$failed/$errors" >>"$rows"
  done
  stop_server
done

echo
echo "wrk: $threads threads, $connections connections, $duration per page, signed in as coordinador.rme"
{
  printf 'database\tpage\tHTTP\trequests/s\tp50 ms\tp99 ms\tnon-2xx/errors\n'
  cat "$rows"
} | column -t -s $'\t'
