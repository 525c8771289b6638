import ArgumentParser
import DataSources
import Evaluation
import Foundation
import PostgresSyntax
import SchemaModel
import Support

/// What the SQL guard costs per query over an evaluation set's gold queries: once as they are,
/// and once with a bare excluded column, so every table is projected and the rewrite checked
/// again (the guard's slowest path). Snapshots come from the datasets' own schema files.
struct GuardBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "guard", abstract: "Time the SQL guard over gold queries.")

    @Option(help: "The questions (CSV with db_name and query columns).")
    var questions = "datasets/defog/questions_dev.csv"

    @Option(help: "The folder with each database's <name>.json schema (table_metadata).")
    var datasets = "datasets/defog"

    @Option(help: "Checks of every query per pass.")
    var rounds = 20

    func run() async throws {
        let asked = try QuestionSet.parse(String(contentsOfFile: questions, encoding: .utf8))
        var snapshots: [String: SchemaSnapshot] = [:]
        for database in Set(asked.map(\.database)) { snapshots[database] = try snapshot(of: database) }
        let golds = asked.compactMap { question in GoldQuery.variants(of: question.gold).first.map { (question.database, $0) } }
        print("\(golds.count) gold queries of \(questions), \(rounds) checks each per pass")
        print("pass                  p50 ms  p99 ms  max ms  refused")
        var parsing: [Double] = []
        for (_, sql) in golds {
            for _ in 0..<rounds {
                let start = ContinuousClock.now
                _ = try? PostgresParser.parse(sql)
                parsing.append((ContinuousClock.now - start).inSeconds * 1000)
            }
        }
        parsing.sort()
        print("parse tree only".padding(toLength: 21, withPad: " ", startingAt: 0)
              + String(format: " %7.3f %7.3f %7.3f", parsing[parsing.count / 2], parsing[min(parsing.count - 1, Int(Double(parsing.count) * 0.99))], parsing.last ?? 0))
        for (label, options) in [("as written", SamplingOptions()), ("every table projected", SamplingOptions(excludedColumns: ["askdb_bench_absent"]))] {
            var samples: [Double] = []
            var refused = 0
            for (database, sql) in golds {
                let guardrail = SQLGuard(options: options, snapshot: snapshots[database]!)
                do {
                    _ = try guardrail.check(sql)
                } catch {
                    refused += 1
                    print("  refused (\(database)): \(error.code): \(error.message)")
                }
                for _ in 0..<rounds {
                    let start = ContinuousClock.now
                    _ = try? guardrail.check(sql)
                    samples.append((ContinuousClock.now - start).inSeconds * 1000)
                }
            }
            samples.sort()
            func quantile(_ q: Double) -> Double { samples[min(samples.count - 1, Int(Double(samples.count) * q))] }
            print(label.padding(toLength: 21, withPad: " ", startingAt: 0)
                + String(format: " %7.3f %7.3f %7.3f  %7d", quantile(0.5), quantile(0.99), samples.last ?? 0, refused))
        }
    }

    /// The tables (`name` or `schema.name`) and columns of `<datasets>/<database>.json`, named as
    /// PostgreSQL folds them (the dataset's SQL creates them unquoted).
    private func snapshot(of database: String) throws -> SchemaSnapshot {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(datasets)/\(database).json"))
        let tables = try JSONValue(parsing: String(decoding: data, as: UTF8.self))["table_metadata"]?.objectValue ?? [:]
        return SchemaSnapshot(source: .postgres, objects: tables.map { qualified, columns in
            let parts = qualified.lowercased().split(separator: ".").map(String.init)
            return SchemaObject(schema: parts.count > 1 ? parts[0] : "public", name: parts.last ?? qualified, kind: .table, columns: (columns.array ?? []).compactMap { column in
                column["column_name"]?.string.map { SchemaColumn(name: $0.lowercased(), type: column["data_type"]?.string ?? "text") }
            })
        })
    }
}
