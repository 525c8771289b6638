import Foundation
import Logging
import Redis
import Support

/// What the API does with jobs: enqueue, look up with live progress, list, watch, cancel, retry.
package struct JobService: ActiveJobLookup {
    private let store: JobStore
    private let queue: RedisJobQueue
    private let maxAttempts: Int
    /// The API's reader of job events, which watches need; processes that serve no streams have none.
    private let eventHub: JobEventHub?
    private let logger: Logger

    package init(store: JobStore, queue: RedisJobQueue, maxAttempts: Int = 5, eventHub: JobEventHub? = nil, logger: Logger) {
        self.store = store
        self.queue = queue
        self.maxAttempts = maxAttempts
        self.eventHub = eventHub
        self.logger = logger
    }

    /// A worker that takes this service's jobs and runs them with `handlers`.
    package func worker(handlers: [any JobHandler], configuration: JobWorker.Configuration, logger: Logger) -> JobWorker {
        JobWorker(queue: queue, store: store, handlers: handlers, configuration: configuration, logger: logger)
    }

    /// Queues an indexing job for the connection, or returns the one already active.
    ///
    /// The record is written to PostgreSQL before the job goes on the stream, so a Redis outage
    /// cannot lose an accepted job: workers republish records Redis does not know.
    package func enqueueIndexing(connectionID: UUID, ownerID: UUID) async throws -> (job: JobRecord, created: Bool) {
        let (job, created) = try await store.enqueue(kind: indexConnectionJobKind, connectionID: connectionID, ownerID: ownerID, maxAttempts: maxAttempts)
        if created {
            do {
                try await queue.publish([job])
            } catch {
                logger.warning("job recorded but not yet published; a worker will republish it", metadata: ["job": "\(job.id)", "error": "\(error)"])
            }
        }
        return (job, created)
    }

    /// Queues many jobs of `kind` at once (PostgreSQL first, then one pipelined publish).
    package func enqueueMany(kind: String, jobs: [(connectionID: UUID, ownerID: UUID)]) async throws -> [JobRecord] {
        let records = try await store.enqueueMany(kind: kind, jobs: jobs, maxAttempts: maxAttempts)
        try await queue.publish(records)
        return records
    }

    /// The job with its freshest progress, if `ownerID` (when given) owns it.
    package func job(id: UUID, ownerID: UUID?) async throws -> JobRecord {
        guard var job = try await store.get(id: id, ownerID: ownerID) else { throw AskDBError.notFound("job") }
        if job.state == .running, let live = try? await queue.liveProgress(id) {
            job.progress = live
        }
        return job
    }

    /// The caller's jobs, newest first, of one connection if `connectionID` is given.
    package func list(ownerID: UUID, connectionID: UUID?, limit: Int) async throws -> [JobRecord] {
        try await store.list(ownerID: ownerID, connectionID: connectionID, limit: limit)
    }

    /// Every user's jobs, newest first, in `state` if given (operators).
    package func listAll(state: JobState?, limit: Int) async throws -> [JobRecord] {
        try await store.listAll(state: state, limit: limit)
    }

    /// The queue's depth (operators).
    package func queueStats() async throws -> QueueStats {
        try await queue.stats()
    }

    /// The job's events after `after` that Redis still keeps, oldest first.
    package func history(of id: UUID, after: RedisStreamID = .zero) async throws -> [JobEvent] {
        try await queue.history(of: id, after: after)
    }

    /// A watch of the owner's job, its events after `after` (all kept when nil): 404 for a job
    /// that is not the owner's, 429 `too_many_streams` when the owner or the process has as
    /// many streams open as ``StreamLimits`` allows.
    package func watch(id: UUID, ownerID: UUID, after: RedisStreamID?) async throws -> JobWatch {
        guard let eventHub else {
            throw AskDBError(.unavailable, code: "not_ready", message: "this process serves no job event streams")
        }
        let job = try await job(id: id, ownerID: ownerID)
        return JobWatch(job: job, after: after, ticket: try eventHub.takeSlot(for: ownerID), hub: eventHub, jobs: self)
    }

    package func activeJob(of connectionID: UUID) async throws -> UUID? {
        try await store.activeJob(of: connectionID)
    }

    /// Cancels: a queued job at once, a running one at its next checkpoint.
    package func cancel(id: UUID, ownerID: UUID) async throws -> JobRecord {
        guard let job = try await store.requestCancel(id: id, ownerID: ownerID) else { throw AskDBError.notFound("job") }
        if job.state == .running || job.state == .cancelled {
            try await queue.requestCancel(id)
        }
        return job
    }

    /// Queues a dead or failed job again (operators).
    package func retry(id: UUID) async throws -> JobRecord {
        guard let job = try await store.retry(id: id) else {
            guard try await store.get(id: id) != nil else { throw AskDBError.notFound("job") }
            throw AskDBError(.conflict, code: "job_not_retryable", message: "only dead or failed jobs can be retried")
        }
        try await queue.publish([job])
        return job
    }
}
