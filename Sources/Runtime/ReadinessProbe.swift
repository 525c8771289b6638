import AppDatabase
import Embedding
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
    private let embedder: EmbedderSlot?
    private let timeout: Duration
    private let logger: Logger

    /// A probe of `postgres` and `redis`, each given `timeout` to answer, and of whether the
    /// process's embedder has loaded (a process without one is not ready for work that embeds).
    package init(postgres: PostgresClient, redis: RedisClient, embedder: EmbedderSlot? = nil, timeout: Duration = .seconds(2), logger: Logger) {
        self.postgres = postgres
        self.redis = redis
        self.embedder = embedder
        self.timeout = timeout
        self.logger = logger
    }

    /// Runs the checks concurrently.
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
        var checked = ["postgres", "redis"]
        if let embedder {
            checked.append("embedder")
            do {
                _ = try await embedder.get()
            } catch let error as AskDBError where error.code == "not_ready" {
                failures["embedder"] = "still loading"
            } catch {
                failures["embedder"] = "\(error)"
            }
        }
        return Report(failures: failures, checked: checked)
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
