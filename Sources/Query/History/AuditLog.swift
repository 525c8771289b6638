import Foundation
import Logging
import PostgresNIO
import Support

/// One query that ran (or was tried) against a user's database.
package struct AuditEntry: Sendable, Codable, Equatable {
    package var id: Int64
    @LowercaseUUID package var userID: UUID
    @LowercaseUUID package var connectionID: UUID
    package var query: String
    /// `ok` or `error`.
    package var outcome: String
    package var rowCount: Int?
    package var error: String?
    package var executedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, query, outcome, error
        case userID = "user_id"
        case connectionID = "connection_id"
        case rowCount = "row_count"
        case executedAt = "executed_at"
    }
}

/// The append-only log of queries run against users' databases: written for every execution,
/// read by admins, never changed (a trigger refuses UPDATE and DELETE).
package struct AuditLog: Sendable {
    private let postgres: PostgresClient
    private let logger: Logger

    package init(postgres: PostgresClient, logger: Logger) {
        self.postgres = postgres
        self.logger = logger
    }

    func record(userID: UUID, connectionID: UUID, query: String, outcome: String, rows: Int?, error: String?) async throws {
        try await postgres.query(
            """
            INSERT INTO query_audit (user_id, connection_id, query, outcome, row_count, error)
            VALUES (\(userID), \(connectionID), \(query), \(outcome), \(rows), \(error))
            """,
            logger: logger
        )
    }

    /// Newest first, optionally for one connection or user; `before` is the last id seen.
    package func list(connectionID: UUID?, userID: UUID?, before: Int64?, limit: Int) async throws -> [AuditEntry] {
        let rows = try await postgres.query(
            """
            SELECT id, user_id, connection_id, query, outcome, row_count, error, executed_at FROM query_audit
            WHERE (\(connectionID)::uuid IS NULL OR connection_id = \(connectionID))
              AND (\(userID)::uuid IS NULL OR user_id = \(userID))
              AND (\(before)::int8 IS NULL OR id < \(before))
            ORDER BY id DESC LIMIT \(limit)
            """,
            logger: logger
        )
        var entries: [AuditEntry] = []
        for try await (id, user, connection, query, outcome, count, error, at) in rows.decode((Int64, UUID, UUID, String, String, Int?, String?, Date).self) {
            entries.append(AuditEntry(id: id, userID: user, connectionID: connection, query: query, outcome: outcome, rowCount: count, error: error, executedAt: at))
        }
        return entries
    }
}
