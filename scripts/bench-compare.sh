#!/usr/bin/env bash
# The hot paths of this checkout beside another one (a commit before a refactoring, say), back to
# back in one run: embeddings (askdb-bench embed, one batch and a batch per core), the question
# path and cached answers (scripts/bench-questions.sh), each RUNS times alternating, then the
# median of each figure and this checkout's change against the other's. Needs the local stack
# (scripts/up.sh) and the other checkout built in release (its own .build).
#
#   git worktree add /tmp/askdb-base COMMIT && (cd /tmp/askdb-base && swift build -c release)
#   scripts/bench-compare.sh /tmp/askdb-base [RUNS] [QUESTIONS]
#   BENCH_PARTS=embed scripts/bench-compare.sh /tmp/askdb-base     only the embeddings
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

BASE="${1:?usage: scripts/bench-compare.sh OTHER_CHECKOUT [RUNS] [QUESTIONS]}"
RUNS="${2:-3}"
QUESTIONS="${3:-300}"
PARTS="${BENCH_PARTS:-embed questions}"
BASE="$(cd "$BASE" && pwd)"
STATE="${ASKDB_STATE_DIR:-$ASKDB_ROOT/.askdb}"
MODEL_DIR="$(ensure_minilm "$STATE")"
[ -x "$BASE/.build/release/askdb-bench" ] || die "build $BASE first: (cd $BASE && swift build -c release)"
(cd "$ASKDB_ROOT" && swift build "${SWIFT_SCRATCH[@]}" -c release --product askdb-bench >&2 \
    && swift build "${SWIFT_SCRATCH[@]}" -c release --product askdb-api >&2) || die "swift build failed"
BIN="$(cd "$ASKDB_ROOT" && swift build "${SWIFT_SCRATCH[@]}" -c release --show-bin-path)"
OUT="$(mktemp -d /tmp/askdb-compare.XXXXXX)"
SENTENCES="$OUT/sentences.json"
python3 - >"$SENTENCES" <<'PY'
import json
words = "customer invoice track album artist genre playlist employee total billing country city name date".split()
print(json.dumps([" ".join(words[(i * 7 + j) % len(words)] for j in range(8 + i % 24)) for i in range(1024)]))
PY

for run in $(seq 1 "$RUNS"); do
    for side in new base; do
        if [ "$side" = new ]; then bench="$BIN/askdb-bench"; questions=(env "ASKDB_BUILD_PATH=${ASKDB_BUILD_PATH:-}" "$ASKDB_ROOT/scripts/bench-questions.sh")
        else bench="$BASE/.build/release/askdb-bench"; questions=(env -u ASKDB_BUILD_PATH "$BASE/scripts/bench-questions.sh"); fi
        log "run $run/$RUNS: $side"
        touch "$OUT/$side.embed1" "$OUT/$side.embed2" "$OUT/$side.questions"
        if [[ " $PARTS " == *" embed "* ]]; then
            # 2,000 single queries: a p99 of 200 is the second-worst call, all noise.
            for parallel in 1 2; do
                "$bench" embed --model-dir "$MODEL_DIR" --sentences "$SENTENCES" --parallel "$parallel" --latency-iterations 2000 \
                    | head -1 >>"$OUT/$side.embed$parallel"
            done
        fi
        if [[ " $PARTS " == *" questions "* ]]; then
            ASKDB_STATE_DIR="$STATE" "${questions[@]}" "$QUESTIONS" >>"$OUT/$side.questions" 2>>"$OUT/$side.err" \
                || die "bench-questions.sh ($side) failed: $(tail -3 "$OUT/$side.err")"
        fi
    done
done

python3 - "$OUT" <<'PY'
import re, statistics, sys
out = sys.argv[1]
def figures(side):
    found = {}
    for parallel in (1, 2):
        for line in open(f"{out}/{side}.embed{parallel}"):
            for name, pattern in (("sentences/s", r"([0-9.]+) sentences/s"), ("query p50 ms", r"query p50 ([0-9.]+) ms"),
                                  ("query p99 ms", r"p99 ([0-9.]+) ms")):
                match = re.search(pattern, line)
                if match: found.setdefault(f"embed --parallel {parallel} {name}", []).append(float(match.group(1)))
    for line in open(f"{out}/{side}.questions"):
        percentiles = re.findall(r"p\d\d\s+([0-9.]+)", line)
        if "pipeline without the model" in line and len(percentiles) == 2:
            found.setdefault("pipeline p50 ms", []).append(float(percentiles[0])); found.setdefault("pipeline p99 ms", []).append(float(percentiles[1]))
        elif "audit, cache write included" in line and len(percentiles) == 2:
            found.setdefault("whole request p50 ms", []).append(float(percentiles[0])); found.setdefault("whole request p99 ms", []).append(float(percentiles[1]))
        elif line.startswith("cached answer") and re.search(r"-c(\d+)", line) and re.search(r"([0-9.]+) req/s", line):
            c = re.search(r"-c(\d+)", line).group(1)
            rate = float(re.search(r"([0-9.]+) req/s", line).group(1))
            found.setdefault(f"cached -c{c} req/s", []).append(rate)
            p99 = re.search(r"p99\s+([0-9.]+)(us|ms|s)", line)
            if p99:
                scale = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
                found.setdefault(f"cached -c{c} p99 ms", []).append(float(p99.group(1)) * scale)
    return found
new, base = figures("new"), figures("base")
if not new:
    sys.exit("no figures were read")
print(f"{'figure':<44} {'this checkout':>14} {'other':>10} {'change':>8}   (median of each side's runs)")
for name in new:
    if name not in base:
        print(f"{name:<44} (not in the other checkout's output)")
        continue
    a, b = statistics.median(new[name]), statistics.median(base[name])
    change = (a - b) / b * 100 if b else 0
    print(f"{name:<44} {a:>14.2f} {b:>10.2f} {change:>+7.1f}%")
print(f"raw output: {out}")
PY
