import Foundation
import Redis
import Support

/// A job a worker holds a lease on.
package struct JobClaim: Sendable, Hashable {
    package var jobID: UUID
    /// The stream entry, acknowledged when the run ends.
    package var entryID: String
    /// The fencing token: every write of this run carries it.
    package var token: Int
}

/// What a lease check found.
package enum LeaseStatus: Sendable, Equatable {
    case held
    case cancelRequested
    /// Another worker took the job over: stop without writing anything.
    case lost
}

/// Queue depth and health, for operators.
package struct QueueStats: Sendable, Codable, Equatable {
    /// Entries waiting on the stream, not yet handed to a worker.
    package var waiting: Int
    /// Entries handed to a worker and not yet acknowledged.
    package var inFlight: Int
    /// Retries waiting for their time, and jobs waiting for their user's running one.
    package var delayed: Int
    package var deadLetters: Int

    package init(waiting: Int, inFlight: Int, delayed: Int, deadLetters: Int) {
        self.waiting = waiting
        self.inFlight = inFlight
        self.delayed = delayed
        self.deadLetters = deadLetters
    }

    enum CodingKeys: String, CodingKey {
        case waiting, delayed
        case inFlight = "in_flight"
        case deadLetters = "dead_letters"
    }
}

/// One entry of the queue's event stream: a job's state change, progress or cancel request.
package struct JobEvent: Sendable, Equatable {
    /// The stream's id for it: what a client resumes after (`Last-Event-ID`).
    package var id: RedisStreamID
    /// The job's id, lower-case.
    package var job: String
    /// `state`, `progress` or `cancel_requested`.
    package var type: String
    /// The event's JSON.
    package var data: String

    /// Whether the job's record may have changed with it (it ended, or was cancelled), rather than
    /// only its progress.
    package var mayEndJob: Bool { type != "progress" }
}

