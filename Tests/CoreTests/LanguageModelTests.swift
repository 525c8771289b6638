@testable import Core
import Foundation
import Hummingbird
import TestSupport
import Testing

@Suite struct LanguageModelTests {
    static func ndjson(_ lines: [String]) -> Response {
        Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: .init(byteBuffer: ByteBuffer(string: lines.joined(separator: "\n") + "\n")))
    }

    actor Seen {
        var bodies: [String] = []
        func add(_ body: String) { bodies.append(body) }
    }

    @Test func ollamaStreamsNDJSONAndSendsItsOptions() async throws {
        let seen = Seen()
        try await ScriptedHTTPServer.with({ router in
            router.post("/api/chat") { request, _ -> Response in
                await seen.add(String(buffer: try await request.body.collect(upTo: 1 << 20)))
                return Self.ndjson([
                    #"{"model":"m","message":{"role":"assistant","content":"SELECT "},"done":false}"#,
                    #"{"model":"m","message":{"role":"assistant","content":"1"},"done":false}"#,
                    #"{"model":"m","message":{"role":"assistant","content":""},"done":true}"#,
                ])
            }
        }) { base in
            let model = OllamaModel(baseURL: base + "/", model: "qwen2.5-coder:7b")
            let reply = try await model.complete([ChatMessage(.system, "be brief"), ChatMessage(.user, "one")], options: GenerationOptions(maxTokens: 64))
            #expect(reply == "SELECT 1")
            let body = try #require(await seen.bodies.first)
            #expect(body.contains(#""model":"qwen2.5-coder:7b""#) && body.contains(#""num_predict":64"#) && body.contains(#""stream":true"#))
            #expect(body.contains(#""temperature":0"#))
        }
    }

    @Test func ollamasOwnErrorsComeThroughWithTheirMessage() async throws {
        try await ScriptedHTTPServer.with({ router in
            router.post("/api/chat") { _, _ in
                Response(status: .notFound, headers: [.contentType: "application/json"],
                         body: .init(byteBuffer: ByteBuffer(string: #"{"error":"model \"nope\" not found, try pulling it first"}"#)))
            }
        }) { base in
            let error = await #expect(throws: UpstreamError.self) {
                _ = try await OllamaModel(baseURL: base, model: "nope").complete([ChatMessage(.user, "hi")], options: GenerationOptions())
            }
            #expect(error?.status == 404 && error?.message.contains("not found, try pulling it first") == true)
        }
    }

    @Test func aSlowModelTimesOutInsteadOfHanging() async throws {
        try await ScriptedHTTPServer.with({ router in
            router.post("/v1/chat/completions") { _, _ -> Response in
                try await Task.sleep(for: .seconds(10))
                return Response(status: .ok)
            }
        }) { base in
            let started = ContinuousClock.now
            let error = await #expect(throws: UpstreamError.self) {
                _ = try await OpenAICompatibleModel(baseURL: base, model: "m", timeout: .seconds(1)).complete([ChatMessage(.user, "hi")], options: GenerationOptions())
            }
            #expect(error?.code == .timeout)
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }

    @Test func extractionFindsTheQueryInProse() {
        #expect(QueryExtractor.sql(from: "Here:\n```sql\nSELECT 1;\n```\nDone.") == "SELECT 1")
        #expect(QueryExtractor.sql(from: "```\nselect a from b\n```") == "select a from b")
        #expect(QueryExtractor.sql(from: "The answer is SELECT name FROM artist; which lists artists.") == "SELECT name FROM artist")
        #expect(QueryExtractor.sql(from: "WITH x AS (SELECT 1) SELECT * FROM x\n\nThis uses a CTE.") == "WITH x AS (SELECT 1) SELECT * FROM x")
        #expect(QueryExtractor.sql(from: "I cannot help with that.") == nil)
        #expect(QueryExtractor.pipeline(from: "Sure: ```json\n{\"collection\": \"orders\", \"pipeline\": [{\"$match\": {\"note\": \"a } b\"}}]}\n``` ok")
            == "{\"collection\": \"orders\", \"pipeline\": [{\"$match\": {\"note\": \"a } b\"}}]}")
    }

    @Test func mongoPipelinesAreCheckedStageByStage() throws {
        let guardrail = MongoPipelineGuard(database: "shop", options: SamplingOptions(excludedTables: ["secrets"], excludedColumns: ["orders.card"]))
        let checked = try guardrail.check(#"{"collection": "orders", "pipeline": [{"$match": {"status": "shipped"}}, {"$group": {"_id": "$city", "n": {"$sum": 1}}}, {"$sort": {"n": -1}}]}"#)
        #expect(checked.collection == "orders" && checked.pipeline.count == 3)
        let refused: [(String, String)] = [
            (#"{"collection": "orders", "pipeline": [{"$out": "copy"}]}"#, "stage_not_allowed"),
            (#"{"collection": "orders", "pipeline": [{"$merge": {"into": "copy"}}]}"#, "stage_not_allowed"),
            (#"{"collection": "orders", "pipeline": [{"$match": {"$where": "sleep(100)"}}]}"#, "stage_not_allowed"),
            (#"{"collection": "orders", "pipeline": [{"$group": {"_id": null, "x": {"$accumulator": {}}}}]}"#, "stage_not_allowed"),
            (#"{"collection": "orders", "pipeline": [{"$addFields": {"x": {"$function": {"body": "f", "args": [], "lang": "js"}}}}]}"#, "stage_not_allowed"),
            (#"{"collection": "orders", "pipeline": [{"$facet": {"a": [{"$out": "x"}]}}]}"#, "stage_not_allowed"),
            (#"{"collection": "orders", "pipeline": [{"$lookup": {"from": "secrets", "pipeline": [], "as": "s"}}]}"#, "object_not_allowed"),
            (#"{"collection": "orders", "pipeline": [{"$unionWith": {"coll": "x", "pipeline": [{"$merge": "y"}]}}]}"#, "stage_not_allowed"),
            (#"{"collection": "system.users", "pipeline": []}"#, "object_not_allowed"),
            (#"{"collection": "orders", "pipeline": [{"$project": {"card": 1}}]}"#, "object_not_allowed"),
            (#"{"collection": "orders", "pipeline": [{"$group": {"_id": "$card"}}]}"#, "object_not_allowed"),
            (#"{"collection": "orders", "pipeline": [{"$collStats": {}}]}"#, "stage_not_allowed"),
            (#"{"pipeline": []}"#, "invalid_pipeline"),
            ("db.orders.find()", "invalid_pipeline"),
        ]
        for (query, code) in refused {
            let refusal = #expect(throws: QueryRefusal.self, "\(query)") { try guardrail.check(query) }
            #expect(refusal?.code == code, "\(query): \(refusal?.message ?? "")")
        }
    }
}
