@testable import AppDatabase
import Foundation
import PostgresNIO
import TestSupport
import Testing

@Suite struct MigrationRunnerTests {
    let logger = TestServers.logger

    func appliedVersions(_ client: PostgresClient) async throws -> [Int] {
        var versions: [Int] = []
        for try await version in try await client.query("SELECT version FROM schema_migrations ORDER BY version", logger: logger).decode(Int.self) {
            versions.append(version)
        }
        return versions
    }

    func tableExists(_ name: String, _ client: PostgresClient) async throws -> Bool {
        let rows = try await client.query("SELECT to_regclass(\(name)) IS NOT NULL", logger: logger)
        for try await exists in rows.decode(Bool.self) { return exists }
        return false
    }

    @Test func appliesTheProjectMigrationsToAFreshDatabase() async throws {
        try await TestDatabase.with { _, client throws in
            let migrations = try Migration.load(from: TestServers.migrationsFolder)
            let applied = try await MigrationRunner(client: client, logger: logger).migrate(migrations)
            #expect(applied.map(\.version) == migrations.map(\.version))
            #expect(try await appliedVersions(client) == migrations.map(\.version))
            for table in ["users", "connections", "chunks", "jobs", "query_history"] {
                #expect(try await tableExists(table, client), "\(table) missing")
            }
            let rows = try await client.query("SELECT extversion FROM pg_extension WHERE extname = 'vector'", logger: logger)
            var found = false
            for try await _ in rows.decode(String.self) { found = true }
            #expect(found, "pgvector extension not created")
        }
    }

    @Test func aSecondRunAppliesNothing() async throws {
        try await TestDatabase.with { _, client throws in
            let migrations = try Migration.load(from: TestServers.migrationsFolder)
            let runner = MigrationRunner(client: client, logger: logger)
            try await runner.migrate(migrations)
            #expect(try await runner.migrate(migrations).isEmpty)
            #expect(try await runner.pending(migrations).isEmpty)
        }
    }

    @Test func concurrentRunnersApplyEachMigrationOnce() async throws {
        try await TestDatabase.with { database, _ in
            let migrations = try Migration.load(from: TestServers.migrationsFolder) + [
                Migration(version: 900, name: "slow", sql: "SELECT pg_sleep(0.3); CREATE TABLE slow_marker (id int);"),
            ]
            // Separate clients, as separate processes would have.
            let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await TestDatabase.withClient(database.url) { client in
                            try await MigrationRunner(client: client, logger: logger).migrate(migrations).map(\.version)
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0 += $1 }
            }
            #expect(applied.sorted() == migrations.map(\.version))
            let recorded = try await TestDatabase.withClient(database.url) { client in
                try await appliedVersions(client)
            }
            #expect(recorded == migrations.map(\.version))
        }
    }

    @Test func aFailingMigrationRollsBackWhole() async throws {
        try await TestDatabase.with { _, client throws in
            let runner = MigrationRunner(client: client, logger: logger)
            let broken = [
                Migration(version: 1, name: "ok", sql: "CREATE TABLE kept (id int);"),
                Migration(version: 2, name: "broken", sql: "CREATE TABLE half (id int); SELECT * FROM no_such_table;"),
            ]
            await #expect(throws: MigrationError.self) { try await runner.migrate(broken) }
            #expect(try await appliedVersions(client) == [1])
            #expect(try await tableExists("kept", client))
            #expect(try await !tableExists("half", client))
        }
    }

    @Test func anEditedAppliedMigrationIsRefused() async throws {
        try await TestDatabase.with { _, client throws in
            let runner = MigrationRunner(client: client, logger: logger)
            try await runner.migrate([Migration(version: 1, name: "a", sql: "CREATE TABLE a (id int);")])
            do {
                try await runner.migrate([Migration(version: 1, name: "a", sql: "CREATE TABLE a (id bigint);")])
                Issue.record("an edited migration was accepted")
            } catch let error as MigrationError {
                #expect(error.code == .checksumMismatch)
            }
            do {
                try await runner.migrate([])
                Issue.record("an unknown applied version was accepted")
            } catch let error as MigrationError {
                #expect(error.code == .unknownVersion)
            }
        }
    }

    @Test func loadsFilesInVersionOrderAndRejectsBadNames() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "SELECT 10;".write(to: folder.appendingPathComponent("010_ten.sql"), atomically: true, encoding: .utf8)
        try "SELECT 2;".write(to: folder.appendingPathComponent("2_two.sql"), atomically: true, encoding: .utf8)
        try "notes".write(to: folder.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        #expect(try Migration.load(from: folder).map(\.version) == [2, 10])
        try "SELECT 1;".write(to: folder.appendingPathComponent("nonumber.sql"), atomically: true, encoding: .utf8)
        #expect(throws: MigrationError.self) { try Migration.load(from: folder) }
    }
}
