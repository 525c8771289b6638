#!/usr/bin/env bash
# Stops what scripts/up.sh started (by PID), keeping the data for the next run.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

STATE="${ASKDB_STATE_DIR:-$ASKDB_ROOT/.askdb}"
[ -d "$STATE" ] || { log "nothing to stop: $STATE does not exist"; exit 0; }

for pidfile in "$STATE"/run/indexer-*.pid "$STATE"/run/api*.pid "$STATE/run/llm.pid" "$STATE/run/scripted-model.pid"; do
    [ -e "$pidfile" ] || continue
    log "stopping $(basename "$pidfile" .pid)"
    stop_pidfile "$pidfile" 20
done

log "stopping Redis"
stop_pidfile "$STATE/redis/redis.pid" 10

if [ -x "$STATE/venv/bin/python" ] && [ -f "$STATE/postgres/PG_VERSION" ]; then
    log "stopping PostgreSQL"
    pg_stop "$STATE/postgres" "$(pg_bindir "$STATE")"
fi
log "stopped"
