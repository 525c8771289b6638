#!/usr/bin/env python3
"""A scripted language model for the end-to-end suites: an OpenAI-compatible server whose
replies come from a rules file, so a test never depends on what a real model writes while the
API's real client code talks to it over HTTP.

    scripted_model.py PORT RULES.json

RULES.json is a JSON list of {"contains": TEXT, "reply": TEXT}, read again on every request
(a suite may append rules while the server runs). A request to write a query is answered with
the reply of the first rule whose TEXT occurs in the last user message (case-insensitive), or
with "SELECT 1" when none does; a request to word an answer (the pipeline's system message
begins "Answer the question") gets a fixed sentence. Replies stream as server-sent events,
one word a chunk, and end with a usage chunk when the request asks for one.

    GET  /v1/models            the one model, "scripted"
    POST /v1/chat/completions  the reply, streamed or whole
    GET  /requests             how many completions were served (JSON)
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWER_SENTENCE = "The scripted model read the rows and answers from them."
served = 0
served_lock = threading.Lock()


def reply_for(messages, rules_path):
    system = next((m.get("content", "") for m in messages if m.get("role") == "system"), "")
    if system.startswith("Answer the question"):
        return ANSWER_SENTENCE
    question = next((m.get("content", "") for m in reversed(messages) if m.get("role") == "user"), "").lower()
    try:
        with open(rules_path, encoding="utf-8") as f:
            rules = json.load(f)
    except (OSError, ValueError):
        rules = []
    for rule in rules:
        if rule.get("contains", "").lower() in question:
            return rule.get("reply", "")
    return "SELECT 1"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_json(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/v1/models":
            self.send_json(200, {"object": "list", "data": [{"id": "scripted", "object": "model"}]})
        elif self.path == "/requests":
            self.send_json(200, {"completions": served})
        else:
            self.send_json(404, {"error": {"message": "not found"}})

    def do_POST(self):
        global served
        if self.path != "/v1/chat/completions":
            self.send_json(404, {"error": {"message": "not found"}})
            return
        length = int(self.headers.get("content-length", "0"))
        try:
            request = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            self.send_json(400, {"error": {"message": "the body is not JSON"}})
            return
        text = reply_for(request.get("messages", []), self.server.rules_path)
        with served_lock:
            served += 1
        prompt_tokens = sum(len(str(m.get("content", "")).split()) for m in request.get("messages", []))
        usage = {"prompt_tokens": prompt_tokens, "completion_tokens": len(text.split()),
                 "total_tokens": prompt_tokens + len(text.split())}
        if not request.get("stream"):
            self.send_json(200, {"object": "chat.completion", "model": "scripted", "usage": usage,
                                 "choices": [{"index": 0, "finish_reason": "stop",
                                              "message": {"role": "assistant", "content": text}}]})
            return
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("cache-control", "no-cache")
        self.send_header("connection", "close")
        self.end_headers()
        pieces = [word + " " for word in text.split(" ")]
        pieces[-1] = pieces[-1][:-1]
        for piece in pieces:
            chunk = {"object": "chat.completion.chunk", "model": "scripted",
                     "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
            self.wfile.write(b"data: " + json.dumps(chunk).encode() + b"\n\n")
        end = {"object": "chat.completion.chunk", "model": "scripted",
               "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
        self.wfile.write(b"data: " + json.dumps(end).encode() + b"\n\n")
        if (request.get("stream_options") or {}).get("include_usage"):
            self.wfile.write(b"data: " + json.dumps({"object": "chat.completion.chunk", "model": "scripted",
                                                     "choices": [], "usage": usage}).encode() + b"\n\n")
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()
        self.close_connection = True


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: scripted_model.py PORT RULES.json")
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    server.rules_path = sys.argv[2]
    server.serve_forever()


if __name__ == "__main__":
    main()
