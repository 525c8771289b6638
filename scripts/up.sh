#!/usr/bin/env bash
# Brings the whole AskDB stack up on 127.0.0.1: installs what is missing, builds, starts
# PostgreSQL 18 + pgvector, Redis, a local language model (llama.cpp's server with the tiny
# SmolLM2-135M-Instruct, unless ASKDB_LLM_URL names another), the API and two indexer workers,
# and loads the Chinook demo. A second run reuses what is there. State lives in one ignored
# folder (ASKDB_STATE_DIR).
#
#   scripts/up.sh           release build
#   scripts/up.sh --debug   reuse the debug build (what scripts/test.sh smoke-runs)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

BUILD_CONFIG=release
for arg in "$@"; do
    case "$arg" in
        --debug) BUILD_CONFIG=debug ;;
        -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
        *) die "unknown option: $arg" ;;
    esac
done

STATE="${ASKDB_STATE_DIR:-$ASKDB_ROOT/.askdb}"
API_PORT="${ASKDB_PORT:-8080}"
PG_PORT="${ASKDB_PG_PORT:-15432}"
REDIS_PORT="${ASKDB_REDIS_PORT:-16379}"
INDEXER_PORT_BASE="${ASKDB_INDEXER_PORT_BASE:-8091}"
INDEXER_COUNT=2
LLM_PORT="${ASKDB_LLM_PORT:-8088}"
mkdir -p "$STATE/logs" "$STATE/run"
STATE="$(cd "$STATE" && pwd)"

ensure_apt_packages
ensure_venv "$STATE"
ensure_pg_user
ASKDB_MODEL_DIR="${ASKDB_MODEL_DIR:-$(ensure_minilm "$STATE")}"
PG_BIN="$(pg_bindir "$STATE")"
check_traversable "$PG_BIN"
check_traversable "$STATE"

# Secrets are made once and kept, so a second run keeps the same users and data.
SECRETS="$STATE/secrets.env"
if [ ! -f "$SECRETS" ]; then
    log "generating secrets in $SECRETS"
    umask 077
    cat >"$SECRETS" <<EOF
PG_SUPERUSER_PASSWORD=$(random_password)
APP_DB_PASSWORD=$(random_password)
DEMO_READER_PASSWORD=$(random_password)
JWT_SECRET=$(random_secret 48)
ASKDB_ENCRYPTION_KEY=$(random_secret 32)
EOF
    umask 022
fi
# shellcheck disable=SC1090
source "$SECRETS"

# --- build ---------------------------------------------------------------------------------
log "building ($BUILD_CONFIG)"
(cd "$ASKDB_ROOT" && swift build "${SWIFT_SCRATCH[@]}" -c "$BUILD_CONFIG" --product askdb-api >&2 \
    && swift build "${SWIFT_SCRATCH[@]}" -c "$BUILD_CONFIG" --product askdb-indexer >&2) || die "swift build failed"
BIN="$(cd "$ASKDB_ROOT" && swift build "${SWIFT_SCRATCH[@]}" -c "$BUILD_CONFIG" --show-bin-path)"

# --- PostgreSQL ----------------------------------------------------------------------------
PG_DATA="$STATE/postgres"
if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    log "initialising PostgreSQL in $PG_DATA"
    pwfile="$STATE/run/pgpass.tmp"
    printf '%s\n' "$PG_SUPERUSER_PASSWORD" >"$pwfile"
    pg_init "$PG_DATA" "$pwfile" "$PG_BIN"
    rm -f "$pwfile"
fi
log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
pg_start "$PG_DATA" "$PG_PORT" "$PG_BIN" "$STATE/logs/postgres.log"

psql_super() {
    PGOPTIONS='-c client_min_messages=warning' PGPASSWORD="$PG_SUPERUSER_PASSWORD" "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
        -h 127.0.0.1 -p "$PG_PORT" -U askdb "$@"
}

# The app's own role owns the app database; pgvector is created by the superuser.
psql_super -d postgres <<SQL
SELECT 'CREATE ROLE askdb_app LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'askdb_app') \gexec
ALTER ROLE askdb_app PASSWORD '$APP_DB_PASSWORD';
SELECT 'CREATE DATABASE askdb OWNER askdb_app' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'askdb') \gexec
SQL
psql_super -d askdb -c 'CREATE EXTENSION IF NOT EXISTS vector'

DATABASE_URL="postgres://askdb_app:$APP_DB_PASSWORD@127.0.0.1:$PG_PORT/askdb"
DEMO_DATABASE_URL="postgres://askdb_demo_reader:$DEMO_READER_PASSWORD@127.0.0.1:$PG_PORT/chinook"

# --- Redis ---------------------------------------------------------------------------------
log "starting Redis on 127.0.0.1:$REDIS_PORT"
redis_start "$REDIS_PORT" "$STATE/redis"
REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"

# --- demo database -------------------------------------------------------------------------
if ! psql_super -d chinook -tAc 'SELECT count(*) FROM artist' >/dev/null 2>&1; then
    log "loading the Chinook demo database"
    # The script drops and creates its own database, then switches to it with \c.
    psql_super -d postgres -f "$ASKDB_ROOT/datasets/chinook/Chinook_PostgreSql.sql" >/dev/null \
        || die "loading Chinook failed"
fi
psql_super -d chinook <<SQL
SELECT 'CREATE ROLE askdb_demo_reader LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'askdb_demo_reader') \gexec
ALTER ROLE askdb_demo_reader PASSWORD '$DEMO_READER_PASSWORD';
ALTER ROLE askdb_demo_reader SET default_transaction_read_only = on;
GRANT CONNECT ON DATABASE chinook TO askdb_demo_reader;
GRANT USAGE ON SCHEMA public TO askdb_demo_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO askdb_demo_reader;
SQL

