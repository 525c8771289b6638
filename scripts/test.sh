#!/usr/bin/env bash
# Runs every test, in phases, against real servers on loopback (PostgreSQL 18 + pgvector,
# Redis, SecantusDB) started here on free ports and torn down afterwards, and prints each
# phase's wall time at the end:
#   swift   the Swift test suite (unit and integration tests)
#   smoke   scripts/up.sh --debug, then Chinook indexed and asked through the API
#   oracle  askdb-api eval --oracle on the smoke stack: every gold query of the dev set and of
#           the project's own questions through the real path; any miss fails
#   mcp     the official MCP Python SDK against the scripted-model API's /mcp, over HTTP and
#           over the stdio bridge (askdb-api mcp): every tool, two users, a refused write
#   metrics a real Prometheus scrapes the stack (both APIs, both indexers), answers PromQL for
#           questions just asked, and evaluates every expression of deploy/'s alert rules and
#           dashboard; promtool checks the rules; a scheduled re-index runs once
#   fuzz    schemathesis holds that stack's API to its OpenAPI document (/openapi.json); last,
#           since it leaves random users and connections behind
#
#   scripts/test.sh                        every phase (what .ci/run calls)
#   scripts/test.sh --phase oracle         one phase (the stack phases start the stack)
#   scripts/test.sh --filter RedisClient   only matching Swift tests
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

PHASES=(swift smoke oracle mcp metrics fuzz)
SWIFT_TEST_ARGS=()
if [ "${1:-}" = --phase ]; then
    [ -n "${2:-}" ] || die "--phase needs a name: ${PHASES[*]}"
    case " ${PHASES[*]} " in *" $2 "*) ;; *) die "no phase $2; the phases are: ${PHASES[*]}" ;; esac
    PHASES=("$2")
