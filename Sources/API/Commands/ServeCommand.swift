import ArgumentParser
import Core
import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceLifecycle

/// `askdb-api serve`: runs the HTTP API until SIGTERM or SIGINT, then shuts down gracefully.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve the REST API.")

    func run() async throws {
        let config = try loadConfig { try APIConfig(environment: $0) }
        config.app.logging.bootstrap()
        let logger = Logger(label: "askdb.api")

        let postgres = PostgresClient(configuration: config.app.database.clientConfiguration(), backgroundLogger: logger)
        let redis = RedisClient(configuration: .init(url: config.app.redis))
        let services = APIServices(postgres: postgres, redis: redis, logger: logger)
        let application = buildApplication(config: config, services: services)

        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: postgres), .init(service: application, successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        do {
            try await group.run()
        } catch {
            await redis.shutdown()
            throw error
        }
        await redis.shutdown()
    }
}

/// Parses configuration, or prints the one line that names the bad variable and exits non-zero.
func loadConfig<T>(_ parse: (EnvironmentVariables) throws -> T) throws -> T {
    do {
        return try parse(EnvironmentVariables(ProcessInfo.processInfo.environment))
    } catch let error as ConfigError {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        throw ExitCode(2)
    }
}
