import ArgumentParser
import Logging
import Metrics
import PostgresNIO
import Prometheus
import Redis
import Runtime
import Support

/// `askdb-api serve`: runs the HTTP API until SIGTERM or SIGINT, then shuts down gracefully.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve the REST API.")

    func run() async throws {
        let config = EnvironmentVariables.parseOrExit { try APIConfig(environment: $0) }
        config.app.logging.bootstrap()
        // The process's one metrics system: everything recorded through swift-metrics lands in
        // this registry, which /metrics renders.
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(MetricsFactory.make(registry: registry))
        let logger = Logger(label: "askdb.api")

        let postgres = PostgresClient(configuration: config.app.database.clientConfiguration(), backgroundLogger: logger)
        let redis = RedisClient(configuration: .init(url: config.app.redis))
        let services = await APIServices.make(config: config, postgres: postgres, redis: redis, logger: logger)
        do {
            // Questions in flight get the time a load balancer's drain gives them; streams end at once.
            let sampler = MetricsSampler(probes: [("memory", { try ProcessMemory.record() })], logger: logger)
            let metrics = MetricsEndpoint(registry: registry, allowed: config.app.metricsAllow)
            try await ProcessServices.runUntilSignalled(services.resources + [sampler, buildApplication(config: config, services: services, metrics: metrics)],
                                                        shutdownLimit: .seconds(8), logger: logger)
        } catch let error as StartupError {
            logger.critical("\(error.message)")
            throw ExitCode(2)
        }
    }
}