elif [ $# -gt 0 ]; then
    PHASES=(swift)
    SWIFT_TEST_ARGS=("$@")
fi

STATE="${ASKDB_STATE_DIR:-$ASKDB_ROOT/.askdb}"
mkdir -p "$STATE"
STATE="$(cd "$STATE" && pwd)"
# Debian's PostgreSQL 15 has OpenSSL (the embedded 18 does not): it is the TLS test server.
APT_RUNTIME_PACKAGES+=(postgresql-15 openssl)
# The metrics phase's Prometheus and promtool (Debian's; no Grafana is packaged for bookworm).
APT_RUNTIME_PACKAGES+=(prometheus)
ensure_apt_packages
ensure_venv "$STATE"
ensure_secantus "$STATE"
MODEL_DIR="$(ensure_minilm "$STATE")"
ensure_pg_user
PG_BIN="$(pg_bindir "$STATE")"
check_traversable "$PG_BIN"

WORK="$(mktemp -d /tmp/askdb-test.XXXXXX)"
chmod 755 "$WORK"
PG_PORT="$(free_port)"
REDIS_PORT="$(free_port)"
PG_PASSWORD="askdb-test"

cleanup() {
    pg_stop "$WORK/postgres" "$PG_BIN"
    pg_stop "$WORK/pg15-tls" "$PG15_BIN"
    stop_pidfile "$WORK/redis/redis.pid" 5
    stop_pidfile "$WORK/secantus.pid" 5
    stop_pidfile "$WORK/prometheus.pid" 5
    if [ -n "${SMOKE_STATE:-}" ]; then
        ASKDB_STATE_DIR="$SMOKE_STATE" "$ASKDB_ROOT/scripts/down.sh" >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

log "starting test PostgreSQL on 127.0.0.1:$PG_PORT and Redis on 127.0.0.1:$REDIS_PORT"
printf '%s\n' "$PG_PASSWORD" >"$WORK/pgpass"
pg_init "$WORK/postgres" "$WORK/pgpass" "$PG_BIN" --no-sync
# Tests create many databases concurrently; durability buys nothing for throwaway data.
pg_start "$WORK/postgres" "$PG_PORT" "$PG_BIN" "$WORK/postgres.log" \
    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
redis_start "$REDIS_PORT" "$WORK/redis"
# A TLS-enabled PostgreSQL 15 with a throwaway self-signed certificate.
PG15_BIN=/usr/lib/postgresql/15/bin
TLS_PORT="$(free_port)"
pg_init "$WORK/pg15-tls" "$WORK/pgpass" "$PG15_BIN" --no-sync
# Its own CA, so the tests can trust it as a connection's CA certificate (and verify-full holds
# for 127.0.0.1 and localhost).
openssl req -new -x509 -days 2 -nodes -subj "/CN=askdb-test-server" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$WORK/pg15-tls/server.key" -out "$WORK/pg15-tls/server.crt" >/dev/null 2>&1 \
    || die "openssl could not make a test certificate"
cp "$WORK/pg15-tls/server.crt" "$WORK/tls-ca.crt"
cp "$WORK/pg15-tls/server.key" "$WORK/tls-ca.key"
chmod 600 "$WORK/pg15-tls/server.key"
pg_own "$WORK/pg15-tls"
pg_start "$WORK/pg15-tls" "$TLS_PORT" "$PG15_BIN" "$WORK/pg15-tls.log" \
    "-c ssl=on -c ssl_cert_file=server.crt -c ssl_key_file=server.key -c fsync=off"
log "started TLS PostgreSQL 15 on 127.0.0.1:$TLS_PORT"
MONGO_PORT="$(secantus_start "$STATE" "$WORK/secantus.log" "$WORK/secantus.pid")"
log "started SecantusDB (MongoDB-compatible) on 127.0.0.1:$MONGO_PORT"

export ASKDB_TEST_DATABASE_URL="postgres://askdb:$PG_PASSWORD@127.0.0.1:$PG_PORT/postgres"
export ASKDB_TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export ASKDB_TEST_REDIS_SERVER="$(command -v redis-server)"
export ASKDB_TEST_TLS_DATABASE_URL="postgres://askdb:$PG_PASSWORD@127.0.0.1:$TLS_PORT/postgres"
export ASKDB_TEST_TLS_CA_FILE="$WORK/tls-ca.crt"
export ASKDB_TEST_TLS_KEY_FILE="$WORK/tls-ca.key"
export ASKDB_TEST_MONGO_URL="mongodb://127.0.0.1:$MONGO_PORT/"
export ASKDB_TEST_MODEL_DIR="$MODEL_DIR"
export ASKDB_TEST_SECANTUS="$STATE/venv/bin/secantusd-py"
export ASKDB_TEST_PG_BIN="$PG_BIN"
export ASKDB_MIGRATIONS_DIR="$ASKDB_ROOT/migrations"

cd "$ASKDB_ROOT"
# Every build checks that a target imports only what Package.swift says it depends on.
log "building"
started=$SECONDS
swift build --build-tests --explicit-target-dependency-import-check error
TIMES=("build $((SECONDS - started)) s")

phase_swift() {
    log "running swift test ${SWIFT_TEST_ARGS[*]:-}"
    swift test --skip-build "${SWIFT_TEST_ARGS[@]}"
}

# Prints the field of the JSON on standard input that $1 names, e.g. '["token"]'.
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

# Registers $2 with password $3 through the API at $1 and prints an access token.
register_and_login() {
    local api="$1" credentials="{\"email\": \"$2\", \"password\": \"$3\"}"
    curl -fsS "$api/api/auth/register" -H 'content-type: application/json' -d "$credentials" >/dev/null \
        || die "register $2 failed"
    curl -fsS "$api/api/auth/login" -H 'content-type: application/json' -d "$credentials" | json '["token"]'
}

# Prints a new API key named $3 of the user whose access token is $2, through the API at $1.
make_api_key() {
    curl -fsS "$1/api/keys" -H "authorization: Bearer $2" -H 'content-type: application/json' -d "{\"name\": \"$3\"}" | json '["secret"]'
}

# Registers $3 through the API at $1, connects Chinook for it (stack.env $2) and indexes it,
# polling the job until it succeeds: sets CHINOOK_TOKEN (an access token), CHINOOK_CONNECTION
# and CHINOOK_JOB (the finished job).
connect_chinook() {
    local api="$1" email="$3" demo_url token connection
    demo_url="$(sed -n 's/^DEMO_DATABASE_URL=//p' "$2")"
    token="$(register_and_login "$api" "$email" "correct horse battery staple")"
    connection="$(curl -fsS "$api/api/connections" -H "authorization: Bearer $token" -H 'content-type: application/json' \
        -d "{\"name\": \"chinook\", \"kind\": \"postgres\", \"url\": \"$demo_url\"}" | json '["connection"]["id"]')"
    index_and_wait "$api" "$token" "$connection"
    CHINOOK_TOKEN="$token" CHINOOK_CONNECTION="$connection" CHINOOK_JOB="$INDEX_JOB"
}

# Indexes connection $3 through the API at $1 with token $2 and waits until the job succeeds;
# INDEX_JOB holds the finished job.
index_and_wait() {
    local api="$1" token="$2" connection="$3" job state="" body=""
    job="$(curl -fsS -X POST "$api/api/connections/$connection/index" -H "authorization: Bearer $token" | json '["job"]["id"]')"
    for _ in $(seq 1 120); do
        body="$(curl -fsS "$api/api/jobs/$job" -H "authorization: Bearer $token")"
        state="$(printf '%s' "$body" | json '["state"]')"
        case "$state" in succeeded|failed|dead|cancelled) break ;; esac
        sleep 0.5
    done
    [ "$state" = succeeded ] || die "indexing connection $connection ended $state: $body"
    INDEX_JOB="$body"
}

# Through the running stack's API, as a user would: register, connect Chinook, index it, and
# poll the job until it succeeds with all 11 tables.
smoke_index_chinook() {
    local api="$1" token connection body
    connect_chinook "$api" "$2" smoke@example.com
    token="$CHINOOK_TOKEN" connection="$CHINOOK_CONNECTION" body="$CHINOOK_JOB"
    [ "$(printf '%s' "$body" | json '["result"]["objects"]')" = 11 ] || die "smoke: indexing Chinook found other than 11 tables: $body"
    log "smoke: Chinook indexed through the API ($(printf '%s' "$body" | json '["result"]["documents"]') documents)"

    # The demo's verified examples, imported as a user would; its first question is then
    # answered by one of them, without the model.
    curl -fsS "$api/api/connections/$connection/examples.csv" -H "authorization: Bearer $token" -H 'content-type: text/csv' \
        --data-binary "@$ASKDB_ROOT/datasets/chinook/examples.csv" >"$WORK/imported.json" || die "smoke: importing the demo's examples failed"
    [ "$(json '["errors"]' <"$WORK/imported.json")" = "[]" ] || die "smoke: the demo's examples did not all import: $(cat "$WORK/imported.json")"
    curl -fsS -m 120 "$api/api/query" -H "authorization: Bearer $token" -H 'content-type: application/json' \
        -d "{\"connection_id\": \"$connection\", \"question\": \"Which 5 artists have the most tracks?\", \"mode\": \"sql_only\"}" >"$WORK/verified.json" \
        || die "smoke: the demo's first question failed"
    [ "$(json '["verified"]' <"$WORK/verified.json")" = True ] || die "smoke: no verified example answered the demo's first question: $(cat "$WORK/verified.json")"
    log "smoke: $(json '["imported"]' <"$WORK/imported.json") examples imported; the first question answered by one: $(json '["rows"][0]' <"$WORK/verified.json")"
    # A re-index checks every example again.
    index_and_wait "$api" "$token" "$connection"
    [ "$(printf '%s' "$INDEX_JOB" | json '["result"]["examples"]["checked"]')" = 39 ] && [ "$(printf '%s' "$INDEX_JOB" | json '["result"]["examples"]["stale"]')" = 0 ] \
        || die "smoke: the re-index did not check the 39 examples: $INDEX_JOB"

    # A question to the bundled model, offline, shown the examples most like it. What a 135M
    # model writes is not tested, only that the path holds: an answer, or a clear refusal.
    local status
    status="$(curl -sS -m 300 -o "$WORK/answer.json" -w '%{http_code}' "$api/api/query" -H "authorization: Bearer $token" \
        -H 'content-type: application/json' -d "{\"connection_id\": \"$connection\", \"question\": \"Which media types are there?\"}")"
    case "$status" in
        200) log "smoke: the bundled model answered with: $(json '["query"]' <"$WORK/answer.json")" ;;
        422) log "smoke: the bundled model wrote no usable query: $(json '["error"]["message"]' <"$WORK/answer.json")" ;;
        *) die "smoke: asking Chinook gave HTTP $status: $(cat "$WORK/answer.json")" ;;
    esac
    SMOKE_TOKEN="$token" SMOKE_CONNECTION="$connection"
}

