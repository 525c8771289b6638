import Foundation
import Hummingbird

/// An OpenAI-compatible chat server that streams scripted replies, in order, as server-sent
/// events, and records what it was asked: the real client code talks to it.
public actor ScriptedChat {
    private var requests: [[String: Any]] = []

    /// How many requests came in.
    public var requestCount: Int { requests.count }
    private var replies: [String]

    public init(replies: [String]) {
        self.replies = replies
    }

    func next(_ request: [String: Any]) -> String {
        requests.append(request)
        return replies.isEmpty ? "I have nothing more to say." : replies.removeFirst()
    }

    /// The messages of request `index` as (role, content) pairs.
    public func messages(of index: Int) -> [(String, String)] {
        guard requests.indices.contains(index), let messages = requests[index]["messages"] as? [[String: Any]] else { return [] }
        return messages.map { ($0["role"] as? String ?? "", $0["content"] as? String ?? "") }
    }

    /// Adds `POST /v1/chat/completions` to `router`.
    public nonisolated func register(on router: Router<BasicRequestContext>) {
        router.post("/v1/chat/completions") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 22)
            let json = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
            let reply = await self.next(json)
            // A few pieces per reply, as a real server streams tokens.
            var events = ""
            var rest = Substring(reply)
            while !rest.isEmpty {
                let piece = rest.prefix(7)
                rest = rest.dropFirst(7)
                let content = String(data: try JSONSerialization.data(withJSONObject: ["choices": [["delta": ["content": String(piece)]]]]), encoding: .utf8)!
                events += "data: \(content)\n\n"
            }
            events += "data: [DONE]\n\n"
            return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: .init(byteBuffer: ByteBuffer(string: events)))
        }
    }
}
