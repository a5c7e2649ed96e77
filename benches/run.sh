#!/usr/bin/env bash
# The benchmark: loads the synthetic data set, starts the release server on it and measures, with
# wrk and 8 connections, after a warm-up:
#   Q1  50 Champion countries, each with its role assignments and its 10 newest feedback items
#       with their sections
#   Q2s the dashboard's feedback-by-section-and-status part on its own; Q2 the whole dashboard
#   Q3  one feedback item by id, a random one per request
#   M1  submitting a feedback item
# It prints requests/s, p50/p99 latency, errors, SQL statements per request and the server's
# peak RSS, on PostgreSQL and on SQLite; on PostgreSQL also the rate pgbench reaches running the
# very SQL the server sent for Q1-Q3 (captured from the server's statement log), and the ratio.
# Both sides are counted alike: what completes inside two windows of DURATION/2 seconds each
# (three times as long for the dashboard, whose requests take seconds),
# while the load runs on before and after them, in the order server, pgbench, pgbench, server.
#
#   benches/run.sh                       # the full run (about 15 minutes, and the release build)
#   benches/run.sh --db postgres --duration 30
#   benches/run.sh --smoke --bin target/debug/champion-tracker    # seconds: checks the harness works
#
# Options: --duration S (20) --warmup S (5) --connections N (8) --feedback N (100000)
#          --db postgres|sqlite|both (both) --bin PATH (default: build the release binary)
#          --postgres-url URL (use this server instead of a throwaway cluster) --smoke
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DURATION=20 WARMUP=5 CONNECTIONS=8 FEEDBACK=100000 DBS=both BIN="" PG_URL="" SMOKE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --feedback) FEEDBACK="$2"; shift 2 ;;
    --db) DBS="$2"; shift 2 ;;
    --bin) BIN="$2"; shift 2 ;;
    --postgres-url) PG_URL="$2"; shift 2 ;;
    --smoke) SMOKE=1; shift ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
SIZES=()
# Each side's measured time is two windows of WINDOW seconds; the load starts RAMP seconds before
# a window (every connection has had answers; the slow dashboard's connections fall out of step)
# and goes on TAIL seconds after it.
RAMP=3 TAIL=1
# The dashboard's requests take about 2 s under load, so a window of 10 s holds some 40 of them;
# the machine's speed and pgbench's clients (which start in step, all on the same heavy
# statement) move such a window by 10-20 %. Q2s and Q2 are measured over windows this many
# times as long.
SLOW_WINDOWS=3
if [ "$SMOKE" = 1 ]; then
  DURATION=2 WARMUP=0 FEEDBACK=300 RAMP=0 TAIL=0 SLOW_WINDOWS=1
  SIZES=(--roles 40 --events 10 --planned-uses 10 --milestones 5 --pilots 5)
fi
WINDOW=$(( DURATION / 2 > 0 ? DURATION / 2 : 1 ))

WORK="$(mktemp -d)"
FAILED=0
SERVER_PID="" PG_STARTED=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  if [ -n "$PG_STARTED" ]; then as_pg "$PG_BIN/pg_ctl" -D "$WORK/pgdata" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

need() { command -v "$1" >/dev/null 2>&1; }
if ! need wrk; then
  echo "installing wrk" >&2
  (apt-get install -y wrk || (apt-get update && apt-get install -y wrk)) >/dev/null
fi
if [ -z "$BIN" ]; then
  (cd "$ROOT" && cargo build --release --locked --quiet)
  BIN="$ROOT/target/release/champion-tracker"
fi
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"

