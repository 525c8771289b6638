import Foundation
import SchemaModel
import Support

/// PostgreSQL: one read-only SELECT, judged on PostgreSQL's own parse tree.
package struct PostgresDialect: SourceDialect {
    package init() {}

    package var kind: ConnectionKind { .postgres }
    package var serverName: String { "PostgreSQL" }
    package var rowNoun: String { "rows" }

    package func address(from raw: String) throws -> any SourceAddress {
        try PostgresURL(raw)
    }

    package func connector(for source: SourceURL, connectionID: UUID?, reach: SourceReach) async throws -> any SourceConnector {
        let url = try PostgresURL(source.raw)
        let address = try await reach.hostPolicy.resolve(url.host)
        return PostgresSourceConnector(url: url, caCertificate: source.caCertificate, address: address, timeout: reach.connectTimeout, logger: reach.logger)
    }

    package func query(inReply reply: String) -> String? {
        SQLReplyExtractor.query(in: reply)
    }

    package var missingQueryHint: String {
        "the reply holds no SQL query; answer with one SELECT in a ```sql block"
    }

    package func guarded(_ query: String, scope: QueryScope) throws(QueryRefusal) -> GuardedQuery {
        GuardedQuery(try SQLGuard(options: scope.options, snapshot: scope.snapshot).check(query).sql, scope: scope)
    }

    /// The guard refuses every read of an excluded table or column, so nothing is left to hide.
    package func visible(_ result: QueryResult, of query: GuardedQuery) -> QueryResult {
        result
    }

    package func grammar(for objects: [SchemaObject]) -> String? {
        SQLGrammar().build(objects: objects)?.gbnf
    }

    package func instructions(today: String, constrained: Bool) -> String {
        """
        You write one PostgreSQL SELECT query that answers the user's question from this database.
        Use only the tables and columns below; join along the REFERENCES shown. Use the listed values exactly as written.
        Never modify data. Today is \(today).
        \(constrained ? "Reply with the query alone, ending with ;" : "Reply with the query in a ```sql block and nothing else.")
        """
    }

    package func reply(writing query: String, constrained: Bool) -> String {
        constrained ? query + ";" : "```sql\n\(query)\n```"
    }

    package func replyForm(constrained: Bool) -> String {
        constrained ? "SQL query" : "SQL query in a ```sql block"
    }
}

extension PostgresURL: SourceAddress {
    package var databaseName: String? { database }
}