# --- AskDB processes -----------------------------------------------------------------------
export DATABASE_URL REDIS_URL JWT_SECRET ASKDB_ENCRYPTION_KEY ASKDB_MODEL_DIR
export ASKDB_HOST=127.0.0.1 ASKDB_PORT="$API_PORT"
export ASKDB_LOG_FORMAT="${ASKDB_LOG_FORMAT:-json}"
# The demo and the evaluation's databases are on loopback, which the API refuses unless named.
export ASKDB_ALLOWED_HOSTS="${ASKDB_ALLOWED_HOSTS-127.0.0.1,localhost}"

log "applying migrations"
"$BIN/askdb-api" migrate --migrations "$ASKDB_ROOT/migrations" >&2 || die "migrations failed"

start_process() {
    local name="$1"; shift
    local pidfile="$STATE/run/$name.pid"
    if pid_alive "$pidfile"; then return 0; fi
    nohup "$@" >>"$STATE/logs/$name.log" 2>&1 </dev/null &
    echo $! >"$pidfile"
}

# --- language model ------------------------------------------------------------------------
if [ -n "${ASKDB_LLM_URL:-}" ]; then
    log "using the language model at $ASKDB_LLM_URL (ASKDB_LLM_URL is set)"
else
    LLM_GGUF="$(ensure_local_llm "$STATE")"
    ASKDB_LLM_URL="http://127.0.0.1:$LLM_PORT"
    ASKDB_LLM_API=openai
    ASKDB_LLM_MODEL="$LOCAL_LLM_MODEL"
    unset ASKDB_LLM_MODELS
    # llama.cpp accepts a grammar: queries are constrained to the retrieved schema. A shorter
    # schema context keeps prompt, repairs and reply inside the model's 4096-token window and
    # the prompt's evaluation on 2 cores to a few seconds.
    ASKDB_LLM_GRAMMAR=true
    ASKDB_LLM_CONTEXT_TOKENS="${ASKDB_LLM_CONTEXT_TOKENS:-1200}"
    if ! pid_alive "$STATE/run/llm.pid"; then
        port_is_free "$LLM_PORT" || die "port $LLM_PORT (language model) is taken: set ASKDB_LLM_PORT"
        log "starting llama.cpp's server with $LOCAL_LLM_MODEL on $ASKDB_LLM_URL"
        start_process llm "$STATE/venv/bin/python" -m llama_cpp.server --model "$LLM_GGUF" --model_alias "$LOCAL_LLM_MODEL" \
            --host 127.0.0.1 --port "$LLM_PORT" --n_threads 2 --n_ctx 4096
    fi
    wait_for_url "$ASKDB_LLM_URL/v1/models" "$STATE/run/llm.pid" 60 \
        || die "the language model server did not start: see $STATE/logs/llm.log"
fi
ASKDB_LLM_API="${ASKDB_LLM_API:-openai}"
export ASKDB_LLM_URL ASKDB_LLM_API
[ -n "${ASKDB_LLM_MODEL:-}" ] && export ASKDB_LLM_MODEL
[ -n "${ASKDB_LLM_MODELS:-}" ] && export ASKDB_LLM_MODELS
[ -n "${ASKDB_LLM_GRAMMAR:-}" ] && export ASKDB_LLM_GRAMMAR
[ -n "${ASKDB_LLM_CONTEXT_TOKENS:-}" ] && export ASKDB_LLM_CONTEXT_TOKENS

API_URL="http://127.0.0.1:$API_PORT"
if ! pid_alive "$STATE/run/api.pid"; then
    port_is_free "$API_PORT" || die "port $API_PORT (API) is taken by another process: set ASKDB_PORT"
    log "starting askdb-api on $API_URL"
    start_process api "$BIN/askdb-api" serve
fi
for ((i = 1; i <= INDEXER_COUNT; i++)); do
    port=$((INDEXER_PORT_BASE + i - 1))
    if ! pid_alive "$STATE/run/indexer-$i.pid"; then
        port_is_free "$port" || die "port $port (indexer $i) is taken: set ASKDB_INDEXER_PORT_BASE"
        log "starting askdb-indexer $i (health on 127.0.0.1:$port)"
        start_process "indexer-$i" "$BIN/askdb-indexer" --concurrency 1 --health-port "$port"
    fi
done

wait_for_url "$API_URL/ready" "$STATE/run/api.pid" 30 || die "askdb-api did not become ready: see $STATE/logs/api.log"

umask 077
cat >"$STATE/stack.env" <<EOF
API_URL=$API_URL
DATABASE_URL=$DATABASE_URL
REDIS_URL=$REDIS_URL
DEMO_DATABASE_URL=$DEMO_DATABASE_URL
ASKDB_MODEL_DIR=$ASKDB_MODEL_DIR
ASKDB_LLM_URL=$ASKDB_LLM_URL
ASKDB_LLM_API=$ASKDB_LLM_API
ASKDB_LLM_MODEL=${ASKDB_LLM_MODEL:-}
ASKDB_LLM_MODELS=${ASKDB_LLM_MODELS:-}
ASKDB_ALLOWED_HOSTS=$ASKDB_ALLOWED_HOSTS
ASKDB_LLM_GRAMMAR=${ASKDB_LLM_GRAMMAR:-}
ASKDB_LLM_CONTEXT_TOKENS=${ASKDB_LLM_CONTEXT_TOKENS:-}
# A superuser URL for askdb-api eval, which loads datasets into databases of their own.
EVAL_SOURCE_URL=postgres://askdb:$PG_SUPERUSER_PASSWORD@127.0.0.1:$PG_PORT/postgres
EOF
umask 022

log "AskDB is up: $API_URL  (settings in $STATE/stack.env, logs in $STATE/logs)"
echo "$API_URL"
