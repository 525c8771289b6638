import AppDatabase
import Foundation
import Logging
import PostgresNIO
import Support

/// A database of its own for one test, created on the test PostgreSQL and dropped afterwards.
package struct TestDatabase: Sendable {
    package let name: String
    package let url: PostgresURL

    /// Runs `body` with a fresh, empty database (optionally migrated) and a running client on it.
    package static func with<T: Sendable>(
        migrated: Bool = false,
        _ body: @Sendable (TestDatabase, PostgresClient) async throws -> T
    ) async throws -> T {
        let admin = try TestServers.postgresAdminURL
        let name = "askdb_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await withClient(admin) { client in
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: TestServers.logger)
        }
        var url = admin
        url.database = name
        let database = TestDatabase(name: name, url: url)
        do {
            let result = try await withClient(url) { client in
                if migrated {
                    try await MigrationRunner(client: client, logger: TestServers.logger)
                        .migrate(try Migration.load(from: TestServers.migrationsFolder))
                }
                return try await body(database, client)
            }
            try await database.drop(admin: admin)
            return result
        } catch {
            try? await database.drop(admin: admin)
            throw error
        }
    }

    /// Runs `body` with a running client on `url`, shutting the client down afterwards.
    @discardableResult
    package static func withClient<T: Sendable>(
        _ url: PostgresURL,
        _ body: @Sendable (PostgresClient) async throws -> T
    ) async throws -> T {
        let client = PostgresClient(configuration: url.clientConfiguration(), backgroundLogger: TestServers.logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { await client.run(); return nil }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    private func drop(admin: PostgresURL) async throws {
        try await Self.withClient(admin) { client in
            try await client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: TestServers.logger)
        }
    }
}
