@testable import API
@testable import DataSources
import Foundation
import HummingbirdTesting
@testable import Mongo
import PostgresNIO
@testable import Retrieval
@testable import SchemaModel
import TestSupport
import Testing

@Suite(.serialized) struct QueryRoutesTests {
    /// Chinook in a database of its own, and a scripted model server with `replies`.
    static func withChinookAndModel<T: Sendable>(
        replies: [String],
        _ body: @Sendable (_ source: TestDatabase, _ chat: ScriptedChat, _ modelURL: String) async throws -> T
    ) async throws -> T {
        try await TestDatabase.with { source, _ in
            try await SQLDataset.load(SQLDataset.chinook, into: source.url)
            let chat = ScriptedChat(replies: replies)
            return try await ScriptedHTTPServer.with({ chat.register(on: $0) }) { base in try await body(source, chat, base) }
        }
    }

    /// Connects `source` for a new user and, if `index`, indexes it (with the test embedder).
    static func connect(_ source: TestDatabase, client: any TestClientProtocol, services: APIServices, index: Bool) async throws -> (token: String, id: String) {
        try await connect(kind: "postgres", url: try ConnectionRoutesTests().sourceURL(source.name), client: client, services: services, index: index)
    }

    static func connect(kind: String, url: String, options: [String: any Sendable]? = nil, client: any TestClientProtocol, services: APIServices,
                        index: Bool) async throws -> (token: String, id: String) {
        let token = try await client.signUp("asker@example.com")
        var body: [String: any Sendable] = ["name": "source", "kind": kind, "url": url]
        if let options { body["options"] = options }
        let created = try await client.call(.post, "/api/connections", token: token, body: body)
        let id = try #require((created["connection"] as? [String: Any])?["id"] as? String, "\(created.object)")
        if index { try await reindex(id, kind: kind, url: url, services: services) }
        return (token, id)
    }

    /// Indexes the connection as a worker would, telling `progress` each step.
    static func reindex(_ id: String, kind: String, url: String, services: APIServices, options: SamplingOptions = SamplingOptions(),
                        progress: @escaping @Sendable (ConnectionIndexer.Progress) async throws -> Void = { _ in }) async throws {
        let connector = try await services.connections.connector(for: try SourceURL(kind: ConnectionKind(rawValue: kind)!, raw: url), connectionID: UUID(uuidString: id))
        let report = try await ConnectionIndexer(store: services.store, snapshots: SchemaSnapshotStore(postgres: services.postgres, logger: TestServers.logger),
                                                 embedder: HashEmbedder(), logger: TestServers.logger)
            .index(connectionID: UUID(uuidString: id)!, connector: connector, options: options, fence: nil, progress: progress)
        try await waitUntilSeen(indexVersion: report.version, of: id, services: services)
    }

    /// Waits until the API process has heard that another process moved the connection's index
    /// version (its in-process copy is dropped on PostgreSQL's notification, within milliseconds).
    static func waitUntilSeen(indexVersion: Int, of id: String, services: APIServices) async throws {
        let id = try #require(UUID(uuidString: id))
        var ownerID: UUID?
        for try await owner in try await services.postgres.query("SELECT owner_id FROM connections WHERE id = \(id)", logger: TestServers.logger)
            .decode(UUID.self) { ownerID = owner }
        let owner = try #require(ownerID)
        #expect(try await eventually { try await services.connections.connection(id: id, ownerID: owner).indexVersion == indexVersion })
    }

