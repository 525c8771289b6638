import DataSources
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Query
import Support

/// A question answered as server-sent events (docs/api.md): `retrieval`, `query` (per attempt
/// that passed the guard), `rows`, `token` (the answer's words as the model writes them), then
/// `done` with the whole answer, or `error`. Checks that can refuse the question ran before the
/// stream started, so those still answer with an HTTP status.
struct QuestionEventStream: Sendable {
    let questions: QuestionService
    let prepared: QuestionService.Prepared
    let requestID: String
    let logger: Logger

    func response() -> Response {
        var headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache"]
        headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
        let questions = self.questions, prepared = self.prepared, requestID = self.requestID, logger = self.logger
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            let (events, continuation) = AsyncStream.makeStream(of: String.self)
            let run = Task {
                do {
                    let reply = try await questions.answer(prepared) { event in continuation.yield(Self.format(event)) }
                    continuation.yield(Self.event("done", json: String(decoding: reply.json, as: UTF8.self)))
                } catch {
                    continuation.yield(Self.event("error", ErrorMapping.apiError(for: error, requestID: requestID, logger: logger).body))
                }
                continuation.finish()
            }
            do {
                for await text in events { try await writer.write(ByteBuffer(string: text)) }
            } catch {
                // The client went away: stop the model and the query too.
                run.cancel()
                throw error
            }
            try await writer.finish(nil)
        })
    }

    private struct Retrieval: Encodable {
        var documents_used: [QuestionAnswer.DocumentUsed]
    }

    private struct Query: Encodable {
        var query: String
        var attempt: Int
    }

    private struct Rows: Encodable {
        var columns: [String]
        var rows: [[JSONValue]]
        var truncated: Bool
        var truncated_by: QueryResult.Truncation?
        var row_count: Int
    }

    private struct Token: Encodable {
        var text: String
    }

    static func format(_ happened: QuestionEvent) -> String {
        switch happened {
        case .retrieval(let documents): event("retrieval", Retrieval(documents_used: documents))
        case .query(let query, let attempt): event("query", Query(query: query, attempt: attempt))
        case .rows(let result): event("rows", Rows(columns: result.columns, rows: result.rows, truncated: result.truncated, truncated_by: result.truncation, row_count: result.rows.count))
        case .answerToken(let text): event("token", Token(text: text))
        }
    }

    static func event(_ name: String, _ body: some Encodable) -> String {
        event(name, json: (try? APIJSON.encoder.encode(body)).map { String(decoding: $0, as: UTF8.self) } ?? "{}")
    }

    static func event(_ name: String, json: String) -> String {
        "event: \(name)\ndata: \(json)\n\n"
    }
}
