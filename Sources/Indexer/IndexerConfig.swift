import DataSources
import Runtime
import Support

/// The indexer process's settings: the shared ones plus the job lease and the health listener.
struct IndexerConfig: Sendable {
    var app: AppConfig
    /// How long a claimed job stays this worker's without a heartbeat: `ASKDB_JOB_LEASE_SECONDS`,
    /// default 30.
    var jobLease: Duration
    /// How long running jobs may go on after SIGTERM before they are handed back for another
    /// worker: `ASKDB_SHUTDOWN_GRACE_SECONDS`, default 5.
    var shutdownGrace: Duration
    /// Listen host of `/health` and `/ready`: `ASKDB_INDEXER_HOST`, default 127.0.0.1.
    var healthHost: String
    /// A pause after each indexing phase, so tests can catch a job mid-run:
    /// `ASKDB_DEBUG_PHASE_DELAY_MS`, default 0.
    var phaseDelay: Duration
    /// How long question history is kept: `ASKDB_HISTORY_RETENTION_DAYS`, default 90; 0 keeps
    /// it for ever (nil). The indexers prune it, every hour.
    var historyRetention: Duration?
    /// Tables or collections one index run documents at most: `ASKDB_MAX_OBJECTS_PER_INDEX`,
    /// default 5,000, the first by schema and then name (the job's report says so).
    var maxObjectsPerIndex: Int
    /// How often each indexer's re-index scheduler looks for due connections:
    /// `ASKDB_REINDEX_CHECK_SECONDS`, default 30 (each pass a fifth early or late at random).
    var reindexCheckInterval: Duration

    init(environment: EnvironmentVariables) throws(ConfigError) {
        app = try AppConfig(environment: environment)
        jobLease = .seconds(try environment.integer("ASKDB_JOB_LEASE_SECONDS", default: 30, in: 2...3600))
        shutdownGrace = .seconds(try environment.integer("ASKDB_SHUTDOWN_GRACE_SECONDS", default: 5, in: 0...600))
        healthHost = environment.optional("ASKDB_INDEXER_HOST") ?? "127.0.0.1"
        phaseDelay = .milliseconds(try environment.integer("ASKDB_DEBUG_PHASE_DELAY_MS", default: 0, in: 0...60_000))
        let retentionDays = try environment.integer("ASKDB_HISTORY_RETENTION_DAYS", default: 90, in: 0...36_500)
        historyRetention = retentionDays == 0 ? nil : .seconds(retentionDays * 86_400)
        reindexCheckInterval = .seconds(try environment.integer("ASKDB_REINDEX_CHECK_SECONDS", default: 30, in: 1...3600))
        maxObjectsPerIndex = try environment.integer("ASKDB_MAX_OBJECTS_PER_INDEX", default: ObjectCap.defaultLimit, in: 1...1_000_000)
    }
}
