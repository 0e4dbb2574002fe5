#!/usr/bin/env bash
# Benchmarks, written to docs/performance.md:
#  1. an authenticated directory query on Parley, on SQLite and on PostgreSQL, against
#     nginx serving the same JSON as a static file, measured with wrk in the same run,
#     same threads/workers;
#  2. the hotline (bench/hotline.mjs): push latency to 1,000 WebSocket clients and
#     sustained communications per second against bare commits, on SQLite, on
#     PostgreSQL, and on two instances sharing PostgreSQL;
#  3. the threat exchange (bench/exchange.mjs): bulk ingest of 1,000,000 indicators
#     against bare inserts, on SQLite and on PostgreSQL (with fsync on, a cluster of
#     the run's own: bench/lib/db.mjs), TAXII 1,000-object pages against nginx; matching
#     a log against 1,000,000 indicators (bench/match.mjs) against grep -F -f;
#  4. negotiation (bench/negotiation.mjs): parse and render a 300-paragraph draft with
#     2,000 proposals against one pass over the same bytes;
#  5. the ledger (bench/ledger.mjs): proofs in a log of 10,000,000 entries against a
#     primary-key SELECT, and the hotline's sustained rate with the log on against off;
#  6. large responses (bench/large.sh): 23 KB and 43 KB contact lists and a 460 KB TAXII
#     page, Parley against nginx serving the same bytes (wrk 1 thread, 32 connections);
#  7. the library (bench/library.mjs): search over 100,000 contributions of 20 pages on
#     SQLite and on PostgreSQL, against grep -ril over the same texts (DOCUMENTS=2000
#     for a smaller library);
#  8. the work plan (bench/workplan.mjs): the matrix, a state's row and the annual review
#     of a forum of 57 states and 16 measures with 10,944 reports, on SQLite and on
#     PostgreSQL, against GET /api/v1/me on the same server.
#
#   bench/run.sh                      (make bench builds first)
#   DURATION=20 CONNECTIONS=64 bench/run.sh
#   bench/run.sh directory|hotline|exchange|large|ledger|library|workplan
#                                     one part only, replacing its sections of docs/performance.md
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}            # alternating rounds; medians are reported
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}          # parley I/O threads = nginx workers = wrk threads
BIN=${PARLEY_BIN:-build/parley}
QUERY='/api/v1/contacts?forum=CICA&type=technical&limit=50'

