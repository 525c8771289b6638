import AppDatabase
import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import Runtime
import Retrieval
import Support

/// Upsert throughput and top-k filtered search latency of the pgvector store, with random unit
/// vectors: `connections` × `documents` stored, then searches over random connections; then one
/// large connection, to see where an exact scan stops being fast enough.
///
/// Needs `DATABASE_URL` (a migrated AskDB database); it adds a user of its own and deletes it.
struct VectorStoreBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "vectors", abstract: "Vector store upsert and search figures.")

    @Option(help: "Connections to spread the documents over.")
    var connections = 100

    @Option(help: "Documents per connection.")
    var documents = 1000

    @Option(help: "Documents per staged batch.")
    var batch = 500

    @Option(help: "Searches per measurement.")
    var searches = 500

    @Option(help: "Results per search.")
    var limit = 10

    @Option(help: "Sizes of the single large connections measured at the end, comma-separated (empty skips them).")
    var large = "5000,20000"

    @Flag(help: "Keep the benchmark's user, connections and documents afterwards, to inspect plans.")
    var keep = false

    func run() async throws {
        guard let databaseURL = ProcessInfo.processInfo.environment["DATABASE_URL"] else {
            throw ValidationError("set DATABASE_URL (e.g. `set -a; source .askdb/stack.env`)")
        }
        var logger = Logger(label: "askdb.bench")
        logger.logLevel = .error
        let postgres = PostgresClient(configuration: try PostgresURL(databaseURL).clientConfiguration(), backgroundLogger: logger)
        try await ProcessServices.withRunning([postgres], logger: logger) {
            let owner = UUID()
            try await postgres.query(
                "INSERT INTO users (id, email, password_hash) VALUES (\(owner), \("bench-\(owner.lowercasedString)@example.com"), 'x')",
                logger: logger
            )
            do {
                try await measure(postgres: postgres, owner: owner, logger: logger)
            } catch {
                _ = try? await postgres.query("DELETE FROM users WHERE id = \(owner)", logger: logger)
                throw error
            }
            if !keep { try await postgres.query("DELETE FROM users WHERE id = \(owner)", logger: logger) }
        }
    }

    private func measure(postgres: PostgresClient, owner: UUID, logger: Logger) async throws {
        let store = PostgresVectorStore(postgres: postgres, logger: logger)
        var generator = SystemRandomNumberGenerator()
        var ids: [UUID] = []
        var staging = Duration.zero
        for index in 0..<connections {
            let id = try await addConnection(postgres: postgres, owner: owner, name: "bench-\(index)", logger: logger)
            ids.append(id)
            staging += try await fill(store, connection: id, count: documents, generator: &generator)
        }
        let total = connections * documents
        try await vacuum(postgres, logger: logger)
        print(String(format: "upsert: %d documents in batches of %d: %.0f documents/s", total, batch, Double(total) / staging.inSeconds))
        for (label, text) in [("vector only", ""), ("hybrid (vector + full text, RRF)", "total sales per customer name")] {
            let latencies = try await searchLatencies(store, in: ids, text: text, generator: &generator)
            print(String(format: "top-%d of one connection (%d docs) among %d, %@: p50 %.2f ms  p99 %.2f ms",
                         limit, documents, total, label, latencies.p50, latencies.p99))
        }
        for size in large.split(separator: ",").compactMap({ Int($0) }) {
            let id = try await addConnection(postgres: postgres, owner: owner, name: "bench-large-\(size)", logger: logger)
            _ = try await fill(store, connection: id, count: size, generator: &generator)
            try await vacuum(postgres, logger: logger)
            for (label, text) in [("vector only", ""), ("hybrid", "total sales per customer name")] {
                let latencies = try await searchLatencies(store, in: [id], text: text, generator: &generator)
                print(String(format: "top-%d of one connection with %d docs, %@: p50 %.2f ms  p99 %.2f ms", limit, size, label, latencies.p50, latencies.p99))
            }
        }
    }

    /// What autovacuum does soon after a run in real use; without it, the dead rows of earlier
    /// runs and a stale row estimate decide the figures.
    private func vacuum(_ postgres: PostgresClient, logger: Logger) async throws {
        try await postgres.query("VACUUM ANALYZE chunks", logger: logger)
    }

    private func addConnection(postgres: PostgresClient, owner: UUID, name: String, logger: Logger) async throws -> UUID {
        let id = UUID()
        try await postgres.query(
            """
            INSERT INTO connections (id, owner_id, name, kind, url_ciphertext, key_id, url_redacted)
            VALUES (\(id), \(owner), \(name), 'postgres', '\\x00'::bytea, 'bench', 'postgresql://bench')
            """,
            logger: logger
        )
        return id
    }

    /// Stages and publishes `count` documents; returns the time spent staging.
    private func fill(_ store: PostgresVectorStore, connection: UUID, count: Int, generator: inout SystemRandomNumberGenerator) async throws -> Duration {
        let revision = try await store.beginRevision(of: connection, fence: nil)
        var spent = Duration.zero
        for start in stride(from: 0, to: count, by: batch) {
            let documents = (start..<min(start + batch, count)).map { index in
                // Six words of a hundred per document: a question's words match some documents, not all.
                let words = (0..<6).map { _ in Self.vocabulary.randomElement(using: &generator)! }
                let document = Document(
                    key: "table:public.t\(index)",
                    content: "Table public.\(words[0])_\(words[1])_\(index): columns id integer, \(words[2])_\(words[3]) text, \(words[4]) numeric, \(words[5])_at date",
                    metadata: ["table": .string("public.t\(index)")]
                )
                return EmbeddedDocument(document: document, contentHash: document.contentHash(embedder: "bench"), embedding: Self.randomUnit(&generator))
            }
            let started = ContinuousClock.now
            try await store.stage(documents, in: revision)
            spent += ContinuousClock.now - started
        }
        try await store.publish(revision)
        return spent
    }

    private func searchLatencies(_ store: PostgresVectorStore, in connections: [UUID], text: String,
                                 generator: inout SystemRandomNumberGenerator) async throws -> (p50: Double, p99: Double) {
        var latencies: [Double] = []
        for _ in 0..<searches {
            let search = DocumentSearch(connectionID: connections.randomElement(using: &generator)!, version: 1,
                                        embedding: Self.randomUnit(&generator), text: text, limit: limit)
            let started = ContinuousClock.now
            let found = try await store.search(search)
            latencies.append((ContinuousClock.now - started).inSeconds * 1000)
            guard found.count == limit else { throw ValidationError("a search returned \(found.count) results, not \(limit)") }
        }
        latencies.sort()
        return (latencies[latencies.count / 2], latencies[min(latencies.count - 1, latencies.count * 99 / 100)])
    }

    private static let vocabulary = """
        account address amount balance batch billing branch budget campaign carrier category channel city claim client \
        code comment company contract cost country coupon currency customer date delivery department deposit device \
        discount district employee event expense fee file flight fund grade group hotel invoice item journal label \
        language ledger license line loan location manager market member message method note office order owner \
        package partner payment period plan policy price product profile project purchase quantity quota rate region \
        rental report request review reward route salary sale schedule score segment seller service session shipment \
        skill status stock store student subject supplier survey task tax team ticket total transaction unit vendor \
        visit warehouse
        """.split(separator: " ").map(String.init)

    private static func randomUnit(_ generator: inout SystemRandomNumberGenerator) -> [Float] {
        let values = (0..<384).map { _ in Float.random(in: -1...1, using: &generator) }
        let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return values.map { $0 / norm }
    }
}
