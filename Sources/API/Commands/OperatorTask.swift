import AppDatabase
import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import Redis
import Support

/// Runs a one-off operator task (`create-admin`, `rotate-key`) with the API's services: parses
/// the configuration, runs the database client for the task's duration, and turns expected
/// failures into one line on standard error and exit status 1.
func runOperatorTask(_ name: String, _ task: @Sendable (APIServices, APIConfig) async throws -> Void) async throws {
    let config = EnvironmentVariables.parseOrExit { try APIConfig(environment: $0) }
    config.app.logging.bootstrap()
    var logger = Logger(label: "askdb.\(name)")
    logger.logLevel = .error
    let postgres = PostgresClient(configuration: config.app.database.clientConfiguration(), backgroundLogger: logger)
    let redis = RedisClient(configuration: .init(url: config.app.redis))
    let services = await APIServices.make(config: config, postgres: postgres, redis: redis, logger: logger)
    do {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await postgres.run() }
            defer { group.cancelAll() }
            try await task(services, config)
        }
        await services.shutdown()
    } catch {
        await services.shutdown()
        let message = ErrorMapping.operatorMessage(for: error)
        FileHandle.standardError.write(Data("\(name): \(message)\n".utf8))
        throw ExitCode(1)
    }
}