    @Test func aQuestionIsAnsweredFromTheLiveDatabaseRememberedAndAudited() async throws {
        try await Self.withChinookAndModel(replies: ["```sql\nSELECT count(*) AS albums FROM album\n```", "There are 347 albums."]) { source, chat, modelURL in
            try await APITestHarness.withFreshApplication(settings: ["ASKDB_LLM_URL": modelURL, "ASKDB_LLM_MODEL": "scripted"]) { client, services in
                let (token, id) = try await Self.connect(source, client: client, services: services, index: true)
                let answer = try await client.call(.post, "/api/query", token: token, body: ["connection_id": id, "question": "How many albums are there?"])
                #expect(answer.status == .ok, "\(answer.object)")
                #expect(answer["rows"] as? [[Int]] == [[347]])
                #expect(answer["columns"] as? [String] == ["albums"])
                #expect(answer["answer"] as? String == "There are 347 albums.")
                #expect(answer["query"] as? String == "SELECT count(*) AS albums FROM album")
                #expect(answer["model"] as? String == "scripted")
                #expect(answer["attempts"] as? Int == 1)
                #expect(answer["cached"] as? Bool == false)
                #expect(answer["history_id"] as? String != nil)
                #expect((answer["timings"] as? [String: Any])?["total"] as? Double != nil)

                let audit = try await services.postgres.query("SELECT query, outcome, row_count FROM query_audit", logger: TestServers.logger)
                var entries: [(String, String, Int?)] = []
                for try await entry in audit.decode((String, String, Int?).self) { entries.append(entry) }
                #expect(entries.count == 1 && entries.first?.1 == "ok" && entries.first?.2 == 1)
                // Append-only, even for the application's own role.
                await #expect(throws: (any Error).self) {
                    try await services.postgres.query("DELETE FROM query_audit", logger: TestServers.logger)
                }
                #expect(await chat.requestCount == 2)

                // The same question again (other case and spacing): the answer cache, in a few
                // milliseconds, without the model or the user's database.
                let again = try await client.call(.post, "/api/query", token: token, body: ["connection_id": id, "question": "how many  albums are there"])
                #expect(again["cached"] as? Bool == true && again["rows"] as? [[Int]] == [[347]])
                #expect(await chat.requestCount == 2)

                // History: listed, read, owner-only, deleted — and the audit entry stays.
                let historyID = try #require(answer["history_id"] as? String)
                let listed = try await client.call(.get, "/api/history?connection_id=\(id)", token: token)
                #expect((listed["items"] as? [[String: Any]])?.map { $0["question"] as? String } == ["how many  albums are there", "How many albums are there?"])
                let entry = try await client.call(.get, "/api/history/\(historyID)", token: token)
                #expect(entry["query"] as? String == "SELECT count(*) AS albums FROM album" && entry["row_count"] as? Int == 1)
                let stranger = try await client.signUp("stranger@example.com")
                #expect(try await client.call(.get, "/api/history/\(historyID)", token: stranger).status == .notFound)
                #expect(try await client.call(.delete, "/api/history/\(historyID)", token: stranger).status == .notFound)
                #expect(try await client.call(.delete, "/api/history", token: token).status == .noContent)
                #expect(try await client.call(.get, "/api/history/\(historyID)", token: token).status == .notFound)
                let kept = try await services.postgres.query("SELECT count(*)::int8 FROM query_audit", logger: TestServers.logger)
                for try await count in kept.decode(Int.self) { #expect(count == 1) }
                // Admins read the audit log; users may not.
                #expect(try await client.call(.get, "/api/admin/audit", token: token).status == .forbidden)
                _ = try await services.accounts.createAdmin(email: "auditor@example.com", password: "operator password 1")
                let auditor = try await client.logIn("auditor@example.com", password: "operator password 1")
                let log = try await client.call(.get, "/api/admin/audit?connection_id=\(id)", token: auditor)
                let items = try #require(log["items"] as? [[String: Any]])
                #expect(items.count == 1 && items.first?["query"] as? String == "SELECT count(*) AS albums FROM album")
                #expect(items.first?["outcome"] as? String == "ok" && items.first?["row_count"] as? Int == 1)
            }
        }
    }

    @Test func withoutTheAnswerCacheTheCachedQueryRunsAgainOnLiveData() async throws {
        try await Self.withChinookAndModel(replies: ["```sql\nSELECT count(*) AS n FROM genre\n```", "25 genres.", "26 genres."]) { source, chat, modelURL in
            try await APITestHarness.withFreshApplication(settings: ["ASKDB_LLM_URL": modelURL, "ASKDB_ANSWER_CACHE_TTL": "0"]) { client, services in
                let (token, id) = try await Self.connect(source, client: client, services: services, index: true)
                let first = try await client.call(.post, "/api/query", token: token, body: ["connection_id": id, "question": "How many genres?"])
                #expect(first["rows"] as? [[Int]] == [[25]] && first["attempts"] as? Int == 1)
                try await SQLDataset.run(script: "INSERT INTO genre VALUES (26, 'Polka');", in: source.url)
                let second = try await client.call(.post, "/api/query", token: token, body: ["connection_id": id, "question": "How many genres?"])
                #expect(second["cached"] as? Bool == false)
                #expect(second["rows"] as? [[Int]] == [[26]])
                #expect(second["attempts"] as? Int == 0)
                #expect(second["answer"] as? String == "26 genres.")
                // One more model call (the wording), not two.
                #expect(await chat.requestCount == 3)
            }
        }
    }

