#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL 15 server:
#   bash scripts/with-postgres.sh .venv/bin/python -m pytest ...
# The server lives in a temp folder on a free port of 127.0.0.1; the command sees
# METODIST_DATABASE_URL=postgres://metodist@127.0.0.1:PORT/metodist. The server is stopped and the folder
# removed whatever happens (the command fails, Ctrl-C, SIGTERM); the script exits with the command's status.
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 COMMAND [ARG...]" >&2
    exit 2
fi

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
if [[ ! -x "$PG_BIN/postgres" ]]; then
    echo "with-postgres: no PostgreSQL 15 server in $PG_BIN (apt-get install postgresql-15)" >&2
    exit 1
fi

PG_TMP="$(mktemp -d -t metodist-pg.XXXXXXXX)"
PG_DATA="$PG_TMP/data"
PG_LOG="$PG_TMP/server.log"
PG_STARTED=0

# PostgreSQL refuses to run as root (CI runs as root): then the server belongs to the postgres user.
as_pg() {
    if [[ "$(id -u)" -eq 0 ]]; then
        # cd: the postgres user may not be allowed into the caller's working directory.
        (cd "$PG_TMP" && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [[ "$PG_STARTED" -eq 1 ]]; then
        as_pg "$PG_BIN/pg_ctl" stop -D "$PG_DATA" -m immediate -s >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_TMP"
    exit "$status"
}
CMD_PID=""
on_signal() {
    # Pass the signal on to the command rather than waiting for it to finish by itself.
    if [[ -n "$CMD_PID" ]]; then
        kill "-$1" "$CMD_PID" 2>/dev/null || true
        wait "$CMD_PID" 2>/dev/null || true
    fi
    exit "$2"
}
trap cleanup EXIT
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM

if [[ "$(id -u)" -eq 0 ]]; then
    chown postgres: "$PG_TMP"
fi
chmod 700 "$PG_TMP"

PG_PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

# The bootstrap superuser is "metodist" itself: pytest-django creates and drops test_metodist* databases.
initdb_args=(-D "$PG_DATA" --username=metodist --auth=trust -E UTF8)
if ! as_pg "$PG_BIN/initdb" "${initdb_args[@]}" --locale=C.UTF-8 >"$PG_TMP/initdb.log" 2>&1; then
    rm -rf "$PG_DATA"
    if ! as_pg "$PG_BIN/initdb" "${initdb_args[@]}" --no-locale >"$PG_TMP/initdb.log" 2>&1; then
        cat "$PG_TMP/initdb.log" >&2
        exit 1
    fi
fi

# Durability settings are off: the data is thrown away anyway, and tests run much faster without fsync.
server_opts="-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_TMP"
server_opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
if ! as_pg "$PG_BIN/pg_ctl" start -D "$PG_DATA" -l "$PG_LOG" -w -t 60 -s -o "$server_opts"; then
    cat "$PG_LOG" >&2 || true
    exit 1
fi
PG_STARTED=1

"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U metodist metodist

export METODIST_DATABASE_URL="postgres://metodist@127.0.0.1:$PG_PORT/metodist"
echo "with-postgres: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT" >&2

# In the background so that a signal reaches the trap at once; stdin is handed on explicitly.
set +e
"$@" <&0 &
CMD_PID=$!
wait "$CMD_PID"
status=$?
set -e
exit "$status"
