import AppDatabase
import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import Runtime
import Redis
import Support

/// The local stack's PostgreSQL and Redis, as `DATABASE_URL` and `REDIS_URL` name them (e.g.
/// from `.askdb/stack.env`), for benchmarks that need both.
struct StackServers {
    let databaseURL: String
    let redisURL: String
    let logger: Logger

    static func fromEnvironment() throws -> StackServers {
        let environment = ProcessInfo.processInfo.environment
        guard let databaseURL = environment["DATABASE_URL"], let redisURL = environment["REDIS_URL"] else {
            throw ValidationError("set DATABASE_URL and REDIS_URL (e.g. `set -a; source .askdb/stack.env`)")
        }
        var logger = Logger(label: "askdb.bench")
        logger.logLevel = .error
        return StackServers(databaseURL: databaseURL, redisURL: redisURL, logger: logger)
    }

    /// Runs `body` with a running PostgreSQL pool and a Redis client, and closes both after.
    func withClients(_ body: (PostgresClient, RedisClient) async throws -> Void) async throws {
        let postgres = PostgresClient(configuration: try PostgresURL(databaseURL).clientConfiguration(), backgroundLogger: logger)
        let redis = RedisClient(configuration: .init(url: try RedisURL(redisURL), maxConnections: 8))
        try await ProcessServices.withRunning([postgres, redis], logger: logger) { try await body(postgres, redis) }
    }
}
