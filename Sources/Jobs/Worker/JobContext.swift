import Foundation
import Logging
import Support
import Synchronization

/// What a running job sees: its lease, a way to report progress, and checkpoints where it
/// stops if it was cancelled, lost its lease, or is being handed back at shutdown.
package final class JobContext: Sendable {
    package let job: JobRecord
    package let claim: JobClaim
    /// Carries the job and connection ids.
    package let logger: Logger
    /// When this worker started the run.
    package let started = ContinuousClock.now
    private let queue: RedisJobQueue
    private let store: JobStore
    private let state = Mutex(State())
    /// PostgreSQL gets progress at most this often (and at every phase change); Redis gets all.
    private let persistEvery: Duration = .seconds(2)

    private struct State {
        var interruption: JobInterruption?
        var lastProgress = JobProgress.none
        var lastPersisted: ContinuousClock.Instant?
        var lastPhase = ""
    }

    init(job: JobRecord, claim: JobClaim, queue: RedisJobQueue, store: JobStore, logger: Logger) {
        self.job = job
        self.claim = claim
        self.queue = queue
        self.store = store
        var logger = logger
        logger[metadataKey: "job"] = "\(job.id.lowercasedString)"
        logger[metadataKey: "connection"] = "\(job.connectionID.lowercasedString)"
        self.logger = logger
    }

    /// Reports progress and passes a checkpoint.
    package func progress(_ progress: JobProgress) async throws {
        try checkpoint()
        let persist = state.withLock { state in
            state.lastProgress = progress
            let due = state.lastPersisted.map { ContinuousClock.now - $0 >= persistEvery } ?? true
            defer {
                if due || state.lastPhase != progress.phase {
                    state.lastPersisted = .now
                    state.lastPhase = progress.phase
                }
            }
            return due || state.lastPhase != progress.phase
        }
        interrupt(from: try await queue.progress(claim, progress))
        if persist, try await !store.saveProgress(id: job.id, token: claim.token, progress: progress) {
            interrupt(.leaseLost)
        }
        try checkpoint()
    }

    /// Throws the reason to stop, if there is one.
    package func checkpoint() throws {
        if let interruption = state.withLock({ $0.interruption }) { throw interruption }
    }

    /// The last progress reported.
    var lastProgress: JobProgress { state.withLock { $0.lastProgress } }

    /// Records a reason to stop; the first one wins, except that a lost lease overrides all.
    func interrupt(_ reason: JobInterruption) {
        state.withLock { state in
            if state.interruption == nil || reason == .leaseLost { state.interruption = reason }
        }
    }

    func interrupt(from status: LeaseStatus) {
        switch status {
        case .held: break
        case .cancelRequested: interrupt(.cancelled)
        case .lost: interrupt(.leaseLost)
        }
    }
}
