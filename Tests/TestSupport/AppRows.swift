import Foundation
import PostgresNIO

/// Rows that app-database tests need to hang their data on: a user and a connection, and a
/// running job with a lease token.
package enum AppRows {
    /// A new user and a PostgreSQL connection of theirs; returns the connection's id.
    package static func connection(in postgres: PostgresClient, name: String = "source") async throws -> (owner: UUID, connection: UUID) {
        let owner = UUID(), connection = UUID()
        let email = "owner-\(owner.uuidString.lowercased())@example.com"
        try await postgres.query("INSERT INTO users (id, email, password_hash) VALUES (\(owner), \(email), 'x')", logger: TestServers.logger)
        try await postgres.query(
            """
            INSERT INTO connections (id, owner_id, name, kind, url_ciphertext, key_id, url_redacted)
            VALUES (\(connection), \(owner), \(name), 'postgres', '\\x00'::bytea, 'test', 'postgresql://source')
            """,
            logger: TestServers.logger
        )
        return (owner, connection)
    }

    /// A running indexing job for the connection under lease `token`.
    package static func runningJob(in postgres: PostgresClient, owner: UUID, connection: UUID, token: Int64) async throws -> UUID {
        let job = UUID()
        try await postgres.query(
            """
            INSERT INTO jobs (id, kind, connection_id, owner_id, state, lease_token)
            VALUES (\(job), 'index_connection', \(connection), \(owner), 'running', \(token))
            """,
            logger: TestServers.logger
        )
        return job
    }
}
