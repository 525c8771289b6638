import Foundation
import Logging
import Support

/// The ends of runs, group-committed: runs that end while a batch is being written go into the
/// next batch, so a thousand short jobs cost a few statements, not two thousand round trips.
/// A lone long job still ends at once (its batch has one run).
struct CompletionBatcher: Sendable {
    struct Outcome: Sendable {
        var claim: JobClaim
        var state: JobState
        var result: JSONValue?
        var error: String?
        var progress: JobProgress
    }

    private let commit: GroupCommit<Outcome, Bool>

    init(store: JobStore, queue: RedisJobQueue, logger: Logger) {
        commit = GroupCommit { outcomes in
            var written = Set<UUID>()
            do {
                // PostgreSQL first (the authority), then the Redis entries.
                written = try await store.finish(outcomes.map { ($0.claim.jobID, $0.claim.token, $0.state, $0.result, $0.error, $0.progress) })
                let kept = outcomes.filter { written.contains($0.claim.jobID) }
                _ = try await queue.finish(kept.map { ($0.claim, $0.state, nil) })
            } catch {
                // The entries stay pending; after the lease another worker runs the jobs again.
                logger.error("could not record the end of \(outcomes.count) run(s)", metadata: ["error": "\(error)"])
                written = []
            }
            return outcomes.map { written.contains($0.claim.jobID) }
        }
    }

    /// Records the end of a run; true when its lease still held and the end was written.
    func finish(_ outcome: Outcome) async -> Bool {
        await commit.submit(outcome)
    }
}
