import Foundation
import Support

/// Runs jobs of one kind. Anything it throws is retried with backoff, except
/// ``PermanentJobError`` (the job fails at once) and the interruptions its context raises.
package protocol JobHandler: Sendable {
    /// The `kind` of job this handler runs.
    var kind: String { get }
    /// Does the work, reporting progress (and so reaching checkpoints) through `context`.
    /// Must be idempotent: a job may run again after a crash.
    func run(_ job: JobRecord, context: JobContext) async throws -> JSONValue
}

/// A failure that retrying cannot fix (the connection was deleted, its URL no longer decrypts).
package struct PermanentJobError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}

/// Why a run stopped early at a checkpoint.
package enum JobInterruption: Error, Sendable, Equatable {
    /// Its owner cancelled it.
    case cancelled
    /// Another worker took the lease over; this run must not write anything more.
    case leaseLost
    /// This worker is shutting down and hands the job back to the queue.
    case released
}

/// Exponential backoff with jitter between attempts.
package struct RetryPolicy: Sendable {
    package var base: Duration
    package var maximum: Duration

    package init(base: Duration = .seconds(2), maximum: Duration = .seconds(300)) {
        self.base = base
        self.maximum = maximum
    }

    /// The wait before attempt `attempt + 1`: base × 2^(attempt−1), capped, with "equal jitter"
    /// (half fixed, half random) so retries of many jobs spread out.
    package func delay(afterAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 20)
        let capped = min(Double(base.milliseconds) * pow(2, Double(exponent)), Double(maximum.milliseconds))
        return .milliseconds(Int64(capped / 2 + Double.random(in: 0...(capped / 2))))
    }
}
