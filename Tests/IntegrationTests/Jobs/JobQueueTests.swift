import Foundation
@testable import Jobs
@testable import Support
import Synchronization
import TestSupport
import Testing

/// A handler scripted by the test: counts runs, fails on demand, can be slow.
final class ScriptedHandler: JobHandler, @unchecked Sendable {
    let kind = indexConnectionJobKind
    private let failuresBeforeSuccess: Int
    private let permanent: Bool
    private let steps: Int
    private let stepDelay: Duration
    let runs = Mutex<[UUID: Int]>([:])
    let active = Mutex<Set<UUID>>([])
    let overlaps = Mutex(0)
    /// Owners with a job running now, jobs in the order they started, and how often a job
    /// started while another of its owner's ran.
    let activeOwners = Mutex<[UUID: Int]>([:])
    let started = Mutex<[UUID]>([])
    let ownerOverlaps = Mutex(0)

    init(failuresBeforeSuccess: Int = 0, permanent: Bool = false, steps: Int = 1, stepDelay: Duration = .zero) {
        self.failuresBeforeSuccess = failuresBeforeSuccess
        self.permanent = permanent
        self.steps = steps
        self.stepDelay = stepDelay
    }

    func run(_ job: JobRecord, context: JobContext) async throws -> JSONValue {
        let run = runs.withLock { runs in
            runs[job.id, default: 0] += 1
            return runs[job.id]!
        }
        let overlapped = active.withLock { !$0.insert(job.id).inserted }
        if overlapped { overlaps.withLock { $0 += 1 } }
        defer { active.withLock { _ = $0.remove(job.id) } }
        started.withLock { $0.append(job.id) }
        let ownerBusy = activeOwners.withLock { owners in
            defer { owners[job.ownerID, default: 0] += 1 }
            return owners[job.ownerID, default: 0] > 0
        }
        if ownerBusy { ownerOverlaps.withLock { $0 += 1 } }
        defer { activeOwners.withLock { $0[job.ownerID, default: 1] -= 1 } }
        for step in 0..<steps {
            try await context.progress(JobProgress(phase: "work", done: step, total: steps))
            if stepDelay > .zero { try await Task.sleep(for: stepDelay) }
        }
        if permanent { throw PermanentJobError("this cannot work") }
        if run <= failuresBeforeSuccess { throw TestSetupError("attempt \(run) fails on purpose") }
        return .object(["run": .int(Int64(run))])
    }

    func runCount(_ id: UUID) -> Int { runs.withLock { $0[id] ?? 0 } }
}

@Suite struct JobQueueTests {
    @Test func aJobRunsToCompletionAndOneConnectionHasOneActiveJob() async throws {
        try await QueueHarness.with { harness in
            let connection = try await harness.makeConnection()
            let handler = ScriptedHandler(steps: 4)
            let (job, created) = try await harness.service.enqueueIndexing(connectionID: connection, ownerID: harness.ownerID)
            #expect(created && job.state == .queued)
            let (again, createdAgain) = try await harness.service.enqueueIndexing(connectionID: connection, ownerID: harness.ownerID)
            #expect(!createdAgain && again.id == job.id, "a second request returns the active job")

            let done = try await harness.running([harness.worker("w1", handler: handler)]) {
                try await harness.waitFor(job.id) { $0.state.isTerminal }
            }
            #expect(done.state == .succeeded)
            #expect(done.attempts == 1)
            #expect(done.progress.percent == 100)
            #expect(done.result == .object(["run": .int(1)]))
            #expect(done.startedAt != nil && done.finishedAt != nil)
            let events = try await harness.queue.history(of: job.id)
            #expect(events.map(\.type).contains("progress"))
            #expect(events.last?.data.contains("succeeded") == true)

            // Once finished, a new request starts a new job.
            let (next, createdNext) = try await harness.service.enqueueIndexing(connectionID: connection, ownerID: harness.ownerID)
            #expect(createdNext && next.id != job.id)
        }
    }

    @Test func failedAttemptsRetryWithBackoffThenSucceed() async throws {
        try await QueueHarness.with { harness in
            let handler = ScriptedHandler(failuresBeforeSuccess: 2)
            let (job, _) = try await harness.service.enqueueIndexing(connectionID: try await harness.makeConnection(), ownerID: harness.ownerID)
            let done = try await harness.running([harness.worker("w1", handler: handler)]) {
                try await harness.waitFor(job.id) { $0.state.isTerminal }
            }
            #expect(done.state == .succeeded)
            #expect(done.attempts == 3)
            #expect(done.lastError?.contains("attempt 2 fails on purpose") == true)
            #expect(handler.runCount(job.id) == 3)
        }
    }

