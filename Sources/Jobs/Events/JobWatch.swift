import Foundation
import Redis
import ServiceLifecycle

/// One client's watch of a job (`GET /api/jobs/{id}/events`): the events the stream still
/// keeps after the client's cursor, then the live ones as the hub delivers them, until the job
/// ends; then the final record. It holds one of the process's stream slots while it runs.
package struct JobWatch: Sendable {
    /// What the watcher passes on.
    package enum Item: Sendable {
        case event(JobEvent)
        /// Nothing was sent for the keep-alive interval.
        case quiet
        /// The job ended: its final record, the last item.
        case done(JobRecord)
    }

    /// The job as it was when the watch was opened.
    let job: JobRecord
    let after: RedisStreamID?
    let ticket: StreamSlots.Ticket
    let hub: JobEventHub
    let jobs: JobService
    /// How often PostgreSQL is asked whether the job ended even when no event said so (an
    /// event lost with a Redis restart must not leave a stream open for ever).
    private static let recheckEvery = Duration.seconds(10)
    /// How far apart the clocks of PostgreSQL (a job's creation) and Redis (its events' ids) may be, in seconds.
    private static let clockSkew: TimeInterval = 300

    /// Passes the job's events to `emit` until the job ends (then its final record), the
    /// process shuts down, or the client goes away (`emit` throws).
    package func run(keepAlive: Duration, _ emit: (Item) async throws -> Void) async throws {
        try await hub.withMailbox(for: job.id, ticket: ticket) { mailbox in
            var current = job
            guard !current.state.isTerminal else { return try await emit(.done(current)) }
            // Subscribed first, then the history: an event is in one or the other (or both,
            // and then passed on once, by its id). The shared stream holds every job's events:
            // the read starts where this job's can begin (its creation, less room for the
            // clocks of PostgreSQL and Redis to differ), not at the stream's start.
            let created = UInt64(max(0, job.createdAt.timeIntervalSince1970 - Self.clockSkew) * 1000)
            var cursor = max(after ?? .zero, RedisStreamID(milliseconds: created, sequence: 0))
            var pending = try await jobs.history(of: job.id, after: cursor)
            var lastWrite = ContinuousClock.now, lastCheck = ContinuousClock.now
            while true {
                let fresh = pending.filter { $0.id > cursor }
                for event in fresh {
                    try await emit(.event(event))
                    cursor = event.id
                    lastWrite = .now
                }
                if fresh.contains(where: \.mayEndJob) || ContinuousClock.now - lastCheck >= Self.recheckEvery {
                    // PostgreSQL has the final word on whether the job ended.
                    current = try await jobs.job(id: job.id, ownerID: nil)
                    lastCheck = .now
                    if current.state.isTerminal { return try await emit(.done(current)) }
                }
                if ContinuousClock.now - lastWrite >= keepAlive {
                    try await emit(.quiet)
                    lastWrite = .now
                }
                // A stream ends when its process shuts down: the client resumes elsewhere with Last-Event-ID.
                guard !Task.isShuttingDownGracefully, let next = await mailbox.next() else { return }
                pending = next
            }
        }
    }
}
