#!/usr/bin/env bash
# A throw-away PostgreSQL server for the test suite, shared by .ci/run and `make test-pg`.
#
#   scripts/pg_test_server.sh run -- COMMAND...   starts a server in a new temporary folder, runs
#                                                  COMMAND with its environment, stops the server
#                                                  (by its process id) and removes the folder;
#                                                  exits with COMMAND's code
#   scripts/pg_test_server.sh start DIR            initdb in DIR (empty or missing), starts the
#                                                  server, creates the test role and database,
#                                                  prints the environment as `export` lines
#   scripts/pg_test_server.sh stop DIR             stops DIR's server by its process id
#   scripts/pg_test_server.sh pause DIR            the same (kept apart for the restart test:
#                                                  `pause` then `resume` keeps the data)
#   scripts/pg_test_server.sh crash DIR            stops DIR's server at once, as a crash would
#                                                  (immediate shutdown: no checkpoint; `resume`
#                                                  recovers from the WAL)
#   scripts/pg_test_server.sh resume DIR           starts DIR's server again on the same port
#                                                  (nothing to do when it runs)
#
# Debian's `postgresql` is installed with apt-get when no server binaries are found
# (postgresql-common puts them in /usr/lib/postgresql/VERSION/bin; PG_BINDIR overrides).
# The server listens on 127.0.0.1 only, on a free port, with its unix socket inside DIR. As root
# (CI), initdb and the server run as the `postgres` user, which owns DIR: initdb refuses root.
#
# The environment given to the tests:
#   ENSAP_TEST_POSTGRES       postgresql://ROLE:PASSWORD@127.0.0.1:PORT/DB (the role may CREATEDB)
#   ENSAP_TEST_POSTGRES_DIR   DIR, for `pause`/`resume` by the server restart test
set -euo pipefail

SCRIPT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
ROLE=ensap_test
DATABASE=ensap_test

say() { printf 'pg_test_server: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

find_bindir() {
  if [ -n "${PG_BINDIR:-}" ]; then
    [ -x "$PG_BINDIR/initdb" ] || die "PG_BINDIR=$PG_BINDIR has no initdb"
    printf '%s\n' "$PG_BINDIR"
    return 0
  fi
  local dir best=""
  # The newest version installed (sort -V: 9.6 < 15 < 17).
  for dir in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V); do
    [ -x "$dir/initdb" ] && [ -x "$dir/postgres" ] && best="$dir"
  done
  [ -n "$best" ] || return 1
  printf '%s\n' "$best"
}

install_postgresql() {
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  say "no PostgreSQL server binaries: installing Debian's postgresql"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >&2
  $sudo apt-get install -y -qq postgresql >&2
  # The package may have created and started its own cluster: no server ran before (there were
  # no binaries), so any that runs now is the install's, and it is not ours to leave running.
  if command -v pg_lsclusters >/dev/null 2>&1; then
    local version name port status rest
    while read -r version name port status rest; do
      if [ "$status" = online ]; then
        say "stopping the cluster $version/$name the installation started"
        $sudo pg_ctlcluster "$version" "$name" stop >&2 || true
      fi
    done < <(pg_lsclusters -h 2>/dev/null || true)
  fi
}

# Runs a command as the server's owner: `postgres` when we are root, ourselves otherwise.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    # From / : the postgres user may not enter the folder we were started in (a clone in
    # root's home), and PostgreSQL's programs warn when they cannot.
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# The running server's process id, from its postmaster.pid; fails when none runs (a stale file
# left by a killed server may name a process id reused by another program: that one is not it).
server_pid() {
  local dir=$1 pid
  [ -f "$dir/data/postmaster.pid" ] || return 1
  pid=$(head -n 1 "$dir/data/postmaster.pid")
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "-D $dir/data" || return 1
  printf '%s\n' "$pid"
}

launch() {
  local dir=$1 bindir port
  bindir=$(cat "$dir/bindir")
  port=$(cat "$dir/port")
  # -w: wait until the server accepts connections (or fails); its log stays in DIR.
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/socket" start >/dev/null
}

