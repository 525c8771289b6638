import AppDatabase
import Foundation
import Logging
import PostgresNIO
import PostgresSyntax
import Support

/// Runs one checked SQL query on a fresh connection, with defence in depth that holds even if
/// the guard had a hole: a READ ONLY transaction, a statement and a lock timeout, an EXPLAIN
/// first (unknown tables and columns fail there, before anything runs), the query wrapped so at
/// most `rowLimit + 1` rows are ever fetched, and a rollback. The connection is closed after,
/// never reused, so no session state (advisory locks, settings) can outlive the question.
struct PostgresQueryRunner {
    let connection: PostgresConnection
    let logger: Logger

    func run(_ sql: String, limits: QueryLimits) async throws -> QueryResult {
        let statement = try Self.singleStatement(sql)
        try await connection.query("BEGIN READ ONLY", logger: logger)
        do {
            let result = try await runInTransaction(statement, limits: limits)
            try? await connection.query("ROLLBACK", logger: logger)
            return result
        } catch {
            try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    private func runInTransaction(_ statement: String, limits: QueryLimits) async throws -> QueryResult {
        let milliseconds = "\(Int(limits.timeout.inSeconds * 1000))"
        let searchPath = "pg_catalog, \(SQLGuard.defaultSchema)"
        // The guard resolved names and read string literals under these settings, so the server
        // must too; sorts and hashes spill to disk early and, where the role may set it (only a
        // superuser can), not past a limit.
        let settings = try await connection.query("""
            SELECT set_config('statement_timeout', \(milliseconds), true), set_config('lock_timeout', '2000', true),
                   set_config('search_path', \(searchPath), true), set_config('standard_conforming_strings', 'on', true),
                   set_config('work_mem', '16MB', true),
                   CASE WHEN current_setting('is_superuser') = 'on' THEN set_config('temp_file_limit', '1GB', true) END,
                   current_setting('server_encoding')
            """, logger: logger)
        // The guard folds unquoted names as UTF-8 does; a single-byte encoding folds some letters
        // differently, so a name could mean another table to the server.
        for try await row in settings {
            let encoding = try row.decode((String, String, String, String, String, String?, String).self).6
            guard encoding == "UTF8" else {
                throw QueryExecutionError(stage: "explain", code: nil, message: "the database's encoding is \(encoding); AskDB runs questions only on UTF8 databases")
            }
        }

        let plan: JSONValue? = try await stage("explain") {
            let rows = try await connection.query(PostgresQuery(unsafeSQL: "EXPLAIN (FORMAT JSON) " + statement), logger: logger)
            var plan: JSONValue?
            for try await text in rows.decode(String.self) { plan = (try? JSONValue(parsing: text))?.array?.first?["Plan"] }
            return plan
        }
        if let cost = plan?["Total Cost"]?.number, cost > limits.maxCost {
            let rows = plan?["Plan Rows"]?.number.map { Int($0) } ?? 0
            throw QueryExecutionError(stage: "explain", code: nil, message:
                "the plan's estimated cost is \(Int(cost)), over this server's ceiling of \(Int(limits.maxCost)) (about \(rows) rows): narrow the query with a filter, a join condition or an aggregate", clientCode: "too_costly")
        }
        if limits.planOnly { return QueryResult(columns: [], rows: [], truncated: false) }
        // Column names, duplicates included, from one all-NULL row; then the rows as JSON arrays,
        // positionally, so two columns called `id` stay two columns.
        let names: [String] = try await stage("execute") {
            let rows = try await connection.query(PostgresQuery(unsafeSQL: """
                SELECT q.* FROM (SELECT 1) AS one LEFT JOIN LATERAL (SELECT * FROM (\n\(statement)\n) AS inner_query LIMIT 0) AS q ON true
                """), logger: logger)
            var names: [String] = []
            for try await row in rows { names = row.map(\.columnName) }
            return names
        }
        guard !names.isEmpty else { return QueryResult(columns: [], rows: [], truncated: false) }
        let shown = Array(names.prefix(100))
        let aliases = names.indices.map { "c\($0)" }
        // Caps applied where the database is, so an oversized value or result is never sent
        // (the driver has no message-size limit): a value over the cell limit becomes its first
        // characters (a quarter of the limit, so any UTF-8 fits) and `…`; rows stop at the one
        // that crosses the result limit, which comes flagged.
        let cell = limits.maxCellBytes
        let values = shown.indices.map { index in
            "CASE WHEN octet_length(q.c\(index)::text) > \(cell) THEN to_json(left(q.c\(index)::text, \(cell / 4)) || '…') ELSE to_json(q.c\(index)) END"
        }.joined(separator: ", ")
        let (rows, overBytes): ([[JSONValue]], Bool) = try await stage("execute") {
            let result = try await connection.query(PostgresQuery(unsafeSQL: """
                SELECT cells, total > \(limits.maxResultBytes) FROM (
                    SELECT cells, sum(octet_length(cells)) OVER (ROWS UNBOUNDED PRECEDING) AS total FROM (
                        SELECT json_build_array(\(values))::text AS cells FROM (\n\(statement)\n) AS q(\(aliases.joined(separator: ", "))) LIMIT \(limits.rowLimit + 1)
                    ) AS limited
                ) AS measured WHERE total - octet_length(cells) <= \(limits.maxResultBytes)
                """), logger: logger)
            var rows: [[JSONValue]] = []
            var overBytes = false
            for try await (text, over) in result.decode((String, Bool).self) {
                if over { overBytes = true; continue }
                rows.append((try? JSONValue(parsing: text))?.array ?? [])
            }
            return (rows, overBytes)
        }
        let truncation: QueryResult.Truncation? = overBytes ? .bytes : (rows.count > limits.rowLimit ? .rows : nil)
        return QueryResult(columns: shown, rows: Array(rows.prefix(limits.rowLimit)), truncation: truncation)
    }

    /// The statement without a trailing semicolon, so it can be wrapped.
    static func singleStatement(_ sql: String) throws -> String {
        let statements = (try? SQLStatementSplitter.split(sql)) ?? []
        guard statements.count == 1 else {
            throw QueryExecutionError(stage: "explain", code: nil, message: "exactly one statement is allowed")
        }
        var statement = statements[0]
        while statement.hasSuffix(";") { statement.removeLast() }
        return statement
    }

    private func stage<T>(_ name: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PSQLError {
            throw QueryExecutionError(stage: name, code: error.serverInfo?[.sqlState], message: PostgresErrorMessage(error).description)
        }
    }
}
