@testable import DataSources
import Foundation
@testable import LanguageModel
import PostgresNIO
@testable import Query
@testable import Retrieval
@testable import SchemaModel
@testable import Support
import TestSupport
import Testing

@Suite(.serialized) struct QueryPipelineTests {
    /// Chinook indexed into a fresh app database; `body` gets the pipeline's parts.
    static func withIndexedChinook<T: Sendable>(
        _ body: @Sendable (_ connector: PostgresSourceConnector, _ connectionID: UUID, _ store: PostgresVectorStore,
                           _ snapshots: SchemaSnapshotStore) async throws -> T
    ) async throws -> T {
        try await TestDatabase.with { source, _ in
            try await SQLDataset.load(SQLDataset.chinook, into: source.url)
            return try await TestDatabase.with(migrated: true) { _, postgres in
                let (_, connectionID) = try await AppRows.connection(in: postgres)
                let store = PostgresVectorStore(postgres: postgres, logger: TestServers.logger)
                let snapshots = SchemaSnapshotStore(postgres: postgres, logger: TestServers.logger)
                let connector = PostgresSamplingTests.connector(source)
                _ = try await ConnectionIndexer(store: store, snapshots: snapshots, embedder: HashEmbedder(), logger: TestServers.logger)
                    .index(connectionID: connectionID, connector: connector, options: SamplingOptions(), fence: nil) { _ in }
                return try await body(connector, connectionID, store, snapshots)
            }
        }
    }

    @Test func aFailedQueryIsRepairedFromTheServersErrorAndAnsweredFromRealRows() async throws {
        try await Self.withIndexedChinook { connector, connectionID, store, snapshots in
            let chat = ScriptedChat(replies: [
                "Sure! Here is the query:\n```sql\nSELECT nme FROM genre\n```\nIt lists genres.",
                "```sql\nSELECT g.name, count(*) AS tracks FROM genre g JOIN track t ON t.genre_id = g.genre_id GROUP BY g.name ORDER BY tracks DESC LIMIT 3;\n```",
                "Rock has the most tracks.",
            ])
            try await ScriptedHTTPServer.with({ chat.register(on: $0) }) { base in
                let model = OpenAICompatibleModel(baseURL: base, model: "scripted-model")
                let pipeline = QueryPipeline(store: store, snapshots: snapshots, embedder: HashEmbedder(), model: model, logger: TestServers.logger)
                let answer = try await pipeline.ask(
                    QuestionRequest(connectionID: connectionID, question: "Which genres have the most tracks?"),
                    version: 1, source: Self.source(connector)
                )
                #expect(answer.attempts == 2)
                #expect(answer.columns == ["name", "tracks"])
                #expect(answer.rows.count == 3 && answer.rows[0][0] == .string("Rock"))
                #expect(answer.rows[0][1].int ?? 0 > 1000)
                #expect(answer.answer == "Rock has the most tracks.")
                #expect(answer.model == "scripted-model")
                #expect(answer.query.hasPrefix("SELECT g.name"))
                #expect(!answer.documentsUsed.isEmpty)
                // The schema went into the prompt, and the repair told the model what was wrong.
                let first = await chat.messages(of: 0)
                #expect(first.first?.1.contains("TABLE public.genre") == true)
                let second = await chat.messages(of: 1)
                #expect(second.last?.1.contains("column \"nme\" does not exist") == true)
                let answerPrompt = await chat.messages(of: 2)
                #expect(answerPrompt.last?.1.contains("Rock |") == true)
            }
        }
    }

    @Test func aServerThatTakesAGrammarIsHeldToTheContextsObjects() async throws {
        try await Self.withIndexedChinook { connector, connectionID, store, snapshots in
            let chat = ScriptedChat(replies: ["SELECT COUNT(*) FROM genre;"])
            try await ScriptedHTTPServer.with({ chat.register(on: $0) }) { base in
                let model = OpenAICompatibleModel(baseURL: base, model: "m", acceptsGrammar: true)
                let pipeline = QueryPipeline(store: store, snapshots: snapshots, embedder: HashEmbedder(), model: model, logger: TestServers.logger)
                let answer = try await pipeline.ask(QuestionRequest(connectionID: connectionID, question: "How many genres are there?", mode: .sqlOnly),
                                                    version: 1, source: Self.source(connector))
                #expect(answer.rows == [[.int(25)]] && answer.query == "SELECT COUNT(*) FROM genre")
                let body = try #require(await chat.body(of: 0))
                let request = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
                let grammar = try #require(request["grammar"] as? String)
                #expect(grammar.hasPrefix("root ::= ") && grammar.contains("genre"))
                #expect(await chat.messages(of: 0).first?.1.contains("ending with ;") == true)
            }
        }
    }

    static func source(_ connector: PostgresSourceConnector) -> GuardedSource {
        GuardedSource(dialect: PostgresDialect(), connector: connector, options: SamplingOptions(), database: nil)
    }