# The stack the smoke and oracle phases share, started once.
start_stack() {
    [ -n "${SMOKE_STATE:-}" ] && return 0
    log "smoke-running scripts/up.sh --debug"
    SMOKE_STATE="$WORK/stack"
    mkdir -p "$SMOKE_STATE"
    ln -s "$STATE/venv" "$SMOKE_STATE/venv"
    smoke_port="$(free_port)"
    STACK_INDEXER_PORT_BASE="$(free_port)"
    # User databases on loopback only: the fuzz phase's random URLs name any host, and the API
    # refuses other addresses before it connects.
    api_url="$(ASKDB_STATE_DIR="$SMOKE_STATE" ASKDB_PORT="$smoke_port" ASKDB_ALLOWED_HOSTS="localhost,127.0.0.0/8" \
        ASKDB_PG_PORT="$(free_port)" ASKDB_REDIS_PORT="$(free_port)" \
        ASKDB_INDEXER_PORT_BASE="$STACK_INDEXER_PORT_BASE" ASKDB_LLM_PORT="$(free_port)" ASKDB_REINDEX_CHECK_SECONDS=2 \
        "$ASKDB_ROOT/scripts/up.sh" --debug)"
    curl -fsS "$api_url/ready" >/dev/null || die "smoke: $api_url/ready did not answer 200"
    grep -q '^DEMO_DATABASE_URL=' "$SMOKE_STATE/stack.env" || die "smoke: stack.env is incomplete"
    STACK_API="$api_url"
}

