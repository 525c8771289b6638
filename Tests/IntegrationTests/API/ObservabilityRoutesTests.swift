@testable import API
@testable import Connections
import Foundation
import HummingbirdTesting
import PostgresNIO
import TestSupport
import Testing

/// What issue 23 adds to the routes: tokens in answers and history, the daily token budget, the
/// re-index interval on a connection, and `/metrics`.
@Suite(.serialized) struct ObservabilityRoutesTests {
    @Test func tokensReachTheAnswerAndTheHistoryAndTheDailyBudgetRefusesPastIt() async throws {
        let query = "```sql\nSELECT count(*) AS albums FROM album\n```", words = "There are 347 albums."
        try await QueryRoutesTests.withChinookAndModel(replies: [query, words, query, words]) { source, _, modelURL in
            // 2 calls of 10 prompt tokens each: past a budget of 25 after the first answer.
            try await APITestHarness.withFreshApplication(settings: [
                "ASKDB_LLM_URL": modelURL, "ASKDB_LLM_MODEL": "scripted", "ASKDB_TOKENS_PER_USER_PER_DAY": "25", "ASKDB_ANSWER_CACHE_TTL": "0",
            ]) { client, services in
                let (token, id) = try await QueryRoutesTests.connect(source, client: client, services: services, index: true)
                let answer = try await client.call(.post, "/api/query", token: token, body: ["connection_id": id, "question": "How many albums are there?"])
                #expect(answer.status == .ok, "\(answer.object)")
                let tokens = try #require(answer["tokens"] as? [String: Int], "\(answer.object)")
                // One token a 7-character piece, as the scripted server streams them.
                let written = (query.count + 6) / 7 + (words.count + 6) / 7
                #expect(tokens == ["prompt": 2 * ScriptedChat.promptTokens, "completion": written])

                let historyID = try #require(answer["history_id"] as? String)
                let entry = try await client.call(.get, "/api/history/\(historyID)", token: token)
                #expect(entry["prompt_tokens"] as? Int == 2 * ScriptedChat.promptTokens)
                #expect(entry["completion_tokens"] as? Int == written)

                let refused = try await client.call(.post, "/api/query", token: token, body: ["connection_id": id, "question": "How many albums, again?"])
                #expect(refused.status == .tooManyRequests)
                #expect(refused.errorCode == "token_budget_exhausted")
                #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 > 0)
            }
        }
    }

    @Test func ollamasCountsReachTheAnswer() async throws {
        let query = "```sql\nSELECT count(*) AS albums FROM album\n```"
        try await QueryRoutesTests.withChinookAndModel(replies: [query]) { source, _, modelURL in
            try await APITestHarness.withFreshApplication(settings: ["ASKDB_LLM_URL": modelURL, "ASKDB_LLM_API": "ollama", "ASKDB_LLM_MODEL": "scripted"]) { client, services in
                let (token, id) = try await QueryRoutesTests.connect(source, client: client, services: services, index: true)
                let answer = try await client.call(.post, "/api/query", token: token,
                                                   body: ["connection_id": id, "question": "How many albums are there?", "mode": "sql_only"])
                #expect(answer["tokens"] as? [String: Int] == ["prompt": ScriptedChat.promptTokens, "completion": (query.count + 6) / 7], "\(answer.object)")
            }
        }
    }

    @Test func aQuestionThatFindsNoQueryStillSpendsItsTokens() async throws {
        // Three attempts, each a reply with no query in it.
        try await QueryRoutesTests.withChinookAndModel(replies: ["no idea", "no idea", "no idea"]) { source, _, modelURL in
            try await APITestHarness.withFreshApplication(settings: ["ASKDB_LLM_URL": modelURL, "ASKDB_LLM_MODEL": "scripted"]) { client, services in
                let (token, id) = try await QueryRoutesTests.connect(source, client: client, services: services, index: true)
                let failed = try await client.call(.post, "/api/query", token: token, body: ["connection_id": id, "question": "How many albums are there?"])
                #expect(failed.status == .unprocessableContent && failed.errorCode == "no_valid_query", "\(failed.object)")
                let history = try await client.call(.get, "/api/history", token: token)
                let entry = try #require((history["items"] as? [[String: Any]])?.first)
                #expect(entry["prompt_tokens"] as? Int == 3 * ScriptedChat.promptTokens && entry["completion_tokens"] as? Int == 3, "\(entry)")
            }
        }
    }

    @Test func aConnectionKeepsItsReindexIntervalUntilChangedOrRemoved() async throws {
        try await APITestHarness.withFreshApplication { client, services in
            let token = try await client.signUp("scheduled@example.com")
            let url = try ConnectionRoutesTests().sourceURL("postgres")
            let created = try await client.call(.post, "/api/connections", token: token,
                                                body: ["name": "nightly", "kind": "postgres", "url": url, "reindex_interval_seconds": 86_400])
            #expect(created.status == .created, "\(created.object)")
            let id = try #require((created["connection"] as? [String: Any])?["id"] as? String)
            #expect((created["connection"] as? [String: Any])?["reindex_interval_seconds"] as? Int == 86_400)

            let tooOften = try await client.call(.patch, "/api/connections/\(id)", token: token, body: ["reindex_interval_seconds": 10])
            #expect(tooOften.status == .unprocessableContent)
            #expect(tooOften.errorCode == "invalid_reindex_interval")

            let renamed = try await client.call(.patch, "/api/connections/\(id)", token: token, body: ["name": "still nightly"])
            #expect((renamed["connection"] as? [String: Any])?["reindex_interval_seconds"] as? Int == 86_400)
            let hourly = try await client.call(.patch, "/api/connections/\(id)", token: token, body: ["reindex_interval_seconds": 3600])
            #expect((hourly["connection"] as? [String: Any])?["reindex_interval_seconds"] as? Int == 3600)
            // Due an interval from the change, not from the creation.
            let due = try await services.postgres.query(
                "SELECT extract(epoch FROM next_reindex_at - now())::float8 FROM connections WHERE id = \(UUID(uuidString: id)!)", logger: TestServers.logger)
            for try await seconds in due.decode(Double.self) { #expect((3500...3600).contains(seconds)) }

            let removed = try await client.call(.patch, "/api/connections/\(id)", token: token, body: ["reindex_interval_seconds": NSNull()])
            #expect(removed.status == .ok)
            #expect((removed["connection"] as? [String: Any])?["reindex_interval_seconds"] == nil)
            let fetched = try await client.call(.get, "/api/connections/\(id)", token: token)
            #expect(fetched["reindex_interval_seconds"] == nil)
        }
    }
}