start() {
  local dir=$1 bindir password
  mkdir -p "$dir"
  [ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
  bindir=$(find_bindir) || { install_postgresql; bindir=$(find_bindir); } ||
    die "no PostgreSQL server binaries found after installing postgresql"
  printf '%s\n' "$bindir" >"$dir/bindir"
  mkdir -p "$dir/socket"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root, but there is no postgres user to run the server as"
    chown -R postgres: "$dir"
    chmod 0700 "$dir"
  fi
  password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
  # Local connections (the unix socket in DIR, reachable by its owner only) by peer; TCP on
  # loopback by password, as the application connects.
  as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth-local=peer \
    --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  # Test databases are thrown away with the machine's run: no need to wait for the disk at each
  # commit (the two shared cores' disk is slow). Commits still go to the WAL before the client
  # hears of them, so stopping or killing the server loses nothing confirmed while the machine
  # itself stays up. Many processes connect at once in the concurrency suite.
  cat >>"$dir/data/postgresql.conf" <<'CONF'
fsync = off
max_connections = 200
CONF
  local attempt
  for attempt in 1 2 3; do
    free_port >"$dir/port"
    if launch "$dir"; then break; fi
    [ "$attempt" -lt 3 ] || { cat "$dir/server.log" >&2; die "the server did not start"; }
    say "the server did not start on port $(cat "$dir/port"), trying another"
  done
  # pg_signal_backend: DROP DATABASE ... WITH (FORCE) ends every process on the database, and
  # an autovacuum worker (which belongs to no role) may be one; without it the drop fails.
  as_owner "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir/socket" -p "$(cat "$dir/port")" \
    -U postgres -d postgres >/dev/null <<EOF
CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$password';
CREATE DATABASE $DATABASE OWNER $ROLE TEMPLATE template0;
GRANT pg_signal_backend TO $ROLE;
EOF
  local url="postgresql://$ROLE:$password@127.0.0.1:$(cat "$dir/port")/$DATABASE"
  printf 'export ENSAP_TEST_POSTGRES=%q\nexport ENSAP_TEST_POSTGRES_DIR=%q\n' "$url" "$dir"
  say "server $(server_pid "$dir") listening on 127.0.0.1:$(cat "$dir/port")"
}

# Stops DIR's server by its process id, waiting for it: SIGINT by default (PostgreSQL's fast
# shutdown: sessions ended, a checkpoint written), SIGQUIT for the immediate one (no checkpoint).
stop() {
  local dir=$1 signal=${2:-INT} pid waited=0
  pid=$(server_pid "$dir") || return 0
  kill "-$signal" "$pid"
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge 600 ]; then  # 60 s
      say "server $pid still running after 60 s: killing it"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

resume() {
  local dir=$1 pid
  [ -f "$dir/port" ] || die "$dir holds no server"
  if pid=$(server_pid "$dir"); then
    return 0  # already running: a finalizer may resume a server a failed test never paused
  fi
  launch "$dir"
}

run() {
  local status=0 exports
  # Globals: the traps run outside this function.
  RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ensap-pg.XXXXXX")
  CHILD=""
  # The server never outlives the command: stopped by its pid, the folder removed, whatever
  # the way out (end, error, Ctrl-C, TERM).
  trap 'stop "$RUN_DIR"; rm -rf "$RUN_DIR"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  exports=$(start "$RUN_DIR")
  eval "$exports"
  # In the background so that a signal to this script is handled at once (bash runs traps only
  # between commands): it is passed on to COMMAND, then the EXIT trap stops the server.
  "$@" <&0 &
  CHILD=$!
  trap 'kill -TERM "$CHILD" 2>/dev/null; wait "$CHILD"; exit 130' INT
  trap 'kill -TERM "$CHILD" 2>/dev/null; wait "$CHILD"; exit 143' TERM
  wait "$CHILD" || status=$?
  exit "$status"
}

command=${1:-}
shift || true
case "$command" in
  run)
    [ "${1:-}" = "--" ] && shift
    [ $# -gt 0 ] || die "usage: $SCRIPT run -- COMMAND..."
    run "$@"
    ;;
  start | stop | pause | crash | resume)
    [ $# = 1 ] || die "usage: $SCRIPT $command DIR"
    case "$command" in
      start) start "$1" ;;
      stop | pause) stop "$1" ;;
      crash) stop "$1" QUIT ;;
      resume) resume "$1" ;;
    esac
    ;;
  *)
    die "usage: $SCRIPT run -- COMMAND... | start DIR | stop DIR | pause DIR | crash DIR | resume DIR"
    ;;
esac
