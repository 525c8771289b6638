#!/usr/bin/env bash
# Runs `askdb-api eval` against the local stack that scripts/up.sh started: its PostgreSQL
# (datasets are loaded into databases of their own), Redis, indexer workers and language model.
#
#   scripts/eval.sh --questions datasets/defog/questions_dev.csv --retrieval-only --distractors 1000
#   scripts/eval.sh --questions datasets/defog/questions_dev.csv --grammar off
#   scripts/eval.sh --help
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

STATE="${ASKDB_STATE_DIR:-$ASKDB_ROOT/.askdb}"
BUILD_CONFIG="${ASKDB_BUILD_CONFIG:-release}"
[ -f "$STATE/stack.env" ] || die "no running stack: run scripts/up.sh first"
set -a
# shellcheck disable=SC1091
source "$STATE/secrets.env"
# shellcheck disable=SC1091
source "$STATE/stack.env"
set +a
curl -fsS "$API_URL/ready" >/dev/null 2>&1 || die "the stack at $API_URL is not up: run scripts/up.sh"
(cd "$ASKDB_ROOT" && swift build "${SWIFT_SCRATCH[@]}" -c "$BUILD_CONFIG" --product askdb-api >&2) || die "swift build failed"
BIN="$(cd "$ASKDB_ROOT" && swift build "${SWIFT_SCRATCH[@]}" -c "$BUILD_CONFIG" --show-bin-path)"
ASKDB_LOG_FORMAT=text exec "$BIN/askdb-api" eval "$@"
