import AppDatabase
import Logging
import PostgresNIO
import Redis
import Support

/// Checks that the servers a process depends on answer, each within a time limit.
package struct ReadinessProbe: Sendable {
    /// The outcome for each dependency: nil when it answered, else why not.
    package struct Report: Sendable, Equatable {
        package var failures: [String: String]
        /// Names of the dependencies checked, in a stable order.
        package var checked: [String]

        package var isReady: Bool { failures.isEmpty }
    }

    private let postgres: PostgresClient
    private let redis: RedisClient
    private let timeout: Duration
    private let logger: Logger

    /// A probe of `postgres` and `redis`, each given `timeout` to answer.
    package init(postgres: PostgresClient, redis: RedisClient, timeout: Duration = .seconds(2), logger: Logger) {
        self.postgres = postgres
        self.redis = redis
        self.timeout = timeout
        self.logger = logger
    }

    /// Runs both checks concurrently.
    package func check() async -> Report {
        async let postgresFailure = failure(of: "postgres") { [postgres, logger] in
            try await postgres.query("SELECT 1", logger: logger)
        }
        async let redisFailure = failure(of: "redis") { [redis] in
            try await redis.send("PING")
        }
        var failures: [String: String] = [:]
        if let message = await postgresFailure { failures["postgres"] = message }
        if let message = await redisFailure { failures["redis"] = message }
        return Report(failures: failures, checked: ["postgres", "redis"])
    }

    private func failure(of name: String, _ check: @escaping @Sendable () async throws -> Void) async -> String? {
        do {
            try await withTimeout(timeout, check)
            return nil
        } catch let error as TimeoutError {
            return "\(name) did not answer within \(error.limit)"
        } catch {
            let message = error is RedisError ? "\(error)" : PostgresErrorMessage(error).description
            logger.warning("readiness check failed", metadata: ["dependency": "\(name)", "error": "\(message)"])
            return message
        }
    }
}
