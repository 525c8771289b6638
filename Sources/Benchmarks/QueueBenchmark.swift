import Accounts
import AppDatabase
import ArgumentParser
import Foundation
import Jobs
import Logging
import PostgresNIO
import Redis
import ServiceLifecycle
import Support

/// Enqueue→ack throughput of no-op jobs through the real queue (PostgreSQL records, leases,
/// state transitions) with worker processes, beside a raw pipelined XADD → XREADGROUP → XACK loop
/// on the same Redis as the ceiling; then the takeover time after a worker is killed with SIGKILL.
///
/// Needs `DATABASE_URL` (a migrated AskDB database) and `REDIS_URL`, e.g. from `.askdb/stack.env`.
struct QueueBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "queue", abstract: "Queue throughput and takeover time.")

    @Option(help: "Jobs per measurement.")
    var jobs = 20_000

    @Option(help: "Worker processes.")
    var workers = 2

    @Option(help: "Jobs each worker runs at once.")
    var concurrency = 256

    @Option(help: "Lease in seconds for the takeover measurement.")
    var lease = 2

    func run() async throws {
        let servers = try StackServers.fromEnvironment()
        try await servers.withClients { postgres, redis in
            let raw = try await rawLoop(redis: redis)
            let (queueRate, takeover) = try await realQueue(postgres: postgres, redis: redis, databaseURL: servers.databaseURL,
                                                            redisURL: servers.redisURL, logger: servers.logger)
            print(String(format: "raw XADD→XREADGROUP→XACK loop: %8.0f msgs/s", raw))
            print(String(format: "AskDB queue, %d worker processes: %8.0f jobs/s  (%.2f× the raw loop)", workers, queueRate, queueRate / raw))
            print(String(format: "takeover after SIGKILL (lease %d s): %.2f s", lease, takeover))
        }
    }

    /// The ceiling: the same number of messages through a bare stream, pipelined in batches.
    private func rawLoop(redis: RedisClient) async throws -> Double {
        let stream = RedisArgument("askdb-bench:raw:\(UUID().uuidString)")
        try await redis.send("XGROUP", "CREATE", stream, "g", "0", "MKSTREAM")
        let started = ContinuousClock.now
        async let produced: Void = {
            for batch in stride(from: 0, to: jobs, by: 1000) {
                let commands = (batch..<min(batch + 1000, jobs)).map { index -> [RedisArgument] in
                    ["XADD", stream, "*", "job", RedisArgument(index)]
                }
                _ = try await redis.pipeline(commands)
            }
        }()
        var acked = 0
        while acked < jobs {
            let reply = try await redis.send(["XREADGROUP", "GROUP", "g", "c", "COUNT", "1000", "BLOCK", "1000", "STREAMS", stream, ">"], timeout: .seconds(5))
            let ids = (reply.array?.first?.array?.dropFirst().first?.array ?? []).compactMap { $0.array?.first }
            guard !ids.isEmpty else { continue }
            let acks = try await redis.send(["XACK", stream, "g"] + ids.compactMap { $0.bytes.map { RedisArgument(bytes: $0) } })
            acked += acks.int ?? 0
        }
        try await produced
        let seconds = (ContinuousClock.now - started).inSeconds
        try await redis.send("DEL", stream)
        return Double(jobs) / seconds
    }

    private func realQueue(postgres: PostgresClient, redis: RedisClient, databaseURL: String, redisURL: String, logger: Logger) async throws -> (Double, Double) {
        let prefix = "askdb-bench-\(UUID().uuidString.prefix(8))"
        let keys = RedisKeyspace(prefix: prefix)
        let store = JobStore(postgres: postgres, logger: logger)
        let service = JobService(store: store, queue: RedisJobQueue(redis: redis, keys: keys), logger: logger)
        try await RedisJobQueue(redis: redis, keys: keys).prepare()

        // A user and a connection to hang the jobs on; removed (with the jobs) at the end.
        let owner = try await UserStore(postgres: postgres, logger: logger)
            .create(email: EmailAddress("bench-\(UUID().uuidString.prefix(8))@example.com"), passwordHash: "x", role: .user)
        do {
            let figures = try await measure(postgres: postgres, service: service, owner: owner.id, prefix: prefix,
                                            databaseURL: databaseURL, redisURL: redisURL, logger: logger)
            try await postgres.query("DELETE FROM users WHERE id = \(owner.id)", logger: logger)
            return figures
        } catch {
            _ = try? await postgres.query("DELETE FROM users WHERE id = \(owner.id)", logger: logger)
            throw error
        }
    }

    private func measure(postgres: PostgresClient, service: JobService, owner: UUID, prefix: String,
                         databaseURL: String, redisURL: String, logger: Logger) async throws -> (Double, Double) {
        let connection = UUID()
        try await postgres.query(
            """
            INSERT INTO connections (id, owner_id, name, kind, url_ciphertext, key_id, url_redacted)
            VALUES (\(connection), \(owner), 'bench', 'postgres', '\\x00'::bytea, 'bench', 'postgres://bench')
            """,
            logger: logger
        )

        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).path
        func startWorker(_ index: Int) throws -> Process {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["queue-worker", "--prefix", prefix, "--concurrency", "\(concurrency)", "--lease", "\(lease)", "--id", "bench-worker-\(index)"]
            process.environment = ["DATABASE_URL": databaseURL, "REDIS_URL": redisURL, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? ""]
            try process.run()
            return process
        }
        var processes = try (0..<workers).map(startWorker)
        defer { processes.forEach { kill($0.processIdentifier, SIGKILL) } }
        try await Task.sleep(for: .seconds(1))

        // Throughput: enqueue in batches while the workers drain, until every job succeeded. The
        // end is the last job's finished_at, so how often this polls does not count.
        let started = Date()
        for batch in stride(from: 0, to: jobs, by: 1000) {
            let count = min(1000, jobs - batch)
            _ = try await service.enqueueMany(kind: BenchWorker.noopKind, jobs: Array(repeating: (connection, owner), count: count))
        }
        let enqueued = Date()
        var finished: Date?
        while finished == nil {
            try await Task.sleep(for: .milliseconds(250))
            finished = try await lastFinish(postgres, connection: connection, jobs: jobs, logger: logger)
        }
        let rate = Double(jobs) / finished!.timeIntervalSince(started)
        print(String(format: "  (all %d jobs enqueued after %.2f s)", jobs, enqueued.timeIntervalSince(started)))

        // Takeover: a slow job, its worker killed, the time until another worker runs it.
        let slow = try await service.enqueueMany(kind: BenchWorker.slowKind, jobs: [(connection, owner)])[0]
        var holder: String?
        while holder == nil {
            let rows = try await postgres.query("SELECT worker FROM jobs WHERE id = \(slow.id) AND state = 'running'", logger: logger)
            for try await worker in rows.decode(String?.self) { holder = worker }
            try await Task.sleep(for: .milliseconds(10))
        }
        guard let index = Int(holder!.split(separator: "-").last ?? "") else { throw ValidationError("unknown worker \(holder!)") }
        kill(processes[index].processIdentifier, SIGKILL)
        let killed = ContinuousClock.now
        processes[index] = try startWorker(index + workers)
        var takenOver = false
        while !takenOver {
            let rows = try await postgres.query("SELECT attempts FROM jobs WHERE id = \(slow.id) AND state = 'running'", logger: logger)
            for try await attempts in rows.decode(Int.self) where attempts >= 2 { takenOver = true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return (rate, (ContinuousClock.now - killed).inSeconds)
    }

    /// When the last of the benchmark's no-op jobs succeeded, once all of them have.
    private func lastFinish(_ postgres: PostgresClient, connection: UUID, jobs: Int, logger: Logger) async throws -> Date? {
        for try await (count, last) in try await postgres.query(
            """
            SELECT count(*), max(finished_at) FROM jobs
            WHERE connection_id = \(connection) AND state = 'succeeded' AND kind = \(BenchWorker.noopKind)
            """,
            logger: logger
        ).decode((Int, Date?).self) {
            return count >= jobs ? last : nil
        }
        return nil
    }
}

