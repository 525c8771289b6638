import AppDatabase
import Crypto
import Evaluation
import Foundation
import Logging
import PostgresNIO
import PostgresSyntax
import Runtime
import Support

/// The databases an evaluation asks: each dataset loaded from `<dir>/<name>.sql` into a database
/// of its own, with generated distractor tables beside it when asked for. A database already
/// loaded from the same file and settings is reused (its comment records which).
struct EvaluationDatabases {
    let admin: PostgresURL
    let adminRaw: String
    let directory: URL
    let distractors: Int
    let logger: Logger

    /// Creates or reuses the database for `dataset`; returns its URL.
    func prepare(_ dataset: String) async throws -> String {
        let file = directory.appendingPathComponent("\(dataset).sql")
        guard let script = try? String(contentsOf: file, encoding: .utf8) else {
            throw EvaluationError("no dataset file \(file.path) for the database '\(dataset)'")
        }
        let safe = dataset.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
        let name = "askdb_eval_" + String(safe) + (distractors > 0 ? "_d\(distractors)" : "")
        let digest = SHA256.hash(data: Data((script + "\u{0}\(distractors)").utf8)).hexString
        let marker = "askdb eval \(digest)"
        let loaded = try await withClient(admin) { client in
            let rows = try await client.query("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = \(name)", logger: logger)
            for try await comment in rows.decode(String?.self) where comment == marker { return true }
            try await client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
            return false
        }
        var target = admin
        target.database = name
        if !loaded {
            say("loading \(dataset) into \(name)\(distractors > 0 ? " with \(distractors) distractor tables" : "")")
            try await withClient(target) { client in
                // psql's meta-commands (`\\c chinook`) are not SQL: left out.
                let sql = script.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("\\") }.joined(separator: "\n")
                for statement in try SQLStatementSplitter.split(sql) where !Self.createsItsOwnDatabase(statement) {
                    try await client.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                for statement in SyntheticSchema(tables: distractors, seed: 3).statements where distractors > 0 {
                    try await client.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await client.query(PostgresQuery(unsafeSQL: "ANALYZE"), logger: logger)
            }
            _ = try await withClient(admin) { client in
                try await client.query(PostgresQuery(unsafeSQL: "COMMENT ON DATABASE \(name) IS '\(marker)'"), logger: logger)
            }
        }
        guard var components = URLComponents(string: adminRaw) else { throw EvaluationError("the source URL is not a URL") }
        components.path = "/" + name
        return components.string!
    }

    /// A dump's own `DROP DATABASE` and `CREATE DATABASE` (Chinook's script starts so): the
    /// evaluation loads it into a database it made itself.
    static func createsItsOwnDatabase(_ statement: String) -> Bool {
        var text = Substring(statement)
        while true {
            text = text.drop { $0.isWhitespace }
            if text.hasPrefix("/*"), let end = text.range(of: "*/") { text = text[end.upperBound...]; continue }
            if text.hasPrefix("--"), let end = text.firstIndex(of: "\n") { text = text[end...]; continue }
            break
        }
        let start = text.prefix(16).uppercased()
        return start.hasPrefix("DROP DATABASE") || start.hasPrefix("CREATE DATABASE")
    }

    private func withClient<T: Sendable>(_ url: PostgresURL, _ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
        let client = PostgresClient(configuration: url.clientConfiguration(), backgroundLogger: logger)
        return try await ProcessServices.withRunning([client], logger: logger) { try await body(client) }
    }
}
