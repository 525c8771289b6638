import Logging
import PostgresNIO

extension PostgresClient {
    /// Runs `body` in a transaction, committing when it returns and rolling back when it throws.
    ///
    /// Unlike `withTransaction`, an error thrown by `body` comes out as itself (not wrapped in
    /// `PostgresTransactionError`), so callers and the API see the domain error they threw.
    package func transaction<Result: Sendable>(
        logger: Logger,
        _ body: @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        do {
            return try await withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            if let rollback = error.rollbackError {
                logger.warning("rollback failed", metadata: ["error": "\(PostgresErrorMessage(rollback))"])
            }
            throw error.closureError ?? error.commitError ?? error.beginError ?? error
        }
    }
}
