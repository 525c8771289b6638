@testable import API
import AppDatabase
@testable import Connections
import Foundation
import HummingbirdTesting
import Jobs
import PostgresNIO
import TestSupport
import Testing

/// The scheduled re-index with several indexers' schedulers on one PostgreSQL and Redis: one
/// acts at a time, and a due connection gets one job however many look at once.
@Suite(.serialized) struct ReindexSchedulerTests {
    /// A connection of a new user's with `interval`, made due a second ago.
    static func dueConnection(client: any TestClientProtocol, services: APIServices, interval: Int = 300) async throws -> UUID {
        let token = try await client.signUp("scheduler@example.com")
        let created = try await client.call(.post, "/api/connections", token: token, body: [
            "name": "scheduled", "kind": "postgres", "url": try ConnectionRoutesTests().sourceURL("postgres"), "reindex_interval_seconds": interval,
        ])
        let id = try #require(UUID(uuidString: (created["connection"] as? [String: Any])?["id"] as? String ?? ""), "\(created.object)")
        try await services.postgres.query("UPDATE connections SET next_reindex_at = now() - interval '1 second' WHERE id = \(id)", logger: TestServers.logger)
        return id
    }

    static func activeJobs(of id: UUID, services: APIServices) async throws -> Int {
        let rows = try await services.postgres.query(
            "SELECT count(*)::int8 FROM jobs WHERE connection_id = \(id) AND state IN ('queued', 'running')", logger: TestServers.logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    @Test func severalSchedulersAtOnceQueueOneJobAndMoveTheConnectionOn() async throws {
        try await TestDatabase.with(migrated: true) { database, _ in try await APITestHarness.withApplication(database: database.url) { client, services in
            let id = try await Self.dueConnection(client: client, services: services)
            // Four indexers' schedulers, each with a PostgreSQL pool of its own, look at once.
            let queued = try await withThrowingTaskGroup(of: [UUID]?.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await TestDatabase.withClient(database.url) { postgres in
                            try await ReindexScheduler(postgres: postgres, jobs: services.jobs, logger: TestServers.logger).pass()
                        }
                    }
                }
                var passes: [[UUID]?] = []
                for try await pass in group { passes.append(pass) }
                return passes
            }
            #expect(queued.compactMap { $0 }.flatMap { $0 }.count == 1, "\(queued)")
            #expect(try await Self.activeJobs(of: id, services: services) == 1)

            // Moved on by the interval plus at most a tenth: not due again now.
            let next = try await services.postgres.query(
                "SELECT extract(epoch FROM next_reindex_at - now())::float8 FROM connections WHERE id = \(id)", logger: TestServers.logger)
            for try await seconds in next.decode(Double.self) { #expect((290...331).contains(seconds), "\(seconds)") }
            let again = try await ReindexScheduler(postgres: services.postgres, jobs: services.jobs, logger: TestServers.logger).pass()
            #expect(again == [])

            // Due again while its job is still queued: no second job.
            try await services.postgres.query("UPDATE connections SET next_reindex_at = now() - interval '1 second' WHERE id = \(id)", logger: TestServers.logger)
            let whileActive = try await ReindexScheduler(postgres: services.postgres, jobs: services.jobs, logger: TestServers.logger).pass()
            #expect(whileActive == [])
            #expect(try await Self.activeJobs(of: id, services: services) == 1)
        } }
    }

    @Test func aSchedulerSkipsItsPassWhileAnotherHoldsTheLock() async throws {
        try await APITestHarness.withFreshApplication { client, services in
            let id = try await Self.dueConnection(client: client, services: services)
            let scheduler = ReindexScheduler(postgres: services.postgres, jobs: services.jobs, logger: TestServers.logger)
            let skipped = try await services.postgres.transaction(logger: TestServers.logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(ReindexScheduler.lockKey))", logger: TestServers.logger)
                return try await scheduler.pass()
            }
            #expect(skipped == nil)
            #expect(try await Self.activeJobs(of: id, services: services) == 0)
            #expect(try await scheduler.pass()?.count == 1)
        }
    }
}
