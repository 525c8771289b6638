import AppDatabase
import DataSources
import Foundation
import Logging
import PostgresNIO
import SchemaModel
import Support

/// A saved database connection as its owner sees it: never with its password.
package struct ConnectionRecord: Sendable, Codable, Equatable {
    @LowercaseUUID package var id: UUID
    package var name: String
    package var kind: ConnectionKind
    /// The URL with its password replaced by `***`.
    package var url: String
    /// The index questions are answered from; 0 until the first indexing run finishes.
    package var indexVersion: Int
    package var indexedAt: Date?
    /// What indexing may read: value sampling and excluded schemas, tables and columns.
    package var options: SamplingOptions
    /// Whether the connection trusts CA certificates of its own for TLS.
    package var hasCACertificate: Bool
    /// How often the indexers re-index it on their own, in seconds; nil: only when asked.
    package var reindexIntervalSeconds: Int?
    package var createdAt: Date
    package var updatedAt: Date
    /// Moves with every change to the connection's verified examples (not sent to clients).
    package var examplesRevision = 0

    enum CodingKeys: String, CodingKey {
        case id, name, kind, url, options
        case indexVersion = "index_version"
        case indexedAt = "indexed_at"
        case hasCACertificate = "has_ca_certificate"
        case reindexIntervalSeconds = "reindex_interval_seconds"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// What reaches a connection's database, as stored: the URL and its CA certificate (if any),
/// each sealed with the key `keyID` names.
package struct SealedSource: Sendable {
    package var url: Data
    package var caCertificate: Data?
    package var keyID: String
}

/// Connections in the app database. Every read and write is scoped to the owner, so another
/// user's connection is indistinguishable from a missing one.
package struct ConnectionStore: Sendable {
    /// A connection's record and its owner, as the in-process cache keeps it.
    package typealias Owned = (ownerID: UUID, record: ConnectionRecord)

    private let postgres: PostgresClient
    private let logger: Logger
    private let cache: RowCache<Owned>?
    private static let columns = "id, name, kind, url_redacted, index_version, indexed_at, created_at, updated_at, options::text, ca_certificate_ciphertext IS NOT NULL, examples_revision, reindex_interval_seconds"

    /// - Parameter cache: copies of records for ``get(id:ownerID:)``, which every question reads.
    package init(postgres: PostgresClient, logger: Logger, cache: RowCache<Owned>? = nil) {
        self.postgres = postgres
        self.logger = logger
        self.cache = cache
    }

    /// Saves a new connection, unless its owner already has `limit`: the owner's row is locked
    /// while the connections are counted, so creations at once cannot all pass the count.
    package func create(id: UUID, ownerID: UUID, name: String, kind: ConnectionKind, sealed: SealedSource, redacted: String,
                       options: SamplingOptions = SamplingOptions(), reindexInterval: Int? = nil, limit: Int) async throws -> ConnectionRecord {
        let options = try Self.json(options)
        do {
            return try await postgres.transaction(logger: logger) { connection in
                try await connection.query("SELECT 1 FROM users WHERE id = \(ownerID) FOR UPDATE", logger: logger)
                try await ensureRoom(ownerID: ownerID, limit: limit, on: connection)
                return try await one(connection.query(
                    """
                    INSERT INTO connections (id, owner_id, name, kind, url_ciphertext, ca_certificate_ciphertext, key_id, url_redacted, options,
                                             reindex_interval_seconds, next_reindex_at)
                    VALUES (\(id), \(ownerID), \(name), \(kind.rawValue), \(sealed.url), \(sealed.caCertificate), \(sealed.keyID), \(redacted), \(options)::jsonb,
                            \(reindexInterval)::int4, now() + make_interval(secs => \(reindexInterval)::float8))
                    RETURNING \(unescaped: Self.columns)
                    """,
                    logger: logger
                ))
            }
        } catch where error.isUniqueViolation {
            throw Self.nameTaken(name)
        }
    }

    /// Throws 409 `too_many_connections` when the owner has `limit` connections already: before
    /// a new one is tested, so a user at the limit costs no connection attempt; ``create`` counts
    /// again, atomically.
    package func ensureRoom(ownerID: UUID, limit: Int) async throws {
        try await postgres.withConnection { try await ensureRoom(ownerID: ownerID, limit: limit, on: $0) }
    }

    private func ensureRoom(ownerID: UUID, limit: Int, on connection: PostgresConnection) async throws {
        let rows = try await connection.query("SELECT count(*)::int8 FROM connections WHERE owner_id = \(ownerID)", logger: logger)
        for try await count in rows.decode(Int.self) where count >= limit {
            throw AskDBError(.conflict, code: "too_many_connections",
                             message: "you have \(count) connections, the most this server allows (\(limit)): delete one to add another")
        }
    }

    package func list(ownerID: UUID) async throws -> [ConnectionRecord] {
        try await Self.records(postgres.query(
            "SELECT \(unescaped: Self.columns) FROM connections WHERE owner_id = \(ownerID) ORDER BY created_at DESC, id",
            logger: logger
        ))
    }

    package func get(id: UUID, ownerID: UUID) async throws -> ConnectionRecord {
        let load = { () async throws -> Owned? in
            try await Self.records(postgres.query(
                "SELECT \(unescaped: Self.columns) FROM connections WHERE id = \(id) AND owner_id = \(ownerID)", logger: logger
            )).first.map { (ownerID, $0) }
        }
        let owned = if let cache { try await cache.value(for: id, load: load) } else { try await load() }
        // A copy made for its owner says nothing to anyone else.
        guard let owned, owned.ownerID == ownerID else { throw AskDBError.notFound("connection") }
        return owned.record
    }

    package func sealedSource(id: UUID, ownerID: UUID) async throws -> (ConnectionKind, SealedSource) {
        let rows = try await postgres.query(
            "SELECT kind, url_ciphertext, ca_certificate_ciphertext, key_id FROM connections WHERE id = \(id) AND owner_id = \(ownerID)", logger: logger
        )
        for try await (kind, url, caCertificate, keyID) in rows.decode((String, Data, Data?, String).self) {
            return (ConnectionKind(rawValue: kind) ?? .postgres, SealedSource(url: url, caCertificate: caCertificate, keyID: keyID))
        }
        throw AskDBError.notFound("connection")
    }

    /// Renames, replaces what reaches the database (URL and CA certificate, sealed together),
    /// the options and/or the re-index interval (`.some(nil)` removes it; a new one counts from now).
    package func update(id: UUID, ownerID: UUID, name: String?, source: (sealed: SealedSource, redacted: String)?,
                       options: SamplingOptions? = nil, reindexInterval: Int?? = nil) async throws -> ConnectionRecord {
        let options = try options.map(Self.json)
        let setInterval = reindexInterval != nil, interval = reindexInterval ?? nil
        defer { cache?.invalidate(id) }
        do {
            return try await one(postgres.query(
                """
                UPDATE connections SET
                    name = coalesce(\(name), name),
                    url_ciphertext = coalesce(\(source?.sealed.url), url_ciphertext),
                    ca_certificate_ciphertext = CASE WHEN \(source != nil) THEN \(source?.sealed.caCertificate) ELSE ca_certificate_ciphertext END,
                    key_id = coalesce(\(source?.sealed.keyID), key_id),
                    url_redacted = coalesce(\(source?.redacted), url_redacted),
                    options = coalesce(\(options)::jsonb, options),
                    reindex_interval_seconds = CASE WHEN \(setInterval) THEN \(interval)::int4 ELSE reindex_interval_seconds END,
                    next_reindex_at = CASE WHEN \(setInterval) THEN now() + make_interval(secs => \(interval)::float8) ELSE next_reindex_at END,
                    updated_at = now()
                WHERE id = \(id) AND owner_id = \(ownerID)
                RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            ))
        } catch where error.isUniqueViolation {
            throw Self.nameTaken(name ?? "")
        }
    }

    /// Deletes the connection; its chunks, jobs and history go with it (foreign keys cascade).
    package func delete(id: UUID, ownerID: UUID) async throws {
        defer { cache?.invalidate(id) }
        let rows = try await postgres.query(
            "DELETE FROM connections WHERE id = \(id) AND owner_id = \(ownerID) RETURNING id", logger: logger
        )
        for try await _ in rows.decode(UUID.self) { return }
        throw AskDBError.notFound("connection")
    }

    /// Every sealed source whose key is not `currentKeyID`, for key rotation.
    package func sealedWithOtherKeys(than currentKeyID: String) async throws -> [(id: UUID, sealed: SealedSource)] {
        var result: [(UUID, SealedSource)] = []
        let rows = try await postgres.query(
            "SELECT id, url_ciphertext, ca_certificate_ciphertext, key_id FROM connections WHERE key_id <> \(currentKeyID)", logger: logger
        )
        for try await (id, url, caCertificate, keyID) in rows.decode((UUID, Data, Data?, String).self) {
            result.append((id, SealedSource(url: url, caCertificate: caCertificate, keyID: keyID)))
        }
        return result
    }

    /// Replaces a sealed source if it is still sealed with `previousKeyID` (another rotation may have run).
    package func reseal(id: UUID, previousKeyID: String, with sealed: SealedSource) async throws {
        try await postgres.query(
            """
            UPDATE connections SET url_ciphertext = \(sealed.url), ca_certificate_ciphertext = \(sealed.caCertificate), key_id = \(sealed.keyID)
            WHERE id = \(id) AND key_id = \(previousKeyID)
            """,
            logger: logger
        )
    }

    private func one(_ rows: PostgresRowSequence) async throws -> ConnectionRecord {
        guard let record = try await Self.records(rows).first else { throw AskDBError.notFound("connection") }
        return record
    }

    private static func json(_ options: SamplingOptions) throws -> String {
        String(decoding: try JSONEncoder().encode(options), as: UTF8.self)
    }

    private static func nameTaken(_ name: String) -> AskDBError {
        AskDBError(.conflict, code: "name_taken", message: "you already have a connection named \(name)")
    }

    static func records(_ rows: PostgresRowSequence) async throws -> [ConnectionRecord] {
        var records: [ConnectionRecord] = []
        for try await (id, name, kind, url, version, indexedAt, created, updated, options, hasCACertificate, examplesRevision, interval)
            in rows.decode((UUID, String, String, String, Int, Date?, Date, Date, String, Bool, Int, Int?).self) {
            records.append(ConnectionRecord(
                id: id, name: name, kind: ConnectionKind(rawValue: kind) ?? .postgres, url: url,
                indexVersion: version, indexedAt: indexedAt,
                options: (try? JSONDecoder().decode(SamplingOptions.self, from: Data(options.utf8))) ?? SamplingOptions(),
                hasCACertificate: hasCACertificate, reindexIntervalSeconds: interval, createdAt: created, updatedAt: updated,
                examplesRevision: examplesRevision
            ))
        }
        return records
    }
}
