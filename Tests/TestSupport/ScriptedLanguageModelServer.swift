import Foundation
import Hummingbird

/// A chat server that streams scripted replies, in order, and records what it was asked. It
/// speaks both protocols AskDB's clients do, so the real client code talks to it: OpenAI's
/// `POST /v1/chat/completions` (server-sent events) and Ollama's `POST /api/chat` (NDJSON).
/// Each reply reports ``promptTokens`` read and one token written per piece: in a last `usage`
/// chunk when an OpenAI request asks for it, and on Ollama's last line.
package actor ScriptedChat {
    private var requests: [[String: Any]] = []
    private var replies: [String]
    private let delay: Duration
    /// When set, writes each reply from the request's messages, (role, content) pairs, instead of `replies`.
    private let respond: (@Sendable ([(String, String)]) -> String)?

    /// The prompt tokens every reply reports.
    package static let promptTokens = 10

    /// How many requests came in.
    package var requestCount: Int { requests.count }

    /// `delay` passes before each reply starts, as with a slow model.
    package init(replies: [String], delay: Duration = .zero) {
        self.replies = replies
        self.delay = delay
        self.respond = nil
    }

    /// A chat that answers each request with what `respond` makes of its messages, so replies
    /// need not come in order (questions asked at once).
    package init(respond: @escaping @Sendable (_ messages: [(String, String)]) -> String) {
        self.replies = []
        self.delay = .zero
        self.respond = respond
    }

    func next(_ request: [String: Any]) -> String {
        requests.append(request)
        if let respond { return respond(Self.messages(in: request)) }
        return replies.isEmpty ? "I have nothing more to say." : replies.removeFirst()
    }

    /// The messages of every request so far, in order.
    package var allMessages: [[(String, String)]] { requests.map(Self.messages(in:)) }

    /// Every request's whole JSON body, as text.
    package var allBodies: [String] { requests.compactMap { try? Self.json($0) } }

    private static func messages(in request: [String: Any]) -> [(String, String)] {
        guard let messages = request["messages"] as? [[String: Any]] else { return [] }
        return messages.map { ($0["role"] as? String ?? "", $0["content"] as? String ?? "") }
    }

    /// The messages of request `index` as (role, content) pairs.
    package func messages(of index: Int) -> [(String, String)] {
        guard requests.indices.contains(index) else { return [] }
        return Self.messages(in: requests[index])
    }

    /// The whole JSON body of request `index`, as text.
    package func body(of index: Int) -> String? {
        guard requests.indices.contains(index) else { return nil }
        return try? Self.json(requests[index])
    }

    /// Adds `POST /v1/chat/completions` and `POST /api/chat` to `router`.
    package nonisolated func register(on router: Router<BasicRequestContext>) {
        router.post("/v1/chat/completions") { request, _ -> Response in
            let (pieces, wantsUsage) = try await self.reply(to: request)
            var events = ""
            for piece in pieces {
                events += "data: \(try Self.json(["choices": [["delta": ["content": piece]]]]))\n\n"
            }
            if wantsUsage {
                let usage = ["prompt_tokens": Self.promptTokens, "completion_tokens": pieces.count]
                events += "data: \(try Self.json(["choices": [Any](), "usage": usage]))\n\n"
            }
            events += "data: [DONE]\n\n"
            return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: .init(byteBuffer: ByteBuffer(string: events)))
        }
        router.post("/api/chat") { request, _ -> Response in
            let (pieces, _) = try await self.reply(to: request)
            var lines = ""
            for piece in pieces {
                lines += try Self.json(["model": "scripted", "message": ["role": "assistant", "content": piece], "done": false]) + "\n"
            }
            lines += try Self.json(["model": "scripted", "message": ["role": "assistant", "content": ""], "done": true,
                                    "prompt_eval_count": Self.promptTokens, "eval_count": pieces.count]) + "\n"
            return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: .init(byteBuffer: ByteBuffer(string: lines)))
        }
    }

    /// The next reply cut into a few pieces, as a real server streams tokens, and whether an
    /// OpenAI request asked for its usage.
    private nonisolated func reply(to request: Request) async throws -> (pieces: [String], wantsUsage: Bool) {
        let body = try await request.body.collect(upTo: 1 << 22)
        let json = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
        let wantsUsage = ((json["stream_options"] as? [String: Any])?["include_usage"] as? Bool) == true
        try await Task.sleep(for: delay)
        var rest = Substring(await next(json))
        var pieces: [String] = []
        while !rest.isEmpty {
            pieces.append(String(rest.prefix(7)))
            rest = rest.dropFirst(7)
        }
        return (pieces, wantsUsage)
    }

    private static func json(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }
}
