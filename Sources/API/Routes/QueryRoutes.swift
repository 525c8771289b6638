import Core
import Foundation
import Hummingbird

/// Questions: `POST /api/query` answers from the user's live database.
struct QueryRoutes: Sendable {
    let questions: QuestionService

    struct Question: Decodable {
        var connectionID: UUID
        var question: String
        var mode: QuestionRequest.Mode?

        enum CodingKeys: String, CodingKey {
            case question, mode
            case connectionID = "connection_id"
        }
    }

    struct AnswerBody: ResponseEncodable {
        var answer: QuestionAnswer
        var historyID: UUID

        enum CodingKeys: String, CodingKey {
            case historyID = "history_id"
        }

        func encode(to encoder: any Encoder) throws {
            try answer.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(historyID.uuidString.lowercased(), forKey: .historyID)
        }
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("query") { request, context in
            let owner = try context.requireIdentity().user.id
            let body = try await request.decode(as: Question.self, context: context)
            let (answer, historyID) = try await questions.ask(
                ownerID: owner, QuestionRequest(connectionID: body.connectionID, question: body.question, mode: body.mode ?? .answer)
            )
            return AnswerBody(answer: answer, historyID: historyID)
        }
        group.post("query/stream") { request, context in
            let owner = try context.requireIdentity().user.id
            let body = try await request.decode(as: Question.self, context: context)
            let prepared = try await questions.prepare(
                ownerID: owner, QuestionRequest(connectionID: body.connectionID, question: body.question, mode: body.mode ?? .answer)
            )
            return QuestionEventStream(questions: questions, prepared: prepared).response()
        }
    }
}