# A second API process on the shared stack whose language model is scripted
# (scripts/lib/scripted_model.py, rules in $SCRIPTED_RULES): the suites that check what an
# answer holds (MCP, metrics, the browser) ask through it, so none depends on what a real
# model writes, while the API's own client code talks to the model over HTTP. Started once;
# its processes' pid files sit in the stack's run folder, where scripts/down.sh stops them.
start_scripted_api() {
    start_stack
    [ -n "${SCRIPTED_API:-}" ] && return 0
    local model_port api_port
    model_port="$(free_port)"
    SCRIPTED_RULES="$WORK/scripted-rules.json"
    [ -f "$SCRIPTED_RULES" ] || echo '[]' >"$SCRIPTED_RULES"
    nohup python3 "$ASKDB_ROOT/scripts/lib/scripted_model.py" "$model_port" "$SCRIPTED_RULES" \
        >>"$SMOKE_STATE/logs/scripted-model.log" 2>&1 </dev/null &
    echo $! >"$SMOKE_STATE/run/scripted-model.pid"
    wait_for_url "http://127.0.0.1:$model_port/v1/models" "$SMOKE_STATE/run/scripted-model.pid" 10 \
        || die "the scripted model did not start: see $SMOKE_STATE/logs/scripted-model.log"
    api_port="$(free_port)"
    (set -a; source "$SMOKE_STATE/secrets.env"; source "$SMOKE_STATE/stack.env"; set +a
     export ASKDB_HOST=127.0.0.1 ASKDB_PORT="$api_port" ASKDB_LOG_FORMAT=json
     export ASKDB_LLM_URL="http://127.0.0.1:$model_port" ASKDB_LLM_API=openai ASKDB_LLM_MODEL=scripted ASKDB_LLM_GRAMMAR=false
     unset ASKDB_LLM_MODELS
     nohup "$ASKDB_ROOT/.build/debug/askdb-api" serve >>"$SMOKE_STATE/logs/api-scripted.log" 2>&1 </dev/null &
     echo $! >"$SMOKE_STATE/run/api-scripted.pid")
    SCRIPTED_API="http://127.0.0.1:$api_port"
    wait_for_url "$SCRIPTED_API/ready" "$SMOKE_STATE/run/api-scripted.pid" 30 \
        || die "the scripted model's API did not become ready: see $SMOKE_STATE/logs/api-scripted.log"
    log "scripted-model API on $SCRIPTED_API (model on 127.0.0.1:$model_port)"
}

phase_smoke() {
    start_stack
    smoke_index_chinook "$STACK_API" "$SMOKE_STATE/stack.env"
    # The same connection through the second API process, whose model is scripted: one API's
    # token and index serve the other, and the answer holds the rows the query gives.
    start_scripted_api
    python3 - "$SCRIPTED_RULES" <<'PY'
import json, sys
rules = json.load(open(sys.argv[1]))
rules.append({"contains": "three artists first in the alphabet", "reply": "SELECT name FROM artist ORDER BY name LIMIT 3"})
json.dump(rules, open(sys.argv[1], "w"))
PY
    curl -fsS -m 60 "$SCRIPTED_API/api/query" -H "authorization: Bearer $SMOKE_TOKEN" -H 'content-type: application/json' \
        -d "{\"connection_id\": \"$SMOKE_CONNECTION\", \"question\": \"Which three artists first in the alphabet?\"}" >"$WORK/scripted.json" \
        || die "smoke: the scripted-model API did not answer"
    [ "$(json '["row_count"]' <"$WORK/scripted.json")" = 3 ] || die "smoke: the scripted answer's rows are wrong: $(cat "$WORK/scripted.json")"
    log "smoke: the scripted-model API answered from Chinook's rows"
    log "smoke run passed: up.sh, /ready, Chinook indexed and asked through the API"
}

# The gold queries as the model's replies, through retrieval, the guard, EXPLAIN and execution.
phase_oracle() {
    start_stack
    local run set examples
    # The tuning set goes once more with worked examples in its prompts (--examples: half its
    # questions as examples, the other half asked), which must not change which question the
    # reply is for, and where a question asks what an example asks, the example must answer it.
    for run in defog/questions_dev.csv:0 askdb/questions_tune.csv:0 askdb/questions_holdout.csv:0 askdb/questions_tune.csv:2; do
        set="${run%:*}" examples="${run##*:}"
        log "oracle: $set (examples: $examples)"
        (set -a; source "$SMOKE_STATE/secrets.env"; source "$SMOKE_STATE/stack.env"; set +a
         cd "$WORK" && ASKDB_LOG_FORMAT=text "$ASKDB_ROOT/.build/debug/askdb-api" eval --oracle --examples "$examples" \
            --questions "$ASKDB_ROOT/datasets/$set" --datasets "$ASKDB_ROOT/datasets/defog" --report "$WORK/oracle.json") \
            || die "oracle: a gold query of $set missed (the lines above say which and why)"
    done
}

