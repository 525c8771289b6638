internal import CPgQuery
import Foundation

/// Splits a SQL script into statements with PostgreSQL's own grammar (libpg_query), so
/// semicolons inside strings, dollar quotes and comments never split a statement.
package enum SQLStatementSplitter {
    /// A script that PostgreSQL's grammar rejects.
    package struct SyntaxError: Error, Sendable, CustomStringConvertible {
        package var message: String
        /// 1-based character position of the error in the script, when known.
        package var position: Int?
        package var description: String {
            position.map { "\(message) at character \($0)" } ?? message
        }

        package init(message: String, position: Int?) {
            self.message = message
            self.position = position
        }

        /// libpg_query's error, as every one of its calls reports it.
        init(_ error: UnsafeMutablePointer<PgQueryError>) {
            message = error.pointee.message.map { String(cString: $0) } ?? "syntax error"
            position = error.pointee.cursorpos > 0 ? Int(error.pointee.cursorpos) : nil
        }
    }

    /// The statements of `script`, trimmed, without empty ones.
    package static func split(_ script: String) throws(SyntaxError) -> [String] {
        let result = pg_query_split_with_parser(script)
        defer { pg_query_free_split_result(result) }
        if let error = result.error { throw SyntaxError(error) }
        let bytes = Array(script.utf8)
        var statements: [String] = []
        for index in 0..<Int(result.n_stmts) {
            guard let statement = result.stmts[index]?.pointee else { continue }
            let start = Int(statement.stmt_location)
            let end = min(bytes.count, start + Int(statement.stmt_len))
            let text = String(decoding: bytes[start..<end], as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { statements.append(text) }
        }
        return statements
    }
}
