import AppDatabase
import Foundation
import Logging
import PostgresNIO
import SchemaModel

/// Schema snapshots per connection and index version, written by an indexing run beside its
/// documents and read at the connection's published version.
package struct SchemaSnapshotStore: Sendable {
    private let postgres: PostgresClient
    private let logger: Logger
    /// A version's snapshot never changes once written, so every question after the first reads
    /// it from memory instead of decoding a large JSON document again.
    private let recent = RecentSnapshots(capacity: 64)

    package init(postgres: PostgresClient, logger: Logger) {
        self.postgres = postgres
        self.logger = logger
    }

    /// Saves the run's snapshot under its version, and drops versions nobody reads any more
    /// (older than the one questions read now, or left by unfinished runs).
    package func save(_ snapshot: SchemaSnapshot, in revision: IndexRevision) async throws {
        let json = String(decoding: try JSONEncoder().encode(snapshot), as: UTF8.self)
        let connectionID = revision.connectionID, version = revision.version, base = revision.baseVersion
        try await postgres.transaction(logger: logger) { connection in
            try await revision.fence?.hold(on: connection, logger: logger)
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

    /// The snapshot of `version`, or an empty one of `kind` for an index saved before snapshots were.
    package func published(connectionID: UUID, version: Int, kind: ConnectionKind) async throws -> SchemaSnapshot {
        try await load(connectionID: connectionID, version: version) ?? SchemaSnapshot(source: kind, objects: [])
    }

    /// The snapshot of `version`, or nil when there is none.
    package func load(connectionID: UUID, version: Int) async throws -> SchemaSnapshot? {
        if let snapshot = await recent.get(connectionID, version) { return snapshot }
        let rows = try await postgres.query(
            "SELECT snapshot::text FROM schema_snapshots WHERE connection_id = \(connectionID) AND version = \(version)", logger: logger
        )
        for try await json in rows.decode(String.self) {
            let snapshot = try JSONDecoder().decode(SchemaSnapshot.self, from: Data(json.utf8))
            await recent.put(snapshot, connectionID, version)
            return snapshot
        }
        return nil
    }
}

/// The most recently read snapshots, least recently used dropped first.
actor RecentSnapshots {
    private struct Key: Hashable {
        let connectionID: UUID
        let version: Int
    }

    private let capacity: Int
    private var entries: [Key: (snapshot: SchemaSnapshot, used: UInt64)] = [:]
    private var clock: UInt64 = 0

    init(capacity: Int) {
        self.capacity = capacity
    }

    func get(_ connectionID: UUID, _ version: Int) -> SchemaSnapshot? {
        let key = Key(connectionID: connectionID, version: version)
        guard let entry = entries[key] else { return nil }
        clock += 1
        entries[key]?.used = clock
        return entry.snapshot
    }

    func put(_ snapshot: SchemaSnapshot, _ connectionID: UUID, _ version: Int) {
        if entries.count >= capacity, let oldest = entries.min(by: { $0.value.used < $1.value.used })?.key {
            entries[oldest] = nil
        }
        clock += 1
        entries[Key(connectionID: connectionID, version: version)] = (snapshot, clock)
    }
}