# Asks the scripted-model API the question $1, scripting $2 as the model's reply to every
# prompt holding $3 (default: the question), on the metrics user's Chinook; prints the HTTP
# status (the body is in $WORK/metrics-answer.json).
metrics_ask() {
    python3 - "$SCRIPTED_RULES" "${3:-$1}" "$2" <<'PY'
import json, sys
rules = json.load(open(sys.argv[1]))
if not any(rule["contains"] == sys.argv[2] for rule in rules):
    rules.append({"contains": sys.argv[2], "reply": sys.argv[3]})
json.dump(rules, open(sys.argv[1], "w"))
PY
    curl -sS -m 60 -o "$WORK/metrics-answer.json" -w '%{http_code}' "$SCRIPTED_API/api/query" -H "authorization: Bearer $CHINOOK_TOKEN" \
        -H 'content-type: application/json' -d "{\"connection_id\": \"$CHINOOK_CONNECTION\", \"question\": \"$1\"}"
}

# The sum, over both API processes' /metrics, of the series whose lines start with $1: what the
# earlier phases' questions left in the counters.
api_series_sum() {
    { curl -fsS "$STACK_API/metrics"; curl -fsS "$SCRIPTED_API/metrics"; } | python3 -c '
import sys
print(int(sum(float(line.rsplit(" ", 1)[1]) for line in sys.stdin if line.startswith(sys.argv[1]))))' "$1"
}

# The value of the PromQL query $1 on the phase's Prometheus (its first series), or nothing.
promql_value() {
    curl -sS -m 10 --get "http://127.0.0.1:$PROMETHEUS_PORT/api/v1/query" --data-urlencode "query=$1" \
        | python3 -c 'import json, sys; r = json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")' 2>/dev/null || true
}

