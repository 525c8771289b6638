internal import CPgQuery
import Foundation
import Support

/// PostgreSQL's own parser (libpg_query, the PostgreSQL 15 grammar): SQL text to its parse
/// tree as JSON, the one place the C library's parse results are touched.
package enum PostgresParser {
    /// The parse tree of `sql`: `{"version": …, "stmts": [{"stmt": {"SelectStmt": …}}, …]}`.
    package static func parse(_ sql: String) throws(SQLStatementSplitter.SyntaxError) -> JSONValue {
        let result = pg_query_parse(sql)
        defer { pg_query_free_parse_result(result) }
        if let error = result.error { throw SQLStatementSplitter.SyntaxError(error) }
        guard let tree = result.parse_tree else {
            throw SQLStatementSplitter.SyntaxError(message: "the parser returned no tree", position: nil)
        }
        do {
            return try JSONValue(parsing: String(cString: tree))
        } catch {
            // The tree is well-formed JSON; what it can exceed is the reader's nesting limit.
            throw SQLStatementSplitter.SyntaxError(message: "the query nests too deeply to check (a long chain of operators?)", position: nil)
        }
    }
}
