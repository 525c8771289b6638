@testable import API
import Foundation
import HummingbirdTesting
import PostgresNIO
@testable import Redis
import TestSupport
import Testing

/// Deleting a connection, or a whole account, leaves nothing of the user's data behind: a canary
/// value that went through a question (history, the answer cache, the index) is found in no
/// table of the app database and no Redis key afterwards.
@Suite(.serialized) struct DataDeletionTests {
    static let canary = "canary-d3l3te@example.com"

    /// The app tables' rows and the prefix's Redis string values that hold the canary.
    static func traces(_ services: APIServices, prefix: String) async throws -> [String] {
        var found: [String] = []
        let tables = try await services.postgres.query(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'", logger: TestServers.logger)
        var names: [String] = []
        for try await name in tables.decode(String.self) { names.append(name) }
        for name in names {
            let rows = try await services.postgres.query(
                PostgresQuery(unsafeSQL: "SELECT count(*)::int8 FROM \"\(name)\" t WHERE t::text LIKE '%\(canary)%'"), logger: TestServers.logger)
            for try await count in rows.decode(Int.self) where count > 0 { found.append("table \(name): \(count) rows") }
        }
        var cursor = "0"
        repeat {
            let reply = try await services.redis.send("SCAN", RedisArgument(cursor), "MATCH", RedisArgument("\(prefix):*"), "COUNT", "1000")
            cursor = reply.array?[0].string ?? "0"
            for key in reply.array?[1].array?.compactMap(\.string) ?? [] {
                guard try await services.redis.send("TYPE", RedisArgument(key)).string == "string" else { continue }
                if try await services.redis.send("GET", RedisArgument(key)).string?.contains(canary) == true { found.append("redis \(key)") }
            }
        } while cursor != "0"
        return found
    }

    @Test func deletingAConnectionOrAnAccountForgetsEveryValue() async throws {
        let reply = "```sql\nSELECT email FROM customer WHERE customer_id = 1\n```"
        try await QueryRoutesTests.withChinookAndModel(replies: [reply, "It is \(Self.canary).", reply, "It is \(Self.canary)."]) { source, _, modelURL in
            try await SQLDataset.run(script: "UPDATE customer SET email = '\(Self.canary)' WHERE customer_id = 1;", in: source.url)
            let prefix = "test-\(UUID().uuidString.prefix(8))"
            try await APITestHarness.withFreshApplication(settings: ["ASKDB_LLM_URL": modelURL, "ASKDB_REDIS_PREFIX": prefix]) { client, services in
                let (token, id) = try await QueryRoutesTests.connect(source, client: client, services: services, index: true)
                let question: [String: any Sendable] = ["connection_id": id, "question": "What is the first customer's email?"]
                let answer = try await client.call(.post, "/api/query", token: token, body: question)
                #expect(answer["rows"] as? [[String]] == [[Self.canary]], "\(answer.object)")
                #expect(!(try await Self.traces(services, prefix: prefix)).isEmpty, "the canary should be stored before the delete")

                #expect(try await client.call(.delete, "/api/connections/\(id)", token: token).status == .noContent)
                #expect(try await Self.traces(services, prefix: prefix) == [])

                // Again with a second connection, then the whole account.
                let url = try ConnectionRoutesTests().sourceURL(source.name)
                let created = try await client.call(.post, "/api/connections", token: token, body: ["name": "again", "kind": "postgres", "url": url])
                let second = try #require((created["connection"] as? [String: Any])?["id"] as? String)
                try await QueryRoutesTests.reindex(second, kind: "postgres", url: url, services: services)
                let again = try await client.call(.post, "/api/query", token: token, body: ["connection_id": second, "question": "The first customer's email?"])
                #expect(again["rows"] as? [[String]] == [[Self.canary]], "\(again.object)")
                let wrong = try await client.call(.delete, "/api/me", token: token, body: ["password": "not the password"])
                #expect(wrong.status == .forbidden)
                #expect(try await client.call(.delete, "/api/me", token: token, body: ["password": "correct horse battery"]).status == .noContent)
                #expect(try await Self.traces(services, prefix: prefix) == [])
                #expect(try await client.call(.get, "/api/me", token: token).status == .unauthorized)
            }
        }
    }
}
