import Foundation

/// Whether a connection has a job queued or running, for a caller that only needs to say so
/// (a question asked before the first index has finished).
package protocol ActiveJobLookup: Sendable {
    /// The id of a queued or running job of `connectionID`, if there is one.
    func activeJob(of connectionID: UUID) async throws -> UUID?
}