/// The live side of the queue in Redis: a stream with a consumer group hands out job ids,
/// a hash per job holds its lease, state and progress, a sorted set holds delayed retries, and
/// a list holds dead letters. PostgreSQL (``JobStore``) keeps the authoritative records.
package struct RedisJobQueue: Sendable {
    package static let group = "workers"
    private let redis: RedisClient
    private let keys: RedisKeyspace
    /// How long finished jobs' hashes and event streams are kept.
    private let keepFinished = 3600

    package init(redis: RedisClient, keys: RedisKeyspace) {
        self.redis = redis
        self.keys = keys
    }

    var stream: RedisArgument { RedisArgument(keys.key("jobs", "stream")) }
    var delayedKey: RedisArgument { RedisArgument(keys.key("jobs", "delayed")) }
    var deadKey: RedisArgument { RedisArgument(keys.key("jobs", "dead")) }
    func hash(_ id: UUID) -> RedisArgument { RedisArgument(keys.key("job", id.lowercasedString)) }
    /// One stream of state and progress events for all jobs: a key per job would cost Redis
    /// memory for every job ever run, while watchers are few.
    var eventsKey: RedisArgument { RedisArgument(keys.key("jobs", "events")) }
    /// Each user's running job (user → job id): a user runs one job at a time, so one user's
    /// many connections never hold every worker while other users' jobs wait.
    var runningKey: RedisArgument { RedisArgument(keys.key("jobs", "running")) }
    /// What the scripts build keys from (a job's hash, a user's waiting set): `prefix:job:<id>`,
    /// `prefix:jobs:waiting:<user>`.
    var keyPrefix: RedisArgument { RedisArgument(keys.prefix) }

    /// Creates the stream and consumer group if they are missing.
    package func prepare() async throws {
        do {
            try await redis.send("XGROUP", "CREATE", stream, RedisArgument(Self.group), "0", "MKSTREAM")
        } catch let error as RedisError where error.message.hasPrefix("BUSYGROUP") {
            // Already there.
        }
    }

    /// Puts jobs on the stream. With `onlyIfMissing`, jobs Redis already knows are left alone
    /// (for republishing what Redis may have lost).
    package func publish(_ jobs: [JobRecord], onlyIfMissing: Bool = false) async throws {
        for chunk in stride(from: 0, to: jobs.count, by: 500).map({ Array(jobs[$0..<min($0 + 500, jobs.count)]) }) {
            try await redis.run(
                QueueScripts.publish,
                keys: [stream, eventsKey] + chunk.map { hash($0.id) },
                arguments: [onlyIfMissing ? "1" : "0"] + chunk.flatMap {
                    [RedisArgument($0.id.lowercasedString), RedisArgument($0.kind), RedisArgument($0.ownerID.lowercasedString)]
                }
            )
        }
    }

    /// Waits up to `block` for up to `count` new entries and takes leases on them; an entry
    /// whose user has another job running waits for it instead (it is neither claimed nor dropped).
    package func claim(worker: String, count: Int, block: Duration, lease: Duration) async throws -> (claims: [JobClaim], dropped: Int) {
        let reply = try await redis.send(
            ["XREADGROUP", "GROUP", RedisArgument(Self.group), RedisArgument(worker), "COUNT", RedisArgument(count),
             "BLOCK", RedisArgument(block.milliseconds),
             "STREAMS", stream, ">"],
            timeout: block + .seconds(5)
        )
        let entries = reply.array?.first?.array?.dropFirst().first?.array ?? []
        return try await takeLeases(Self.parse(entries), worker: worker, lease: lease)
    }

    /// Takes over entries whose worker stopped renewing for `idle` (it died or hung).
    package func takeOver(worker: String, idle: Duration, count: Int, lease: Duration) async throws -> (claims: [JobClaim], dropped: Int) {
        let reply = try await redis.send([
            "XAUTOCLAIM", stream, RedisArgument(Self.group), RedisArgument(worker),
            RedisArgument(idle.milliseconds), "0-0", "COUNT", RedisArgument(count),
        ])
        let entries = reply.array?.dropFirst().first?.array ?? []
        return try await takeLeases(Self.parse(entries), worker: worker, lease: lease)
    }

    /// Renews `claims` in one round trip, reporting each lease's status.
    package func renew(_ claims: [JobClaim], worker: String, lease: Duration) async throws -> [LeaseStatus] {
        let replies = try await redis.runAll(QueueScripts.renew, calls: claims.map { claim in
            ([hash(claim.jobID), stream], [RedisArgument(claim.token), RedisArgument(lease.milliseconds), RedisArgument(Self.group), RedisArgument(worker), RedisArgument(claim.entryID)])
        })
        _ = try replies.throwingFirstError()
        return replies.map(Self.leaseStatus)
    }

    /// Publishes progress under the lease.
    package func progress(_ claim: JobClaim, _ progress: JobProgress) async throws -> LeaseStatus {
        let json = String(decoding: try JSONEncoder().encode(progress), as: UTF8.self)
        let reply = try await redis.run(QueueScripts.progress, keys: [hash(claim.jobID), eventsKey],
                                        arguments: [RedisArgument(claim.token), RedisArgument(json), RedisArgument(claim.jobID.lowercasedString)])
        return Self.leaseStatus(reply)
    }

    /// Ends runs under their leases. `retryAt` is for the `queued` state (a retry); returns
    /// which claims still held their lease.
    package func finish(_ outcomes: [(claim: JobClaim, state: JobState, retryAt: Date?)]) async throws -> [Bool] {
        guard !outcomes.isEmpty else { return [] }
        let arguments = outcomes.flatMap { outcome -> [RedisArgument] in
            let retryAt = Int((outcome.retryAt ?? Date()).timeIntervalSince1970 * 1000)
            return [RedisArgument(outcome.claim.token), RedisArgument(outcome.claim.entryID), RedisArgument(outcome.state.rawValue),
                    RedisArgument(outcome.claim.jobID.lowercasedString), RedisArgument(retryAt)]
        }
        let reply = try await redis.run(
            QueueScripts.finish,
            keys: [stream, eventsKey, deadKey, delayedKey, runningKey] + outcomes.map { hash($0.claim.jobID) },
            arguments: [RedisArgument(Self.group), RedisArgument(keepFinished), keyPrefix] + arguments
        )
        return (reply.array ?? []).map { $0.int == 1 }
    }

    /// Moves due retries back onto the stream; returns how many.
    @discardableResult
    package func promoteDueRetries(limit: Int = 100) async throws -> Int {
        try await redis.run(QueueScripts.promote, keys: [delayedKey, stream], arguments: [RedisArgument(limit)]).int ?? 0
    }

    /// Flags a running job so it stops at its next checkpoint.
    package func requestCancel(_ id: UUID) async throws {
        try await redis.run(QueueScripts.cancel, keys: [hash(id), eventsKey], arguments: [RedisArgument(id.lowercasedString)])
    }

    /// The live progress Redis holds for a job, if any.
    package func liveProgress(_ id: UUID) async throws -> JobProgress? {
        guard let bytes = try await redis.send("HGET", hash(id), "progress").bytes else { return nil }
        return try? JSONDecoder().decode(JobProgress.self, from: Data(bytes))
    }

    /// Every job's events after `after`, at most 500, waiting up to `block` for the first when
    /// there are none (nil: not at all); and the cursor to go on from.
    package func events(after: RedisStreamID, block: Duration?) async throws -> (events: [JobEvent], cursor: RedisStreamID) {
        let wait: [RedisArgument] = block.map { ["BLOCK", RedisArgument($0.milliseconds)] } ?? []
        let reply = try await redis.send(
            ["XREAD", "COUNT", RedisArgument(Self.eventPage)] + wait + ["STREAMS", eventsKey, RedisArgument(after.description)],
            timeout: block.map { $0 + .seconds(5) }
        )
        var cursor = after
        var events: [JobEvent] = []
        for entry in reply.array?.first?.array?.dropFirst().first?.array ?? [] {
            guard let parts = entry.array, let entryID = parts.first?.string.flatMap(RedisStreamID.init), let fields = parts.dropFirst().first?.array else { continue }
            cursor = entryID
            var values: [String: String] = [:]
            for pair in stride(from: 0, to: fields.count - 1, by: 2) {
                if let key = fields[pair].string { values[key] = fields[pair + 1].string }
            }
            if let job = values["job"] {
                events.append(JobEvent(id: entryID, job: job, type: values["type"] ?? "state", data: values["data"] ?? "{}"))
            }
        }
        return (events, cursor)
    }

    /// The events of job `id` after `after` that the stream still keeps (it holds the last
    /// 10,000 of every job), read a page at a time without waiting.
    package func history(of id: UUID, after: RedisStreamID = .zero) async throws -> [JobEvent] {
        let job = id.lowercasedString
        var cursor = after
        var found: [JobEvent] = []
        while true {
            let (events, next) = try await events(after: cursor, block: nil)
            found += events.filter { $0.job == job }
            guard next > cursor else { return found }
            cursor = next
        }
    }

    /// Entries one read of the event stream returns at most.
    private static let eventPage = 500

    /// Depth, in-flight, delayed and dead-letter counts.
    package func stats() async throws -> QueueStats {
        let replies = try await redis.pipeline([
            ["XLEN", stream],
            ["XPENDING", stream, RedisArgument(Self.group)],
            ["ZCARD", delayedKey],
            ["LLEN", deadKey],
        ])
        // Acknowledged entries are deleted, so the stream holds exactly the waiting and the in-flight.
        let inFlight = replies[1].array?.first?.int ?? 0
        return QueueStats(
            waiting: max(0, (replies[0].int ?? 0) - inFlight),
            inFlight: inFlight,
            delayed: replies[2].int ?? 0,
            deadLetters: replies[3].int ?? 0
        )
    }

    // MARK: - Helpers

    private func takeLeases(_ entries: [(entryID: String, jobID: UUID?)], worker: String, lease: Duration) async throws -> (claims: [JobClaim], dropped: Int) {
        guard !entries.isEmpty else { return ([], 0) }
        var claims: [JobClaim] = []
        var drop: [String] = entries.filter { $0.jobID == nil }.map(\.entryID)
        let valid = entries.compactMap { entry in entry.jobID.map { (entryID: entry.entryID, id: $0) } }
        if !valid.isEmpty {
            let reply = try await redis.run(
                QueueScripts.claim,
                keys: [eventsKey, stream, delayedKey, runningKey] + valid.map { hash($0.id) },
                arguments: [RedisArgument(worker), RedisArgument(lease.milliseconds), RedisArgument(Self.group), keyPrefix]
                    + valid.flatMap { [RedisArgument($0.id.lowercasedString), RedisArgument($0.entryID)] }
            )
            for (entry, token) in zip(valid, reply.array ?? []) {
                switch token.int {
                case let token? where token > 0: claims.append(JobClaim(jobID: entry.id, entryID: entry.entryID, token: token))
                case -1: break  // Waits for its user's running job; the script closed its entry.
                default: drop.append(entry.entryID)
                }
            }
        }
        if !drop.isEmpty {
            let ids = drop.map { RedisArgument($0) }
            _ = try await redis.pipeline([["XACK", stream, RedisArgument(Self.group)] + ids, ["XDEL", stream] + ids])
        }
        return (claims, drop.count)
    }

    private static func parse(_ entries: [RedisReply]) -> [(entryID: String, jobID: UUID?)] {
        entries.compactMap { entry in
            guard let parts = entry.array, let entryID = parts.first?.string else { return nil }
            let fields = parts.dropFirst().first?.array ?? []
            let id = fields.count >= 2 ? fields[1].string.flatMap(UUID.init(uuidString:)) : nil
            return (entryID, id)
        }
    }

    private static func leaseStatus(_ reply: RedisReply) -> LeaseStatus {
        switch reply.int {
        case 0: .held
        case 1: .cancelRequested
        default: .lost
        }
    }

}
