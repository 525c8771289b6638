import AppDatabase
import Foundation
import Logging
import PostgresNIO
import Retrieval
import Support

/// Connections' verified examples in the app database. Every method is scoped to one
/// connection, whose owner the caller has checked; every write also bumps the connection's
/// `examples_revision`, which the answer cache's key holds.
package struct ExampleStore: ExampleSearch {
    private let postgres: PostgresClient
    private let logger: Logger
    private static let columns = "id, connection_id, question, query, stale_reason, source_history_id, created_at, updated_at"

    /// A new example, its question already embedded.
    package struct New: Sendable {
        package var question: String
        package var query: String
        package var embedding: [Float]
        package var sourceHistoryID: UUID?

        package init(question: String, query: String, embedding: [Float], sourceHistoryID: UUID? = nil) {
            self.question = question
            self.query = query
            self.embedding = embedding
            self.sourceHistoryID = sourceHistoryID
        }
    }

    package init(postgres: PostgresClient, logger: Logger) {
        self.postgres = postgres
        self.logger = logger
    }

    /// Adds `examples` in one transaction, refusing past `limit` examples on the connection.
    package func insert(_ examples: [New], connectionID: UUID, limit: Int) async throws -> [VerifiedExample] {
        guard !examples.isEmpty else { return [] }
        let ids = examples.map { _ in UUID() }
        return try await postgres.transaction(logger: logger) { connection in
            // The connection's row, locked: concurrent imports count one after the other.
            let existing = try await Self.decoded(connection.query(
                "SELECT (SELECT count(*)::int8 FROM connection_examples WHERE connection_id = c.id) FROM connections c WHERE c.id = \(connectionID) FOR UPDATE",
                logger: logger
            ), as: Int.self).first
            guard let existing else { throw AskDBError.notFound("connection") }
            guard existing + examples.count <= limit else {
                throw AskDBError(.conflict, code: "too_many_examples",
                                 message: "a connection keeps at most \(limit) examples; it has \(existing), and this adds \(examples.count)")
            }
            let rows = try await connection.query(
                """
                INSERT INTO connection_examples (id, connection_id, question, query, embedding, source_history_id, created_at, updated_at)
                SELECT id, \(connectionID), question, query, embedding::vector, nullif(source, '')::uuid, clock_timestamp(), clock_timestamp()
                FROM unnest(\(ids)::uuid[], \(examples.map(\.question))::text[], \(examples.map(\.query))::text[],
                            \(examples.map { VectorLiteral.text($0.embedding) })::text[], \(examples.map { $0.sourceHistoryID?.lowercasedString ?? "" })::text[])
                     WITH ORDINALITY AS input(id, question, query, embedding, source, position)
                ORDER BY position
                RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            )
            let inserted = try await Self.examples(rows)
            try await Self.bumpRevision(connectionID, on: connection, logger: logger)
            return inserted
        }
    }

    /// The connection's examples, oldest first.
    package func list(connectionID: UUID) async throws -> [VerifiedExample] {
        try await Self.examples(postgres.query(
            "SELECT \(unescaped: Self.columns) FROM connection_examples WHERE connection_id = \(connectionID) ORDER BY created_at, id",
            logger: logger
        ))
    }

    package func get(id: UUID, connectionID: UUID) async throws -> VerifiedExample {
        guard let example = try await Self.examples(postgres.query(
            "SELECT \(unescaped: Self.columns) FROM connection_examples WHERE id = \(id) AND connection_id = \(connectionID)", logger: logger
        )).first else { throw AskDBError.notFound("example") }
        return example
    }

    /// Replaces an example's question and query, and its question's embedding when given (nil:
    /// the question is unchanged); the caller checked the query, so it is no longer stale.
    package func update(id: UUID, connectionID: UUID, question: String, query: String, embedding: [Float]?) async throws -> VerifiedExample {
        let vector = embedding.map(VectorLiteral.text)
        return try await postgres.transaction(logger: logger) { connection in
            guard let example = try await Self.examples(connection.query(
                """
                UPDATE connection_examples SET question = \(question), query = \(query), embedding = coalesce(\(vector)::vector, embedding),
                       stale_reason = NULL, updated_at = now()
                WHERE id = \(id) AND connection_id = \(connectionID)
                RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            )).first else { throw AskDBError.notFound("example") }
            try await Self.bumpRevision(connectionID, on: connection, logger: logger)
            return example
        }
    }

    package func delete(id: UUID, connectionID: UUID) async throws {
        try await postgres.transaction(logger: logger) { connection in
            let gone = try await Self.decoded(connection.query(
                "DELETE FROM connection_examples WHERE id = \(id) AND connection_id = \(connectionID) RETURNING id", logger: logger
            ), as: UUID.self)
            guard !gone.isEmpty else { throw AskDBError.notFound("example") }
            try await Self.bumpRevision(connectionID, on: connection, logger: logger)
        }
    }

    /// Deletes every example of the connection; returns how many went.
    package func deleteAll(connectionID: UUID) async throws -> Int {
        try await postgres.transaction(logger: logger) { connection in
            let count = try await Self.decoded(connection.query(
                "WITH gone AS (DELETE FROM connection_examples WHERE connection_id = \(connectionID) RETURNING 1) SELECT count(*)::int8 FROM gone",
                logger: logger
            ), as: Int.self).first ?? 0
            if count > 0 { try await Self.bumpRevision(connectionID, on: connection, logger: logger) }
            return count
        }
    }

    package func nearest(connectionID: UUID, embedding: [Float], limit: Int) async throws -> [ExampleCandidate] {
        guard limit > 0 else { return [] }
        let rows = try await postgres.query(
            """
            SELECT id, question, query, 1 - (embedding <=> \(VectorLiteral.text(embedding))::vector) AS similarity
            FROM connection_examples WHERE connection_id = \(connectionID) AND stale_reason IS NULL
            ORDER BY similarity DESC, id LIMIT \(limit)
            """,
            logger: logger
        )
        var candidates: [ExampleCandidate] = []
        for try await (id, question, query, similarity) in rows.decode((UUID, String, String, Double).self) {
            candidates.append(ExampleCandidate(id: id, question: question, query: query, similarity: similarity))
        }
        return candidates
    }

    /// Records what checking the examples against index `version` found: each id's reason for
    /// being stale, or nil where its query runs. The revision moves only if a verdict changed.
    package func recordCheck(connectionID: UUID, version: Int, verdicts: [(id: UUID, staleReason: String?)]) async throws {
        guard !verdicts.isEmpty else { return }
        try await postgres.transaction(logger: logger) { connection in
            let changed = try await Self.decoded(connection.query(
                """
                WITH verdict AS (SELECT * FROM unnest(\(verdicts.map(\.id))::uuid[], \(verdicts.map { $0.staleReason ?? "" })::text[]) AS v(id, given), LATERAL (SELECT nullif(given, '') AS reason) r),
                changed AS (
                    UPDATE connection_examples e SET stale_reason = verdict.reason, checked_version = \(version),
                           updated_at = CASE WHEN e.stale_reason IS DISTINCT FROM verdict.reason THEN now() ELSE e.updated_at END
                    FROM verdict, connection_examples before
                    WHERE e.id = verdict.id AND before.id = e.id AND e.connection_id = \(connectionID)
                    RETURNING before.stale_reason IS DISTINCT FROM verdict.reason AS moved
                )
                SELECT count(*) FILTER (WHERE moved)::int8 FROM changed
                """,
                logger: logger
            ), as: Int.self).first ?? 0
            if changed > 0 { try await Self.bumpRevision(connectionID, on: connection, logger: logger) }
        }
    }

    private static func decoded<T: PostgresDecodable & Sendable>(_ rows: PostgresRowSequence, as type: T.Type) async throws -> [T] {
        var values: [T] = []
        for try await value in rows.decode(T.self) { values.append(value) }
        return values
    }

    private static func bumpRevision(_ connectionID: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("UPDATE connections SET examples_revision = examples_revision + 1 WHERE id = \(connectionID)", logger: logger)
    }

    private static func examples(_ rows: PostgresRowSequence) async throws -> [VerifiedExample] {
        var examples: [VerifiedExample] = []
        for try await (id, connectionID, question, query, stale, source, created, updated)
            in rows.decode((UUID, UUID, String, String, String?, UUID?, Date, Date).self) {
            examples.append(VerifiedExample(id: id, connectionID: connectionID, question: question, query: query, staleReason: stale,
                                            sourceHistoryID: source, createdAt: created, updatedAt: updated))
        }
        return examples
    }
}
