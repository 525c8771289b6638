import Logging
import PostgresNIO

/// A condition a write transaction holds before it writes, so a writer that has lost the right
/// to write (a job whose lease passed to another worker) stops instead of overwriting newer work.
///
/// The store that writes calls it; the owner of the condition supplies it (the job queue's
/// lease, `JobLeaseFence`), so the store never reads another box's tables.
package protocol WriteFence: Sendable {
    /// Holds the condition on `connection` for the rest of its transaction, or throws.
    func hold(on connection: PostgresConnection, logger: Logger) async throws
}
