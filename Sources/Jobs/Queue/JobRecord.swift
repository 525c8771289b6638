import Foundation
import Support

/// Where a job is in its life. `failed` is a permanent failure (no retry); `dead` means every
/// attempt failed and the job sits in the dead-letter list.
package enum JobState: String, Sendable, Codable, CaseIterable {
    case queued, running, succeeded, failed, cancelled, dead

    /// No worker will touch the job again (unless an admin retries it).
    package var isTerminal: Bool {
        switch self {
        case .queued, .running: false
        case .succeeded, .failed, .cancelled, .dead: true
        }
    }
}

/// How far a running job got.
package struct JobProgress: Sendable, Codable, Equatable {
    package var phase: String
    package var done: Int
    package var total: Int
    package var percent: Double
    package var message: String?

    package init(phase: String, done: Int = 0, total: Int = 0, percent: Double? = nil, message: String? = nil) {
        self.phase = phase
        self.done = done
        self.total = total
        self.percent = percent ?? (total > 0 ? (Double(done) / Double(total) * 1000).rounded() / 10 : 0)
        self.message = message
    }

    package static let none = JobProgress(phase: "queued")
}

/// A job as PostgreSQL records it, with the live progress from Redis when there is newer.
package struct JobRecord: Sendable, Codable, Equatable {
    @LowercaseUUID package var id: UUID
    package var kind: String
    @LowercaseUUID package var connectionID: UUID
    @LowercaseUUID package var ownerID: UUID
    package var state: JobState
    package var attempts: Int
    package var maxAttempts: Int
    package var progress: JobProgress
    package var cancelRequested: Bool
    package var createdAt: Date
    package var startedAt: Date?
    package var finishedAt: Date?
    package var lastError: String?
    package var result: JSONValue?

    enum CodingKeys: String, CodingKey {
        case id, kind, state, attempts, progress, result
        case connectionID = "connection_id"
        case ownerID = "owner_id"
        case maxAttempts = "max_attempts"
        case cancelRequested = "cancel_requested"
        case createdAt = "created_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case lastError = "last_error"
    }
}

/// The kind of job that indexes a connection.
package let indexConnectionJobKind = "index_connection"
