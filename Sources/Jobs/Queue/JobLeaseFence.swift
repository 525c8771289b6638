import AppDatabase
import Foundation
import Logging
import PostgresNIO
import Support

/// The lease a job's writes are made under: a write succeeds only while `token` is still the
/// job's current lease token, so a worker that lost its lease cannot overwrite a newer run.
package struct JobLeaseFence: WriteFence, Hashable {
    package var jobID: UUID
    package var token: Int64

    package init(jobID: UUID, token: Int64) {
        self.jobID = jobID
        self.token = token
    }

    /// Thrown when the lease has passed to another run.
    package struct Lost: Error, Sendable, CustomStringConvertible {
        package var jobID: UUID
        package var description: String { "job \(jobID.lowercasedString) is no longer held under this lease" }
    }

    /// Holds the job row (FOR SHARE) for the rest of the transaction and checks that the lease
    /// is still this run's: a takeover, which updates that row, waits for this write to commit,
    /// or this write sees the new token and stops.
    package func hold(on connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.query(
            "SELECT id FROM jobs WHERE id = \(jobID) AND lease_token = \(token) AND state = 'running' FOR SHARE",
            logger: logger
        )
        for try await _ in rows.decode(UUID.self) { return }
        throw Lost(jobID: jobID)
    }
}