missing=()
for p in wrk nginx-light curl postgresql-15 postgresql-client-15; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
if ((${#missing[@]})); then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
[[ -x $BIN ]] || { echo "build parley first (make build)" >&2; exit 1; }

# put_section TITLE: the Markdown on standard input becomes docs/performance.md's section
# "## TITLE", in place of the one there, or where ORDER puts it.
put_section() {
  local content
  content=$(cat)
  # A benchmark that failed printed nothing (or something else): the figures already
  # in the file stay.
  [[ $content == "## $1"* ]] || { echo "put_section: no \"## $1\" section from the benchmark; docs/performance.md unchanged" >&2; return 1; }
  python3 - "$1" "$content" <<'PY'
import sys
ORDER = ["Directory query", "Hotline", "Hotline on PostgreSQL", "Hotline on two instances sharing PostgreSQL",
         "Threat exchange", "Threat exchange on PostgreSQL", "Matching", "Negotiation", "Large responses", "Ledger", "Library search"]
title, section = sys.argv[1], sys.argv[2].rstrip("\n") + "\n"
path = "docs/performance.md"
doc = open(path, encoding="utf-8").read()
at = doc.find("\n## " + title + "\n")
if at >= 0:
    end = doc.find("\n## ", at + 1)
    doc = doc[:at + 1] + section + ("\n" + doc[end + 1:] if end >= 0 else "")
else:
    later = ORDER[ORDER.index(title) + 1:] if title in ORDER else []
    spots = [i for i in (doc.find("\n## " + t + "\n") for t in later) if i >= 0]
    if spots:
        doc = doc[:min(spots) + 1] + section + "\n" + doc[min(spots) + 1:]
    else:
        doc = doc.rstrip("\n") + "\n\n" + section
open(path, "w", encoding="utf-8").write(doc)
PY
}

# The parts (all of them, in this order, without an argument).
hotline_sections() {
  echo "== hotline: push latency to 1,000 WebSocket clients, sustained communications/s"
  THREADS=$THREADS node --experimental-websocket bench/hotline.mjs "$BIN" | put_section "Hotline"
  echo "== hotline on PostgreSQL, one instance, then two"
  DB=postgresql SECTION="Hotline on PostgreSQL" THREADS=$THREADS node --experimental-websocket bench/hotline.mjs "$BIN" |
    put_section "Hotline on PostgreSQL"
  DB=postgresql INSTANCES=2 SECTION="Hotline on two instances sharing PostgreSQL" THREADS=$THREADS \
    node --experimental-websocket bench/hotline.mjs "$BIN" | put_section "Hotline on two instances sharing PostgreSQL"
}
exchange_sections() {
  echo "== threat exchange: bulk ingest of 1,000,000 indicators, TAXII page fetch"
  node bench/exchange.mjs "$BIN" | put_section "Threat exchange"
  echo "== threat exchange on PostgreSQL"
  DB=postgresql SECTION="Threat exchange on PostgreSQL" node bench/exchange.mjs "$BIN" | put_section "Threat exchange on PostgreSQL"
  echo "== matching: parley match against grep -F -f with 1,000,000 indicators"
  node bench/match.mjs "$BIN" | put_section "Matching"
}
other_sections() {
  echo "== negotiation: parse and render a 300-paragraph draft with 2,000 proposals"
  node bench/negotiation.mjs "$(dirname "$BIN")/parley_bench_negotiation" | put_section "Negotiation"
  echo "== large responses: contact lists and a TAXII page against nginx"
  bench/large.sh "$BIN" | put_section "Large responses"
  echo "== ledger: proofs at 10,000,000 entries, appends with the log on against off"
  THREADS=${THREADS:-2} node bench/ledger.mjs "$BIN" | put_section "Ledger"
  library_section
  workplan_section
}
workplan_section() {
  echo "== work plan: the matrix and the annual review of a forum of 57 states with 10,944 reports"
  THREADS=$THREADS node bench/workplan.mjs "$BIN" | put_section "Work plan"
}
library_section() {
  echo "== library: search over 100,000 contributions of 20 pages, against grep -ril"
  node bench/library.mjs "$(dirname "$BIN")/parley_bench_library" | put_section "Library search"
}
case ${1:-all} in
  hotline) hotline_sections; exit 0 ;;
  exchange) exchange_sections; exit 0 ;;
  large)
    bench/large.sh "$BIN" | put_section "Large responses"
    sed -n '/^## Large responses/,/^## Ledger/p' docs/performance.md
    exit 0 ;;
  ledger)
    THREADS=${THREADS:-2} node bench/ledger.mjs "$BIN" | put_section "Ledger"
    sed -n '/^## Ledger/,$p' docs/performance.md
    exit 0 ;;
  library)
    library_section
    sed -n '/^## Library search/,$p' docs/performance.md
    exit 0 ;;
  workplan)
    workplan_section
    sed -n '/^## Work plan/,$p' docs/performance.md
    exit 0 ;;
  directory | all) ;;
  *) echo "usage: bench/run.sh [all|directory|hotline|exchange|large|ledger|library|workplan]" >&2; exit 2 ;;
esac

