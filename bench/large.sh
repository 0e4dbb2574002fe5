#!/usr/bin/env bash
# Large responses: Parley against nginx serving the same bytes, in the same run.
#   - the CICA's technical contacts (GET /api/v1/contacts?forum=CICA&type=technical&limit=50, ~23 KB),
#   - the whole contact list (GET /api/v1/contacts?limit=500, ~41 KB),
#   - a TAXII page of 1,000 objects (GET /taxii2/CICA/collections/ID/objects/?limit=1000, ~461 KB),
# each fetched from Parley (Bearer or Basic auth, as a client would) and the same body from
# nginx as a static file. wrk: THREADS (1) thread, CONNECTIONS (32) connections, DURATION s
# per round, ROUNDS alternating rounds, medians reported; Parley has THREADS I/O threads and
# nginx THREADS workers. The TAXII page is also fetched by one connection at a time (the time
# one page takes), both the same page again and paging through the collection with `next`.
# Prints the "## Large responses" section of docs/performance.md on standard output.
#   bench/large.sh [build/parley]          (bench/run.sh large writes it into the docs)
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${1:-${PARLEY_BIN:-build/parley}}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}
OBJECTS=${OBJECTS:-50000}    # in the TAXII collection: 50 pages of 1,000, more than the 32 pages a cache keeps
[[ -x $BIN ]] || { echo "build parley first (make build)" >&2; exit 1; }
log() { echo "$*" >&2; }

