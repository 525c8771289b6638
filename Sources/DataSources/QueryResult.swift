import Support

/// Rows a query returned from a user's database, capped.
package struct QueryResult: Sendable, Equatable {
    /// Which cap cut the rows short.
    package enum Truncation: String, Sendable, Codable {
        /// More rows than the row limit.
        case rows
        /// More bytes than the result limit.
        case bytes
    }

    package var columns: [String]
    /// Each row's values in column order, as JSON (numbers stay numbers); a value over the cell
    /// limit is a string cut short, ending in `…`.
    package var rows: [[JSONValue]]
    /// Nil when every row is here.
    package var truncation: Truncation?

    package var truncated: Bool { truncation != nil }

    package init(columns: [String], rows: [[JSONValue]], truncation: Truncation?) {
        self.columns = columns
        self.rows = rows
        self.truncation = truncation
    }

    /// `truncated`: cut short by the row limit.
    package init(columns: [String], rows: [[JSONValue]], truncated: Bool) {
        self.init(columns: columns, rows: rows, truncation: truncated ? .rows : nil)
    }
}

/// How much a query may cost the user's database.
package struct QueryLimits: Sendable, Equatable {
    /// Rows returned at most; the query is wrapped so no more are ever fetched.
    package var rowLimit: Int
    /// The server stops the statement after this long.
    package var timeout: Duration
    /// The most a plan may cost in the planner's units (`ASKDB_MAX_QUERY_COST`): a query whose
    /// EXPLAIN estimates more is refused before it runs.
    package var maxCost: Double
    /// The most one value may take (`ASKDB_MAX_CELL_BYTES`); a longer one is cut short where
    /// the database is, before it is sent.
    package var maxCellBytes: Int
    /// The most all rows may take together (`ASKDB_MAX_RESULT_BYTES`); rows past it are not sent.
    package var maxResultBytes: Int
    /// Stop once the query is planned (PostgreSQL's EXPLAIN and the cost ceiling; MongoDB's
    /// parse and fan-out check), reading no rows: whether a stored query would still run.
    package var planOnly = false

    /// 100 million: every gold query of the evaluation sets passes, and a 3-way cross join of
    /// Chinook's largest tables (about 10^9) does not.
    package static let defaultMaxCost = 100_000_000.0

    package init(rowLimit: Int = 1000, timeout: Duration = .seconds(15), maxCost: Double = QueryLimits.defaultMaxCost,
                 maxCellBytes: Int = 64 * 1024, maxResultBytes: Int = 8 * 1024 * 1024) {
        self.rowLimit = rowLimit
        self.timeout = timeout
        self.maxCost = maxCost
        self.maxCellBytes = maxCellBytes
        self.maxResultBytes = maxResultBytes
    }
}

/// The user's database rejected or stopped a checked query (unknown column, timeout, …); the
/// message is the server's, for the model to repair the query and for the user.
package struct QueryExecutionError: ClientFacingError, CustomStringConvertible {
    /// `explain` (caught by the dry run) or `execute`.
    package var stage: String
    /// The server's error code (a SQLSTATE for PostgreSQL), when it gave one.
    package var code: String?
    package var message: String
    /// What the API calls it: `query_failed`, or `too_costly` for a plan over the cost ceiling.
    package var clientCode: String

    package init(stage: String, code: String?, message: String, clientCode: String = "query_failed") {
        self.stage = stage
        self.code = code
        self.message = message
        self.clientCode = clientCode
    }

    package var description: String { message }

    package var clientStatus: Int { 422 }
    package var clientMessage: String { clientCode == "query_failed" ? "the database refused the query: \(message)" : message }
}