    @Test func exhaustedRetriesEndInTheDeadLetterListAndAnAdminCanRetry() async throws {
        try await QueueHarness.with { harness in
            let handler = ScriptedHandler(failuresBeforeSuccess: 3)
            let (job, _) = try await harness.service.enqueueIndexing(connectionID: try await harness.makeConnection(), ownerID: harness.ownerID)
            try await harness.running([harness.worker("w1", handler: handler)]) {
                let dead = try await harness.waitFor(job.id) { $0.state.isTerminal }
                #expect(dead.state == .dead)
                #expect(dead.attempts == 3)
                // PostgreSQL records the end first; the Redis dead-letter push follows it.
                let deadline = ContinuousClock.now + .seconds(5)
                while try await harness.queue.stats().deadLetters == 0, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(try await harness.queue.stats().deadLetters == 1)
                #expect(try await harness.store.listAll(state: .dead, limit: 10).map(\.id) == [job.id])

                let retried = try await harness.service.retry(id: job.id)
                #expect(retried.state == .queued)
                let done = try await harness.waitFor(job.id) { $0.state == .succeeded }
                #expect(done.attempts == 1)
                await #expect(throws: AskDBError.self) { try await harness.service.retry(id: job.id) }
            }
        }
    }

    @Test func permanentErrorsFailAtOnce() async throws {
        try await QueueHarness.with { harness in
            let handler = ScriptedHandler(permanent: true)
            let (job, _) = try await harness.service.enqueueIndexing(connectionID: try await harness.makeConnection(), ownerID: harness.ownerID)
            let done = try await harness.running([harness.worker("w1", handler: handler)]) {
                try await harness.waitFor(job.id) { $0.state.isTerminal }
            }
            #expect(done.state == .failed)
            #expect(done.attempts == 1)
            #expect(done.lastError == "this cannot work")
        }
    }

    @Test func cancellingAQueuedJobAndARunningOne() async throws {
        try await QueueHarness.with { harness in
            let handler = ScriptedHandler(steps: 200, stepDelay: .milliseconds(20))
            let (queued, _) = try await harness.service.enqueueIndexing(connectionID: try await harness.makeConnection(), ownerID: harness.ownerID)
            let cancelled = try await harness.service.cancel(id: queued.id, ownerID: harness.ownerID)
            #expect(cancelled.state == .cancelled)
            await #expect(throws: AskDBError.self) { try await harness.service.cancel(id: queued.id, ownerID: UUID()) }

            let (running, _) = try await harness.service.enqueueIndexing(connectionID: try await harness.makeConnection(), ownerID: harness.ownerID)
            try await harness.running([harness.worker("w1", handler: handler)]) {
                try await harness.waitFor(running.id) { $0.state == .running && $0.progress.done >= 2 }
                _ = try await harness.service.cancel(id: running.id, ownerID: harness.ownerID)
                let stopped = try await harness.waitFor(running.id) { $0.state.isTerminal }
                #expect(stopped.state == .cancelled)
                #expect(stopped.progress.done < 100, "it stopped at a checkpoint, not at the end")
            }
            #expect(handler.runCount(queued.id) == 0, "a job cancelled while queued never runs")
        }
    }

    @Test func twoWorkersNeverRunTheSameJobAtOnce() async throws {
        try await QueueHarness.with { harness in
            let handler = ScriptedHandler(steps: 3, stepDelay: .milliseconds(10))
            var owners = [harness.ownerID]
            for _ in 0..<7 { owners.append(try await harness.makeOwner()) }
            var ids: [UUID] = []
            for index in 0..<40 {
                let owner = owners[index % owners.count]
                ids.append(try await harness.service.enqueueIndexing(connectionID: try await harness.makeConnection(owner: owner), ownerID: owner).job.id)
            }
            let workers = [harness.worker("w1", handler: handler, concurrency: 4), harness.worker("w2", handler: handler, concurrency: 4)]
            try await harness.running(workers) { [ids] in
                for id in ids { try await harness.waitFor(id, timeout: .seconds(30)) { $0.state == .succeeded } }
            }
            #expect(handler.overlaps.withLock { $0 } == 0)
            #expect(handler.ownerOverlaps.withLock { $0 } == 0, "a user ran two jobs at once")
            #expect(ids.allSatisfy { handler.runCount($0) == 1 })
            #expect(try await harness.queue.stats() == QueueStats(waiting: 0, inFlight: 0, delayed: 0, deadLetters: 0))
        }
    }

