import Foundation
import Logging
import SchemaModel
import Support

/// Everything that differs between kinds of user database: reading the query out of a model's
/// reply, the guard, the grammar, the prompt's wording, the URL and the connector.
///
/// The pipeline, the prompts and the indexer speak to a dialect and never ask which kind they
/// have; a new kind is a folder with its dialect and one line in ``SourceDialects``.
package protocol SourceDialect: Sendable {
    var kind: ConnectionKind { get }
    /// The server's name in messages: "PostgreSQL refused it: …".
    var serverName: String { get }
    /// What one row is called in descriptions of the schema ("rows", "documents").
    var rowNoun: String { get }

    /// Checks the shape of a URL of this kind; the error names the part that is wrong.
    func address(from raw: String) throws -> any SourceAddress
    /// A connector for `source` at addresses the host policy allows; refused hosts throw before
    /// any connection is attempted. `connectionID` names the saved connection the URL belongs
    /// to (nil for one tested before it is saved).
    func connector(for source: SourceURL, connectionID: UUID?, reach: SourceReach) async throws -> any SourceConnector

    /// The query in a model's reply, judged whole: a reply that also holds something else comes
    /// back with it, for the guard to refuse. Nil when the reply holds no query at all.
    func query(inReply reply: String) -> String?
    /// What to tell a model whose reply held no query.
    var missingQueryHint: String { get }
    /// The guard: refuses what may not run under `scope` and returns what may, rewritten where
    /// the dialect hides excluded data by rewriting.
    func guarded(_ query: String, scope: QueryScope) throws(QueryRefusal) -> GuardedQuery
    /// `result` without anything the query's scope excludes that the query could still have
    /// returned.
    func visible(_ result: QueryResult, of query: GuardedQuery) -> QueryResult
    /// The GBNF grammar that holds a reply to a query over `objects`; nil when none has columns.
    func grammar(for objects: [SchemaObject]) -> String?

    /// The system prompt's opening: what to write, and how to reply.
    /// - Parameter constrained: a grammar holds the reply to the bare query, without a code block.
    func instructions(today: String, constrained: Bool) -> String
    /// A query as the model should have written it, for the earlier turns of a conversation.
    func reply(writing query: String, constrained: Bool) -> String
    /// What a repair asks for: "SQL query in a ```sql block".
    func replyForm(constrained: Bool) -> String
}

/// What a parsed URL tells the rest of AskDB about where it leads.
package protocol SourceAddress: Sendable {
    /// The database the URL names, if it names one.
    var databaseName: String? { get }
}

/// What a dialect needs to reach a user's database from this process.
package struct SourceReach: Sendable {
    package var hostPolicy: HostPolicy
    package var connectTimeout: Duration
    /// The process's MongoDB clients (a `Service` of its group).
    package var mongoClients: MongoClientPool
    package var logger: Logger

    package init(hostPolicy: HostPolicy, connectTimeout: Duration = .seconds(5), mongoClients: MongoClientPool, logger: Logger) {
        self.hostPolicy = hostPolicy
        self.connectTimeout = connectTimeout
        self.mongoClients = mongoClients
        self.logger = logger
    }
}

/// What a query may see: the owner's options as they are now, the schema the index was built
/// from, and the database the connection's URL names.
package struct QueryScope: Sendable {
    package var options: SamplingOptions
    package var snapshot: SchemaSnapshot
    package var database: String?

    package init(options: SamplingOptions, snapshot: SchemaSnapshot, database: String?) {
        self.options = options
        self.snapshot = snapshot
        self.database = database
    }
}

/// A query a dialect's guard passed: connectors run only these, so nothing reaches a user's
/// database around the guard.
package struct GuardedQuery: Sendable {
    /// What runs: the query as written, or as the guard rewrote it.
    package let text: String
    /// What it was checked under, which its results are filtered by.
    package let scope: QueryScope

    /// Only guards make one (they live in this module).
    init(_ text: String, scope: QueryScope) {
        self.text = text
        self.scope = scope
    }

    /// A query AskDB itself wrote and trusts without a guard (an evaluation's gold queries);
    /// never one a model, a user or a cache supplied.
    package static func trusted(_ text: String, kind: ConnectionKind) -> GuardedQuery {
        GuardedQuery(text, scope: QueryScope(options: SamplingOptions(), snapshot: SchemaSnapshot(source: kind, objects: []), database: nil))
    }
}
