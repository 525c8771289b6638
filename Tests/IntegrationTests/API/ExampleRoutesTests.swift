@testable import API
import Foundation
import Support
import HummingbirdTesting
import PostgresNIO
@testable import Query
import TestSupport
import Testing

/// Verified examples through the API: kept only when their query passes, used as the answer
/// for the same question (without the model), shown to the model for others, imported and
/// exported as CSV, marked stale when the database changes; and ratings with the review list.
@Suite(.serialized) struct ExampleRoutesTests {
    @Test func examplesAnswerTheirQuestionAndTeachTheModel() async throws {
        let replies = ["The example's words.", "```sql\nSELECT count(*) AS tracks FROM track\n```", "The model's words."]
        try await QueryRoutesTests.withChinookAndModel(replies: replies) { source, chat, modelURL in
            try await APITestHarness.withFreshApplication(settings: ["ASKDB_LLM_URL": modelURL, "ASKDB_LLM_MODEL": "scripted"]) { client, services in
                let (token, id) = try await QueryRoutesTests.connect(source, client: client, services: services, index: true)
                let examples = "/api/connections/\(id)/examples"
                let created = try await client.call(.post, examples, token: token,
                                                    body: ["question": "How many albums are there?", "query": "SELECT count(*) AS albums FROM album"])
                #expect(created.status == .created, "\(created.object)")
                let exampleID = try #require(created["id"] as? String)
                #expect(created["stale"] as? Bool == false && created["question"] as? String == "How many albums are there?")

                // The same question: the example's query answers, the model only words it.
                let direct = try await client.call(.post, "/api/query", token: token, body: ["connection_id": id, "question": "How many albums are there?"])
                #expect(direct.status == .ok, "\(direct.object)")
                #expect(direct["verified"] as? Bool == true && direct["verified_example_id"] as? String == exampleID)
                #expect(direct["rows"] as? [[Int]] == [[347]] && direct["attempts"] as? Int == 0)
                #expect(await chat.requestCount == 1)

                // Another question: the model writes the query, shown the example first.
                let other = try await client.call(.post, "/api/query", token: token, body: ["connection_id": id, "question": "How many tracks are there?"])
                #expect(other.status == .ok, "\(other.object)")
                #expect(other["verified"] as? Bool == false && other["verified_example_id"] == nil)
                #expect(other["examples_used"] as? [String] == [exampleID])
                let prompt = await chat.messages(of: 1).map(\.1)
                #expect(prompt.contains("How many albums are there?") && prompt.contains { $0.contains("SELECT count(*) AS albums FROM album") })

                // Only queries that pass the guard and plan are kept.
                for (query, hint) in [("DELETE FROM album", "delete"), ("SELECT nme FROM genre", "nme"), ("SELECT * FROM pg_authid", "pg_authid")] {
                    let refused = try await client.call(.post, examples, token: token, body: ["question": "Something else?", "query": query])
                    #expect(refused.status == .unprocessableContent && refused.errorCode == "query_refused", "\(query): \(refused.object)")
                    #expect(refused.errorMessage?.lowercased().contains(hint) == true, "\(query): \(refused.errorMessage ?? "")")
                }
                #expect(try await client.call(.post, examples, token: token, body: ["question": "Q?"]).errorCode == "validation_failed")

                // CSV: quoted commas and line breaks, a duplicate and a refused row reported by line.
                let csv = "question,query\r\n\"Which genres, by name?\",\"SELECT name\nFROM genre ORDER BY name\"\r\n"
                    + "How many albums are there?,SELECT count(*) AS albums FROM album\r\nBroken?,SELECT nme FROM genre\r\n"
                let imported = try await client.call(.post, examples + ".csv", token: token, rawBody: csv, headers: [.contentType: "text/csv"])
                #expect(imported.status == .ok, "\(imported.object)")
                #expect(imported["imported"] as? Int == 1)
                let errors = try #require(imported["errors"] as? [[String: Any]])
                #expect(errors.map { $0["line"] as? Int } == [4, 5] && errors.map { $0["code"] as? String } == ["duplicate", "query_refused"])
                let again = try await client.call(.post, examples + ".csv", token: token, rawBody: csv, headers: [.contentType: "text/csv"])
                #expect(again["imported"] as? Int == 0)
                #expect(try await client.call(.post, examples + ".csv", token: token, rawBody: "a,b\r\n1,2", headers: [.contentType: "text/csv"]).errorCode == "invalid_csv")
                #expect(try await client.call(.post, examples + ".csv", token: token, rawBody: "question,query\r\n\"open", headers: [.contentType: "text/csv"]).errorCode == "invalid_csv")

                let exported = try await client.call(.get, examples + ".csv", token: token)
                #expect(exported.headers[.contentType]?.hasPrefix("text/csv") == true)
                let records = try CSV.records(String(decoding: exported.body, as: UTF8.self))
                #expect(records.dropFirst().map(\.fields) == [["How many albums are there?", "SELECT count(*) AS albums FROM album"],
                                                              ["Which genres, by name?", "SELECT name\nFROM genre ORDER BY name"]])

                // A change to the database makes an example stale at the next check; fixing it makes it usable.
                let genres = try #require((try await client.call(.get, examples, token: token)["items"] as? [[String: Any]])?.last?["id"] as? String)
                try await SQLDataset.run(script: "ALTER TABLE genre RENAME COLUMN name TO label;", in: source.url)
                let owner = try await ownerID(of: id, services: services)
                let record = try await services.connections.connection(id: UUID(uuidString: id)!, ownerID: owner)
                let check = try await services.examples.recheck(connectionID: record.id, ownerID: owner, version: record.indexVersion)
                #expect(check == (checked: 2, stale: 1))
                let stale = try await client.call(.get, "\(examples)/\(genres)", token: token)
                #expect(stale["stale"] as? Bool == true && (stale["stale_reason"] as? String)?.contains("name") == true, "\(stale.object)")
                let fixed = try await client.call(.patch, "\(examples)/\(genres)", token: token, body: ["query": "SELECT label FROM genre ORDER BY label"])
                #expect(fixed.status == .ok && fixed["stale"] as? Bool == false, "\(fixed.object)")
                #expect(try await client.call(.delete, "\(examples)/\(genres)", token: token).status == .noContent)
                #expect(try await client.call(.get, "\(examples)/\(genres)", token: token).status == .notFound)

                // Owner-only: another user sees no such connection, example or history entry.
                let stranger = try await client.signUp("stranger@example.com")
                #expect(try await client.call(.get, examples, token: stranger).status == .notFound)
                #expect(try await client.call(.get, "\(examples)/\(exampleID)", token: stranger).status == .notFound)
                #expect(try await client.call(.get, examples + ".csv", token: stranger).status == .notFound)
                let historyID = try #require(other["history_id"] as? String)
                #expect(try await client.call(.post, "/api/history/\(historyID)/feedback", token: stranger, body: ["rating": "down"]).status == .notFound)

                // A thumbs-down reaches the review list; a thumbs-up takes it off; the confirm step keeps it as an example.
                let down = try await client.call(.post, "/api/history/\(historyID)/feedback", token: token, body: ["rating": "down", "comment": "counted albums"])
                #expect(down.status == .ok && down["rating"] as? String == "down", "\(down.object)")
                let review = try #require(try await client.call(.get, "/api/connections/\(id)/feedback", token: token)["items"] as? [[String: Any]])
                #expect(review.count == 1 && review.first?["comment"] as? String == "counted albums")
                #expect(review.first?["question"] as? String == "How many tracks are there?" && review.first?["query"] as? String == "SELECT count(*) AS tracks FROM track")
                #expect(try await client.call(.post, "/api/history/\(historyID)/feedback", token: token, body: ["rating": "sideways"]).status == .badRequest)
                _ = try await client.call(.post, "/api/history/\(historyID)/feedback", token: token, body: ["rating": "up"])
                #expect((try await client.call(.get, "/api/connections/\(id)/feedback", token: token)["items"] as? [Any])?.isEmpty == true)
                let confirmed = try await client.call(.post, examples, token: token, body: ["from_history_id": historyID])
                #expect(confirmed.status == .created && confirmed["source_history_id"] as? String == historyID, "\(confirmed.object)")
                #expect(confirmed["query"] as? String == "SELECT count(*) AS tracks FROM track")
            }
        }
    }

    private func ownerID(of connection: String, services: APIServices) async throws -> UUID {
        let rows = try await services.postgres.query("SELECT owner_id FROM connections WHERE id = \(UUID(uuidString: connection)!)", logger: TestServers.logger)
        for try await owner in rows.decode(UUID.self) { return owner }
        throw TestSetupError("no such connection")
    }
}
