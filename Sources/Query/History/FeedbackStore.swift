import AppDatabase
import Foundation
import Logging
import PostgresNIO
import Support

/// A user's rating of an answer. A thumbs-down, with its comment, lands in the connection's
/// review list; it keeps its own copy of the question, query, answer and error, so the list
/// outlives the history entry.
package struct Feedback: Sendable, Encodable, Equatable {
    package enum Rating: String, Sendable, Codable, CaseIterable {
        case up, down
    }

    package var id: UUID
    package var connectionID: UUID
    package var historyID: UUID?
    package var rating: Rating
    package var comment: String?
    package var question: String
    package var query: String?
    package var answer: String?
    package var error: String?
    package var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, rating, comment, question, query, answer, error
        case connectionID = "connection_id"
        case historyID = "history_id"
        case createdAt = "created_at"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.lowercasedString, forKey: .id)
        try container.encode(connectionID.lowercasedString, forKey: .connectionID)
        try container.encode(historyID?.lowercasedString, forKey: .historyID)
        try container.encode(rating, forKey: .rating)
        try container.encode(comment, forKey: .comment)
        try container.encode(question, forKey: .question)
        try container.encode(query, forKey: .query)
        try container.encode(answer, forKey: .answer)
        try container.encode(error, forKey: .error)
        try container.encode(createdAt, forKey: .createdAt)
    }
}

/// Ratings in the app database, scoped to the rater (writes) and the connection (the review list).
struct FeedbackStore: Sendable {
    let postgres: PostgresClient
    let logger: Logger
    private static let columns = "id, connection_id, history_id, rating, comment, question, query, answer, error, created_at"

    /// Rates the owner's history entry; a second rating of it replaces the first.
    func rate(historyID: UUID, ownerID: UUID, rating: Feedback.Rating, comment: String?) async throws -> Feedback {
        let rows = try await postgres.query(
            """
            INSERT INTO answer_feedback (id, user_id, connection_id, history_id, rating, comment, question, query, answer, error)
            SELECT \(UUID()), user_id, connection_id, id, \(rating.rawValue), \(comment), question, query, answer, error
            FROM query_history WHERE id = \(historyID) AND user_id = \(ownerID)
            ON CONFLICT (history_id) DO UPDATE SET rating = excluded.rating, comment = excluded.comment, updated_at = now()
            RETURNING \(unescaped: Self.columns)
            """,
            logger: logger
        )
        guard let feedback = try await Self.feedback(rows).first else { throw AskDBError.notFound("history entry") }
        return feedback
    }

    /// The connection's thumbs-downs, newest first; `before` is the last id of the previous page.
    func downRatings(connectionID: UUID, before: UUID?, limit: Int) async throws -> [Feedback] {
        try await Self.feedback(postgres.query(
            """
            SELECT \(unescaped: Self.columns) FROM answer_feedback
            WHERE connection_id = \(connectionID) AND rating = 'down'
              AND (\(before)::uuid IS NULL OR (created_at, id) < (SELECT created_at, id FROM answer_feedback WHERE id = \(before)))
            ORDER BY created_at DESC, id DESC LIMIT \(limit)
            """,
            logger: logger
        ))
    }

    private static func feedback(_ rows: PostgresRowSequence) async throws -> [Feedback] {
        var list: [Feedback] = []
        for try await (id, connectionID, historyID, rating, comment, question, query, answer, error, createdAt)
            in rows.decode((UUID, UUID, UUID?, String, String?, String, String?, String?, String?, Date).self) {
            list.append(Feedback(id: id, connectionID: connectionID, historyID: historyID, rating: Feedback.Rating(rawValue: rating) ?? .down,
                                 comment: comment, question: question, query: query, answer: answer, error: error, createdAt: createdAt))
        }
        return list
    }
}
