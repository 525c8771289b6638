import Core
import Foundation

/// Where a job is in its life. `failed` is a permanent failure (no retry); `dead` means every
/// attempt failed and the job sits in the dead-letter list.
public enum JobState: String, Sendable, Codable, CaseIterable {
    case queued, running, succeeded, failed, cancelled, dead

    /// No worker will touch the job again (unless an admin retries it).
    public var isTerminal: Bool {
        switch self {
        case .queued, .running: false
        case .succeeded, .failed, .cancelled, .dead: true
        }
    }
}

/// How far a running job got.
public struct JobProgress: Sendable, Codable, Equatable {
    public var phase: String
    public var done: Int
    public var total: Int
    public var percent: Double
    public var message: String?

    public init(phase: String, done: Int = 0, total: Int = 0, percent: Double? = nil, message: String? = nil) {
        self.phase = phase
        self.done = done
        self.total = total
        self.percent = percent ?? (total > 0 ? (Double(done) / Double(total) * 1000).rounded() / 10 : 0)
        self.message = message
    }

    public static let none = JobProgress(phase: "queued")
}

/// A job as PostgreSQL records it, with the live progress from Redis when there is newer.
public struct JobRecord: Sendable, Codable, Equatable {
    @LowercaseUUID public var id: UUID
    public var kind: String
    @LowercaseUUID public var connectionID: UUID
    @LowercaseUUID public var ownerID: UUID
    public var state: JobState
    public var attempts: Int
    public var maxAttempts: Int
    public var progress: JobProgress
    public var cancelRequested: Bool
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    public var lastError: String?
    public var result: JSONValue?

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
public let indexConnectionJobKind = "index_connection"
