#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests (never for data: fsync is off) and,
# with PG_DURABLE=1, for the benchmarks (fsync and synchronous commit on).
#   scripts/pg-cluster.sh start DIR   initdb in DIR (emptied first), start the server on a
#                                     unix socket in DIR and a free loopback port, and
#                                     print the URL of its `postgres` database
#                                     (PARLEY_TEST_DB); DIR/url holds it too.
#   scripts/pg-cluster.sh stop DIR    stop the server and remove DIR.
#   scripts/pg-cluster.sh url DIR     print the URL again.
#   scripts/pg-cluster.sh run DIR -- COMMAND...
#                                     run COMMAND with PARLEY_TEST_DB set to it (ctest).
# Run as root (CI), the server runs as the unprivileged `postgres` user, which owns DIR;
# otherwise as the caller. The cluster's superuser is `parley`, trusted on the socket
# and on loopback only.
set -euo pipefail
cmd=${1:?usage: pg-cluster.sh start|stop|url DIR}
dir=${2:?usage: pg-cluster.sh start|stop|url DIR}
bin=/usr/lib/postgresql/15/bin
[[ -x $bin/initdb ]] || { echo "PostgreSQL 15 is not installed (apt-get install postgresql-15)" >&2; exit 1; }

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case $cmd in
  start)
    if [[ -f $dir/data/postmaster.pid ]]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U parley --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # Test settings: nothing here has to survive a crash. PG_DURABLE=1 (the benchmarks)
    # keeps the server's defaults instead: fsync, synchronous commit, full page writes.
    durable=off; [[ ${PG_DURABLE:-0} == 1 ]] && durable=on
    cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = $durable
synchronous_commit = $durable
full_page_writes = $durable
max_connections = 400
shared_buffers = 128MB
log_min_messages = warning
CONF
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
      { cat "$dir/server.log" >&2; exit 1; }
    echo "postgresql://parley@/postgres?host=$dir&port=$port" >"$dir/url"
    cat "$dir/url"
    ;;
  stop)
    if [[ -f $dir/data/postmaster.pid ]]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true; fi
    rm -rf "$dir"
    ;;
  url)
    cat "$dir/url"
    ;;
  run)
    shift 2
    [[ ${1:-} == -- ]] && shift
    [[ -f $dir/url ]] || { echo "no cluster in $dir (pg-cluster.sh start $dir)" >&2; exit 1; }
    PARLEY_TEST_DB=$(cat "$dir/url") exec "$@"
    ;;
  *)
    echo "usage: pg-cluster.sh start|stop|url DIR" >&2
    exit 2
    ;;
esac