    /// A user's second job waits while another user's job takes the free slot, and starts as
    /// soon as the user's first ends (not a lease later).
    @Test func aUsersSecondJobWaitsWhileOtherUsersJobsRun() async throws {
        try await QueueHarness.with { harness in
            let handler = ScriptedHandler(steps: 5, stepDelay: .milliseconds(100))
            var mine: [UUID] = []
            for _ in 0..<3 {
                mine.append(try await harness.service.enqueueIndexing(connectionID: try await harness.makeConnection(), ownerID: harness.ownerID).job.id)
            }
            let other = try await harness.makeOwner()
            let theirs = try await harness.service.enqueueIndexing(connectionID: try await harness.makeConnection(owner: other), ownerID: other).job.id
            let started = ContinuousClock.now
            try await harness.running([harness.worker("w1", handler: handler, concurrency: 2, lease: .seconds(60))]) { [mine] in
                for id in mine + [theirs] { try await harness.waitFor(id, timeout: .seconds(30)) { $0.state == .succeeded } }
            }
            let order = handler.started.withLock { $0 }
            #expect(handler.ownerOverlaps.withLock { $0 } == 0)
            #expect(order.firstIndex(of: theirs)! < order.firstIndex(of: mine[1])!, "the other user's job went first: \(order)")
            // Three half-second jobs one after another, each handed over at once: well under one
            // 60 s lease, which is when a job not handed over would start (bounded loosely, as
            // the rest of the suite shares the machine).
            #expect(ContinuousClock.now - started < .seconds(30))
            #expect(try await harness.queue.stats() == QueueStats(waiting: 0, inFlight: 0, delayed: 0, deadLetters: 0))
        }
    }

    @Test func aWorkerShuttingDownHandsItsRunningJobBack() async throws {
        try await QueueHarness.with { harness in
            let slow = ScriptedHandler(steps: 200, stepDelay: .milliseconds(50))
            let (job, _) = try await harness.service.enqueueIndexing(connectionID: try await harness.makeConnection(), ownerID: harness.ownerID)
            try await harness.running([harness.worker("leaving", handler: slow)]) {
                try await harness.waitFor(job.id) { $0.state == .running && $0.progress.done >= 1 }
            }
            // The grace period (2 s here) ran out: the job went back to the queue, not to the dead.
            let released = try #require(try await harness.store.get(id: job.id))
            #expect(released.state == .queued)
            let quick = ScriptedHandler()
            let done = try await harness.running([harness.worker("staying", handler: quick)]) {
                try await harness.waitFor(job.id) { $0.state.isTerminal }
            }
            #expect(done.state == .succeeded)
            #expect(done.attempts == 2)
        }
    }

    @Test func aJobAcceptedWhileRedisIsDownIsPublishedOnceRedisIsBack() async throws {
        let server = try RedisServerProcess()
        try await QueueHarness.with(redisURL: server.url) { harness in
            try await server.stop()
            let (job, created) = try await harness.service.enqueueIndexing(connectionID: try await harness.makeConnection(), ownerID: harness.ownerID)
            #expect(created, "PostgreSQL accepts the job even with Redis down")
            try server.start()
            let handler = ScriptedHandler()
            let done = try await harness.running([harness.worker("w1", handler: handler)]) {
                try await harness.waitFor(job.id, timeout: .seconds(20)) { $0.state.isTerminal }
            }
            #expect(done.state == .succeeded)
        }
    }

    @Test func aRedisRestartMidRunLosesNoJob() async throws {
        let server = try RedisServerProcess()
        try await QueueHarness.with(redisURL: server.url) { harness in
            let handler = ScriptedHandler(steps: 30, stepDelay: .milliseconds(50))
            let (job, _) = try await harness.service.enqueueIndexing(connectionID: try await harness.makeConnection(), ownerID: harness.ownerID)
            let done = try await harness.running([harness.worker("w1", handler: handler, lease: .seconds(3))]) {
                try await harness.waitFor(job.id) { $0.state == .running && $0.progress.done >= 3 }
                try await server.stop()
                try await Task.sleep(for: .milliseconds(300))
                try server.start()
                return try await harness.waitFor(job.id, timeout: .seconds(30)) { $0.state.isTerminal }
            }
            #expect(done.state == .succeeded)
        }
    }
}