work=$(mktemp -d)
cleanup() {
  [[ -n ${PARLEY_PID:-} ]] && kill "$PARLEY_PID" 2>/dev/null || true
  [[ -f $work/nginx.pid ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
DB="sqlite:$work/parley.db"

start_parley() {
  "$BIN" serve --demo --db "$DB" --listen 127.0.0.1:0 --threads "$THREADS" >"$work/parley.out" 2>"$work/parley.err" &
  PARLEY_PID=$!
  for _ in $(seq 1 200); do grep -q "listening on" "$work/parley.out" 2>/dev/null && break; sleep 0.1; done
  PARLEY_URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/parley.out" | head -1)
}

log "== demo data and $OBJECTS STIX indicators in the CICA's collection"
"$BIN" ledger init --if-missing --db "$DB" >/dev/null
start_parley
kill "$PARLEY_PID"; wait "$PARLEY_PID" 2>/dev/null || true; PARLEY_PID=""
node bench/stix_bundle.mjs "$OBJECTS" "$work/bundle.json"
"$BIN" import stix --db "$DB" --forum CICA "$work/bundle.json" >/dev/null
rm -f "$work/bundle.json"
start_parley
TOKEN=$("$BIN" token create poc.kaz --name bench --db "$DB")
BASIC=$(printf 'poc.kaz:%s' "$TOKEN" | base64 -w0)
TAXII_ACCEPT='application/taxii+json;version=2.1'
# (A token the CLI made reaches the server's caches within 250 ms: ask again until then.)
for _ in $(seq 1 50); do
  COLLECTION=$(curl -sf -H "Authorization: Basic $BASIC" -H "Accept: $TAXII_ACCEPT" "$PARLEY_URL/taxii2/CICA/collections/" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["collections"][0]["id"])' 2>/dev/null) && break
  sleep 0.2
done
[[ -n $COLLECTION ]] || { echo "no TAXII collection: $(cat "$work/parley.err")" >&2; exit 1; }

# name | path | auth header | accept header
CASES=(
  "contacts23|/api/v1/contacts?forum=CICA&type=technical&limit=50|Authorization: Bearer $TOKEN|Accept: application/json"
  "contacts41|/api/v1/contacts|Authorization: Bearer $TOKEN|Accept: application/json"
  "taxii|/taxii2/CICA/collections/$COLLECTION/objects/?limit=1000|Authorization: Basic $BASIC|Accept: $TAXII_ACCEPT"
)

mkdir -p "$work/www"
chmod 755 "$work" "$work/www"   # nginx's worker runs as an unprivileged user
declare -A BYTES
for c in "${CASES[@]}"; do
  IFS='|' read -r name path auth accept <<<"$c"
  curl -sf -H "$auth" -H "$accept" "$PARLEY_URL$path" >"$work/www/$name.json"
  chmod 644 "$work/www/$name.json"
  BYTES[$name]=$(stat -c %s "$work/www/$name.json")
done
python3 -c "import json,sys; p=json.load(open(sys.argv[1])); assert len(p['objects'])==1000 and p['more']" "$work/www/taxii.json"

NGINX_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/nginx.conf" <<CONF
worker_processes $THREADS;
pid $work/nginx.pid;
error_log $work/nginx.err;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $work/www;
    location / { default_type application/json; }
  }
}
CONF
nginx -c "$work/nginx.conf" -p "$work" -g 'daemon on;'
sleep 0.5
for c in "${CASES[@]}"; do
  IFS='|' read -r name _ <<<"$c"
  curl -sf "http://127.0.0.1:$NGINX_PORT/$name.json" | cmp -s - "$work/www/$name.json"
done

# Paging through the collection with `next`, one request after the other on one
# connection, starting again at the first page after the last.
cat >"$work/paging.lua" <<'LUA'
local first = nil
local path = nil
init = function(args) first = wrk.path; path = first end
request = function() return wrk.format("GET", path) end
response = function(status, headers, body)
  if status ~= 200 then error("status " .. status) end
  local nxt = string.match(body, '"next":"([^"]+)"')
  if nxt then path = first .. "&next=" .. nxt else path = first end
end
LUA

# Fresh pages under load: every request asks for the page after a random object of the
# collection (its `next` cursor, "added.pk"), so that nearly every page is built from the
# database (one of ~OBJECTS cursors; the page cache keeps 32).
FIRST_NEXT=$(curl -sf -H "Authorization: Basic $BASIC" -H "Accept: $TAXII_ACCEPT" "$PARLEY_URL/taxii2/CICA/collections/$COLLECTION/objects/?limit=1000" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["next"])')
CURSOR_AT=${FIRST_NEXT%.*}; CURSOR_LOW=${FIRST_NEXT#*.}; CURSOR_HIGH=$((CURSOR_LOW + OBJECTS - 2000))
curl -sf -H "Authorization: Basic $BASIC" -H "Accept: $TAXII_ACCEPT" \
  "$PARLEY_URL/taxii2/CICA/collections/$COLLECTION/objects/?limit=1000&next=$CURSOR_AT.$CURSOR_HIGH" |
  python3 -c 'import json,sys; p=json.load(sys.stdin); assert len(p["objects"])==1000, len(p["objects"])'
cat >"$work/fresh.lua" <<'LUA'
local first, at, low, high
init = function(args)
  first = wrk.path; at = args[1]; low = tonumber(args[2]); high = tonumber(args[3])
  math.randomseed(os.time())
end
request = function() return wrk.format("GET", first .. "&next=" .. at .. "." .. math.random(low, high)) end
LUA

NGINX_WORKERS=$(pgrep -P "$(cat "$work/nginx.pid")" | tr '\n' ' ')
# CPU time (user + system, clock ticks) of processes, from /proc/PID/stat.
cpu_ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
TICK=$(getconf CLK_TCK)
# wrk, and the server's CPU time per response during the run (µs): a measure that the
# machine's other load does not inflate as it does the rates.
LAST_CPU=0
wrk_run() {
  local pids=$1; shift
  local before out n
  before=$(cpu_ticks $pids)
  out=$(wrk --latency "$@")
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  LAST_CPU=$(python3 -c "print(round(($(cpu_ticks $pids) - $before) / $TICK * 1e6 / max($n, 1)))")
  echo "$out"
}
rps() { awk '/Requests\/sec/ {print $2}' <<<"$1"; }
# wrk's latency figures in ms
ms() { awk -v k="$2" '$1==k {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; printf "%.2f", v}' <<<"$1"; }
non2xx() { awk '/Non-2xx|Socket errors/ {print}' <<<"$1"; }
median() { tr ' ' '\n' <<<"$*" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }

log "== warm-up"
for c in "${CASES[@]}"; do
  IFS='|' read -r name path auth accept <<<"$c"
  wrk -t1 -c4 -d2s -H "$auth" -H "$accept" "$PARLEY_URL$path" >/dev/null
  wrk -t1 -c4 -d2s "http://127.0.0.1:$NGINX_PORT/$name.json" >/dev/null
done

declare -A P N PL NL PC NC PLC NLC
ROWS=""; FRESH=""; FRESHC=""; FRESH99=""
for round in $(seq 1 "$ROUNDS"); do
  for c in "${CASES[@]}"; do
    IFS='|' read -r name path auth accept <<<"$c"
    # Which goes first alternates between rounds.
    for who in $( ((round % 2)) && echo "parley nginx" || echo "nginx parley"); do
      if [[ $who == parley ]]; then
        wrk_run "$PARLEY_PID" -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" -H "$auth" -H "$accept" "$PARLEY_URL$path" >"$work/out"
        out=$(cat "$work/out"); pc=$LAST_CPU
        [[ -z $(non2xx "$out") ]] || { echo "parley: $(non2xx "$out")" >&2; exit 1; }
        P[$name]+="$(rps "$out") "; PC[$name]+="$pc "; pp=$(rps "$out"); pp99=$(ms "$out" 99%)
      else
        wrk_run "$NGINX_WORKERS" -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" "http://127.0.0.1:$NGINX_PORT/$name.json" >"$work/out"
        out=$(cat "$work/out"); nc=$LAST_CPU
        [[ -z $(non2xx "$out") ]] || { echo "nginx: $(non2xx "$out")" >&2; exit 1; }
        N[$name]+="$(rps "$out") "; NC[$name]+="$nc "; nn=$(rps "$out"); nn99=$(ms "$out" 99%)
      fi
    done
    ROWS+="| $name | $round | $pp | $pp99 | $pc | $nn | $nn99 | $nc | $(ratio "$pp" "$nn") |"$'\n'
    log "round $round $name: parley $pp req/s ($pc µs CPU each), nginx $nn req/s ($nc µs)"
  done
  # One TAXII page at a time: the same page, and paging through the collection.
  IFS='|' read -r _ path auth accept <<<"${CASES[2]}"
  wrk_run "$PARLEY_PID" -t1 -c1 -d"${DURATION}s" -H "$auth" -H "$accept" "$PARLEY_URL$path" >"$work/out"
  out=$(cat "$work/out"); PLC[same]+="$LAST_CPU "
  [[ -z $(non2xx "$out") ]] || { echo "parley: $(non2xx "$out")" >&2; exit 1; }
  PL[same]+="$(ms "$out" 50%) "
  wrk_run "$PARLEY_PID" -t1 -c1 -d"${DURATION}s" -s "$work/paging.lua" -H "$auth" -H "$accept" "$PARLEY_URL$path" >"$work/out"
  out=$(cat "$work/out"); PLC[paging]+="$LAST_CPU "
  [[ -z $(non2xx "$out") ]] || { echo "parley paging: $(non2xx "$out")" >&2; exit 1; }
  PL[paging]+="$(ms "$out" 50%) "
  wrk_run "$NGINX_WORKERS" -t1 -c1 -d"${DURATION}s" "http://127.0.0.1:$NGINX_PORT/taxii.json" >"$work/out"
  out=$(cat "$work/out"); NLC[same]+="$LAST_CPU "
  NL[same]+="$(ms "$out" 50%) "
  # Fresh pages with the same load as the table above (against nginx's taxii figure).
  wrk_run "$PARLEY_PID" -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" -s "$work/fresh.lua" -H "$auth" -H "$accept" \
    "$PARLEY_URL$path" -- "$CURSOR_AT" "$CURSOR_LOW" "$CURSOR_HIGH" >"$work/out"
  out=$(cat "$work/out")
  [[ -z $(non2xx "$out") ]] || { echo "parley fresh pages: $(non2xx "$out")" >&2; exit 1; }
  FRESH+="$(rps "$out") "; FRESHC+="$LAST_CPU "; FRESH99+="$(ms "$out" 99%) "
  log "round $round taxii fresh pages, $CONNECTIONS connections: parley $(rps "$out") req/s ($LAST_CPU µs CPU each)"
  log "round $round taxii one at a time: parley $(echo "${PL[same]}" | awk '{print $NF}') ms (paging $(echo "${PL[paging]}" | awk '{print $NF}') ms), nginx $(echo "${NL[same]}" | awk '{print $NF}') ms"
done

declare -A PM NM PCM NCM
for c in "${CASES[@]}"; do
  IFS='|' read -r name _ <<<"$c"
  PM[$name]=$(median ${P[$name]}); NM[$name]=$(median ${N[$name]})
  PCM[$name]=$(median ${PC[$name]}); NCM[$name]=$(median ${NC[$name]})
done
C_SAME=$(median ${PLC[same]}); C_PAGING=$(median ${PLC[paging]}); C_NGINX=$(median ${NLC[same]})
T_SAME=$(median ${PL[same]}); T_PAGING=$(median ${PL[paging]}); T_NGINX=$(median ${NL[same]})
F_RPS=$(median $FRESH); F_CPU=$(median $FRESHC); F_P99=$(median $FRESH99)
verdict() { python3 -c "print('met' if $1 else 'not met')"; }
CPU=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
BUILD_TYPE=$(awk -F= '/^CMAKE_BUILD_TYPE:/ {print $2}' "$(dirname "$BIN")/CMakeCache.txt" 2>/dev/null || echo unknown)

cat <<DOC
## Large responses

Measured by \`bench/large.sh\` (run by \`bench/run.sh\`; \`bench/run.sh large\` rewrites this section only), Parley and nginx serving the same bytes in the same run.

**Whole contact list (${BYTES[contacts41]} bytes): $(ratio "${PM[contacts41]}" "${NM[contacts41]}")× nginx** — target ≥ 0.5×: **$(verdict "${PM[contacts41]}/${NM[contacts41]} >= 0.5")**.
**TAXII page of 1,000 objects (${BYTES[taxii]} bytes), target within 3× nginx.** With the load of the table below (wrk ${THREADS} thread, ${CONNECTIONS} connections), each page built from the database (the page after a random object): ${F_RPS} pages/s against nginx's ${NM[taxii]}, $(ratio "$F_RPS" "${NM[taxii]}")× nginx, that is $(ratio "${NM[taxii]}" "$F_RPS")× its time: **$(verdict "3*$F_RPS >= ${NM[taxii]}")**; the same page asked again (from the page cache) $(ratio "${PM[taxii]}" "${NM[taxii]}")× nginx.
One request at a time (medians): the same page again ${T_SAME} ms against nginx's ${T_NGINX} ms, $(ratio "$T_SAME" "$T_NGINX")×: **$(verdict "$T_SAME <= 3*$T_NGINX")**; paging through the collection with \`next\` (a different page each time, built from the database) ${T_PAGING} ms, $(ratio "$T_PAGING" "$T_NGINX")×: **$(verdict "$T_PAGING <= 3*$T_NGINX")**.

| response | bytes | Parley req/s (median) | nginx req/s (median) | ratio | Parley CPU µs/response | nginx CPU µs/response |
|---|---:|---:|---:|---:|---:|---:|
| CICA technical contacts, \`GET /api/v1/contacts?forum=CICA&type=technical&limit=50\`, Bearer token | ${BYTES[contacts23]} | ${PM[contacts23]} | ${NM[contacts23]} | $(ratio "${PM[contacts23]}" "${NM[contacts23]}") | ${PCM[contacts23]} | ${NCM[contacts23]} |
| whole contact list (its first page, the default 50), \`GET /api/v1/contacts\`, Bearer token | ${BYTES[contacts41]} | ${PM[contacts41]} | ${NM[contacts41]} | $(ratio "${PM[contacts41]}" "${NM[contacts41]}") | ${PCM[contacts41]} | ${NCM[contacts41]} |
| TAXII page, \`GET /taxii2/CICA/collections/…/objects/?limit=1000\`, Basic auth (the same page: from the page cache) | ${BYTES[taxii]} | ${PM[taxii]} | ${NM[taxii]} | $(ratio "${PM[taxii]}" "${NM[taxii]}") | ${PCM[taxii]} | ${NCM[taxii]} |
| TAXII pages built from the database: \`…&next=\` a random object's cursor (Parley p99 ${F_P99} ms); nginx: the same page as above | ≈${BYTES[taxii]} | ${F_RPS} | ${NM[taxii]} | $(ratio "$F_RPS" "${NM[taxii]}") | ${F_CPU} | ${NCM[taxii]} |

| TAXII page, one connection, one request at a time | Parley p50 (ms) | nginx p50 (ms) | ratio | Parley CPU µs/page | nginx CPU µs/page |
|---|---:|---:|---:|---:|---:|
| the same first page again | ${T_SAME} | ${T_NGINX} | $(ratio "$T_SAME" "$T_NGINX") | ${C_SAME} | ${C_NGINX} |
| paging with \`next\` through the ${OBJECTS}-object collection (a different page each time, from the beginning again after the last) | ${T_PAGING} | ${T_NGINX} | $(ratio "$T_PAGING" "$T_NGINX") | ${C_PAGING} | ${C_NGINX} |

Each round:

| response | round | Parley req/s | Parley p99 (ms) | Parley CPU µs/response | nginx req/s | nginx p99 (ms) | nginx CPU µs/response | ratio |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
$ROWS
- Where the bytes went, before this benchmark's changes (\`perf record\` of the server, \`strace -c -f\`): syscalls were not the problem — one \`recvmsg\` and one \`sendmsg\` (headers and body together) per response, the access log written every few dozen responses. The cost that grew with size was memory: the directory's cached 43 KB page was copied twice per request (cache → response → Beast's string body) into fresh heap blocks, whose pages the kernel faulted in and zeroed (page faults and \`clear_page\` a tenth of the server's time). A TAXII page was worse: each object's text was copied three times on its way from SQLite into the page, the 460 KB envelope grew by doubling, each step a fresh \`mmap\` faulted in and unmapped again (page faults, zeroing and copies were over half of the server's time; SQLite a fifth).
- Now: a response is written from the bytes it was built in (Beast \`span_body\`), a cached body is shared with the response, not copied (\`http::Response::shared\`); a TAXII page is built in one buffer sized up front from each object's text moved out of its row; \`parley serve\` keeps large blocks in glibc's heap (\`app/malloc_tuning.h\`); a TAXII page once sent is kept for the caller that asks for it again at the same database generation (docs/architecture.md, "Caches").
- A page built from the database, since: \`perf\` of the paging row showed SQLite at 70% of the server's time, most of it reading again, for every page, all that was added at the cursor's instant before the cursor (a bulk import adds thousands at one instant): SQLite's planner bounds a row-value range \`(added_at, id) > (?, ?)\` on \`added_at\` alone when \`id\` is the rowid. A page now asks two index ranges, the rest of the cursor's instant by id, then the later instants (PostgreSQL's index names \`id\` too: without it each page sorted the whole collection, 70 ms for 50,000 objects). The latest-version check is skipped for objects with one version (\`only_version\`, kept by the inserts and deletes), and a TAXII envelope reads three columns of each row, not twelve. Per page: 6.2 ms → 1.0 ms one at a time on an idle machine.
- What is left (\`perf\`, fresh pages): SQLite about 45% (the index range, a row read per object), copies of the 460 KB about 20% (SQLite's own copy of each text, ours into the row, then into the page), malloc, the socket. Writing the page straight from the statement's rows would save one copy and the rows' allocations; one request at a time stays above 3× nginx's (a static file already in memory) on this machine.
- Settings: wrk ${THREADS} thread, ${CONNECTIONS} connections, ${DURATION} s per measurement, ${ROUNDS} rounds alternating which server goes first, medians reported, after a 2 s warm-up of each (wrk 1 thread, 4 connections); the one-at-a-time TAXII figures are wrk 1 thread, 1 connection, ${DURATION} s. Parley: ${THREADS} I/O thread(s) (\`--threads ${THREADS}\`), ${BUILD_TYPE} build, SQLite in WAL mode, the demo data (44 states, 89 contacts) and ${OBJECTS} STIX indicators (\`bench/stix_bundle.mjs\`) imported into the CICA's forum collection, access log on (to a file). nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'): ${THREADS} worker(s), access log off, sendfile off (its default), the same bytes as files.
- Run on $(date -u +%Y-%m-%d) on $(nproc) cores ($CPU), $(free -g | awk '/Mem/ {print $2}') GiB; wrk, Parley and nginx share these cores with whatever else runs on the machine (1-minute load average at the end: $(cut -d' ' -f1 /proc/loadavg)). Compare only figures of the same run.
DOC
