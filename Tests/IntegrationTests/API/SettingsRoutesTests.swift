@testable import API
import Foundation
import HummingbirdTesting
import TestSupport
import Testing

/// The settings a user saves are the ones their questions run with.
@Suite(.serialized) struct SettingsRoutesTests {
    @Test func theChosenModelContextSizeAndModeAnswerTheQuestion() async throws {
        let reply = "```sql\nSELECT count(*) AS n FROM genre\n```"
        try await QueryRoutesTests.withChinookAndModel(replies: [reply, "There are 25.", reply]) { source, chat, modelURL in
            let settings = ["ASKDB_LLM_URL": modelURL, "ASKDB_LLM_MODELS": "small,large", "ASKDB_LLM_CONTEXT_TOKENS": "3000", "ASKDB_ANSWER_CACHE_TTL": "0"]
            try await APITestHarness.withFreshApplication(settings: settings) { client, services in
                let (token, id) = try await QueryRoutesTests.connect(source, client: client, services: services, index: true)
                let shown = try await client.call(.get, "/api/settings", token: token)
                #expect(shown["llm_models"] as? [String] == ["small", "large"] && shown["max_context_tokens"] as? Int == 3000, "\(shown.object)")
                #expect(shown.object["llm_model"] is NSNull)
                #expect((shown["effective"] as? [String: Any])?["llm_model"] as? String == "small")

                // The defaults: the first model, the whole context, an answer in words.
                let question: [String: any Sendable] = ["connection_id": id, "question": "How many genres?"]
                let first = try await client.call(.post, "/api/query", token: token, body: question)
                #expect(first["model"] as? String == "small" && first["answer"] as? String == "There are 25.", "\(first.object)")
                let wideContext = await chat.messages(of: 0).first?.1 ?? ""

                for bad: [String: any Sendable] in [["llm_model": "huge"], ["context_tokens": 5000], ["answer_mode": "poem"]] {
                    let refused = try await client.call(.put, "/api/settings", token: token, body: bad)
                    #expect(refused.status == .unprocessableContent || refused.status == .badRequest, "\(bad): \(refused.object)")
                }
                let saved = try await client.call(.put, "/api/settings", token: token,
                                                  body: ["llm_model": "large", "context_tokens": 200, "answer_mode": "sql_only"])
                #expect(saved.status == .ok, "\(saved.object)")
                #expect((saved["effective"] as? [String: Any])?["context_tokens"] as? Int == 200)

                // The same question now runs on the other model, with a small context, and
                // without the answer in words (no second model call).
                let second = try await client.call(.post, "/api/query", token: token, body: question)
                #expect(second.status == .ok, "\(second.object)")
                #expect(second["model"] as? String == "large" && (second.object["answer"] ?? NSNull()) is NSNull, "\(second.object)")
                #expect(await chat.requestCount == 3)
                #expect(await chat.body(of: 2)?.contains(#""model":"large""#) == true)
                let narrowContext = await chat.messages(of: 2).first?.1 ?? ""
                #expect(narrowContext.count < wideContext.count, "a 200-token context should be shorter than a 3000-token one")
            }
        }
    }
}