# A real Prometheus scrapes the stack, both API processes and both indexers' health ports, every
# second: the questions just asked through the scripted-model API must show in its answers to
# PromQL; every expression of deploy/'s alert rules and dashboard must evaluate without error,
# and promtool must pass the rules. Also: the API's JSON log lines carry request ids, and write
# connection ids as the API does.
phase_metrics() {
    start_scripted_api
    ensure_schemathesis "$STATE"  # its virtualenv has PyYAML, to read the rule file
    local rules="$ASKDB_ROOT/deploy/prometheus/askdb-alerts.yml" dashboard="$ASKDB_ROOT/deploy/grafana/askdb-dashboard.json"
    promtool check rules "$rules" >&2 || die "metrics: promtool check rules failed on $rules"

    connect_chinook "$STACK_API" "$SMOKE_STATE/stack.env" metrics@example.com
    # Earlier phases asked questions of these processes too: the counts are checked from here.
    local outcome
    declare -A before
    for outcome in answered cached refused verified; do
        before[$outcome]="$(api_series_sum "askdb_questions_total{outcome=\"$outcome\"}")"
    done
    before[routed]="$(api_series_sum 'askdb_http_request_duration_seconds_count{method="POST",route="/api/query",status="200"}')"
    local answered=0 status question
    for question in "the two artists first by name" "the three artists first by name"; do
        status="$(metrics_ask "$question" "SELECT name FROM artist ORDER BY name LIMIT $((answered + 2))")"
        [ "$status" = 200 ] || die "metrics: asking \"$question\" gave HTTP $status: $(cat "$WORK/metrics-answer.json")"
        answered=$((answered + 1))
    done
    # Asked again: the answer cache serves it.
    status="$(metrics_ask "the two artists first by name" "SELECT name FROM artist ORDER BY name LIMIT 2")"
    [ "$status" = 200 ] && [ "$(json '["cached"]' <"$WORK/metrics-answer.json")" = True ] \
        || die "metrics: the repeated question was not served from the cache: $status $(cat "$WORK/metrics-answer.json")"
    # A reply the guard refuses at every attempt: the repairs' prompts name the table too.
    status="$(metrics_ask "list the metrics_refusal_probe rows" "SELECT * FROM metrics_refusal_probe" metrics_refusal_probe)"
    [ "$status" = 422 ] || die "metrics: a refused question gave HTTP $status: $(cat "$WORK/metrics-answer.json")"
    # With the demo's verified examples, its first question is answered by one of them.
    curl -fsS "$SCRIPTED_API/api/connections/$CHINOOK_CONNECTION/examples.csv" -H "authorization: Bearer $CHINOOK_TOKEN" \
        -H 'content-type: text/csv' --data-binary "@$ASKDB_ROOT/datasets/chinook/examples.csv" >/dev/null || die "metrics: importing the examples failed"
    curl -fsS -m 60 "$SCRIPTED_API/api/query" -H "authorization: Bearer $CHINOOK_TOKEN" -H 'content-type: application/json' \
        -d "{\"connection_id\": \"$CHINOOK_CONNECTION\", \"question\": \"Which 5 artists have the most tracks?\", \"mode\": \"sql_only\"}" \
        >"$WORK/metrics-answer.json" || die "metrics: the verified question failed"
    [ "$(json '["verified"]' <"$WORK/metrics-answer.json")" = True ] || die "metrics: no example answered: $(cat "$WORK/metrics-answer.json")"

    PROMETHEUS_PORT="$(free_port)"
    local api_targets indexer_targets
    api_targets="\"${STACK_API#http://}\", \"${SCRIPTED_API#http://}\""
    indexer_targets="\"127.0.0.1:$STACK_INDEXER_PORT_BASE\", \"127.0.0.1:$((STACK_INDEXER_PORT_BASE + 1))\""
    mkdir -p "$WORK/prometheus"
    printf '%s\n' "global:" "  scrape_interval: 1s" "  evaluation_interval: 1s" "rule_files:" "  - $rules" "scrape_configs:" \
        "  - job_name: askdb-api" "    static_configs:" "      - targets: [$api_targets]" \
        "  - job_name: askdb-indexer" "    static_configs:" "      - targets: [$indexer_targets]" >"$WORK/prometheus/prometheus.yml"
    prometheus --config.file="$WORK/prometheus/prometheus.yml" --storage.tsdb.path="$WORK/prometheus/data" \
        --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" >"$WORK/prometheus/prometheus.log" 2>&1 </dev/null &
    echo $! >"$WORK/prometheus.pid"
    wait_for_url "http://127.0.0.1:$PROMETHEUS_PORT/-/ready" "$WORK/prometheus.pid" 30 \
        || die "metrics: Prometheus did not start: $(tail -5 "$WORK/prometheus/prometheus.log")"
    log "metrics: Prometheus on 127.0.0.1:$PROMETHEUS_PORT scrapes $api_targets and $indexer_targets"

    # Until every target is up and the questions are in a scrape.
    local got="" up=""
    for _ in $(seq 1 60); do
        up="$(promql_value 'sum(up{job=~"askdb-api|askdb-indexer"})')"
        got="$(promql_value 'sum(askdb_questions_total{job="askdb-api",outcome="answered"})')"
        [ "$up" = 4 ] && [ "$got" = $((before[answered] + answered)) ] && break
        sleep 1
    done
    [ "$up" = 4 ] || die "metrics: not all four targets are up in Prometheus (sum of up: ${up:-none}); see its page /targets"
    [ "$got" = $((before[answered] + answered)) ] || die "metrics: Prometheus counts ${got:-no} answered questions, not $((before[answered] + answered))"
    local cached refused verified routed memory queue
    cached="$(promql_value 'sum(askdb_questions_total{outcome="cached"})')"
    verified="$(promql_value 'sum(askdb_questions_total{outcome="verified"})')"
    refused="$(promql_value 'sum(askdb_questions_total{outcome="refused"})')"
    routed="$(promql_value 'sum(askdb_http_request_duration_seconds_count{route="/api/query",method="POST",status="200"})')"
    memory="$(promql_value 'min(process_resident_memory_bytes{job=~"askdb-api|askdb-indexer"}) > 0')"
    queue="$(promql_value 'count(askdb_queue_jobs{job="askdb-indexer",state="waiting"})')"
    cached=$((${cached:-0} - before[cached])) refused=$((${refused:-0} - before[refused])) verified=$((${verified:-0} - before[verified]))
    routed=$((${routed:-0} - before[routed]))
    [ "$cached" = 1 ] && [ "$refused" = 1 ] && [ "$verified" = 1 ] && [ "$routed" = $((answered + 2)) ] && [ -n "$memory" ] && [ "$queue" = 2 ] \
        || die "metrics: Prometheus counts, past the earlier phases', cached $cached, refused $refused, verified $verified, POST /api/query 200s $routed, memory ${memory:-none}, queue series ${queue:-none} (want 1, 1, 1, $((answered + 2)), > 0, 2)"
    log "metrics: Prometheus counts this phase's $answered answered, $cached cached, $refused refused, $verified verified, $routed POST /api/query 200s; 4 targets up"

    # Every expression of the rules and the dashboard, evaluated by this Prometheus.
    "$STATE/venv/bin/python" - "$rules" "$dashboard" "http://127.0.0.1:$PROMETHEUS_PORT" <<'PY' || die "metrics: an expression of deploy/ does not evaluate"
import json, sys, urllib.error, urllib.parse, urllib.request
import yaml
rules, dashboard, base = sys.argv[1:]
expressions = [(rule.get("alert") or rule.get("record"), rule["expr"])
               for group in yaml.safe_load(open(rules))["groups"] for rule in group["rules"]]
for panel in json.load(open(dashboard))["panels"]:
    expressions += [(f'panel "{panel["title"]}"', target["expr"]) for target in panel.get("targets", [])]
failed = 0
for name, expression in expressions:
    url = base + "/api/v1/query?" + urllib.parse.urlencode({"query": expression})
    try:
        answer = json.load(urllib.request.urlopen(url, timeout=10))
    except urllib.error.HTTPError as error:
        answer = json.load(error)
    if answer.get("status") != "success":
        failed += 1
        print(f"{name}: {answer.get('error')}: {expression}", file=sys.stderr)
print(f"==> metrics: {len(expressions) - failed} of {len(expressions)} expressions of the rules and the dashboard evaluate", file=sys.stderr)
sys.exit(1 if failed else 0)
PY
    # The rules Prometheus loaded evaluate too: a failing one shows health "err".
    local unhealthy
    unhealthy="$(curl -fsS "http://127.0.0.1:$PROMETHEUS_PORT/api/v1/rules" | python3 -c '
import json, sys
print(" ".join(r["name"] for g in json.load(sys.stdin)["data"]["groups"] for r in g["rules"] if r.get("health") == "err"))')"
    [ -z "$unhealthy" ] || die "metrics: Prometheus could not evaluate the rules $unhealthy"

    # The JSON log names each request's id on its lines and writes connection ids as the API does.
    local log_file="$SMOKE_STATE/logs/api-scripted.log" upper
    upper="$(printf '%s' "$CHINOOK_CONNECTION" | tr 'a-f' 'A-F')"
    grep -q '"hb.request.id"' "$log_file" || die "metrics: no line of $log_file carries a request id"
    if grep -q "$upper" "$log_file"; then die "metrics: $log_file writes the connection id in upper case"; fi

    # A scheduled re-index with both indexers' schedulers looking every 2 s: made due now, the
    # connection gets one job, which publishes version 2 with its schema-change report, and no
    # second one follows.
    local auth="authorization: Bearer $CHINOOK_TOKEN" jobs="" count=0 state="" scheduled
    curl -fsS -X PATCH "$STACK_API/api/connections/$CHINOOK_CONNECTION" -H "$auth" -H 'content-type: application/json' \
        -d '{"reindex_interval_seconds": 300}' >/dev/null || die "metrics: setting the re-index interval failed"
    (set -a; source "$SMOKE_STATE/stack.env"; set +a
     "$PG_BIN/psql" -qAt "$DATABASE_URL" -c "UPDATE connections SET next_reindex_at = now() WHERE id = '$CHINOOK_CONNECTION'" >/dev/null) \
        || die "metrics: could not make the connection due"
    for _ in $(seq 1 60); do
        jobs="$(curl -fsS "$STACK_API/api/jobs?connection_id=$CHINOOK_CONNECTION" -H "$auth")"
        count="$(printf '%s' "$jobs" | json '["items"].__len__()')"
        state="$(printf '%s' "$jobs" | json '["items"][0]["state"]')"
        [ "$count" -ge 2 ] && [ "$state" = succeeded ] && break
        sleep 0.5
    done
    [ "$count" = 2 ] && [ "$state" = succeeded ] || die "metrics: the scheduled re-index gave $count jobs, the newest $state: $jobs"
    [ "$(printf '%s' "$jobs" | json '["items"][0]["result"]["version"]')" = 2 ] || die "metrics: the scheduled run kept no report: $jobs"
    sleep 5
    count="$(curl -fsS "$STACK_API/api/jobs?connection_id=$CHINOOK_CONNECTION" -H "$auth" | json '["items"].__len__()')"
    [ "$count" = 2 ] || die "metrics: the schedulers queued $count jobs for one due connection"
    scheduled="$(promql_value 'sum(askdb_reindex_scheduled_total{job="askdb-indexer"})')"
    [ "$scheduled" = 1 ] || die "metrics: Prometheus counts ${scheduled:-no} scheduled re-indexes, not 1"
    log "metrics: the scheduled re-index ran once across both indexers, and its report is kept"
    stop_pidfile "$WORK/prometheus.pid" 5
}

