import DataSources
import SchemaModel

/// A user's database as every query path reaches it (questions, cached queries, queries a user
/// or an agent wrote): through its dialect's guard under the owner's current options, within
/// the limits, with what the options exclude taken out of the rows.
package struct GuardedSource: Sendable {
    package let dialect: any SourceDialect
    private let connector: any SourceConnector
    /// The owner's current options: what the guard and retrieval hold questions to.
    package let options: SamplingOptions
    private let database: String?
    package var limits = QueryLimits()

    package init(dialect: any SourceDialect, connector: any SourceConnector, options: SamplingOptions, database: String?) {
        self.dialect = dialect
        self.connector = connector
        self.options = options
        self.database = database
    }

    /// Refuses what may not run against the index's `snapshot`; returns what may.
    package func guarded(_ query: String, snapshot: SchemaSnapshot) throws(QueryRefusal) -> GuardedQuery {
        try dialect.guarded(query, scope: QueryScope(options: options, snapshot: snapshot, database: database))
    }

    /// Runs a guarded query; throws ``QueryExecutionError`` when the database rejects it.
    package func run(_ query: GuardedQuery) async throws -> QueryResult {
        dialect.visible(try await connector.run(query, limits: limits), of: query)
    }
}
