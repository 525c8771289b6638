import Foundation
import Support

/// Loads a dataset's SQL script (DDL and data, as psql would run it) into a test database,
/// through the test PostgreSQL's own psql.
package enum SQLDataset {
    /// The project's copy of Chinook.
    package static var chinook: URL { TestServers.packageRoot.appendingPathComponent("datasets/chinook/Chinook_PostgreSql.sql") }

    /// Runs `file` in `database`, leaving out its own DROP/CREATE DATABASE and `\c`, so it
    /// loads into the database given. Runs ANALYZE afterwards, as a live database would have.
    package static func load(_ file: URL, into database: PostgresURL) async throws {
        let script = try String(contentsOf: file, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
            .filter { line in
                let trimmed = line.trimmingCharacters(in: .whitespaces).uppercased()
                return !trimmed.hasPrefix("\\C") && !trimmed.hasPrefix("DROP DATABASE") && !trimmed.hasPrefix("CREATE DATABASE")
            }
            .joined(separator: "\n") + "\nANALYZE;\n"
        try await run(script: script, in: database)
    }

    /// Runs SQL text with psql, stopping at the first error.
    package static func run(script: String, in database: PostgresURL) async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("askdb-\(UUID().uuidString).sql")
        try script.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let psql = try TestServers.variable("ASKDB_TEST_PG_BIN") + "/psql"
        let url = "postgresql://\(database.username):\(database.password ?? "")@\(database.host):\(database.port)/\(database.database)"
        let process = try ChildProcess(executable: psql, arguments: ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", file.path])
        let status = try await process.waitForExit(timeout: .seconds(120))
        guard status == 0 else { throw TestSetupError("psql failed (\(status)): \(process.output.suffix(2000))") }
    }
}
