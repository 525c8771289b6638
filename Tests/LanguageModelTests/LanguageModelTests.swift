import Foundation
import Hummingbird
@testable import LanguageModel
import TestSupport
import Testing
@testable import UpstreamHTTP

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
                try await Task.sleep(for: .seconds(20))
                return Response(status: .ok)
            }
        }) { base in
            let started = ContinuousClock.now
            let error = await #expect(throws: UpstreamError.self) {
                _ = try await OpenAICompatibleModel(baseURL: base, model: "m", timeout: .seconds(1)).complete([ChatMessage(.user, "hi")], options: GenerationOptions())
            }
            #expect(error?.code == .timeout)
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }
}
