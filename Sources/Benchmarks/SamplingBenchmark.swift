import AppDatabase
import ArgumentParser
import DataSources
import Evaluation
import Foundation
import Logging
import PostgresNIO
import Runtime
import SchemaModel
import Support

/// Time to sample a generated schema of many tables (structure, statistics and a value sample
/// of each), the way an indexing run reads a user's database.
///
/// Needs `DATABASE_URL`; it creates a schema of its own there and drops it afterwards.
struct SamplingBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sample", abstract: "Time to sample a generated 1,000-table schema.")

    @Option(help: "Tables to generate.")
    var tables = 1000

    @Option(help: "Sampling runs; each is timed.")
    var runs = 3

    func run() async throws {
        guard let raw = ProcessInfo.processInfo.environment["DATABASE_URL"] else {
            throw ValidationError("set DATABASE_URL (e.g. `set -a; source .askdb/stack.env`)")
        }
        var logger = Logger(label: "askdb.bench")
        logger.logLevel = .error
        let url = try PostgresURL(raw)
        let postgres = PostgresClient(configuration: url.clientConfiguration(), backgroundLogger: logger)
        let schema = "bench_synthetic_\(UUID().uuidString.prefix(8).lowercased())"
        try await ProcessServices.withRunning([postgres], logger: logger) {
            let generated = ContinuousClock.now
            for statement in SyntheticSchema(schema: schema, tables: tables).statements {
                try await postgres.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            try await postgres.query(PostgresQuery(unsafeSQL: "ANALYZE"), logger: logger)
            print(String(format: "generated %d tables in %.1f s", tables, (ContinuousClock.now - generated).inSeconds))
            do {
                let connector = PostgresSourceConnector(url: url, address: IPAddress("127.0.0.1")!, logger: logger)
                // Only the generated schema: everything else in the app database is excluded.
                let options = SamplingOptions(excludedSchemas: ["public"])
                for run in 1...runs {
                    for sampleValues in [false, true] {
                        let started = ContinuousClock.now
                        let snapshot = try await connector.sampleSchema(options: SamplingOptions(
                            sampleValues: sampleValues, excludedSchemas: options.excludedSchemas
                        ), maxObjects: ObjectCap.defaultLimit) { _, _, _ in }
                        let seconds = (ContinuousClock.now - started).inSeconds
                        let columns = snapshot.objects.reduce(0) { $0 + $1.columns.count }
                        let keys = snapshot.objects.reduce(0) { $0 + $1.foreignKeys.count }
                        print(String(format: "run %d, %@: %d tables, %d columns, %d foreign keys in %.2f s",
                                     run, sampleValues ? "structure + value samples" : "structure only", snapshot.objects.count, columns, keys, seconds))
                    }
                }
            } catch {
                try? await drop(schema, postgres: postgres, logger: logger)
                throw error
            }
            try await drop(schema, postgres: postgres, logger: logger)
        }
    }

    /// Drops the generated tables a hundred at a time: one DROP SCHEMA … CASCADE of a thousand
    /// tables needs more locks than a default server allows in one transaction.
    private func drop(_ schema: String, postgres: PostgresClient, logger: Logger) async throws {
        let names = SyntheticSchema(schema: schema, tables: tables).tableNames.reversed().map { "\(schema).\($0)" }
        for start in stride(from: 0, to: names.count, by: 100) {
            let batch = names[start..<min(start + 100, names.count)].joined(separator: ", ")
            try await postgres.query(PostgresQuery(unsafeSQL: "DROP TABLE IF EXISTS \(batch) CASCADE"), logger: logger)
        }
        try await postgres.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"), logger: logger)
    }
}