    @Test func theStreamTellsEachStepThenTheWholeAnswer() async throws {
        try await Self.withChinookAndModel(replies: ["```sql\nSELECT nme FROM genre\n```", "```sql\nSELECT count(*) AS n FROM genre\n```", "There are 25 genres."]) { source, _, modelURL in
            try await APITestHarness.withFreshApplication(settings: ["ASKDB_LLM_URL": modelURL]) { client, services in
                let (token, id) = try await Self.connect(source, client: client, services: services, index: true)
                let streamed = try await client.call(.post, "/api/query/stream", token: token, body: ["connection_id": id, "question": "How many genres?"])
                #expect(streamed.status == .ok)
                #expect(streamed.headers[.contentType] == "text/event-stream")
                let text = String(decoding: streamed.body, as: UTF8.self)
                let names = text.split(separator: "\n").filter { $0.hasPrefix("event: ") }.map { String($0.dropFirst(7)) }
                // The first query failed its EXPLAIN and never produced rows; the repair did.
                #expect(names.first == "retrieval")
                #expect(names.filter { $0 == "query" }.count == 2)
                #expect(names.filter { $0 == "rows" }.count == 1)
                #expect(names.contains("token"))
                #expect(names.last == "done")
                #expect(text.contains(#""rows":[[25]]"#))
                let tokens = text.split(separator: "\n").filter { $0.hasPrefix("data: {\"text\"") }
                #expect(tokens.count >= 2)
                // Refusals that come before any work keep their HTTP status.
                let unknown = try await client.call(.post, "/api/query/stream", token: token, body: ["connection_id": UUID().uuidString, "question": "x"])
                #expect(unknown.status == .notFound)
            }
        }
    }

    @Test func followUpsAreWrittenWithTheEarlierTurnsInView() async throws {
        try await Self.withChinookAndModel(replies: [
            "```sql\nSELECT count(*) AS n FROM invoice\n```",
            "```sql\nSELECT billing_country, count(*) AS n FROM invoice GROUP BY 1 ORDER BY 2 DESC LIMIT 1\n```",
        ]) { source, chat, modelURL in
            try await APITestHarness.withFreshApplication(settings: ["ASKDB_LLM_URL": modelURL]) { client, services in
                let (token, id) = try await Self.connect(source, client: client, services: services, index: true)
                let first = try await client.call(.post, "/api/query", token: token, body: ["connection_id": id, "question": "How many invoices?", "mode": "sql_only"])
                let conversation = try #require(first["conversation_id"] as? String)
                let second = try await client.call(.post, "/api/query", token: token, body: [
                    "connection_id": id, "question": "And per country?", "mode": "sql_only", "conversation_id": conversation,
                ])
                #expect(second["conversation_id"] as? String == conversation)
                #expect((second["rows"] as? [[Any]])?.first?.first as? String == "USA")
                let prompt = await chat.messages(of: 1)
                #expect(prompt.map(\.0) == ["system", "user", "assistant", "user"])
                #expect(prompt[1].1 == "How many invoices?" && prompt[2].1.contains("SELECT count(*) AS n FROM invoice"))
                #expect(prompt[3].1 == "And per country?")
            }
        }
    }

    @Test func questionsNeedAFinishedIndexAModelAndValidInput() async throws {
        try await Self.withChinookAndModel(replies: []) { source, _, _ in
            try await APITestHarness.withFreshApplication { client, services in
                let (token, id) = try await Self.connect(source, client: client, services: services, index: false)
                let early = try await client.call(.post, "/api/query", token: token, body: ["connection_id": id, "question": "How many albums?"])
                #expect(early.status == .conflict)
                #expect(early.errorCode == "not_indexed")
                try await services.postgres.query("UPDATE connections SET index_version = 1", logger: TestServers.logger)
                try await Self.waitUntilSeen(indexVersion: 1, of: id, services: services)
                let noModel = try await client.call(.post, "/api/query", token: token, body: ["connection_id": id, "question": "How many albums?"])
                #expect(noModel.status == .serviceUnavailable)
                #expect(noModel.errorCode == "llm_not_configured")
                let empty = try await client.call(.post, "/api/query", token: token, body: ["connection_id": id, "question": "   "])
                #expect(empty.status == .unprocessableContent)
                let other = try await client.call(.post, "/api/query", token: try await client.signUp("other@example.com"),
                                                  body: ["connection_id": id, "question": "How many albums?"])
                #expect(other.status == .notFound)
                // Malformed input is a clear 4xx, never a 500.
                for body in [#"{"connection_id": "nope", "question": "x"}"#, #"{"question": "x"}"#,
                             #"{"connection_id": "\#(id)", "question": "x", "mode": "poem"}"#, "not json"] {
                    let bad = try await client.call(.post, "/api/query", token: token, rawBody: body)
                    #expect(bad.status == .badRequest, "\(body): \(bad.status)")
                    #expect(bad.errorCode != nil)
                }
                for uri in ["/api/history?connection_id=x", "/api/history?cursor=x", "/api/history?limit=0", "/api/history/not-a-uuid"] {
                    let bad = try await client.call(.get, uri, token: token)
                    #expect((400..<500).contains(bad.status.code) && bad.errorCode != nil, "\(uri): \(bad.status)")
                }
            }
        }
    }