# The MCP server held to the official Python SDK (Tests/e2e/mcp_client.py) through the
# scripted-model API: over Streamable HTTP and over the stdio bridge, every tool as the owner of
# an indexed Chinook, the same tools as a second user who must find nothing, and writes refused;
# a client initialised by the stack's first API process served by the second (no session); a
# wrong key refused through the bridge; and no API key in any log of the stack.
phase_mcp() {
    start_scripted_api
    ensure_mcp_client "$STATE"
    local owner_token connection other_token
    # A connection of its own even after the smoke: the smoke's has the demo's verified
    # examples, which would answer some questions without the scripted model.
    connect_chinook "$SCRIPTED_API" "$SMOKE_STATE/stack.env" mcp-owner@example.com
    owner_token="$CHINOOK_TOKEN" connection="$CHINOOK_CONNECTION"
    other_token="$(register_and_login "$SCRIPTED_API" mcp-other@example.com "another horse battery staple")"
    python3 - "$SCRIPTED_RULES" <<'PY'
import json, sys
rules = json.load(open(sys.argv[1]))
rules.append({"contains": "albums does the mcp store hold", "reply": "SELECT count(*) AS albums FROM album"})
json.dump(rules, open(sys.argv[1], "w"))
PY
    # The keys reach the client in a file only it reads, never on a command line.
    (umask 077
     OWNER_KEY="$(make_api_key "$SCRIPTED_API" "$owner_token" mcp)" OTHER_KEY="$(make_api_key "$SCRIPTED_API" "$other_token" mcp)" \
         python3 - "$WORK/mcp.json" "$SCRIPTED_API" "$STACK_API" "$ASKDB_ROOT/.build/debug/askdb-api" "$connection" "$SMOKE_STATE/logs" <<'PY'
import json, os, sys
path, api, second_api, askdb_api, connection, logs = sys.argv[1:]
json.dump({"api": api, "second_api": second_api, "askdb_api": askdb_api, "connection_id": connection, "logs": logs,
           "owner_key": os.environ["OWNER_KEY"], "other_key": os.environ["OTHER_KEY"]}, open(path, "w"))
PY
    ) || die "mcp: making the users' API keys failed"
    "$STATE/venv/bin/python" "$ASKDB_ROOT/Tests/e2e/mcp_client.py" "$WORK/mcp.json" \
        || die "mcp: the MCP Python SDK $MCP_CLIENT_VERSION found the server wrong (the check above says how)"
    log "mcp: the MCP Python SDK $MCP_CLIENT_VERSION passed over HTTP and over the stdio bridge"
}

