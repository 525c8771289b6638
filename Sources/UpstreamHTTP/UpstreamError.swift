import Support

/// A failure of an HTTP service AskDB depends on (an embedding server, an LLM): unreachable,
/// too slow, or an error answer. The message carries the service's own words, never a key.
package struct UpstreamError: ClientFacingError, CustomStringConvertible {
    /// What went wrong, which decides how the API answers (502 or 504).
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        package var description: String { name }

        /// No connection could be made.
        package static let unreachable = Code("unreachable")
        /// No complete answer within the timeout.
        package static let timeout = Code("timeout")
        /// An HTTP error status; ``UpstreamError/status`` has it.
        package static let status = Code("status")
        /// An answer that is not what the protocol promises.
        package static let invalidResponse = Code("invalidResponse")
    }

    package var code: Code
    /// The service, e.g. `ollama embeddings at http://127.0.0.1:11434`.
    package var service: String
    package var message: String
    package var status: Int?

    package init(_ code: Code, service: String, message: String, status: Int? = nil) {
        self.code = code
        self.service = service
        self.message = message
        self.status = status
    }

    package var description: String {
        if let status { return "\(service) answered \(status): \(message)" }
        return "\(service): \(message)"
    }

    /// A slow service is a gateway timeout; anything else a bad gateway.
    package var clientStatus: Int { code == .timeout ? 504 : 502 }
    package var clientCode: String { code == .timeout ? "upstream_timeout" : "upstream_failed" }
    /// The service's address may carry credentials (`https://key@host`, `?api_key=`): never shown.
    package var clientMessage: String { LogRedaction.credentials(in: description) }
}
