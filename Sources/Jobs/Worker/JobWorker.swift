import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Support
import Synchronization

/// Takes jobs from the queue and runs them, up to `concurrency` at once, until graceful shutdown.
///
/// Besides running jobs it keeps the queue healthy, as every worker does: it renews its leases
/// (so a slow but live job is never taken over), takes over entries whose worker stopped
/// renewing, moves due retries back onto the stream, and republishes jobs PostgreSQL knows but
/// Redis lost.
package final class JobWorker: Service, Sendable {
    package struct Configuration: Sendable {
        package var workerID: String
        package var concurrency: Int
        /// How long a lease lasts without renewal; a dead worker's job is taken over after it.
        package var lease: Duration
        /// How long one claim waits for new entries.
        package var claimBlock: Duration
        package var retry: RetryPolicy
        /// How long running jobs may take to finish on shutdown before they are handed back.
        package var shutdownGrace: Duration
        /// How long an active job may go untouched in PostgreSQL before it is republished, if
        /// Redis does not know it.
        package var reconcileAfter: Duration

        package init(
            workerID: String,
            concurrency: Int,
            lease: Duration = .seconds(30),
            claimBlock: Duration = .seconds(2),
            retry: RetryPolicy = RetryPolicy(),
            shutdownGrace: Duration = .seconds(10),
            reconcileAfter: Duration = .seconds(60)
        ) {
            self.workerID = workerID
            self.concurrency = max(1, concurrency)
            self.lease = lease
            self.claimBlock = claimBlock
            self.retry = retry
            self.shutdownGrace = shutdownGrace
            self.reconcileAfter = reconcileAfter
        }
    }

    private let queue: RedisJobQueue
    private let store: JobStore
    private let handlers: [String: any JobHandler]
    private let configuration: Configuration
    private let logger: Logger
    private let running = Mutex<[UUID: JobContext]>([:])
    private let completions: CompletionBatcher

    package init(queue: RedisJobQueue, store: JobStore, handlers: [any JobHandler], configuration: Configuration, logger: Logger) {
        self.queue = queue
        self.store = store
        self.handlers = Dictionary(handlers.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "worker"] = "\(configuration.workerID)"
        self.logger = logger
        completions = CompletionBatcher(store: store, queue: queue, logger: logger)
    }

    package func run() async throws {
        try await queue.prepare()
        await withDiscardingTaskGroup { group in
            group.addTask { await self.maintain() }
            await self.claimLoop(group: &group)
            // Shutting down: give running jobs their grace, then hand back what is left.
            let deadline = ContinuousClock.now + configuration.shutdownGrace
            while !running.withLock({ $0.isEmpty }) && ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(50))
            }
            running.withLock { jobs in jobs.values.forEach { $0.interrupt(.released) } }
            while !running.withLock({ $0.isEmpty }) {
                try? await Task.sleep(for: .milliseconds(20))
            }
            group.cancelAll()
        }
    }

    private var stopping: Bool { Task.isShuttingDownGracefully || Task.isCancelled }

    /// Claims new entries, and every half lease takes over entries whose worker stopped renewing.
    private func claimLoop(group: inout DiscardingTaskGroup) async {
        var lastTakeover = ContinuousClock.now
        while !stopping {
            let free = configuration.concurrency - running.withLock { $0.count }
            guard free > 0 else {
                // Every slot is busy: look again shortly (jobs here run for seconds to minutes).
                try? await Task.sleep(for: .milliseconds(10))
                continue
            }
            do {
                if ContinuousClock.now - lastTakeover >= configuration.lease / 2 {
                    lastTakeover = .now
                    let (claims, _) = try await queue.takeOver(worker: configuration.workerID, idle: configuration.lease, count: free, lease: configuration.lease)
                    if !claims.isEmpty {
                        logger.notice("took over \(claims.count) job(s) from a worker that stopped renewing")
                        try await start(claims, group: &group)
                        continue
                    }
                }
                let (claims, _) = try await queue.claim(
                    worker: configuration.workerID, count: free, block: configuration.claimBlock, lease: configuration.lease
                )
                try await start(claims, group: &group)
            } catch {
                logger.warning("claiming jobs failed", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Marks claimed jobs running in PostgreSQL and runs those it confirms; the others were
    /// cancelled or finished meanwhile, so their entries are closed.
    private func start(_ claims: [JobClaim], group: inout DiscardingTaskGroup) async throws {
        guard !claims.isEmpty else { return }
        let records = try await store.markRunning(claims.map { ($0.jobID, $0.token) }, worker: configuration.workerID)
        let byID = Dictionary(records.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let unconfirmed = claims.filter { byID[$0.jobID] == nil }
        if !unconfirmed.isEmpty {
            _ = try await queue.finish(unconfirmed.map { ($0, .cancelled, nil) })
        }
        for claim in claims {
            guard let job = byID[claim.jobID] else { continue }
            let context = JobContext(job: job, claim: claim, queue: queue, store: store, logger: logger)
            running.withLock { $0[job.id] = context }
            // Every line logged while the job runs names it, whichever logger writes it.
            group.addTask { await LogContext.$jobID.withValue(job.id.lowercasedString) { await self.execute(context) } }
        }
    }

    private func execute(_ context: JobContext) async {
        let job = context.job
        defer { running.withLock { $0[job.id] = nil } }
        guard let handler = handlers[job.kind] else {
            await end(context, .failed, error: "no handler for job kind \(job.kind)")
            return
        }
        context.logger.info("job started", metadata: ["attempt": "\(job.attempts)"])
        do {
            let result = try await handler.run(job, context: context)
            try context.checkpoint()
            await end(context, .succeeded, result: result)
            context.logger.info("job succeeded")
        } catch JobInterruption.cancelled {
            await end(context, .cancelled, error: "cancelled")
            context.logger.info("job cancelled")
        } catch JobInterruption.leaseLost {
            context.logger.warning("lease lost: another worker runs the job now")
        } catch JobInterruption.released {
            await retry(context, after: .zero, error: nil)
            context.logger.info("job handed back on shutdown")
        } catch let error as PermanentJobError {
            await end(context, .failed, error: error.message)
            context.logger.error("job failed", metadata: ["error": "\(error.message)"])
        } catch {
            let message = "\(error)"
            if job.attempts >= job.maxAttempts {
                await end(context, .dead, error: message)
                context.logger.error("job is dead after \(job.attempts) attempts", metadata: ["error": "\(message)"])
            } else {
                let delay = configuration.retry.delay(afterAttempt: job.attempts)
                await retry(context, after: delay, error: message)
                context.logger.warning("job attempt failed; retrying", metadata: ["error": "\(message)", "delay": "\(delay)"])
            }
        }
    }

    /// Ends a run under its lease: PostgreSQL first (the authority), then the Redis entry; counts
    /// it in `askdb_jobs_finished_total{kind, state}` and `askdb_job_duration_seconds{kind, state}`.
    private func end(_ context: JobContext, _ state: JobState, result: JSONValue? = nil, error: String? = nil) async {
        JobMetrics.finished(kind: context.job.kind, state: state.rawValue, after: ContinuousClock.now - context.started)
        var progress = context.lastProgress
        if state == .succeeded {
            progress = JobProgress(phase: "done", done: max(progress.total, 1), total: max(progress.total, 1), message: progress.message)
        }
        let written = await completions.finish(.init(claim: context.claim, state: state, result: result, error: error, progress: progress))
        if !written {
            context.logger.warning("the job's end was not recorded (lease lost, or the write failed and the job will run again)")
        }
    }

    private func retry(_ context: JobContext, after delay: Duration, error: String?) async {
        JobMetrics.finished(kind: context.job.kind, state: "retried", after: ContinuousClock.now - context.started)
        let at = Date().addingTimeInterval(Double(delay.milliseconds) / 1000)
        do {
            guard try await store.requeue(id: context.job.id, token: context.claim.token, runAfter: at, error: error) else { return }
            _ = try await queue.finish([(context.claim, .queued, at)])
        } catch {
            context.logger.error("could not schedule the retry", metadata: ["error": "\(error)"])
        }
    }

    /// Lease renewal, retry promotion and reconciliation, on their own clocks.
    private func maintain() async {
        let tick = min(configuration.lease / 3, .seconds(1))
        var lastReconcile = ContinuousClock.now
        while !Task.isCancelled {
            try? await Task.sleep(for: tick)
            do {
                let contexts = running.withLock { Array($0.values) }
                if !contexts.isEmpty {
                    let statuses = try await queue.renew(contexts.map(\.claim), worker: configuration.workerID, lease: configuration.lease)
                    for (context, status) in zip(contexts, statuses) { context.interrupt(from: status) }
                }
                try await queue.promoteDueRetries()
                if ContinuousClock.now - lastReconcile >= configuration.reconcileAfter / 2 {
                    lastReconcile = .now
                    let cutoff = Date().addingTimeInterval(-Double(configuration.reconcileAfter.milliseconds) / 1000)
                    let stale = try await store.stale(before: cutoff, limit: 100)
                    try await queue.publish(stale, onlyIfMissing: true)
                }
            } catch {
                logger.warning("queue maintenance failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
