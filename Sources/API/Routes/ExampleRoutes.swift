import Foundation
import Hummingbird
import Query
import Support

/// A connection's verified examples (add, list, read, change, delete, CSV export and import)
/// and its review list of thumbs-downs; and the rating of an answer.
struct ExampleRoutes: Sendable {
    let examples: ExampleService
    let history: HistoryService

    /// `{question, query}`, or `{from_history_id}` to keep an answered question.
    struct NewExample: Decodable {
        var question: String?
        var query: String?
        var fromHistoryID: UUID?

        enum CodingKeys: String, CodingKey {
            case question, query
            case fromHistoryID = "from_history_id"
        }
    }

    struct ExampleChange: Decodable {
        var question: String?
        var query: String?
    }

    struct Rating: Decodable {
        var rating: Feedback.Rating
        var comment: String?
    }

    /// The most a CSV import's body may hold.
    static let maxCSVBytes = 16 << 20

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("connections/:id/examples") { _, context in
            ListBody(items: try await examples.list(ownerID: try context.requireIdentity().user.id, connectionID: try context.uuid("id", what: "connection")))
        }
        group.post("connections/:id/examples") { request, context in
            let owner = try context.requireIdentity().user.id
            let connection = try context.uuid("id", what: "connection")
            let body = try await request.decode(as: NewExample.self, context: context)
            let example: VerifiedExample
            switch (body.question, body.query, body.fromHistoryID) {
            case (let question?, let query?, nil):
                example = try await examples.create(ownerID: owner, connectionID: connection, question: question, query: query)
            case (nil, nil, let historyID?):
                example = try await examples.create(ownerID: owner, connectionID: connection, fromHistoryID: historyID)
            default:
                throw AskDBError.invalid("validation_failed", "send either `question` and `query`, or `from_history_id`")
            }
            return EditedResponse(status: .created, response: example)
        }
        group.get("connections/:id/examples.csv") { _, context in
            let text = try await examples.exportCSV(ownerID: try context.requireIdentity().user.id, connectionID: try context.uuid("id", what: "connection"))
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"examples.csv\""],
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        group.post("connections/:id/examples.csv") { request, context in
            let owner = try context.requireIdentity().user.id
            let connection = try context.uuid("id", what: "connection")
            let body = try await request.body.collect(upTo: Self.maxCSVBytes)
            guard let text = String(validating: body.readableBytesView, as: UTF8.self) else {
                throw AskDBError.invalid("invalid_csv", "the file is not UTF-8 text")
            }
            guard !text.unicodeScalars.contains("\u{0}") else { throw AskDBError.invalid("invalid_csv", "the file holds the NUL character (U+0000)") }
            return try await examples.importCSV(ownerID: owner, connectionID: connection, text: text)
        }
        group.get("connections/:id/examples/:example") { _, context in
            try await examples.example(ownerID: try context.requireIdentity().user.id, connectionID: try context.uuid("id", what: "connection"),
                                       id: try context.uuid("example", what: "example"))
        }
        group.patch("connections/:id/examples/:example") { request, context in
            let owner = try context.requireIdentity().user.id
            let body = try await request.decode(as: ExampleChange.self, context: context)
            return try await examples.update(ownerID: owner, connectionID: try context.uuid("id", what: "connection"),
                                             id: try context.uuid("example", what: "example"), question: body.question, query: body.query)
        }
        group.delete("connections/:id/examples/:example") { _, context in
            try await examples.delete(ownerID: try context.requireIdentity().user.id, connectionID: try context.uuid("id", what: "connection"),
                                      id: try context.uuid("example", what: "example"))
            return Response(status: .noContent)
        }
        group.get("connections/:id/feedback") { request, context in
            let limit = try Pagination.limit(request)
            let items = try await examples.reviewList(ownerID: try context.requireIdentity().user.id, connectionID: try context.uuid("id", what: "connection"),
                                                      before: try request.uuidParameter("cursor"), limit: limit)
            return ListBody(items: items, nextCursor: items.count == limit ? items.last?.id.lowercasedString : nil)
        }
        group.post("history/:id/feedback") { request, context in
            let owner = try context.requireIdentity().user.id
            let body = try await request.decode(as: Rating.self, context: context)
            return try await history.rate(historyID: try context.uuid("id", what: "history entry"), ownerID: owner, rating: body.rating, comment: body.comment)
        }
    }
}

extension VerifiedExample: ResponseEncodable {}
extension Feedback: ResponseEncodable {}
extension ExampleService.ImportOutcome: ResponseEncodable {}
