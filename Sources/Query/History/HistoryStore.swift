import Foundation
import Logging
import PostgresNIO
import Support

/// A question a user asked, as their history keeps it.
package struct HistoryEntry: Sendable, Codable, Equatable {
    @LowercaseUUID package var id: UUID
    @LowercaseUUID package var connectionID: UUID
    package var question: String
    package var query: String?
    package var answer: String?
    package var rowCount: Int?
    package var model: String?
    /// Why no query answered it, for a question that failed.
    package var error: String?
    /// The model's tokens for the answer, when its server reported them (none for a cached answer).
    package var promptTokens: Int?
    package var completionTokens: Int?
    package var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, question, query, answer, model, error
        case connectionID = "connection_id"
        case rowCount = "row_count"
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case createdAt = "created_at"
    }
}

/// Users' question history, always scoped to its owner. Deleting history leaves the audit log alone.
package struct HistoryStore: Sendable {
    private let postgres: PostgresClient
    private let logger: Logger
    private static let columns = "id, connection_id, question, query, answer, row_count, model, error, prompt_tokens, completion_tokens, created_at"

    /// Entries being written, group-committed: a busy API inserts them a batch at a time.
    private let inserts: GroupCommit<Insert, Result<Void, any Error>>

    struct Insert: Sendable {
        var id: UUID
        var ownerID: UUID
        var connectionID: UUID
        var conversationID: UUID
        var question: String
        var summary: AnswerSummary
    }

    package init(postgres: PostgresClient, logger: Logger) {
        self.postgres = postgres
        self.logger = logger
        inserts = GroupCommit { batch in
            do {
                try await Self.insert(batch, postgres: postgres, logger: logger)
                return batch.map { _ in .success(()) }
            } catch {
                // One entry can sink a batch (its connection was just deleted): the others go alone.
                guard batch.count > 1 else { return [.failure(error)] }
                var outcomes: [Result<Void, any Error>] = []
                for entry in batch {
                    do {
                        try await Self.insert([entry], postgres: postgres, logger: logger)
                        outcomes.append(.success(()))
                    } catch {
                        outcomes.append(.failure(error))
                    }
                }
                return outcomes
            }
        }
    }

    /// Saves an answered question; returns its id.
    func record(ownerID: UUID, connectionID: UUID, conversationID: UUID, question: String, answer: AnswerSummary) async throws -> UUID {
        let id = UUID()
        try await inserts.submit(Insert(id: id, ownerID: ownerID, connectionID: connectionID, conversationID: conversationID,
                                        question: question, summary: answer)).get()
        return id
    }

    private static func insert(_ batch: [Insert], postgres: PostgresClient, logger: Logger) async throws {
        for try await _ in try await postgres.execute(InsertEntries(batch), logger: logger) {}
    }

    /// Prepared once per connection: a busy API runs it hundreds of times a second.
    struct InsertEntries: PostgresPreparedStatement {
        // clock_timestamp(): entries of one batch keep the order they were asked in.
        static let sql = """
            INSERT INTO query_history (id, user_id, connection_id, conversation_id, question, query, answer, row_count, model, timings, error,
                                       prompt_tokens, completion_tokens, created_at)
            SELECT id, user_id, connection_id, conversation_id, question, s->>'query', s->>'answer', (s->>'row_count')::int4,
                   s->>'model', coalesce(s->'timings', '{}'), s->>'error', (s->>'prompt_tokens')::int4, (s->>'completion_tokens')::int4,
                   clock_timestamp()
            FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[]::jsonb[])
                 AS entry(id, user_id, connection_id, conversation_id, question, s)
            """
        typealias Row = ()

        let batch: [Insert]

        init(_ batch: [Insert]) {
            self.batch = batch
        }

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 6)
            bindings.append(batch.map(\.id))
            bindings.append(batch.map(\.ownerID))
            bindings.append(batch.map(\.connectionID))
            bindings.append(batch.map(\.conversationID))
            bindings.append(batch.map(\.question))
            bindings.append(batch.map(\.summary.json))
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row {}
    }

    /// The last `limit` turns of a conversation of the owner's on one connection, oldest first.
    func turns(ownerID: UUID, connectionID: UUID, conversationID: UUID, limit: Int) async throws -> [ConversationTurn] {
        let rows = try await postgres.query(
            """
            SELECT question, query FROM (
                SELECT question, query, created_at, id FROM query_history
                WHERE user_id = \(ownerID) AND connection_id = \(connectionID) AND conversation_id = \(conversationID) AND query IS NOT NULL AND error IS NULL
                ORDER BY created_at DESC, id DESC LIMIT \(limit)
            ) recent ORDER BY created_at, id
            """,
            logger: logger
        )
        var turns: [ConversationTurn] = []
        for try await (question, query) in rows.decode((String, String).self) { turns.append(ConversationTurn(question: question, query: query)) }
        return turns
    }

    /// Newest first; `before` is the id of the last entry of the previous page.
    package func list(ownerID: UUID, connectionID: UUID?, before: UUID?, limit: Int) async throws -> [HistoryEntry] {
        try await Self.entries(postgres.query(
            """
            SELECT \(unescaped: Self.columns) FROM query_history h
            WHERE user_id = \(ownerID) AND (\(connectionID)::uuid IS NULL OR connection_id = \(connectionID))
              AND (\(before)::uuid IS NULL OR (created_at, id) < (SELECT created_at, id FROM query_history WHERE id = \(before) AND user_id = \(ownerID)))
            ORDER BY created_at DESC, id DESC LIMIT \(limit)
            """,
            logger: logger
        ))
    }

    package func get(id: UUID, ownerID: UUID) async throws -> HistoryEntry {
        guard let entry = try await Self.entries(postgres.query(
            "SELECT \(unescaped: Self.columns) FROM query_history WHERE id = \(id) AND user_id = \(ownerID)", logger: logger
        )).first else { throw AskDBError.notFound("history entry") }
        return entry
    }

    package func delete(id: UUID, ownerID: UUID) async throws {
        let rows = try await postgres.query("DELETE FROM query_history WHERE id = \(id) AND user_id = \(ownerID) RETURNING id", logger: logger)
        for try await _ in rows.decode(UUID.self) { return }
        throw AskDBError.notFound("history entry")
    }

    /// Deletes the owner's history (of one connection, if given); returns how many entries went.
    package func deleteAll(ownerID: UUID, connectionID: UUID?) async throws -> Int {
        let rows = try await postgres.query(
            """
            WITH gone AS (DELETE FROM query_history WHERE user_id = \(ownerID)
                          AND (\(connectionID)::uuid IS NULL OR connection_id = \(connectionID)) RETURNING 1)
            SELECT count(*)::int8 FROM gone
            """,
            logger: logger
        )
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    /// Deletes up to `batch` entries asked before `cutoff`; returns how many went. Rows another
    /// pruner is deleting are skipped, so several processes pruning at once never wait on each other.
    func deleteAsked(before cutoff: Date, batch: Int) async throws -> Int {
        let rows = try await postgres.query(
            """
            WITH gone AS (DELETE FROM query_history WHERE id IN (
                              SELECT id FROM query_history WHERE created_at < \(cutoff) LIMIT \(batch) FOR UPDATE SKIP LOCKED)
                          RETURNING 1)
            SELECT count(*)::int8 FROM gone
            """,
            logger: logger
        )
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    private static func entries(_ rows: PostgresRowSequence) async throws -> [HistoryEntry] {
        var entries: [HistoryEntry] = []
        for try await (id, connectionID, question, query, answer, rowCount, model, error, promptTokens, completionTokens, createdAt)
            in rows.decode((UUID, UUID, String, String?, String?, Int?, String?, String?, Int?, Int?, Date).self) {
            entries.append(HistoryEntry(id: id, connectionID: connectionID, question: question, query: query, answer: answer,
                                        rowCount: rowCount, model: model, error: error, promptTokens: promptTokens,
                                        completionTokens: completionTokens, createdAt: createdAt))
        }
        return entries
    }
}
