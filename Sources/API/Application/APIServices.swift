import Accounts
import DataSources
import Embedding
import AppDatabase
import Connections
import Jobs
import Logging
import PostgresNIO
import Query
import RateLimits
import Redis
import Retrieval
import Runtime
import ServiceLifecycle

/// The long-lived clients and services the API's routes share; made once at start. The
/// resources among them run as the process's services (``resources``).
struct APIServices: Sendable {
    let postgres: PostgresClient
    let redis: RedisClient
    let hasher: PasswordHasher
    let accounts: AccountService
    let connections: ConnectionService
    let jobs: JobService
    /// The one reader of job events, fanning them out to the open streams.
    let eventHub: JobEventHub
    let workers: WorkerRegistry
    let questions: QuestionService
    let examples: ExampleService
    let history: HistoryService
    /// Filled at start-up, once the embedder is made and checked against the store.
    let embedder: EmbedderSlot
    let mongoClients: MongoClientPool
    let store: PostgresVectorStore
    /// Keeps the in-process user and connection copies in step with PostgreSQL.
    let rowChanges: RowChangeListener
    let logger: Logger

    /// Creates the services over running-to-be clients.
    /// - Parameter embedder: the embedder's slot; by default one that makes the configured embedder at start.
    static func make(config: APIConfig, postgres: PostgresClient, redis: RedisClient, embedder: EmbedderSlot? = nil,
                     logger: Logger) async -> APIServices {
        let hasher = PasswordHasher(cost: config.bcryptCost)
        let keys = RedisKeyspace(prefix: config.app.redisKeyPrefix)
        let limiter = RateLimiter(redis: redis, keys: keys)
        let users = RowCache<User>(table: "users"), userSettings = RowCache<UserSettings>(table: "users")
        let connectionRecords = RowCache<ConnectionStore.Owned>(table: "connections")
        let cache = AnswerCache(redis: redis, keys: keys, answerTTL: config.answerCacheTTL)
        let accounts = AccountService(
            postgres: postgres,
            hasher: hasher,
            tokens: await AccessTokens(secret: config.jwtSecret, lifetime: config.tokenLifetime),
            limiter: limiter,
            registration: config.registration,
            settingsPolicy: SettingsPolicy(models: config.languageModel.baseURL == nil ? [] : config.languageModel.models,
                                           maxContextTokens: config.languageModel.contextTokens),
            caches: [cache],
            userCache: users,
            settingsCache: userSettings,
            logger: logger
        )
        let mongoClients = MongoClientPool()
        let store = PostgresVectorStore(postgres: postgres, logger: logger)
        let embedder = embedder ?? EmbedderSlot(config.app.embedding, checkingAgainst: store)
        // The hub blocks in XREAD for seconds at a time: on a connection of its own, not the pool's.
        let eventHub = JobEventHub(redis: redis.companion(maxConnections: 1), keys: keys, limits: config.eventStreams, logger: logger)
        let jobs = JobService(store: JobStore(postgres: postgres, logger: logger), queue: RedisJobQueue(redis: redis, keys: keys),
                              eventHub: eventHub, logger: logger)
        let connections = ConnectionService(
            postgres: postgres,
            jobs: jobs,
            keyRing: config.app.keyRing,
            hostPolicy: config.app.hostPolicy,
            limiter: limiter,
            maxPerUser: config.maxConnectionsPerUser,
            connectTimeout: config.app.sourceConnectTimeout,
            mongoClients: mongoClients,
            caches: [cache],
            connectionCache: connectionRecords,
            logger: logger
        )
        let history = HistoryService(postgres: postgres, logger: logger)
        let snapshots = SchemaSnapshotStore(postgres: postgres, logger: logger)
        let examples = ExampleService(connections: connections, activeJobs: jobs, postgres: postgres, snapshots: snapshots, embedder: embedder,
                                      history: history, logger: logger)
        let questions = QuestionService(
            connections: connections, activeJobs: jobs, history: history, store: store, snapshots: snapshots,
            embedder: embedder, models: config.languageModel.makeCatalog(), accounts: accounts, rates: limiter,
            concurrency: ConcurrencyLimiter(redis: redis, keys: keys),
            cache: cache, examples: examples.search, tokens: TokenBudget(redis: redis, keys: keys, perDay: config.tokensPerUserPerDay),
            limits: config.questionLimits, logger: logger
        )
        return APIServices(
            postgres: postgres, redis: redis, hasher: hasher, accounts: accounts, connections: connections,
            jobs: jobs, eventHub: eventHub, workers: WorkerRegistry(redis: redis, keys: keys), questions: questions, examples: examples, history: history, embedder: embedder,
            mongoClients: mongoClients, store: store,
            rowChanges: RowChangeListener(postgres: postgres, caches: [users, userSettings, connectionRecords, mongoClients], logger: logger), logger: logger
        )
    }

    var readiness: ReadinessProbe {
        ReadinessProbe(postgres: postgres, redis: redis, embedder: embedder, logger: logger)
    }

    /// What `serve` runs beside the HTTP server, in start order: the database clients first,
    /// so they stop last.
    var resources: [any Service] { resources(embedding: true, listening: true) }

    /// The resources a process of the API runs: an operator task without the embedder unless
    /// it embeds, and without the row-change listener (it keeps no row copies long enough) or
    /// the job event hub (it serves no streams).
    func resources(embedding: Bool, listening: Bool) -> [any Service] {
        [postgres, redis] + (embedding ? [embedder] : []) + [hasher, mongoClients] + (listening ? [rowChanges, eventHub] : [])
    }
}
