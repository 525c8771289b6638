@testable import Accounts
import Foundation
@testable import Jobs
import PostgresNIO
@testable import Redis
import ServiceLifecycle
@testable import Support
import TestSupport

/// A migrated database, a Redis prefix of its own, and helpers to make connections and run workers.
struct QueueHarness: Sendable {
    let postgres: PostgresClient
    let redis: RedisClient
    let keys: RedisKeyspace
    let ownerID: UUID

    var store: JobStore { JobStore(postgres: postgres, logger: TestServers.logger) }
    var queue: RedisJobQueue { RedisJobQueue(redis: redis, keys: keys) }
    var service: JobService { JobService(store: store, queue: queue, maxAttempts: 3, logger: TestServers.logger) }

    static func with<T: Sendable>(redisURL: RedisURL? = nil, _ body: @Sendable (QueueHarness) async throws -> T) async throws -> T {
        try await TestDatabase.with(migrated: true) { _, postgres throws in
            let redis = RedisClient(configuration: .init(url: try redisURL ?? TestServers.redisURL, connectTimeout: .seconds(1), maxConnections: 16))
            let owner = try await UserStore(postgres: postgres, logger: TestServers.logger)
                .create(email: EmailAddress("jobs@example.com"), passwordHash: "x", role: .user)
            let harness = QueueHarness(postgres: postgres, redis: redis, keys: RedisKeyspace(prefix: "test-\(UUID().uuidString.prefix(8))"), ownerID: owner.id)
            do {
                let result = try await body(harness)
                await redis.shutdown()
                return result
            } catch {
                await redis.shutdown()
                throw error
            }
        }
    }

    /// A connection row to hang jobs on (its URL is never opened by test handlers), the
    /// harness's user's unless `owner` says whose.
    func makeConnection(_ name: String = UUID().uuidString, owner: UUID? = nil) async throws -> UUID {
        let id = UUID()
        try await postgres.query(
            """
            INSERT INTO connections (id, owner_id, name, kind, url_ciphertext, key_id, url_redacted)
            VALUES (\(id), \(owner ?? ownerID), \(name), 'postgres', '\\x00'::bytea, 'test', 'postgres://x')
            """,
            logger: TestServers.logger
        )
        return id
    }

    /// Another user, to own jobs.
    func makeOwner() async throws -> UUID {
        try await UserStore(postgres: postgres, logger: TestServers.logger)
            .create(email: EmailAddress("jobs-\(UUID().uuidString.prefix(8).lowercased())@example.com"), passwordHash: "x", role: .user).id
    }

    func worker(_ id: String, handler: any JobHandler, concurrency: Int = 2, lease: Duration = .seconds(2), retryBase: Duration = .milliseconds(50)) -> JobWorker {
        JobWorker(
            queue: queue, store: store, handlers: [handler],
            configuration: .init(workerID: id, concurrency: concurrency, lease: lease, claimBlock: .milliseconds(200),
                                 retry: RetryPolicy(base: retryBase, maximum: .seconds(1)), shutdownGrace: .seconds(2),
                                 reconcileAfter: .seconds(1)),
            logger: TestServers.logger
        )
    }

    /// Runs `workers` while `body` runs, then shuts them down gracefully.
    func running<T: Sendable>(_ workers: [JobWorker], _ body: @Sendable () async throws -> T) async throws -> T {
        let group = ServiceGroup(configuration: .init(services: workers.map { .init(service: $0) }, logger: TestServers.logger))
        return try await withThrowingTaskGroup(of: T?.self) { tasks in
            tasks.addTask { try await group.run(); return nil }
            let result: Result<T, any Error>
            do { result = .success(try await body()) } catch { result = .failure(error) }
            await group.triggerGracefulShutdown()
            // Wait for the workers to drain, as a real shutdown would.
            _ = try await tasks.next()
            return try result.get()
        }
    }

    /// Polls the job (with its live progress) until `condition` holds, failing after `timeout`.
    @discardableResult
    func waitFor(_ id: UUID, timeout: Duration = .seconds(15), _ condition: @Sendable (JobRecord) -> Bool) async throws -> JobRecord {
        let deadline = ContinuousClock.now + timeout
        var last: JobRecord?
        while ContinuousClock.now < deadline {
            last = try await service.job(id: id, ownerID: nil)
            if let last, condition(last) { return last }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestSetupError("job \(id) did not reach the expected state; last: \(String(describing: last?.state)) \(String(describing: last?.lastError))")
    }
}
