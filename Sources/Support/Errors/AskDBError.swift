/// A failure the caller can act on: bad input, a missing or forbidden resource, a conflict,
/// a limit. The API answers it as `{"error": {"code", "message"}}` with the kind's status.
///
/// Unexpected failures (a bug, a lost database) are other error types and never reach a client
/// with their details.
package struct AskDBError: ClientFacingError, CustomStringConvertible, Equatable {
    /// What kind of failure, which decides the HTTP status.
    package struct Kind: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        package var description: String { name }

        /// Well-formed but invalid input (422).
        package static let invalidInput = Kind("invalidInput")
        /// No valid credentials (401).
        package static let unauthorized = Kind("unauthorized")
        /// Authenticated but not allowed (403).
        package static let forbidden = Kind("forbidden")
        /// Missing, or someone else's (404).
        package static let notFound = Kind("notFound")
        /// A duplicate, or a state that forbids the action (409).
        package static let conflict = Kind("conflict")
        /// Too many attempts; see ``AskDBError/retryAfter`` (429).
        package static let rateLimited = Kind("rateLimited")
        /// Something the request needs is not set up or not running (503).
        package static let unavailable = Kind("unavailable")
    }

    package var kind: Kind
    /// Stable snake_case code that clients branch on, e.g. `email_taken`.
    package var code: String
    /// For people; never holds a secret.
    package var message: String
    /// Seconds to wait, for ``Kind/rateLimited``.
    package var retryAfter: Int?

    package init(_ kind: Kind, code: String, message: String, retryAfter: Int? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    package var description: String { "\(code): \(message)" }

    /// Invalid input; the message names the rule broken.
    package static func invalid(_ code: String, _ message: String) -> AskDBError {
        AskDBError(.invalidInput, code: code, message: message)
    }

    /// A missing resource, worded the same whether it does not exist or is someone else's.
    package static func notFound(_ what: String) -> AskDBError {
        AskDBError(.notFound, code: "not_found", message: "\(what) not found")
    }

    package var clientCode: String { code }
    package var clientMessage: String { message }

    package var clientStatus: Int {
        switch kind {
        case .invalidInput: 422
        case .unauthorized: 401
        case .forbidden: 403
        case .notFound: 404
        case .conflict: 409
        case .rateLimited: 429
        case .unavailable: 503
        default: 400
        }
    }
}
