import Connections
import Foundation
import Retrieval
import SchemaModel

/// A connection's schema as its published index holds it, cut to what the owner's options let
/// a question see now.
package struct ConnectionSchema: Sendable {
    package var connection: ConnectionRecord
    package var snapshot: SchemaSnapshot
}

extension QuestionService {
    /// The schema a question on the owner's connection is written against: the finished index's
    /// snapshot under the connection's current options (excluded objects, columns and values
    /// gone). For clients that write their own queries (MCP's `describe_schema`).
    package func schema(ownerID: UUID, connectionID: UUID) async throws -> ConnectionSchema {
        let record = try await indexedConnection(id: connectionID, ownerID: ownerID)
        let snapshot = try await snapshots.published(connectionID: record.id, version: record.indexVersion, kind: record.kind)
        return ConnectionSchema(connection: record, snapshot: snapshot.visible(under: record.options))
    }

    /// Retrieval alone for `question` on the owner's connection: the tables and collections a
    /// question's prompt would get, best first, and that context's text. Nothing runs against
    /// the user's database.
    package func findTables(ownerID: UUID, connectionID: UUID, question: String) async throws -> SchemaRetriever.Retrieval {
        let question = try QuestionInput.question(question)
        let record = try await indexedConnection(id: connectionID, ownerID: ownerID)
        let settings = try await accounts.effectiveSettings(userID: ownerID)
        return try await retriever(embedder: try await embedder.get(), contextTokens: settings.contextTokens)
            .retrieve(question, connectionID: record.id, version: record.indexVersion, kind: record.kind, options: record.options)
    }
}