export JWT_SECRET="benchmark-secret-benchmark-secret-benchmark-secret"
export LOG_LEVEL=warn
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# --- PostgreSQL: a given server, or a throwaway cluster run by an unprivileged user --------------
PG_BIN=""
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u ct-postgres -- "$@"; else "$@"; fi; }
start_postgres() {
  PG_BIN="$(dirname "$(command -v initdb 2>/dev/null || ls /usr/lib/postgresql/*/bin/initdb | tail -1)")"
  if [ "$(id -u)" = 0 ]; then
    id ct-postgres >/dev/null 2>&1 || useradd --system --no-create-home ct-postgres
    chown ct-postgres "$WORK"
  fi
  local port; port="$(free_port)"
  as_pg "$PG_BIN/initdb" -D "$WORK/pgdata" -U postgres -A trust --no-sync >/dev/null
  as_pg "$PG_BIN/pg_ctl" -D "$WORK/pgdata" -l "$WORK/pgdata/log" -w start \
    -o "-p $port -k $WORK -c listen_addresses=127.0.0.1 -c max_connections=100 -c shared_buffers=128MB" >/dev/null
  PG_STARTED=1
  PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
}
database_url() {
  case "$1" in
    sqlite) echo "sqlite://$WORK/bench.db?mode=rwc" ;;
    postgres)
      [ -n "$PG_URL" ] || start_postgres
      local name="ct_bench_$$_$RANDOM"
      psql "$PG_URL" -qAtc "CREATE DATABASE $name" >/dev/null
      echo "${PG_URL%/*}/$name" ;;
  esac
}

gql() { # token query -> JSON
  python3 - "$1" "$2" "$BASE" <<'PY'
import json, sys, urllib.request
token, query, base = sys.argv[1:4]
request = urllib.request.Request(base + "/graphql", json.dumps({"query": query}).encode(),
    {"Content-Type": "application/json", "Authorization": "Bearer " + token})
print(urllib.request.urlopen(request).read().decode())
PY
}
metric() { curl -s "$BASE/metrics" | awk -v name="$1" '$1 == name { print $2 }'; }

start_server() { # url log-level
  local port; port="$(free_port)"
  BASE="http://127.0.0.1:$port"
  DATABASE_URL="$1" LOG_LEVEL="$2" "$BIN" serve --no-migrate --bind "127.0.0.1:$port" >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do curl -sf "$BASE/ready" >/dev/null && return 0; sleep 0.1; done
  echo "the server did not start; its log:" >&2; cat "$WORK/server.log" >&2; exit 1
}
# Waits until the database runs nothing but this check. When wrk stops, the requests it leaves in
# flight still run to their end in PostgreSQL; measured at once, the next window would pay for
# them (with the dashboard's 2 s requests, several percent of a 20 s window).
settle() { # backend url
  if [ "$1" = postgres ]; then
    for _ in $(seq 1 100); do
      [ "$(psql "$2" -qAtc "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid()")" = 0 ] && return 0
      sleep 0.1
    done
  else
    sleep 1
  fi
}
# One measured window of the server under load: the RESULT line of benches/graphql.lua.
server_window() { # backend url workload token window
  settle "$1" "$2"
  wrk -t2 -c"$CONNECTIONS" -d"$((RAMP + $5 + TAIL))s" --timeout 30s --latency -s "$ROOT/benches/graphql.lua" \
    "$BASE" -- "$3" "$4" "$MAX_ID" "$VERSION" "$RAMP" "$5" | grep '^RESULT'
}
# One measured window of pgbench: the transactions that ended inside it, counted from pgbench's
# per-transaction log as the server's side counts responses. pgbench's own rate would do for a
# fast script, but it is not the same measure.
pgbench_window() { # backend url script window
  settle "$1" "$2"
  rm -f "$WORK"/pgbench_log*
  # The same session settings as the server's connections (src/db.rs).
  PGOPTIONS="-c jit=off" pgbench -n -c"$CONNECTIONS" -j2 -T"$((RAMP + $4 + TAIL))" -l --log-prefix="$WORK/pgbench_log" \
    -f "$3" "$2" >/dev/null 2>&1
  python3 - "$RAMP" "$4" "$WORK"/pgbench_log* <<'PY'
import os, sys
ramp, window = float(sys.argv[1]), float(sys.argv[2])
logs = [log for log in sys.argv[3:] if os.path.isfile(log)]  # an unmatched glob stays a pattern
# Each line: client, transaction, latency in microseconds, script, end time (epoch s, us), ...
ends, starts = [], []
if not logs or not any(open(log).read(1) for log in logs):
    sys.exit("pgbench ran no transaction; run it by hand on the captured script to see why")
for log in logs:
    for line in open(log):
        fields = line.split()
        end = int(fields[4]) + int(fields[5]) / 1e6
        ends.append(end)
        starts.append(end - int(fields[2]) / 1e6)
opens = min(starts) + ramp
print(sum(1 for end in ends if opens <= end < opens + window))
PY
}
stop_server() { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; }

# The SQL one request sends, from the server's statement log, as a pgbench script; prints how
# many statements it has.
capture_sql() { # workload token out
  local seconds
  for seconds in 1 2 4 8; do
    # A request wrk left in flight would interleave its statements with this attempt's.
    quiet_log
    : >"$WORK/server.log"
    wrk -t1 -c1 -d"${seconds}s" -s "$ROOT/benches/graphql.lua" "$BASE" -- "$1" "$2" "$MAX_ID" "$VERSION" >/dev/null 2>&1 || true
    quiet_log
    python3 - "$WORK/server.log" "$3" "$1" <<'PY' && return 0
import collections, re, sys
log, out, workload = sys.argv[1:4]
text = re.sub(r"\x1b\[[0-9;]*m", "", open(log, encoding="utf-8", errors="replace").read())
statements = re.findall(r"champion_tracker::sql: elapsed_us=\d+ sql=(.*)", text)
if workload == "q3":
    # The feedback looked up changes per request: pgbench draws it.
    statements = [re.sub(r'("feedback"\."id" IN \()\d+(\))', r"\1:id\2", s) for s in statements]
# A request's statements run from one reading the viewer's account to the next such statement.
# The first and last requests in the log may be cut; of the whole ones, the sequence seen most
# often is the request's, and it must be seen at least twice. Loaders list their keys in no
# particular order, so requests are compared with each `IN (...)` list sorted.
def shape(sql):
    return re.sub(r"IN \(([^()]*)\)", lambda m: "IN (%s)" % ", ".join(sorted(m.group(1).split(", "))), sql)
starts = [i for i, s in enumerate(statements) if s.startswith('SELECT "user_account"')]
whole = [statements[a:b] for a, b in zip(starts[1:], starts[2:])]
shapes = collections.Counter(tuple(map(shape, request)) for request in whole)
if not shapes or shapes.most_common(1)[0][1] < 2:
    sys.exit(1)
common = shapes.most_common(1)[0][0]
one = next(request for request in whole if tuple(map(shape, request)) == common)
lines = ["\\set id random(1, %s)" % open(log + ".maxid").read().strip()] if workload == "q3" else []
lines += [s + ";" for s in one]
open(out, "w").write("\n".join(lines) + "\n")
print(len(one))
PY
  done
  echo "could not capture one whole $1 request from the statement log" >&2
  exit 1
}
# Waits until the server's log has not grown for half a second (at most 20 s).
quiet_log() {
  local size=-1 now
  for _ in $(seq 1 40); do
    now=$(stat -c %s "$WORK/server.log")
    [ "$now" = "$size" ] && return 0
    size=$now
    sleep 0.5
  done
}

run_backend() {
  local backend="$1" url started loaded
  url="$(database_url "$backend")"
  echo "== $backend: loading synthetic data ($FEEDBACK feedback items)"
  started=$(date +%s.%N)
  DATABASE_URL="$url" "$BIN" seed --synthetic --feedback "$FEEDBACK" "${SIZES[@]}" >"$WORK/seed.log" 2>&1 \
    || { cat "$WORK/seed.log" >&2; exit 1; }
  loaded=$(python3 -c "print(f'{$(date +%s.%N) - $started:.1f}')")
  echo "   loaded in ${loaded}s"
  LEAD_TOKEN="$(DATABASE_URL="$url" "$BIN" token --email wg-lead@demo.champion-tracker.test | tail -1)"
  ADMIN="$(DATABASE_URL="$url" "$BIN" token --email secretariat@demo.champion-tracker.test | tail -1)"

  # First a short-lived server that logs its SQL, to capture what each request sends.
  start_server "$url" "warn,champion_tracker::sql=trace"
  MAX_ID="$(gql "$LEAD_TOKEN" '{ feedback { totalCount } }' | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["feedback"]["totalCount"])')"
  VERSION="$(gql "$LEAD_TOKEN" '{ guideVersions(filter: {document: GUIDE, code: {eq: "2021-11-REVISED"}}) { edges { node { id } } } }' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["guideVersions"]["edges"][0]["node"]["id"])')"
  echo "$MAX_ID" >"$WORK/server.log.maxid"
  if [ "$backend" = postgres ]; then
    for q in q1 q2s q2 q3; do capture_sql "$q" "$LEAD_TOKEN" "$WORK/$q.sql" >"$WORK/$q.count"; done
  fi
  stop_server

  start_server "$url" warn
  printf '   %-4s %9s %9s %9s %7s %11s %12s %7s\n' query "req/s" "p50 ms" "p99 ms" errors "stmts/req" "pgbench/s" ratio
  for q in q1 q2s q2 q3 m1; do
    local token="$LEAD_TOKEN"; [ "$q" = m1 ] && token="$ADMIN"
    [ "$WARMUP" -gt 0 ] && wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -s "$ROOT/benches/graphql.lua" "$BASE" -- "$q" "$token" "$MAX_ID" "$VERSION" >/dev/null
    local pgbench_script=""
    [ "$backend" = postgres ] && [ -f "$WORK/$q.sql" ] && pgbench_script="$WORK/$q.sql"
    # Server and pgbench windows in the order A B B A, so that a drift of the machine's speed
    # during the measurement weighs on both sides alike.
    # Statements and requests are counted over both server runs (pgbench does not touch them).
    local s0 r0 s1 r1 first second pg1="" pg2="" window="$WINDOW"
    case "$q" in q2s|q2) window=$((WINDOW * SLOW_WINDOWS)) ;; esac
    s0=$(metric champion_tracker_db_statements_total); r0=$(metric champion_tracker_graphql_requests_total)
    first="$(server_window "$backend" "$url" "$q" "$token" "$window")"
    if [ -n "$pgbench_script" ]; then
      pg1="$(pgbench_window "$backend" "$url" "$pgbench_script" "$window")"
      pg2="$(pgbench_window "$backend" "$url" "$pgbench_script" "$window")"
    fi
    second="$(server_window "$backend" "$url" "$q" "$token" "$window")"
    settle "$backend" "$url"
    s1=$(metric champion_tracker_db_statements_total); r1=$(metric champion_tracker_graphql_requests_total)
    local captured=""
    [ -n "$pgbench_script" ] && captured="$(cat "$WORK/$q.count")"
    python3 - "$q" "$window" "$first" "$second" "$s0" "$r0" "$s1" "$r1" "$pg1" "$pg2" "$captured" <<'PY' || FAILED=1
import sys
q, window, first, second, s0, r0, s1, r1, pg1, pg2, captured = sys.argv[1:12]
runs = [dict(field.split("=") for field in line.split()[1:]) for line in (first, second)]
rps = sum(int(run["window_requests"]) for run in runs) / (2 * float(window))
p50 = sum(float(run["p50_ms"]) for run in runs) / 2
p99 = max(float(run["p99_ms"]) for run in runs)
errors = sum(int(run["errors"]) for run in runs)
per = (float(s1) - float(s0)) / max(float(r1) - float(r0), 1)
pg = ratio = "-"
if pg1:
    pg_rate = (int(pg1) + int(pg2)) / (2 * float(window))
    pg, ratio = f"{pg_rate:.1f}", (f"{rps / pg_rate:.2f}" if pg_rate else "-")
print(f"   {q:<4} {rps:9.1f} {p50:9.2f} {p99:9.2f} {errors:7d} {per:11.2f} {pg:>12} {ratio:>7}")
# Each window's count, in the order run, to show how far one window is from the next.
counts = [runs[0]["window_requests"]] + ([pg1, pg2] if pg1 else []) + [runs[1]["window_requests"]]
print(f"        windows of {float(window):g} s, in order: {' '.join(counts)}")
# pgbench must run what one request ran: a script of another length compares nothing.
if captured and abs(int(captured) - per) > 1:
    sys.exit(f"   the pgbench script has {captured} statements, the server ran {per:.2f} per request")
PY
    if ! grep -q ' errors=0$' <<<"$first" || ! grep -q ' errors=0$' <<<"$second"; then
      FAILED=1; echo "   errors in $q; server log:" >&2; tail -5 "$WORK/server.log" >&2
    fi
  done
  echo "   server peak RSS: $(awk '/VmHWM/ { printf "%.1f MB", $2 / 1024 }' "/proc/$SERVER_PID/status")"
  stop_server
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); wrk $CONNECTIONS connections, ${WARMUP}s warm-up, 2 windows of ${WINDOW}s per side ($((WINDOW * SLOW_WINDOWS))s for Q2s and Q2)"
case "$DBS" in
  both) run_backend postgres; run_backend sqlite ;;
  postgres|sqlite) run_backend "$DBS" ;;
  *) echo "--db is postgres, sqlite or both" >&2; exit 2 ;;
esac
[ "$FAILED" = 0 ] || { echo "some requests failed" >&2; exit 1; }