    /// A kept query is guarded again under the options the source has now, so one reading a
    /// column excluded since is not run.
    @Test func aCachedQueryRerunsOnlyIfItStillPassesTheGuard() async throws {
        try await Self.withIndexedChinook { connector, connectionID, store, snapshots in
            let chat = ScriptedChat(replies: ["unused"])
            try await ScriptedHTTPServer.with({ chat.register(on: $0) }) { base in
                let pipeline = QueryPipeline(store: store, snapshots: snapshots, embedder: HashEmbedder(),
                                             model: OpenAICompatibleModel(baseURL: base, model: "m"), logger: TestServers.logger)
                let request = QuestionRequest(connectionID: connectionID, question: "Emails?", mode: .sqlOnly)
                let open = try await pipeline.rerun("SELECT email FROM customer LIMIT 1", for: request, version: 1, source: Self.source(connector))
                #expect(open?.rows.count == 1)
                let excluding = GuardedSource(dialect: PostgresDialect(), connector: connector,
                                              options: SamplingOptions(excludedColumns: ["customer.email"]), database: nil)
                #expect(try await pipeline.rerun("SELECT email FROM customer LIMIT 1", for: request, version: 1, source: excluding) == nil)
                #expect(await chat.requestCount == 0)
            }
        }
    }

    /// One hash over every row of every Chinook table, and the list of relations and functions.
    static func checksum(_ connector: PostgresSourceConnector) async throws -> [[JSONValue]] {
        let tables = ["album", "artist", "customer", "employee", "genre", "invoice", "invoice_line", "media_type", "playlist", "playlist_track", "track"]
        let hashes = tables.map { "(SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) FROM \($0) x)" }.joined(separator: " || ")
        return try await connector.run(.trusted("""
            SELECT md5(\(hashes)) AS rows,
                   (SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relnamespace = 'public'::regnamespace) AS relations,
                   (SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace) AS functions
            """, kind: .postgres), limits: QueryLimits()).rows
    }

    @Test func aModelThatOnlyWritesUnsafeQueriesGetsNothingRun() async throws {
        // Every destructive or escaping statement of the guard's corpus, one reply each (reads
        // of objects a connection excludes are left out: this connection excludes none).
        let corpus = SQLGuardCorpus.refused.filter { $0.1 != "object_not_allowed" }.map(\.0)
        #expect(corpus.count >= 60)
        try await Self.withIndexedChinook { connector, connectionID, store, snapshots in
            let before = try await Self.checksum(connector)
            let chat = ScriptedChat(replies: corpus.map { "```sql\n\($0)\n```" })
            try await ScriptedHTTPServer.with({ chat.register(on: $0) }) { base in
                var pipeline = QueryPipeline(store: store, snapshots: snapshots, embedder: HashEmbedder(),
                                             model: OpenAICompatibleModel(baseURL: base, model: "m"), logger: TestServers.logger)
                pipeline.repairs = corpus.count - 1
                let failure = await #expect(throws: QuestionFailure.self) {
                    _ = try await pipeline.ask(QuestionRequest(connectionID: connectionID, question: "Delete the genres", mode: .sqlOnly),
                                               version: 1, source: Self.source(connector))
                }
                #expect(failure?.attempts == corpus.count)
                #expect(await chat.requestCount == corpus.count)
                #expect(await chat.messages(of: 4).last?.1.contains("only SELECT") == true)
            }
            // Nothing ran: every row, relation and function is as it was.
            #expect(try await Self.checksum(connector) == before)
        }
    }

    @Test func executionIsReadOnlyCappedAndKeepsDuplicateColumns() async throws {
        try await Self.withIndexedChinook { connector, _, _, _ in
            let capped = try await connector.run(.trusted("SELECT track_id, name FROM track ORDER BY track_id", kind: .postgres), limits: QueryLimits(rowLimit: 5))
            #expect(capped.rows.count == 5 && capped.truncated)
            let duplicate = try await connector.run(.trusted("SELECT a.album_id, b.album_id FROM album a JOIN album b USING (album_id) LIMIT 1 -- trailing comment", kind: .postgres), limits: QueryLimits())
            #expect(duplicate.columns == ["album_id", "album_id"] && duplicate.rows == [[.int(1), .int(1)]])
            // Even a write that got past every check fails: the query is wrapped (a data-modifying
            // WITH must be top level) and the transaction is read-only.
            await #expect(throws: QueryExecutionError.self) {
                _ = try await connector.run(.trusted("WITH x AS (DELETE FROM genre RETURNING *) SELECT * FROM x", kind: .postgres), limits: QueryLimits())
            }
            let write = await #expect(throws: QueryExecutionError.self) {
                _ = try await connector.run(.trusted("SELECT count(*) FROM (SELECT 1) x, LATERAL (SELECT nextval('genre_genre_id_seq')) y", kind: .postgres), limits: QueryLimits())
            }
            #expect(write?.message.contains("read-only") == true || write?.message.contains("does not exist") == true, "\(write?.message ?? "")")
            #expect(try await connector.run(.trusted("SELECT count(*) AS n FROM genre", kind: .postgres), limits: QueryLimits()).rows == [[.int(25)]])
            let slow = await #expect(throws: QueryExecutionError.self) {
                _ = try await connector.run(.trusted("SELECT pg_sleep(5)", kind: .postgres), limits: QueryLimits(timeout: .milliseconds(300)))
            }
            #expect(slow?.message.contains("statement timeout") == true)
        }
    }
}
