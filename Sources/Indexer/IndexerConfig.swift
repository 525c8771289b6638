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

    init(environment: EnvironmentVariables) throws(ConfigError) {
        app = try AppConfig(environment: environment)
        jobLease = .seconds(try environment.integer("ASKDB_JOB_LEASE_SECONDS", default: 30, in: 2...3600))
        shutdownGrace = .seconds(try environment.integer("ASKDB_SHUTDOWN_GRACE_SECONDS", default: 5, in: 0...600))
        healthHost = environment.optional("ASKDB_INDEXER_HOST") ?? "127.0.0.1"
        phaseDelay = .milliseconds(try environment.integer("ASKDB_DEBUG_PHASE_DELAY_MS", default: 0, in: 0...60_000))
    }
}
