import Evaluation
import Foundation
import Hummingbird
import Runtime

/// An OpenAI-compatible chat server on 127.0.0.1 whose every reply is the gold query of the
/// question in the prompt, for `eval --oracle`: the gold queries then go through the whole real
/// path (the model client, extraction, the guard, EXPLAIN, execution), so a miss is a harness
/// bug or a guard that refuses a legitimate query.
enum OracleModelServer {
    /// Serves the replies for `questions` while `body` runs with the server's base URL.
    static func with<T: Sendable>(questions: [EvaluationQuestion], _ body: @Sendable (String) async throws -> T) async throws -> T {
        // Longest first, so a question that holds another one's text is matched as itself.
        let golds = questions.map { ($0.question, GoldQuery.variants(of: $0.gold).first ?? $0.gold) }
            .sorted { $0.0.count > $1.0.count }
        let router = Router()
        router.post("v1/chat/completions") { request, context -> Response in
            let body = try await request.body.collect(upTo: 4 * 1024 * 1024)
            let prompt = (try? JSONDecoder().decode(ChatRequest.self, from: body))?.messages.last { $0.role == "user" }?.content ?? ""
            let reply = golds.first { prompt.contains($0.0) }.map { "```sql\n\($0.1)\n```" } ?? "no gold query for this prompt"
            return Self.stream(reply)
        }
        return try await LoopbackHTTPServer.with(router, body)
    }

    private struct ChatRequest: Decodable {
        struct Message: Decodable {
            var role: String
            var content: String
        }
        var messages: [Message]
    }

    /// `reply` as one streamed chat completion chunk, as llama.cpp's server sends it.
    private static func stream(_ reply: String) -> Response {
        let chunk = (try? JSONSerialization.data(withJSONObject: ["choices": [["delta": ["content": reply]]]])) ?? Data()
        let text = "data: \(String(decoding: chunk, as: UTF8.self))\n\ndata: [DONE]\n\n"
        return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
