@testable import Support
@testable import UpstreamHTTP
import Testing

@Suite struct UpstreamErrorTests {
    @Test func aSlowServiceIsAGatewayTimeoutAndAnythingElseABadGateway() {
        let slow = UpstreamError(.timeout, service: "the language model", address: "http://127.0.0.1:8088", message: "no answer within 120 s")
        #expect(slow.clientStatus == 504 && slow.clientCode == "upstream_timeout")
        let failed = UpstreamError(.status, service: "ollama embeddings", address: "http://127.0.0.1:11434", message: "model not found", status: 404)
        #expect(failed.clientStatus == 502 && failed.clientCode == "upstream_failed")
        #expect(failed.clientMessage == "ollama embeddings answered 404: model not found")
        #expect(failed.description == "ollama embeddings at http://127.0.0.1:11434 answered 404: model not found")
    }

    /// The address (an internal host, perhaps with credentials) and a transport error naming it
    /// stay in the log; the client hears which service failed.
    @Test func theServicesAddressNeverReachesAClient() {
        let error = UpstreamError(.unreachable, service: "the language model", address: "https://user:sk-secret@llm.internal/v1?api_key=k2",
                                  message: "connection refused (10.1.2.3:8080)")
        #expect(error.clientMessage == "the language model cannot be reached")
        #expect(error.description.contains("llm.internal"))
        let answered = UpstreamError(.status, service: "Ollama", address: "http://10.1.2.3:11434", message: "bad key sk-secret-123 for https://u:p@x.example")
        #expect(!answered.clientMessage.contains("10.1.2.3") && !answered.clientMessage.contains("u:p@"))
    }
}