work=$(mktemp -d)
# PostgreSQL with its default durability (fsync, synchronous commit), for the directory
# query; the node benchmarks start their own (bench/lib/db.mjs).
PG_DIR=$(mktemp -d /tmp/parley-bench-pg-XXXXXX)   # pg-cluster.sh empties it and hands it to postgres
cleanup() {
  [[ -n ${PARLEY_PID:-} ]] && kill "$PARLEY_PID" 2>/dev/null || true
  [[ -n ${PARLEY_PG_PID:-} ]] && kill "$PARLEY_PG_PID" 2>/dev/null || true
  [[ -d $PG_DIR ]] && scripts/pg-cluster.sh stop "$PG_DIR" || true
  [[ -f $work/nginx.pid ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Parley with demo data, access log off the terminal (its ledger key first: serve needs one).
"$BIN" ledger init --if-missing --db "sqlite:$work/parley.db" >/dev/null
"$BIN" serve --demo --db "sqlite:$work/parley.db" --listen 127.0.0.1:0 --threads "$THREADS" >"$work/parley.out" 2>"$work/parley.err" &
PARLEY_PID=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/parley.out" 2>/dev/null && break; sleep 0.1; done
PARLEY_URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/parley.out" | head -1)
TOKEN=$("$BIN" token create poc.kaz --name bench --db "sqlite:$work/parley.db")

# The same on PostgreSQL.
PG_DURABLE=1 scripts/pg-cluster.sh start "$PG_DIR" >/dev/null
psql -X -q -d "$(cat "$PG_DIR/url")" -c "CREATE DATABASE parley_bench"
PG_URL=$(sed 's#/postgres?#/parley_bench?#' "$PG_DIR/url")
mkdir -p "$work/pg"
"$BIN" ledger init --if-missing --db "$PG_URL" --data-dir "$work/pg" >/dev/null
"$BIN" serve --demo --db "$PG_URL" --data-dir "$work/pg" --listen 127.0.0.1:0 --threads "$THREADS" >"$work/parley-pg.out" 2>"$work/parley-pg.err" &
PARLEY_PG_PID=$!
for _ in $(seq 1 200); do grep -q "listening on" "$work/parley-pg.out" 2>/dev/null && break; sleep 0.1; done
PARLEY_PG_URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/parley-pg.out" | head -1 || true)
[[ -n $PARLEY_PG_URL ]] || { echo "Parley on PostgreSQL did not start:" >&2; cat "$work/parley-pg.err" >&2; exit 1; }
PG_TOKEN=$("$BIN" token create poc.kaz --name bench --db "$PG_URL" --data-dir "$work/pg")

# The same response body, as a static file for nginx.
mkdir -p "$work/www"
chmod 755 "$work" "$work/www"   # nginx workers run as an unprivileged user
curl -sf -H "Authorization: Bearer $TOKEN" "$PARLEY_URL$QUERY" >"$work/www/contacts.json"
chmod 644 "$work/www/contacts.json"
BYTES=$(stat -c %s "$work/www/contacts.json")
NGINX_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/nginx.conf" <<CONF
worker_processes $THREADS;
pid $work/nginx.pid;
error_log $work/nginx.err;
events { worker_connections 1024; }
http {
  access_log off;
  types { application/json json; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $work/www;
    location / { default_type application/json; }
  }
}
CONF
nginx -c "$work/nginx.conf" -p "$work" -g 'daemon on;'
sleep 0.5
curl -sf "http://127.0.0.1:$NGINX_PORT/contacts.json" | cmp -s - "$work/www/contacts.json"
# (A token the CLI made reaches the server's caches within 250 ms.)
for _ in $(seq 1 50); do curl -sf -o /dev/null -H "Authorization: Bearer $PG_TOKEN" "$PARLEY_PG_URL$QUERY" && break; sleep 0.2; done
# The same contacts, in the same bytes but for the times the demo data was loaded at.
curl -sf -H "Authorization: Bearer $PG_TOKEN" "$PARLEY_PG_URL$QUERY" >"$work/pg.json"
python3 - "$work/www/contacts.json" "$work/pg.json" <<'PY' || { echo "Parley on PostgreSQL answers other contacts than on SQLite" >&2; exit 1; }
import json, os, re, sys
a, b = (open(p, "rb").read() for p in sys.argv[1:3])
strip = lambda t: re.sub(rb'"(created|updated|confirmed)_at":"[^"]*"', b"", t)
sys.exit(0 if len(a) == len(b) and strip(a) == strip(b) else 1)
PY

run_wrk() { wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@"; }
rps() { awk '/Requests\/sec/ {print $2}' <<<"$1"; }
p99() { awk '$1=="99%" {print $2}' <<<"$1"; }
non2xx() { awk '/Non-2xx/ {print $NF}' <<<"$1"; }
median() { tr ' ' '\n' <<<"$*" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "== warm-up"
wrk -t1 -c4 -d2s -H "Authorization: Bearer $TOKEN" "$PARLEY_URL$QUERY" >/dev/null
wrk -t1 -c4 -d2s -H "Authorization: Bearer $PG_TOKEN" "$PARLEY_PG_URL$QUERY" >/dev/null
wrk -t1 -c4 -d2s "http://127.0.0.1:$NGINX_PORT/contacts.json" >/dev/null
P_ALL=(); G_ALL=(); N_ALL=(); ROWS=""
for round in $(seq 1 "$ROUNDS"); do
  PARLEY_OUT=$(run_wrk -H "Authorization: Bearer $TOKEN" "$PARLEY_URL$QUERY")
  [[ -z $(non2xx "$PARLEY_OUT") ]] || { echo "parley answered non-2xx during the run" >&2; exit 1; }
  PG_OUT=$(run_wrk -H "Authorization: Bearer $PG_TOKEN" "$PARLEY_PG_URL$QUERY")
  [[ -z $(non2xx "$PG_OUT") ]] || { echo "parley on PostgreSQL answered non-2xx during the run" >&2; exit 1; }
  NGINX_OUT=$(run_wrk "http://127.0.0.1:$NGINX_PORT/contacts.json")
  p=$(rps "$PARLEY_OUT"); g=$(rps "$PG_OUT"); n=$(rps "$NGINX_OUT")
  P_ALL+=("$p"); G_ALL+=("$g"); N_ALL+=("$n")
  ROWS+="| $round | $p | $(p99 "$PARLEY_OUT") | $g | $(p99 "$PG_OUT") | $n | $(p99 "$NGINX_OUT") | $(python3 -c "print(f'{$p/$n:.2f} / {$g/$n:.2f}')") |"$'\n'
  echo "round $round: parley $p req/s, on PostgreSQL $g req/s, nginx $n req/s"
done
P=$(median "${P_ALL[@]}"); G=$(median "${G_ALL[@]}"); N=$(median "${N_ALL[@]}")
RATIO=$(python3 -c "print(f'{$P/$N:.2f}')")
RATIO_PG=$(python3 -c "print(f'{$G/$N:.2f}')")
kill "$PARLEY_PG_PID" 2>/dev/null || true; PARLEY_PG_PID=""
scripts/pg-cluster.sh stop "$PG_DIR"

CPU=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)

[[ -f docs/performance.md ]] || printf '# Performance\n' >docs/performance.md
python3 - <<'PY'
path = "docs/performance.md"
doc = open(path, encoding="utf-8").read()
body = doc[doc.find("\n## "):] if "\n## " in doc else ""
intro = """# Performance

Measured by `bench/run.sh` (run it with `make bench`); each part rewrites its own sections: `bench/run.sh directory|hotline|exchange|large|ledger|library|workplan` runs one part.
"""
open(path, "w", encoding="utf-8").write(intro + body)
PY
put_section "Directory query" <<DOC
## Directory query

**Authenticated directory query vs nginx serving the same JSON: ratio $RATIO on SQLite, $RATIO_PG on PostgreSQL** (medians of
$ROUNDS alternating rounds; target ≥ 0.5).

- Parley: \`GET $QUERY\` with a Bearer token — median **$P requests/s** on SQLite, **$G requests/s** on PostgreSQL 15 (a cluster of the run's own on the same machine, fsync and synchronous commit on).
- nginx $(nginx -v 2>&1 | sed 's/.*nginx\///') serving the same $BYTES-byte body from a file — median **$N requests/s**.

| round | Parley on SQLite req/s | p99 | Parley on PostgreSQL req/s | p99 | nginx req/s | nginx p99 | ratios SQLite / PostgreSQL |
|---:|---:|---:|---:|---:|---:|---:|---:|
$ROWS
- Run on $(date -u +%Y-%m-%d) on $(nproc) cores ($CPU), $(free -g | awk '/Mem/ {print $2}') GiB; wrk, Parley and nginx share these cores.
- wrk: $THREADS threads, $CONNECTIONS connections, ${DURATION} s per round, after a 2 s warm-up each. Rounds alternate Parley and nginx so that drift in the machine's load affects both; on this shared 2-core machine single rounds vary by ±20 %. Parley: $THREADS I/O threads, release build, SQLite in WAL mode with the demo data (44 states, 89 contacts). nginx: $THREADS workers, access log off.
- Parley serves repeated directory queries from a cache of serialized pages keyed on the database generation (docs/architecture.md, "Caches"); any write invalidates it, so the figure is for a directory that is read far more than it is written — its normal state. On PostgreSQL the generation is the journal's head, read again at most every 250 ms while the instance is alone (at every request when another instance is alive), so the two databases serve the same cache at nearly the same cost. A miss (the first query after a write) runs the count and page queries and serialises the 50 contacts; this benchmark does not measure misses.
- What Parley does per request that nginx does not: parse the API token and hash it (SHA-256) to find the signed-in user, parse and validate the query, check the database generation and look the page up, and write a JSON access-log line (nginx's access log is off).
DOC
echo "parley $P req/s (PostgreSQL $G), nginx $N req/s, ratio $RATIO ($RATIO_PG) -> docs/performance.md"
kill "$PARLEY_PID" 2>/dev/null || true
[[ ${1:-all} == directory ]] && exit 0

hotline_sections
exchange_sections
other_sections
tail -n 22 docs/performance.md
