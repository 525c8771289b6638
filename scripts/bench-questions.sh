#!/usr/bin/env bash
# Question-path benchmark on the local stack (scripts/up.sh first): a second askdb-api, on a free
# port, asks Chinook through a scripted language model that answers at once, so what is measured
# is everything but the model — retrieval, the guard, EXPLAIN and execution, history, audit and
# the cache write. Then wrk hammers one cached question. The API logs as the local stack's does
# (info, JSON: a line per request).
#
#   scripts/bench-questions.sh [QUESTIONS]     default 300 distinct questions
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

COUNT="${1:-300}"
STATE="${ASKDB_STATE_DIR:-$ASKDB_ROOT/.askdb}"
BUILD_CONFIG="${ASKDB_BUILD_CONFIG:-release}"
[ -f "$STATE/stack.env" ] || die "no running stack: run scripts/up.sh first"
command -v wrk >/dev/null || { APT_RUNTIME_PACKAGES=(wrk); APT_BUILD_PACKAGES=(); ensure_apt_packages; }
set -a
# shellcheck disable=SC1091
source "$STATE/secrets.env"
# shellcheck disable=SC1091
source "$STATE/stack.env"
set +a
(cd "$ASKDB_ROOT" && swift build "${SWIFT_SCRATCH[@]}" -c "$BUILD_CONFIG" --product askdb-api >&2) || die "swift build failed"
BIN="$(cd "$ASKDB_ROOT" && swift build "${SWIFT_SCRATCH[@]}" -c "$BUILD_CONFIG" --show-bin-path)"
WORK="$(mktemp -d /tmp/askdb-bench.XXXXXX)"
trap 'kill $(cat "$WORK"/*.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$WORK"' EXIT

# The scripted model: one OpenAI-style streamed reply, the same query every time.
MODEL_PORT="$(free_port)"
python3 - "$MODEL_PORT" >"$WORK/model.log" 2>&1 <<'PY' &
import http.server, json, sys
QUERY = "SELECT ar.name, count(*) AS tracks FROM artist ar JOIN album al ON al.artist_id = ar.artist_id JOIN track t ON t.album_id = al.album_id GROUP BY ar.name ORDER BY tracks DESC LIMIT 5"
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        chunk = json.dumps({"choices": [{"delta": {"content": "```sql\n" + QUERY + "\n```"}}]})
        body = f"data: {chunk}\n\ndata: [DONE]\n\n".encode()
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
PY
echo $! >"$WORK/model.pid"

PORT="$(free_port)"
ASKDB_PORT="$PORT" ASKDB_LLM_URL="http://127.0.0.1:$MODEL_PORT" ASKDB_LLM_API=openai ASKDB_LLM_GRAMMAR=false \
    ASKDB_QUESTIONS_PER_MINUTE=100000 ASKDB_QUESTIONS_AT_ONCE=1000 ASKDB_QUERIES_PER_SOURCE=1000 ASKDB_LOG_LEVEL=info ASKDB_LOG_FORMAT=json \
    "$BIN/askdb-api" serve >"$WORK/api.log" 2>&1 &
echo $! >"$WORK/api.pid"
API="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do curl -fsS "$API/ready" >/dev/null 2>&1 && break; sleep 0.2; done

exec python3 - "$API" "$DEMO_DATABASE_URL" "$COUNT" "$REDIS_URL" <<'PY'
import json, subprocess, sys, time, urllib.request
api, demo, count, redis = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def call(path, body=None, token=None, method=None):
    request = urllib.request.Request(api + path, data=None if body is None else json.dumps(body).encode(), method=method)
    request.add_header("content-type", "application/json")
    if token: request.add_header("authorization", "Bearer " + token)
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read() or b"null")
email = f"bench-{int(time.time())}@example.com"
call("/api/auth/register", {"email": email, "password": "correct horse battery staple"})
token = call("/api/auth/login", {"email": email, "password": "correct horse battery staple"})["token"]
connection = call("/api/connections", {"name": "chinook", "kind": "postgres", "url": demo}, token)["connection"]["id"]
job = call(f"/api/connections/{connection}/index", {}, token, "POST")["job"]["id"]
while call(f"/api/jobs/{job}", token=token)["state"] in ("queued", "running"): time.sleep(0.2)

def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(len(values) * share + 0.999999) - 1))]
pipeline, client = [], []
for index in range(count):
    started = time.perf_counter()
    answer = call("/api/query", {"connection_id": connection, "question": f"Which 5 artists have the most tracks? ({index})", "mode": "sql_only"}, token)
    elapsed = (time.perf_counter() - started) * 1000
    timings = answer["timings"]
    pipeline.append(timings["total"] - timings["generate"])
    client.append(elapsed - timings["generate"])
print(f"{count} distinct questions, scripted model (its time subtracted), Chinook, one at a time:")
print(f"  pipeline without the model (retrieve+validate+execute):  p50 {percentile(pipeline, .5):6.2f} ms  p99 {percentile(pipeline, .99):6.2f} ms")
print(f"  whole request without the model (HTTP, auth, history,  ")
print(f"  audit, cache write included):                           p50 {percentile(client, .5):6.2f} ms  p99 {percentile(client, .99):6.2f} ms")

body = json.dumps({"connection_id": connection, "question": "Which 5 artists have the most tracks? (0)", "mode": "sql_only"})
call("/api/query", json.loads(body), token)
assert call("/api/query", json.loads(body), token)["cached"] is True
script = "wrk.method = 'POST'\nwrk.body = '" + body.replace("'", "\\'") + "'\nwrk.headers['content-type'] = 'application/json'\nwrk.headers['authorization'] = 'Bearer " + token + "'\n"
open("/tmp/askdb-wrk.lua", "w").write(script)
# Latency is concurrency over throughput (Little's law): p99 < 5 ms needs few connections, the
# throughput ceiling needs many, so both are shown.
# Every run starts with a fresh rate-limit window: at these rates a minute's worth of runs would
# pass even the highest limit the API accepts, and 429s would be counted as fast answers.
def reset_rate_limit():
    keys = subprocess.run(["redis-cli", "-u", redis, "--scan", "--pattern", "*ratelimit*question*"], capture_output=True, text=True).stdout.split()
    if keys: subprocess.run(["redis-cli", "-u", redis, "DEL", *keys], capture_output=True, check=True)
for connections in (2, 4, 6, 8, 32):
    reset_rate_limit()
    output = subprocess.run(["wrk", "-t2", f"-c{connections}", "-d10s", "--latency", "-s", "/tmp/askdb-wrk.lua", api + "/api/query"],
                            capture_output=True, text=True).stdout
    figures = {}
    for line in output.splitlines():
        parts = line.split()
        if parts[:1] in (["50%"], ["99%"]): figures[parts[0]] = parts[1]
        if line.startswith("Requests/sec:"): figures["rate"] = parts[1]
        if "Non-2xx" in line: figures["errors"] = parts[-1]
    print(f"cached answer, wrk -t2 -c{connections:<2} -d10s:  {figures.get('rate', '?'):>9} req/s   p50 {figures.get('50%', '?'):>8}   p99 {figures.get('99%', '?'):>8}"
          + (f"   non-2xx {figures['errors']}" if "errors" in figures else ""))
PY
