import Foundation
import Logging
import PostgresNIO

extension WriteFence {
    /// Holds the job row (FOR SHARE) for the rest of the transaction and checks that the lease
    /// is still this run's: a takeover, which updates that row, waits for this write to commit,
    /// or this write sees the new token and stops.
    func check(on connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.query(
            "SELECT id FROM jobs WHERE id = \(jobID) AND lease_token = \(token) AND state = 'running' FOR SHARE",
            logger: logger
        )
        for try await _ in rows.decode(UUID.self) { return }
        throw WriteFence.Lost(jobID: jobID)
    }
}