/// `askdb-bench queue-worker`: a worker process running the benchmark's job kinds.
struct BenchWorker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "queue-worker", abstract: "A worker for the queue benchmark.", shouldDisplay: false)
    static let noopKind = "bench_noop"
    static let slowKind = "bench_slow"

    @Option var prefix: String
    @Option var concurrency: Int
    @Option var lease: Int
    @Option var id: String

    struct NoOp: JobHandler {
        let kind = BenchWorker.noopKind
        func run(_ job: JobRecord, context: JobContext) async throws -> JSONValue { .null }
    }

    struct Slow: JobHandler {
        let kind = BenchWorker.slowKind
        func run(_ job: JobRecord, context: JobContext) async throws -> JSONValue {
            for step in 0..<600 {
                try await context.progress(JobProgress(phase: "sleep", done: step, total: 600))
                try await Task.sleep(for: .milliseconds(100))
            }
            return .null
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var logger = Logger(label: "askdb.bench.worker")
        logger.logLevel = .error
        let postgres = PostgresClient(configuration: try PostgresURL(environment["DATABASE_URL"] ?? "").clientConfiguration(), backgroundLogger: logger)
        let redis = RedisClient(configuration: .init(url: try RedisURL(environment["REDIS_URL"] ?? ""), maxConnections: 8))
        let worker = JobWorker(
            queue: RedisJobQueue(redis: redis, keys: RedisKeyspace(prefix: prefix)),
            store: JobStore(postgres: postgres, logger: logger),
            handlers: [NoOp(), Slow()],
            configuration: .init(workerID: id, concurrency: concurrency, lease: .seconds(lease), claimBlock: .milliseconds(200)),
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: postgres), .init(service: worker)], gracefulShutdownSignals: [.sigterm], logger: logger
        ))
        try await group.run()
    }
}
