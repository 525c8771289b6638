#!/usr/bin/env bash
# Embedding benchmark, side by side in one run: the in-process Swift MiniLM and the reference
# (onnxruntime on an ONNX export of the same weights, ../shared/fixtures), on identical sentences.
# A developer tool: it needs ../shared beside the project and installs onnxruntime into a
# virtualenv of its own under the state folder.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

STATE="${ASKDB_STATE_DIR:-$ASKDB_ROOT/.askdb}"
REFERENCE="$ASKDB_ROOT/../shared/fixtures/bench_minilm_reference.py"
[ -f "$REFERENCE" ] || die "the reference benchmark is not at $REFERENCE"
ensure_venv "$STATE"
MODEL_DIR="$(ensure_minilm "$STATE")"
BENCH_VENV="$STATE/bench-venv"
if [ ! -x "$BENCH_VENV/bin/python" ]; then
    python3 -m venv "$BENCH_VENV"
    "$BENCH_VENV/bin/pip" install -q --disable-pip-version-check onnxruntime tokenizers numpy || die "could not install onnxruntime"
fi
SENTENCES="$STATE/bench-sentences.json"
"$BENCH_VENV/bin/python" - "$REFERENCE" >"$SENTENCES" <<'PY'
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("reference", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
print(json.dumps(module.make_sentences(1024)))
PY
(cd "$ASKDB_ROOT" && swift build "${SWIFT_SCRATCH[@]}" -c release --product askdb-bench >&2)
BIN="$(cd "$ASKDB_ROOT" && swift build "${SWIFT_SCRATCH[@]}" -c release --show-bin-path)"
# One batch at a time with BLAS on every core (the query path), then a batch per core (indexing).
"$BIN/askdb-bench" embed --model-dir "$MODEL_DIR" --sentences "$SENTENCES" --parallel 1 | head -1
"$BIN/askdb-bench" embed --model-dir "$MODEL_DIR" --sentences "$SENTENCES" --parallel 2 | head -1
"$BENCH_VENV/bin/python" "$REFERENCE" --backends ort --threads 2 --model-dir "$MODEL_DIR" | grep '^ort '
