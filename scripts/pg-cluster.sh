# A throwaway PostgreSQL cluster under var/, for scripts/test-postgres and
# scripts/run-postgres. Source this file, then:
#
#   pg_cluster_start NAME     # find/install the server, initdb, start on 127.0.0.1,
#                             # create database NAME; sets PG_URL, PG_PORT, PGDIR, BINDIR
#   pg_cluster_stop           # stop the server and remove the cluster directory
#
# The caller installs the traps (pg_cluster_stop on EXIT). Needs $ROOT (the checkout)
# and a log function `log`.

# --- Server binaries -------------------------------------------------------------

has_server() { [[ -x "$1/initdb" && -x "$1/pg_ctl" && -x "$1/postgres" && -x "$1/pg_isready" ]]; }

find_bindir() {
    local dir
    if command -v pg_config >/dev/null 2>&1; then
        dir=$(pg_config --bindir 2>/dev/null || true)
        if [[ -n "$dir" ]] && has_server "$dir"; then
            printf '%s\n' "$dir"
            return 0
        fi
    fi
    # Newest version first.
    while IFS= read -r dir; do
        if has_server "$dir"; then
            printf '%s\n' "$dir"
            return 0
        fi
    done < <(compgen -G '/usr/lib/postgresql/*/bin' | sort -rV)
    return 1
}

pg_find_server() {
    if ! BINDIR=$(find_bindir); then
        [[ $(id -u) -eq 0 ]] || die "no PostgreSQL server binaries found, and not root to install them"
        log "no PostgreSQL server binaries found; installing Debian's postgresql package"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q </dev/null
        apt-get install -y -q --no-install-recommends postgresql </dev/null
        BINDIR=$(find_bindir) || die "PostgreSQL server binaries still not found after installing"
    fi
    log "using $("$BINDIR/postgres" --version) from $BINDIR"

    # The server refuses to run as root, so as root it runs as the `postgres` user.
    if [[ $(id -u) -eq 0 ]] && ! id -u postgres >/dev/null 2>&1; then
        log "creating the postgres system user"
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin postgres
    fi
}

as_pg() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# --- Stop and clean up, whatever happens --------------------------------------------------

PGDIR=""
PG_PID=""

stop_server() {
    [[ -n "$PG_PID" ]] || return 0
    if kill -0 "$PG_PID" 2>/dev/null; then
        as_pg "$BINDIR/pg_ctl" -D "$PGDIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
            kill -KILL "$PG_PID" 2>/dev/null
    fi
    wait "$PG_PID" 2>/dev/null
    PG_PID=""
}

pg_cluster_stop() {
    stop_server
    if [[ -n "$PGDIR" && -d "$PGDIR" ]]; then
        rm -rf -- "$PGDIR"
    fi
    PGDIR=""
}

# --- Cluster directory ---------------------------------------------------------------

# A directory the server user can write in, with a path short enough for the
# unix socket (sun_path holds 107 bytes; the socket is "$PGDIR/.s.PGSQL.NNNNN").
make_pgdir() {
    local parent=$1 dir
    mkdir -p "$parent" 2>/dev/null || return 1
    dir=$(mktemp -d "$parent/pg.XXXXXX" 2>/dev/null) || return 1
    dir=$(cd "$dir" && pwd -P)
    PGDIR=$dir  # so the EXIT trap removes it whatever happens next
    if (( ${#dir} > 90 )); then
        rm -rf -- "$dir"; PGDIR=""; return 1
    fi
    if [[ $(id -u) -eq 0 ]]; then
        chown postgres: "$dir"
        if ! as_pg test -w "$dir" -a -x "$dir"; then
            rm -rf -- "$dir"; PGDIR=""; return 1
        fi
    fi
    return 0
}

free_port() {
    "$ROOT/.venv/bin/python" -c '
import socket
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
'
}

# The server runs as a child of the calling script (not daemonized by pg_ctl), so it
# is reaped there even where PID 1 reaps no orphans.
start_server() {
    as_pg "$BINDIR/postgres" -D "$PGDIR/data" >"$PGDIR/server.log" 2>&1 &
    PG_PID=$!
    local _
    for _ in $(seq 1 120); do
        if ! kill -0 "$PG_PID" 2>/dev/null; then
            wait "$PG_PID" 2>/dev/null || true
            PG_PID=""
            return 1
        fi
        if "$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres; then
            return 0
        fi
        sleep 0.5
    done
    log "server on 127.0.0.1:$PG_PORT did not become ready within 60 s"
    stop_server
    return 1
}

pg_cluster_start() {
    local dbname=$1 attempt started=""
    pg_find_server
    if ! make_pgdir "$ROOT/var"; then
        log "the server user cannot use $ROOT/var; using a directory under /tmp"
        make_pgdir /tmp || die "could not create a cluster directory"
    fi

    as_pg "$BINDIR/initdb" --pgdata="$PGDIR/data" --username=postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$PGDIR/initdb.log" 2>&1 || {
        cat "$PGDIR/initdb.log" >&2
        die "initdb failed"
    }

    for attempt in 1 2 3; do
        PG_PORT=$(free_port)
        # Settings for this run; a throwaway cluster needs no durability.
        printf '%s\n' \
            "listen_addresses = '127.0.0.1'" \
            "port = $PG_PORT" \
            "unix_socket_directories = '$PGDIR'" \
            "fsync = off" \
            "synchronous_commit = off" \
            "full_page_writes = off" \
            >"$PGDIR/data/postgresql.auto.conf"
        if start_server; then
            started=1
            break
        fi
        log "server did not start on port $PG_PORT (attempt $attempt); its log:"
        tail -n 20 "$PGDIR/server.log" >&2 || true
    done
    [[ -n "$started" ]] || die "could not start PostgreSQL"

    "$BINDIR/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$dbname"
    log "PostgreSQL ready on 127.0.0.1:$PG_PORT (cluster in $PGDIR)"

    # Keep libpq settings from the environment out of the way.
    unset PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER PGPASSWORD PGPASSFILE PGSERVICE \
        PGSERVICEFILE PGSSLMODE PGOPTIONS PGTZ PGCLIENTENCODING
    PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/$dbname"
}
