import AppDatabase
import ArgumentParser
import Connections
import Embedding
import Foundation
import Hummingbird
import Jobs
import Logging
import PostgresNIO
import RateLimits
import Redis
import Retrieval
import Runtime
import ServiceLifecycle
import Support

/// `askdb-indexer`: a worker that takes connection-indexing jobs from Redis. Run any number,
/// on any machines; it serves only `/health` and `/ready` on its own port, never the API.
@main
struct AskDBIndexer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "askdb-indexer",
        abstract: "AskDB indexer worker: samples user databases, embeds and stores their schema."
    )

    @Option(help: "Jobs this worker runs at once.")
    var concurrency: Int = 1

    @Option(help: "Port for /health and /ready on 127.0.0.1 (or ASKDB_INDEXER_HOST); none when omitted.")
    var healthPort: Int?

    func validate() throws {
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be from 1 to 64") }
        if let healthPort, !(1...65535).contains(healthPort) { throw ValidationError("--health-port must be from 1 to 65535") }
    }

    func run() async throws {
        let settings = EnvironmentVariables.parseOrExit { try IndexerConfig(environment: $0) }
        let config = settings.app
        config.logging.bootstrap()
        let worker = WorkerInfo.current(concurrency: concurrency)
        var logger = Logger(label: "askdb.indexer")
        logger[metadataKey: "worker"] = "\(worker.id)"

        let postgres = PostgresClient(configuration: config.database.clientConfiguration(), backgroundLogger: logger)
        // One connection per job slot plus the claim loop, heartbeats and maintenance.
        let redis = RedisClient(configuration: .init(url: config.redis, maxConnections: concurrency + 4))
        let keys = RedisKeyspace(prefix: config.redisKeyPrefix)
        let registry = WorkerRegistry(redis: redis, keys: keys)
        let jobs = JobService(store: JobStore(postgres: postgres, logger: logger), queue: RedisJobQueue(redis: redis, keys: keys), logger: logger)
        let connections = ConnectionService(
            postgres: postgres,
            jobs: jobs,
            keyRing: config.keyRing,
            hostPolicy: config.hostPolicy,
            limiter: RateLimiter(redis: redis, keys: keys),
            connectTimeout: config.sourceConnectTimeout,
            logger: logger
        )
        // PostgreSQL runs first and stops last: the start-up checks need it, and so does every
        // service until it has stopped.
        do {
            try await withThrowingDiscardingTaskGroup { tasks in
                tasks.addTask { await postgres.run() }
                defer { tasks.cancelAll() }
                let store = PostgresVectorStore(postgres: postgres, logger: logger)
                let embedder: any Embedder
                do {
                    embedder = try await config.embedding.makeEmbedder(
                        checkingAgainst: store, parallelBatches: ProcessInfo.processInfo.activeProcessorCount
                    )
                } catch {
                    throw StartupError("the embedder cannot be used: \(error)")
                }
                let indexer = ConnectionIndexer(
                    store: store, snapshots: SchemaSnapshotStore(postgres: postgres, logger: logger), embedder: embedder, logger: logger,
                    words: config.embedding.identifierWords()
                )
                let jobWorker = jobs.worker(
                    handlers: [IndexConnectionHandler(connections: connections, indexer: indexer, phaseDelay: settings.phaseDelay)],
                    configuration: .init(workerID: worker.id, concurrency: concurrency, lease: settings.jobLease),
                    logger: logger
                )
                var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
                    .init(service: WorkerHeartbeatService(registry: registry, worker: worker, logger: logger)),
                    .init(service: jobWorker),
                ]
                if let healthPort {
                    let probe = ReadinessProbe(postgres: postgres, redis: redis, logger: logger)
                    services.append(.init(service: HealthServer.application(probe: probe, host: settings.healthHost, port: healthPort, logger: logger)))
                }
                let group = ServiceGroup(
                    configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
                )
                logger.info("indexer worker started", metadata: ["concurrency": "\(concurrency)", "embedder": "\(embedder.identifier)"])
                try await group.run()
            }
        } catch {
            await redis.shutdown()
            if let error = error as? StartupError {
                logger.critical("\(error.message)")
                throw ExitCode(2)
            }
            throw error
        }
        await redis.shutdown()
        logger.info("indexer worker stopped")
    }
}

/// A check at start failed; the process stops with one clear line instead of running broken.
struct StartupError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
