import Logging
import PostgresNIO
import PostgresSyntax

/// Applies migrations in order, each in its own transaction, recording them in `schema_migrations`.
///
/// Safe when several processes start at once: a session advisory lock serialises runners, and
/// each re-reads what is applied after taking it.
package struct MigrationRunner: Sendable {
    /// Advisory lock key shared by every AskDB process ("askdb" in ASCII, plus 1).
    static let lockKey: Int64 = 0x61_73_6B_64_62_01

    private let client: PostgresClient
    private let logger: Logger

    /// A runner on `client`, which must be running.
    package init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Applies whatever of `migrations` is not applied yet and returns what it applied.
    ///
    /// Fails without applying anything if an applied migration's file changed or the database
    /// holds a version this build does not know.
    @discardableResult
    package func migrate(_ migrations: [Migration]) async throws -> [Migration] {
        try await client.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(\(Self.lockKey))", logger: logger)
            do {
                let applied = try await applyLocked(migrations, on: connection)
                try await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
                return applied
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
                throw error
            }
        }
    }

    /// The migrations of `migrations` that are not applied yet.
    package func pending(_ migrations: [Migration]) async throws -> [Migration] {
        try await client.withConnection { connection in
            try await ensureTable(on: connection)
            let applied = try await appliedChecksums(on: connection)
            return try Self.verify(migrations, against: applied)
        }
    }

    private func applyLocked(_ migrations: [Migration], on connection: PostgresConnection) async throws -> [Migration] {
        try await ensureTable(on: connection)
        let pending = try Self.verify(migrations, against: try await appliedChecksums(on: connection))
        for migration in pending {
            let statements: [String]
            do {
                statements = try SQLStatementSplitter.split(migration.sql)
            } catch {
                throw MigrationError(.statementFailed, "\(migration.version)_\(migration.name).sql: \(error)")
            }
            logger.info("applying migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            do {
                try await connection.withTransaction(logger: logger) { transaction in
                    for statement in statements {
                        try await transaction.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await transaction.query(
                        """
                        INSERT INTO schema_migrations (version, name, checksum)
                        VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                        """,
                        logger: logger
                    )
                }
            } catch {
                throw MigrationError(.statementFailed, "\(migration.version)_\(migration.name).sql: \(PostgresErrorMessage(error))")
            }
        }
        return pending
    }

    private func ensureTable(on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            logger: logger
        )
    }

    private func appliedChecksums(on connection: PostgresConnection) async throws -> [Int: String] {
        var applied: [Int: String] = [:]
        let rows = try await connection.query("SELECT version, checksum FROM schema_migrations", logger: logger)
        for try await (version, checksum) in rows.decode((Int, String).self) {
            applied[version] = checksum
        }
        return applied
    }

    private static func verify(_ migrations: [Migration], against applied: [Int: String]) throws -> [Migration] {
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        for (version, checksum) in applied.sorted(by: { $0.key < $1.key }) {
            guard let migration = known[version] else {
                throw MigrationError(.unknownVersion, "the database has migration \(version), which this build does not know: run a newer build")
            }
            guard migration.checksum == checksum else {
                throw MigrationError(.checksumMismatch, "\(version)_\(migration.name).sql changed after it was applied: add a new migration instead")
            }
        }
        return migrations.filter { applied[$0.version] == nil }
    }
}
