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
    /// The service, e.g. `the language model`.
    package var service: String
    /// Where it is (`http://127.0.0.1:11434`): for the operator's log, never for a client.
    package var address: String?
    /// What happened: AskDB's words or the service's own.
    package var message: String
    package var status: Int?

    package init(_ code: Code, service: String, address: String? = nil, message: String, status: Int? = nil) {
        self.code = code
        self.service = service
        self.address = address
        self.message = message
        self.status = status
    }

    package var description: String {
        let service = address.map { "\(self.service) at \($0)" } ?? self.service
        if let status { return "\(service) answered \(status): \(message)" }
        return "\(service): \(message)"
    }

    /// A slow service is a gateway timeout; anything else a bad gateway.
    package var clientStatus: Int { code == .timeout ? 504 : 502 }
    package var clientCode: String { code == .timeout ? "upstream_timeout" : "upstream_failed" }
    /// The service by name only: its address (an internal host, perhaps with credentials) and a
    /// transport error's details (which name the host) are for the log.
    package var clientMessage: String {
        switch code {
        case .unreachable: "\(service) cannot be reached"
        case .status: "\(service) answered\(status.map { " \($0)" } ?? ""): " + LogRedaction.credentials(in: String(message.prefix(300)))
        default: "\(service): " + LogRedaction.credentials(in: String(message.prefix(300)))
        }
    }
}
