import PostgresNIO

/// The server's own words for a PostgreSQL error (message, detail, hint), for logs and
/// operators; `PSQLError`'s description hides them on purpose.
package struct PostgresErrorMessage: CustomStringConvertible, Sendable {
    package let description: String

    /// Describes `error`, falling back to its type's description for non-PostgreSQL errors.
    package init(_ error: any Error) {
        guard let psql = error as? PSQLError else {
            if let transaction = error as? PostgresTransactionError,
               let inner = transaction.closureError ?? transaction.commitError ?? transaction.beginError {
                self = PostgresErrorMessage(inner)
                return
            }
            description = "\(error)"
            return
        }
        if let info = psql.serverInfo, let message = info[.message] {
            var parts = [message]
            if let sqlState = info[.sqlState] { parts[0] = "\(message) (SQLSTATE \(sqlState))" }
            if let detail = info[.detail] { parts.append("detail: \(detail)") }
            if let hint = info[.hint] { parts.append("hint: \(hint)") }
            description = parts.joined(separator: "; ")
        } else {
            description = "\(psql.code)"
        }
    }
}
