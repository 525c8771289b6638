import AppDatabase
import ArgumentParser
import Foundation
import Hummingbird
import Logging
import PostgresNIO
import Redis
import Runtime
import Support

/// `askdb-api serve`: runs the HTTP API until SIGTERM or SIGINT, then shuts down gracefully.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve the REST API.")

    func run() async throws {
        let config = EnvironmentVariables.parseOrExit { try APIConfig(environment: $0) }
        config.app.logging.bootstrap()
        let logger = Logger(label: "askdb.api")

        let postgres = PostgresClient(configuration: config.app.database.clientConfiguration(), backgroundLogger: logger)
        let redis = RedisClient(configuration: .init(url: config.app.redis))
        let services = await APIServices.make(config: config, postgres: postgres, redis: redis, logger: logger)
        var application = buildApplication(config: config, services: services)
        // Questions need the embedder: made and checked against the store (the dimension) once
        // PostgreSQL runs, before the server takes requests; a mismatch stops the process.
        application.beforeServerStarts {
            do {
                await services.embedder.set(try await config.app.embedding.makeEmbedder(checkingAgainst: services.store))
            } catch {
                logger.critical("the embedder cannot be used: \(error)")
                throw error
            }
        }

        do {
            try await application.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        } catch {
            await services.shutdown()
            throw error
        }
        await services.shutdown()
    }
}
