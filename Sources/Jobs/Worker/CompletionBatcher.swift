import Core
import Foundation
import Logging

/// Group commit for the ends of runs: runs that end while a batch is being written go into the
/// next batch, so a thousand short jobs cost a few statements, not two thousand round trips.
/// A lone long job still ends at once (its batch has one run).
actor CompletionBatcher {
    struct Outcome: Sendable {
        var claim: JobClaim
        var state: JobState
        var result: JSONValue?
        var error: String?
        var progress: JobProgress
    }

    private let store: JobStore
    private let queue: RedisJobQueue
    private let logger: Logger
    private var pending: [(Outcome, CheckedContinuation<Bool, Never>)] = []
    private var flushing = false

    init(store: JobStore, queue: RedisJobQueue, logger: Logger) {
        self.store = store
        self.queue = queue
        self.logger = logger
    }

    /// Records the end of a run; true when its lease still held and the end was written.
    func finish(_ outcome: Outcome) async -> Bool {
        await withCheckedContinuation { continuation in
            pending.append((outcome, continuation))
            if !flushing {
                flushing = true
                Task { await self.flush() }
            }
        }
    }

    private func flush() async {
        while !pending.isEmpty {
            let batch = pending
            pending = []
            let outcomes = batch.map(\.0)
            var written = Set<UUID>()
            do {
                // PostgreSQL first (the authority), then the Redis entries.
                written = try await store.finish(outcomes.map { ($0.claim.jobID, $0.claim.token, $0.state, $0.result, $0.error, $0.progress) })
                let kept = outcomes.filter { written.contains($0.claim.jobID) }
                _ = try await queue.finish(kept.map { ($0.claim, $0.state, nil) })
            } catch {
                // The entries stay pending; after the lease another worker runs the jobs again.
                logger.error("could not record the end of \(batch.count) run(s)", metadata: ["error": "\(error)"])
                written = []
            }
            for (outcome, continuation) in batch {
                continuation.resume(returning: written.contains(outcome.claim.jobID))
            }
        }
        flushing = false
    }
}
