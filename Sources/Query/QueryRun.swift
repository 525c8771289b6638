import DataSources
import Support

/// What running a query the caller wrote gave: the query as it ran (the guard may have
/// rewritten it), its rows, and how long each step took.
package struct QueryRun: Sendable, Codable {
    /// Milliseconds per step.
    package struct Timings: Sendable, Codable, Equatable {
        package var validate: Double
        package var execute: Double
        package var total: Double
    }

    package var query: String
    package var columns: [String]
    package var rows: [[JSONValue]]
    package var truncated: Bool
    /// Which cap cut the rows short, when one did.
    package var truncatedBy: QueryResult.Truncation?
    package var rowCount: Int
    package var timings: Timings

    package init(query: String, result: QueryResult, timings: Timings) {
        self.query = query
        columns = result.columns
        rows = result.rows
        truncated = result.truncated
        truncatedBy = result.truncation
        rowCount = result.rows.count
        self.timings = timings
    }

    enum CodingKeys: String, CodingKey {
        case query, columns, rows, truncated, timings
        case rowCount = "row_count"
        case truncatedBy = "truncated_by"
    }
}
