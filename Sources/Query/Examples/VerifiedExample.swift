import Foundation
import Support

/// A question and the query that answers it, confirmed by the connection's owner: shown to the
/// model as a worked example for questions like it, and used as the answer itself for a
/// question that asks the same thing (see ``DirectMatch``).
package struct VerifiedExample: Sendable, Encodable, Equatable {
    package var id: UUID
    package var connectionID: UUID
    package var question: String
    /// SQL text, or the MongoDB query as JSON.
    package var query: String
    /// Why the query stopped passing the guard or EXPLAIN when the connection was last indexed;
    /// nil while it runs. A stale example is neither shown nor used until it is fixed.
    package var staleReason: String?
    /// The history entry it was confirmed from, if any.
    package var sourceHistoryID: UUID?
    package var createdAt: Date
    package var updatedAt: Date

    package var stale: Bool { staleReason != nil }

    enum CodingKeys: String, CodingKey {
        case id, question, query, stale
        case connectionID = "connection_id"
        case staleReason = "stale_reason"
        case sourceHistoryID = "source_history_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    package init(id: UUID, connectionID: UUID, question: String, query: String, staleReason: String?, sourceHistoryID: UUID?,
                 createdAt: Date, updatedAt: Date) {
        self.id = id
        self.connectionID = connectionID
        self.question = question
        self.query = query
        self.staleReason = staleReason
        self.sourceHistoryID = sourceHistoryID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.lowercasedString, forKey: .id)
        try container.encode(connectionID.lowercasedString, forKey: .connectionID)
        try container.encode(question, forKey: .question)
        try container.encode(query, forKey: .query)
        try container.encode(stale, forKey: .stale)
        try container.encode(staleReason, forKey: .staleReason)
        try container.encode(sourceHistoryID?.lowercasedString, forKey: .sourceHistoryID)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// An example a question found, with how alike the two questions are.
package struct ExampleCandidate: Sendable, Equatable {
    package var id: UUID
    package var question: String
    package var query: String
    /// Cosine similarity of the two questions' embeddings, -1 to 1.
    package var similarity: Double

    package init(id: UUID, question: String, query: String, similarity: Double) {
        self.id = id
        self.question = question
        self.query = query
        self.similarity = similarity
    }
}

/// Finds the usable (not stale) examples most like a question: the pipeline's view of them.
package protocol ExampleSearch: Sendable {
    /// At most `limit` examples of the connection, most similar first.
    func nearest(connectionID: UUID, embedding: [Float], limit: Int) async throws -> [ExampleCandidate]
}
