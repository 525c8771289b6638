import AppDatabase
import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import Redis
import Runtime
import ServiceLifecycle
import Support

/// Runs a one-off operator task (`create-admin`, `rotate-key`) with the API's services: parses
/// the configuration, runs the database client for the task's duration, and turns expected
/// failures into one line on standard error and exit status 1.
/// - Parameter embedding: the task embeds (the evaluation): the embedder is made at start.
func runOperatorTask(_ name: String, embedding: Bool = false, _ task: (APIServices, APIConfig) async throws -> Void) async throws {
    let config = EnvironmentVariables.parseOrExit { try APIConfig(environment: $0) }
    config.app.logging.bootstrap()
    var logger = Logger(label: "askdb.\(name)")
    logger.logLevel = .error
    let postgres = PostgresClient(configuration: config.app.database.clientConfiguration(), backgroundLogger: logger)
    let redis = RedisClient(configuration: .init(url: config.app.redis))
    let services = await APIServices.make(config: config, postgres: postgres, redis: redis, logger: logger)
    do {
        try await ProcessServices.withRunning(services.resources(embedding: embedding, listening: false), logger: logger) {
            try await task(services, config)
        }
    } catch {
        let message = ErrorMapping.operatorMessage(for: error)
        FileHandle.standardError.write(Data("\(name): \(message)\n".utf8))
        throw ExitCode(1)
    }
}
