#!/usr/bin/env bash
# The page benchmark (issue 9): the release server with the demo data (and
# Chile's whole directory when ../shared/data has it), on SQLite and on
# PostgreSQL, signed in as a network coordinator (`coordinador.rme`; for the
# work plan and a meeting, `coordinador.liga`; for the encounter plans,
# `supervisor.qro`), under
# wrk at 64 connections against each main page, side by side in the same run
# with a bare axum handler that returns a fixed page (examples/bench_minimal.rs),
# measured just before each page so both see the same machine. Prints one
# table: requests per second, p50, p99, failed answers (anything but 2xx,
# plus socket errors), the ratio to the bare handler, and the SQL statements
# the page ran (counted from the statement log of a separate warm-up run),
# then the server's memory idle and at its peak. Numbers to read, not a
# test: nothing here passes or fails.
#
#   BENCH_DURATION=5s     wrk's run per page (and per bare-handler round)
#   BENCH_CONNECTIONS=64  BENCH_THREADS=2
#   BENCH_DATABASES="sqlite postgres"
#   BENCH_PAGES="/ /redes ..."  extra paths to add to the list
#   BENCH_BUILD=/path/release  use that build instead of building this checkout
#   REDES_BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432/test  (a fresh
#     schema is created there and dropped at the end)
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${BENCH_DURATION:-5s}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
databases=${BENCH_DATABASES:-sqlite postgres}
extra_pages=${BENCH_PAGES:-}
pg_base=${REDES_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}

for tool in wrk curl sqlite3 psql; do
  command -v "$tool" >/dev/null || { echo "bench.sh needs $tool (apt-get install -y $tool)" >&2; exit 1; }
done

if [ -n "${BENCH_BUILD:-}" ]; then
  # Another build's release folder (e.g. a copy of an earlier commit's), to
  # compare versions on the same machine at the same time.
  redes="$BENCH_BUILD/redes"
  minimal="$BENCH_BUILD/examples/bench_minimal"
else
  cargo build --release -p redes --bin redes --example bench_minimal --quiet
  redes="${CARGO_TARGET_DIR:-target}/release/redes"
  minimal="${CARGO_TARGET_DIR:-target}/release/examples/bench_minimal"
fi

