import Foundation
import Hummingbird
import Query

/// Questions: `POST /api/query` answers from the user's live database; and
/// `POST /api/connections/{id}/run` runs a query the caller wrote, the same guarded way.
struct QueryRoutes: Sendable {
    let questions: QuestionService

    struct Question: Decodable {
        var connectionID: UUID
        var question: String
        var mode: QuestionRequest.Mode?
        var conversationID: UUID?

        enum CodingKeys: String, CodingKey {
            case question, mode
            case connectionID = "connection_id"
            case conversationID = "conversation_id"
        }

        var request: QuestionRequest {
            QuestionRequest(connectionID: connectionID, question: question, mode: mode)
        }
    }

    struct WrittenQuery: Decodable {
        var query: String
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("query") { request, context in
            let owner = try context.requireIdentity().user.id
            let body = try await request.decode(as: Question.self, context: context)
            let prepared = try await questions.prepare(ownerID: owner, body.request, conversationID: body.conversationID)
            let reply = try await questions.answer(prepared)
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: reply.json)))
        }
        group.post("query/stream") { request, context in
            let owner = try context.requireIdentity().user.id
            let body = try await request.decode(as: Question.self, context: context)
            let prepared = try await questions.prepare(ownerID: owner, body.request, conversationID: body.conversationID)
            return QuestionEventStream(questions: questions, prepared: prepared, requestID: context.id, logger: context.logger).response()
        }
        group.post("connections/:id/run") { request, context in
            let body = try await request.decode(as: WrittenQuery.self, context: context)
            return try await questions.runQuery(ownerID: try context.requireIdentity().user.id, connectionID: try context.uuid("id", what: "connection"),
                                                query: body.query)
        }
    }
}

extension QueryRun: ResponseEncodable {}
