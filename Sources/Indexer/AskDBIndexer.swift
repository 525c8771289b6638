import AppDatabase
import ArgumentParser
import Connections
import DataSources
import Embedding
import Foundation
import Hummingbird
import Jobs
import Logging
import Metrics
import PostgresNIO
import Prometheus
import Query
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
        // The process's one metrics system, which the health port's /metrics renders.
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(MetricsFactory.make(registry: registry))
        let worker = WorkerInfo.current(concurrency: concurrency)
        var logger = Logger(label: "askdb.indexer")
        logger[metadataKey: "worker"] = "\(worker.id)"

        let postgres = PostgresClient(configuration: config.database.clientConfiguration(), backgroundLogger: logger)
        // One connection per job slot plus the claim loop, heartbeats and maintenance.
        let redis = RedisClient(configuration: .init(url: config.redis, maxConnections: concurrency + 4))
        let keys = RedisKeyspace(prefix: config.redisKeyPrefix)
        let store = PostgresVectorStore(postgres: postgres, logger: logger)
        let embedder = EmbedderSlot(config.embedding, checkingAgainst: store, parallelBatches: ProcessInfo.processInfo.activeProcessorCount)
        let mongoClients = MongoClientPool()
        let jobs = JobService(store: JobStore(postgres: postgres, logger: logger), queue: RedisJobQueue(redis: redis, keys: keys), logger: logger)
        let connections = ConnectionService(
            postgres: postgres,
            jobs: jobs,
            keyRing: config.keyRing,
            hostPolicy: config.hostPolicy,
            limiter: RateLimiter(redis: redis, keys: keys),
            connectTimeout: config.sourceConnectTimeout,
            mongoClients: mongoClients,
            logger: logger
        )
        let snapshots = SchemaSnapshotStore(postgres: postgres, logger: logger)
        let words = config.embedding.identifierWords()
        let history = HistoryService(postgres: postgres, logger: logger)
        let examples = ExampleService(connections: connections, activeJobs: jobs, postgres: postgres, snapshots: snapshots, embedder: embedder,
                                      history: history, logger: logger)
        let handler = IndexConnectionHandler(connections: connections, examples: examples, embedder: embedder, phaseDelay: settings.phaseDelay) { [logger] embedder in
            ConnectionIndexer(store: store, snapshots: snapshots, embedder: embedder, logger: logger, words: words,
                              maxObjects: settings.maxObjectsPerIndex)
        }
        // In start order; shut down in reverse: the worker hands its jobs back before the
        // clients it needs stop.
        var services: [any Service] = [
            postgres, redis, embedder, mongoClients,
            RowChangeListener(postgres: postgres, caches: [mongoClients], logger: logger),
            WorkerHeartbeatService(registry: WorkerRegistry(redis: redis, keys: keys), worker: worker, logger: logger),
            jobs.worker(handlers: [handler], configuration: .init(workerID: worker.id, concurrency: concurrency, lease: settings.jobLease, shutdownGrace: settings.shutdownGrace), logger: logger),
        ]
        if let keep = settings.historyRetention {
            services.append(HistoryRetention(history: history, keep: keep, logger: logger))
        }
        // Every indexer runs one; the advisory lock lets one act at a time.
        services.append(ReindexScheduler(postgres: postgres, jobs: jobs, interval: settings.reindexCheckInterval, logger: logger))
        let redisMemory = RedisMemory(redis: redis)
        services.append(MetricsSampler(probes: [
            ("memory", { try ProcessMemory.record() }),
            ("queue", { try await JobMetrics.recordQueue(jobs) }),
            ("redis", { try await redisMemory.record() }),
        ], logger: logger))
        if let healthPort {
            let probe = ReadinessProbe(postgres: postgres, redis: redis, embedder: embedder, logger: logger)
            let metrics = MetricsEndpoint(registry: registry, allowed: config.metricsAllow)
            services.append(HealthServer.application(probe: probe, metrics: metrics, host: settings.healthHost, port: healthPort, logger: logger))
        }
        logger.info("indexer worker starting", metadata: ["concurrency": "\(concurrency)"])
        do {
            try await ProcessServices.runUntilSignalled(services, shutdownLimit: settings.shutdownGrace + .seconds(5), logger: logger)
        } catch let error as StartupError {
            logger.critical("\(error.message)")
            throw ExitCode(2)
        }
        logger.info("indexer worker stopped")
    }
}

