#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for minima's PostgreSQL tests (and for trying
# `--storage postgresql://…` by hand): a fresh cluster in a temporary folder, a login role "minima"
# (password "minima", allowed to create databases: the tests make one per test and drop it) and a
# database "minima". Uses the server binaries of Debian's postgresql package (or any initdb on PATH).
#
#   eval "$(tools/postgres-server.sh start)"   # prints the export lines; the server runs in the background
#   npm test                                     # the PostgreSQL tests now run instead of skipping
#   tools/postgres-server.sh stop "$MINIMA_POSTGRES_DIR"
#
# The tests also use restart DIR (pg_ctl restart -m fast: every connection is cut), pause DIR and
# resume DIR (stop and start again, keeping the data), and bindir (where the server binaries are).
#
# MINIMA_POSTGRES_PORT picks the port (default 54329). As root (CI), the cluster belongs to the
# postgres user, since PostgreSQL refuses to run as root.
set -euo pipefail

find_bindir() {
  if command -v initdb >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v initdb)")"; return; fi
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then pg_config --bindir; return; fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
  echo "postgres-server.sh: no initdb found; install PostgreSQL (Debian: apt-get install postgresql)" >&2
  exit 1
}

# Runs a server binary as the cluster's owner: the postgres user when we are root, else ourselves.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  local bindir port dir
  bindir=$(find_bindir)
  port=${MINIMA_POSTGRES_PORT:-54329}
  dir=${1:-$(mktemp -d "${TMPDIR:-/tmp}/minima-postgres.XXXXXX")}
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || { echo "postgres-server.sh: running as root needs the postgres user (Debian's postgresql package makes it)" >&2; exit 1; }
    chown postgres: "$dir"
  fi
  as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  echo "$port" >"$dir/port"
  server_start "$dir"
  as_owner "$bindir/psql" -q -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE minima LOGIN CREATEDB PASSWORD 'minima'" -c "CREATE DATABASE minima OWNER minima" >/dev/null
  echo "export MINIMA_POSTGRES_DIR=$dir"
  echo "export MINIMA_TEST_POSTGRES_URL=postgresql://minima:minima@127.0.0.1:$port/minima"
}

# Loopback only; the unix socket lives in the cluster's folder, not in /var/run/postgresql.
server_start() {
  local dir=$1
  as_owner "$(find_bindir)/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $(cat "$dir/port") -k $dir -c max_connections=200 -c fsync=off" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
}

server_stop() {
  as_owner "$(find_bindir)/pg_ctl" -D "$1/data" -m fast -w stop >/dev/null
}

stop() {
  local dir=${1:?usage: postgres-server.sh stop DIR (the MINIMA_POSTGRES_DIR that start printed)}
  server_stop "$dir"
  rm -rf "$dir"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  restart) server_stop "$2"; server_start "$2" ;;
  pause) server_stop "$2" ;;
  resume) server_start "$2" ;;
  bindir) find_bindir ;;
  *) echo "usage: $0 start [DIR] | stop DIR | restart DIR | pause DIR | resume DIR | bindir" >&2; exit 2 ;;
esac
