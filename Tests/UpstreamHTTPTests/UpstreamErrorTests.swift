@testable import Support
@testable import UpstreamHTTP
import Testing

@Suite struct UpstreamErrorTests {
    @Test func aSlowServiceIsAGatewayTimeoutAndAnythingElseABadGateway() {
        let slow = UpstreamError(.timeout, service: "the language model at http://127.0.0.1:8088", message: "no answer within 120 s")
        #expect(slow.clientStatus == 504 && slow.clientCode == "upstream_timeout")
        let failed = UpstreamError(.status, service: "ollama embeddings at http://127.0.0.1:11434", message: "model not found", status: 404)
        #expect(failed.clientStatus == 502 && failed.clientCode == "upstream_failed")
        #expect(failed.clientMessage == "ollama embeddings at http://127.0.0.1:11434 answered 404: model not found")
    }

    @Test func credentialsInTheServicesAddressNeverReachAClient() {
        let error = UpstreamError(.unreachable, service: "the language model at https://user:sk-secret@llm.example/v1?api_key=k2", message: "refused")
        #expect(!error.clientMessage.contains("sk-secret") && !error.clientMessage.contains("k2"))
        #expect(error.clientMessage.contains("llm.example"))
    }
}