# The API held to its OpenAPI document: schemathesis (scripts/schemathesis.toml, every check)
# with 25 examples an operation, then the stateful phase along the document's links (create a
# connection, read, index, delete it), as a user of its own made admin so the admin routes are
# reached too. Any 5xx, any answer the document does not describe (a 4xx without the error
# body among them) fails, and so does a run past 8 minutes.
phase_fuzz() {
    start_stack
    ensure_schemathesis "$STATE"
    local api="$STACK_API" email="fuzz@example.com" token key
    token="$(register_and_login "$api" "$email" "quiet meadow lantern 17")"
    (set -a; source "$SMOKE_STATE/secrets.env"; source "$SMOKE_STATE/stack.env"; set +a
     cd "$WORK" && "$ASKDB_ROOT/.build/debug/askdb-api" create-admin --email "$email" >/dev/null) || die "fuzz: create-admin failed"
    key="$(make_api_key "$api" "$token" fuzz)"
    log "fuzz: schemathesis $SCHEMATHESIS_VERSION against $api/openapi.json"
    local served started=$SECONDS status=0
    served="$(grep -c '"message":"Request"' "$SMOKE_STATE/logs/api.log")"
    (cd "$WORK" && ASKDB_FUZZ_API_KEY="$key" timeout --kill-after=10 480 "$STATE/venv/bin/schemathesis" \
        --config-file "$ASKDB_ROOT/scripts/schemathesis.toml" run "$api/openapi.json" \
        --checks all --max-examples 25 --phases examples,coverage,fuzzing,stateful \
        --report ndjson --report-ndjson-path "$WORK/fuzz.ndjson") || status=$?
    [ "$status" -ne 124 ] && [ "$status" -ne 137 ] || die "fuzz: schemathesis ran past its 8 minutes"
    [ "$status" -eq 0 ] || die "fuzz: the API broke its OpenAPI document (schemathesis exited $status; the failures are above)"
    served=$(($(grep -c '"message":"Request"' "$SMOKE_STATE/logs/api.log") - served))
    log "fuzz: $(python3 - "$WORK/fuzz.ndjson" <<'PY'
import json, sys
operations = cases = 0
for line in open(sys.argv[1]):
    event = json.loads(line)
    if "LoadingFinished" in event:
        operations = event["LoadingFinished"]["statistic"]["operations"]["selected"]
    elif "ScenarioFinished" in event:
        cases += len(event["ScenarioFinished"]["recorder"].get("interactions", {}))
print(f"{operations} operations, {cases} test cases", end="")
PY
), $served requests served, in $((SECONDS - started)) s: every answer as the document says"
}

for phase in "${PHASES[@]}"; do
    started=$SECONDS
    "phase_$phase"
    TIMES+=("$phase $((SECONDS - started)) s")
done
if [ -n "${SMOKE_STATE:-}" ]; then
    ASKDB_STATE_DIR="$SMOKE_STATE" "$ASKDB_ROOT/scripts/down.sh"
    SMOKE_STATE=""
fi
log "wall time per phase:"
for line in "${TIMES[@]}"; do log "  $line"; done
