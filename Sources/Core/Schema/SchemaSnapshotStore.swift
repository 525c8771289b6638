import Foundation
import Logging
import PostgresNIO

/// Schema snapshots per connection and index version, written by an indexing run beside its
/// documents and read at the connection's published version.
public struct SchemaSnapshotStore: Sendable {
    private let postgres: PostgresClient
    private let logger: Logger

    public init(postgres: PostgresClient, logger: Logger) {
        self.postgres = postgres
        self.logger = logger
    }

    /// Saves the run's snapshot under its version, and drops versions nobody reads any more
    /// (older than the one questions read now, or left by unfinished runs).
    public func save(_ snapshot: SchemaSnapshot, in revision: IndexRevision) async throws {
        let json = String(decoding: try JSONEncoder().encode(snapshot), as: UTF8.self)
        let connectionID = revision.connectionID, version = revision.version, base = revision.baseVersion
        try await postgres.transaction(logger: logger) { connection in
            try await revision.fence?.check(on: connection, logger: logger)
            try await connection.query(
                "DELETE FROM schema_snapshots WHERE connection_id = \(connectionID) AND (version < \(base) OR version > \(base))",
                logger: logger
            )
            try await connection.query(
                "INSERT INTO schema_snapshots (connection_id, version, snapshot) VALUES (\(connectionID), \(version), \(json)::jsonb)",
                logger: logger
            )
        }
    }

    /// The snapshot of `version`, or nil when there is none.
    public func load(connectionID: UUID, version: Int) async throws -> SchemaSnapshot? {
        let rows = try await postgres.query(
            "SELECT snapshot::text FROM schema_snapshots WHERE connection_id = \(connectionID) AND version = \(version)", logger: logger
        )
        for try await json in rows.decode(String.self) {
            return try JSONDecoder().decode(SchemaSnapshot.self, from: Data(json.utf8))
        }
        return nil
    }
}
