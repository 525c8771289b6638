import AppDatabase
import Foundation
import Jobs
import Logging
import Metrics
import PostgresNIO
import ServiceLifecycle
import Support

/// Re-indexes connections that have an interval (`reindex_interval_seconds`) once they are due.
///
/// Every indexer runs one, and exactly one of them acts at a time: a pass runs in a
/// transaction that first takes a PostgreSQL advisory lock with `pg_try_advisory_xact_lock`,
/// and the others skip their pass. The pass moves each due connection's `next_reindex_at` on
/// by its interval plus up to a tenth of it at random (so connections given one interval
/// together drift apart) and queues its indexing job through ``JobService``, which keeps one
/// active job per connection: a connection already indexing gets no second job. The job is an
/// ordinary indexing run, so its schema-change report is kept like any other. Passes come
/// every `interval`, each a little early or late at random, so the indexers do not all wake at once.
package struct ReindexScheduler: Service {
    /// The advisory lock's key: "askdb re-index scheduler", shared by every indexer.
    static let lockKey: Int64 = 0x6173_6B64_7265_6978

    private let postgres: PostgresClient
    private let jobs: JobService
    private let interval: Duration
    private let batch: Int
    private let logger: Logger

    package init(postgres: PostgresClient, jobs: JobService, interval: Duration = .seconds(30), batch: Int = 100, logger: Logger) {
        self.postgres = postgres
        self.jobs = jobs
        self.interval = interval
        self.batch = batch
        self.logger = logger
    }

    package func run() async throws {
        await Periodically.run(every: interval, jitter: 0.8...1.2) {
            do {
                if let queued = try await pass(), !queued.isEmpty {
                    logger.info("scheduled re-index queued", metadata: ["jobs": "\(queued.count)"])
                }
            } catch {
                logger.warning("scheduling re-indexes failed; trying again later", metadata: ["error": "\(error)"])
            }
        }
    }

    /// One pass: nil when another scheduler holds the lock, else the jobs it queued (a due
    /// connection whose job is already active adds none).
    package func pass() async throws -> [UUID]? {
        try await postgres.transaction(logger: logger) { connection in
            let rows = try await connection.query("SELECT pg_try_advisory_xact_lock(\(Self.lockKey))", logger: logger)
            var locked = false
            for try await taken in rows.decode(Bool.self) { locked = taken }
            guard locked else { return nil }
            let due = try await connection.query(
                """
                UPDATE connections SET next_reindex_at = now() + make_interval(secs => reindex_interval_seconds * (1 + random() * 0.1))
                WHERE id IN (SELECT id FROM connections WHERE next_reindex_at <= now() ORDER BY next_reindex_at LIMIT \(batch))
                RETURNING id, owner_id
                """,
                logger: logger
            )
            var connections: [(UUID, UUID)] = []
            for try await row in due.decode((UUID, UUID).self) { connections.append(row) }
            var queued: [UUID] = []
            // Queued while the lock is held: a failure rolls the pass back, to be tried again.
            for (connectionID, ownerID) in connections {
                let (job, created) = try await jobs.enqueueIndexing(connectionID: connectionID, ownerID: ownerID)
                if created { queued.append(job.id) }
            }
            Counter(label: "askdb_reindex_scheduled_total").increment(by: queued.count)
            return queued
        }
    }
}