    @Test func aModelServerThatIsDownGives502NotAHang() async throws {
        try await TestDatabase.with { source, _ in
            try await SQLDataset.load(SQLDataset.chinook, into: source.url)
            let down = "http://127.0.0.1:\(try FreePort.find())"
            try await APITestHarness.withFreshApplication(settings: ["ASKDB_LLM_URL": down]) { client, services in
                let (token, id) = try await Self.connect(source, client: client, services: services, index: true)
                let started = ContinuousClock.now
                let answer = try await client.call(.post, "/api/query", token: token, body: ["connection_id": id, "question": "How many albums?"])
                #expect(answer.status == .badGateway)
                #expect(answer.errorCode == "upstream_failed")
                // Which service failed, not where it is: the model server's address stays in the log.
                #expect(answer.errorMessage == "the language model cannot be reached", "\(answer.object)")
                #expect(!"\(answer.object)".contains(down))
                #expect(ContinuousClock.now - started < .seconds(15))
            }
        }
    }

    @Test func aReindexKeepsAnsweringFromTheLastFinishedIndexThenInvalidatesTheCaches() async throws {
        try await Self.withChinookAndModel(replies: [
            "```sql\nSELECT count(*) AS n FROM genre\n```", "25 genres.",
            "25 genres, as before.",
            "```sql\nSELECT count(*) AS n FROM genre\n```", "Still 25 genres.",
        ]) { source, chat, modelURL in
            try await APITestHarness.withFreshApplication(settings: ["ASKDB_LLM_URL": modelURL, "ASKDB_ANSWER_CACHE_TTL": "0"]) { client, services in
                let url = try ConnectionRoutesTests().sourceURL(source.name)
                let (token, id) = try await Self.connect(kind: "postgres", url: url, client: client, services: services, index: true)
                let ask = { @Sendable in try await client.call(.post, "/api/query", token: token, body: ["connection_id": id, "question": "How many genres?"]) }
                #expect(try await ask()["attempts"] as? Int == 1)
                try await SQLDataset.run(script: "CREATE TABLE podcast (podcast_id int PRIMARY KEY, title text);", in: source.url)

                // Mid-run (documents staged, nothing published) the question reads version 1:
                // its cached query runs again and only the wording goes to the model.
                let during = Answers()
                try await Self.reindex(id, kind: "postgres", url: url, services: services) { progress in
                    guard progress.phase == "publish", progress.done == 0, await during.isEmpty else { return }
                    await during.add(try await ask())
                }
                let midRun = try #require(await during.first)
                #expect(midRun.status == .ok && midRun["attempts"] as? Int == 0 && midRun["answer"] as? String == "25 genres, as before.")
                #expect(await chat.requestCount == 3)

                // Published (and heard of: see reindex): the index version moved on, so neither
                // cache answers any more.
                let after = try await ask()
                #expect(after["attempts"] as? Int == 1 && after["answer"] as? String == "Still 25 genres.")
                #expect(await chat.requestCount == 5)
                let version = try await services.postgres.query("SELECT index_version FROM connections", logger: TestServers.logger)
                for try await value in version.decode(Int.self) { #expect(value == 2) }
            }
        }
    }

    @Test func limitsRefuseWith429AndRetryAfter() async throws {
        try await TestDatabase.with { source, _ in
            try await SQLDataset.load(SQLDataset.chinook, into: source.url)
            // The model takes a second per reply, so two questions at once overlap.
            let chat = ScriptedChat(replies: Array(repeating: "```sql\nSELECT 1 AS one\n```", count: 4), delay: .seconds(1))
            try await ScriptedHTTPServer.with({ chat.register(on: $0) }) { modelURL in
                let settings = ["ASKDB_LLM_URL": modelURL, "ASKDB_QUESTIONS_PER_MINUTE": "3", "ASKDB_QUERIES_PER_SOURCE": "1"]
                try await APITestHarness.withFreshApplication(settings: settings) { client, services in
                    let (token, id) = try await Self.connect(source, client: client, services: services, index: true)
                    let ask = { @Sendable (question: String) in
                        try await client.call(.post, "/api/query", token: token, body: ["connection_id": id, "question": question, "mode": "sql_only"])
                    }
                    // One question at a time against this database: the second of two at once is told to come back.
                    async let first = ask("one")
                    async let second = ask("two")
                    let pair = try await [first, second]
                    #expect(pair.map(\.status).sorted { $0.code < $1.code } == [.ok, .tooManyRequests], "\(pair.map(\.object))")
                    let busy = try #require(pair.first { $0.status == .tooManyRequests })
                    #expect(busy.errorCode == "too_many_concurrent" && busy.headers[.retryAfter] == "1")
                    // Three a minute: the third passes, the fourth waits for the window.
                    #expect(try await ask("three").status == .ok)
                    let limited = try await ask("four")
                    #expect(limited.status == .tooManyRequests && limited.errorCode == "rate_limited")
                    #expect((Int(limited.headers[.retryAfter] ?? "") ?? 0) >= 1)
                    #expect(await chat.requestCount == 2)
                }
            }
        }
    }

    @Test func aSlowModelGives504WithinTheConfiguredTimeout() async throws {
        try await TestDatabase.with { source, _ in
            try await SQLDataset.load(SQLDataset.chinook, into: source.url)
            let chat = ScriptedChat(replies: ["```sql\nSELECT 1\n```"], delay: .seconds(12))
            try await ScriptedHTTPServer.with({ chat.register(on: $0) }) { modelURL in
                try await APITestHarness.withFreshApplication(settings: ["ASKDB_LLM_URL": modelURL, "ASKDB_LLM_TIMEOUT": "1"]) { client, services in
                    let (token, id) = try await Self.connect(source, client: client, services: services, index: true)
                    let started = ContinuousClock.now
                    let answer = try await client.call(.post, "/api/query", token: token, body: ["connection_id": id, "question": "How many albums?"])
                    #expect(answer.status == .gatewayTimeout, "\(answer.object)")
                    #expect(answer.errorCode != nil && answer.errorMessage?.contains("language model") == true)
                    // Well before the model's 12 s reply, with room for a loaded machine.
                    #expect(ContinuousClock.now - started < .seconds(8))
                }
            }
        }
    }

    @Test func ollamaAnswersThroughTheSameRoute() async throws {
        try await Self.withChinookAndModel(replies: ["```sql\nSELECT count(*) AS albums FROM album\n```", "347 albums."]) { source, chat, modelURL in
            let settings = ["ASKDB_LLM_API": "ollama", "ASKDB_LLM_URL": modelURL, "ASKDB_LLM_MODEL": "qwen2.5-coder:7b"]
            try await APITestHarness.withFreshApplication(settings: settings) { client, services in
                let (token, id) = try await Self.connect(source, client: client, services: services, index: true)
                let answer = try await client.call(.post, "/api/query", token: token, body: ["connection_id": id, "question": "How many albums?"])
                #expect(answer["rows"] as? [[Int]] == [[347]] && answer["answer"] as? String == "347 albums.", "\(answer.object)")
                #expect(answer["model"] as? String == "qwen2.5-coder:7b")
                let text = try #require(await chat.body(of: 0))
                let body = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
                #expect(body["stream"] as? Bool == true && (body["options"] as? [String: Any])?["temperature"] as? Double == 0)
            }
        }
    }

    @Test func aMongoDBQuestionRunsACheckedPipeline() async throws {
        let database = "shop_\(UUID().uuidString.prefix(8).lowercased())"
        let mongo = try MongoClient(uri: try TestServers.mongoURL, timeout: .seconds(5))
        try await MongoShop.load(into: mongo, database: database)
        defer { Task { _ = try? await mongo.run("dropDatabase", .int(1), database: database); await mongo.shutdown() } }
        let chat = ScriptedChat(replies: [
            #"{"collection": "orders", "pipeline": [{"$out": "stolen"}]}"#,
            #"Here it is: {"collection": "orders", "pipeline": [{"$group": {"_id": "$status", "n": {"$sum": 1}}}, {"$sort": {"_id": 1}}]}"#,
            "20 orders each.",
        ])
        try await ScriptedHTTPServer.with({ chat.register(on: $0) }) { modelURL in
            try await APITestHarness.withFreshApplication(settings: ["ASKDB_LLM_URL": modelURL]) { client, services in
                let (token, id) = try await Self.connect(kind: "mongodb", url: try TestServers.mongoURL + database, client: client, services: services, index: true)
                let answer = try await client.call(.post, "/api/query", token: token, body: ["connection_id": id, "question": "Orders per status?"])
                #expect(answer.status == .ok, "\(answer.object)")
                #expect(answer["columns"] as? [String] == ["_id", "n"])
                #expect((answer["rows"] as? [[Any]])?.map { $0[0] as? String } == ["delivered", "placed", "shipped"])
                #expect((answer["rows"] as? [[Any]])?.map { $0[1] as? Int } == [20, 20, 20])
                #expect(answer["attempts"] as? Int == 2 && answer["answer"] as? String == "20 orders each.")
                #expect((answer["query"] as? String)?.hasPrefix(#"{"collection": "orders""#) == true)
                // The refused $out never ran: no such collection appeared.
                let collections = try await mongo.run("listCollections", .int(1), database: database)
                #expect(!"\(collections)".contains("stolen"))
                #expect(await chat.messages(of: 0).first?.1.contains("MongoDB") == true)
            }
        }
    }
    /// Excluded fields never come back, whatever the pipeline: the whole documents (an empty
    /// pipeline), a self-lookup and a union, each returning the canary only if it leaks.
    @Test func excludedMongoDBFieldsNeverComeBack() async throws {
        let database = "shop_\(UUID().uuidString.prefix(8).lowercased())"
        let mongo = try MongoClient(uri: try TestServers.mongoURL, timeout: .seconds(5))
        try await MongoShop.load(into: mongo, database: database)
        defer { Task { _ = try? await mongo.run("dropDatabase", .int(1), database: database); await mongo.shutdown() } }
        let pipelines = [
            #"{"collection": "orders", "pipeline": []}"#,
            #"{"collection": "orders", "pipeline": [{"$lookup": {"from": "orders", "pipeline": [{"$limit": 2}], "as": "again"}}, {"$limit": 3}]}"#,
            #"{"collection": "customers", "pipeline": [{"$unionWith": "orders"}]}"#,
            #"{"collection": "orders", "pipeline": [{"$replaceRoot": {"newRoot": "$customer"}}]}"#,
            #"{"collection": "customers", "pipeline": [{"$lookup": {"from": "orders", "localField": "_id", "foreignField": "_id", "as": "o"}}]}"#,
            #"{"collection": "customers", "pipeline": [{"$facet": {"all": [{"$lookup": {"from": "orders", "pipeline": [], "as": "o"}}]}}]}"#,
        ]
        for pipeline in pipelines {
            let chat = ScriptedChat(replies: [pipeline])
            try await ScriptedHTTPServer.with({ chat.register(on: $0) }) { modelURL in
                try await APITestHarness.withFreshApplication(settings: ["ASKDB_LLM_URL": modelURL]) { client, services in
                    let (token, id) = try await Self.connect(kind: "mongodb", url: try TestServers.mongoURL + database,
                                                             options: ["excluded_columns": ["orders.password", "orders.customer.address"]],
                                                             client: client, services: services, index: true)
                    let answer = try await client.call(.post, "/api/query", token: token,
                                                       body: ["connection_id": id, "question": "Everything?", "mode": "sql_only"])
                    #expect(answer.status == .ok, "\(pipeline): \(answer.object)")
                    let body = "\(answer.object)"
                    #expect((answer["rows"] as? [Any])?.isEmpty == false, "\(pipeline)")
                    #expect(!body.contains("hunter") && !body.contains("Oslo") && !body.contains("zip"), "\(pipeline) leaked: \(body)")
                }
            }
        }
    }
}

/// Answers collected from inside a progress callback.
actor Answers {
    private var responses: [APIAnswer] = []
    var isEmpty: Bool { responses.isEmpty }
    var first: APIAnswer? { responses.first }
    func add(_ response: APIAnswer) { responses.append(response) }
}
