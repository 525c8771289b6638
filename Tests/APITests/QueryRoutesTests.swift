@testable import API
import Core
import Foundation
import HummingbirdTesting
import PostgresNIO
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
        await services.embedder.set(HashEmbedder())
        let token = try await client.signUp("asker@example.com")
        let url = try ConnectionRoutesTests().sourceURL(source.name)
        let created = try await client.call(.post, "/api/connections", token: token, body: ["name": "chinook", "kind": "postgres", "url": url])
        let id = try #require((created["connection"] as? [String: Any])?["id"] as? String)
        if index {
            let connectionID = UUID(uuidString: id)!
            let connector = try await services.connections.connector(for: try SourceURL(kind: .postgres, raw: url))
            _ = try await ConnectionIndexer(store: services.store, snapshots: SchemaSnapshotStore(postgres: services.postgres, logger: TestServers.logger),
                                            embedder: HashEmbedder(), logger: TestServers.logger)
                .index(connectionID: connectionID, connector: connector, options: SamplingOptions(), fence: nil) { _ in }
        }
        return (token, id)
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
                #expect(answer.errorMessage?.contains("the language model at \(down)") == true)
                #expect(ContinuousClock.now - started < .seconds(15))
            }
        }
    }
}