work=$(mktemp -d)
schema="load_$$"
server=""
bare=""
stop_server() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  server=""
}
cleanup() {
  stop_server
  if [ -n "$bare" ]; then kill "$bare" 2>/dev/null || true; fi
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

# Starts the server on a free port; sets $server and $base. With a second
# argument "count", every SQL statement is logged to $work/server.err.
start_server() {
  if [ "${2:-}" = count ]; then
    DATABASE_URL="$1" REDES_SEARCH_DIR="$work/search-$db" REDES_LOG_QUERIES=1 RUST_LOG=redes=warn,sqlx::query=debug \
      "$redes" serve --addr 127.0.0.1:0 >"$work/server.out" 2>"$work/server.err" &
  else
    DATABASE_URL="$1" REDES_SEARCH_DIR="$work/search-$db" RUST_LOG=redes=warn "$redes" serve --addr 127.0.0.1:0 >"$work/server.out" 2>"$work/server.err" &
  fi
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

# Signs in as $1 through the login form: the form's _csrf field must equal
# the redes_csrf cookie that GET /login sets. Sets $cookie for wrk.
sign_in() {
  local user="$1" jar="$work/cookies" csrf
  rm -f "$jar"
  curl -fsS -c "$jar" -o /dev/null "$base/login"
  csrf=$(awk '$6 == "redes_csrf" { print $7 }' "$jar")
  curl -fsS -b "$jar" -c "$jar" -o /dev/null -H "Origin: $base" \
    --data-urlencode "username=$user" --data-urlencode password=demo-redes \
    --data-urlencode "_csrf=$csrf" "$base/login"
  cookie=$(awk '$6 ~ /^redes_/ { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$jar")
  [[ "$cookie" == *redes_session=* ]] || { echo "sign-in as $user failed" >&2; exit 1; }
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

# The statements one warm request to $1 runs (the second of two, so the
# session is already known), read from the statement log.
count_queries() {
  curl -s -o /dev/null -H "Cookie: $cookie" "$base$1"
  sleep 0.2
  local before after
  before=$(grep -c 'sqlx::query' "$work/server.err" || true)
  curl -s -o /dev/null -H "Cookie: $cookie" "$base$1"
  sleep 0.2
  after=$(grep -c 'sqlx::query' "$work/server.err" || true)
  echo $((after - before))
}

# One wrk round; prints "rps p50 p99 failed errors".
round() {
  local url="$1"; shift
  wrk -t"$threads" -c"$connections" -d"$duration" --timeout 10s "$@" -s "$work/count.lua" "$url" |
    sed -n 's/^RESULT //p'
}

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }

"$minimal" >"$work/bare.out" &
bare=$!
for _ in $(seq 1 100); do
  bare_base=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/bare.out" || true)
  [ -n "$bare_base" ] && break
  sleep 0.1
done

rows="$work/rows"
memory="$work/memory"
: >"$rows"
: >"$memory"
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
  # First the statement counts, on a server that logs them. Each page is
  # read by a person whose work it is: the registry's pages by the
  # coordinator of a Biobío network, a network's year (its work plan, a
  # meeting) by the coordinator of Red Liga Aprende, whose year the demo
  # writes, and the encounter plans by Querétaro's zone supervisor.
  start_server "$url" count
  sign_in coordinador.rme
  network=$(first_link /redes /redes)
  school=$(first_link "/escuelas?q=liceo" /escuelas)
  sign_in coordinador.liga
  liga=$(first_link "/redes?q=liga+aprende" /redes)
  meeting=$(first_link "$liga/reuniones" /reuniones)
  sign_in supervisor.qro
  plan=$( (first_link /encuentros /encuentros) 2>/dev/null || true)
  groups=(
    "coordinador.rme / /redes $network /escuelas /escuelas?q=liceo $school /censo /convocatorias /practicas /practicas/buscar?q=evaluacion /buenas-practicas $extra_pages"
    "coordinador.liga $liga/plan $meeting"
    "supervisor.qro /encuentros $plan"
  )
  declare -A queries=()
  for group in "${groups[@]}"; do
    read -r user pages <<<"$group"
    sign_in "$user"
    for page in $pages; do queries[$page]=$(count_queries "$page"); done
  done
  stop_server
  # Then the load, on a server that logs nothing.
  start_server "$url"
  sleep 0.5
  idle=$(rss_kib "$server")
  for group in "${groups[@]}"; do
    read -r user pages <<<"$group"
    sign_in "$user"
    for page in $pages; do
      status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base$page")
      echo "$db $page: HTTP $status, bare handler then Redes, $duration each..." >&2
      read -r bare_rps _ _ _ _ <<<"$(round "$bare_base$page")"
      read -r rps p50 p99 failed errors <<<"$(round "$base$page" -H "Cookie: $cookie")"
      ratio=$(awk -v a="$rps" -v b="$bare_rps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$db" "$page" "$status" "$rps" "$p50" "$p99" \
        "$failed/$errors" "$bare_rps" "$ratio" "${queries[$page]}" >>"$rows"
    done
  done
  printf '%s\t%s\t%s\n' "$db" "$((idle / 1024))" "$(($(hwm_kib "$server") / 1024))" >>"$memory"
  stop_server
done

echo
echo "wrk: $threads threads, $connections connections, $duration per round, signed in as coordinador.rme (registry), coordinador.liga (plan, meeting), supervisor.qro (encounters)"
{
  printf 'database\tpage\tHTTP\treq/s\tp50 ms\tp99 ms\tnon-2xx/errors\tbare req/s\tratio\tSQL\n'
  cat "$rows"
} | column -t -s $'\t'
echo
{
  printf 'database\tidle MiB\tpeak MiB\n'
  cat "$memory"
} | column -t -s $'\t'
