/// A failure the caller can act on: bad input, a missing or forbidden resource, a conflict,
/// a limit. The API answers it as `{"error": {"code", "message"}}` with the kind's status.
///
/// Unexpected failures (a bug, a lost database) are other error types and never reach a client
/// with their details.
public struct AskDBError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What kind of failure, which decides the HTTP status.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// Well-formed but invalid input (422).
        public static let invalidInput = Kind("invalidInput")
        /// No valid credentials (401).
        public static let unauthorized = Kind("unauthorized")
        /// Authenticated but not allowed (403).
        public static let forbidden = Kind("forbidden")
        /// Missing, or someone else's (404).
        public static let notFound = Kind("notFound")
        /// A duplicate, or a state that forbids the action (409).
        public static let conflict = Kind("conflict")
        /// Too many attempts; see ``AskDBError/retryAfter`` (429).
        public static let rateLimited = Kind("rateLimited")
        /// Something the request needs is not set up or not running (503).
        public static let unavailable = Kind("unavailable")
    }

    public var kind: Kind
    /// Stable snake_case code that clients branch on, e.g. `email_taken`.
    public var code: String
    /// For people; never holds a secret.
    public var message: String
    /// Seconds to wait, for ``Kind/rateLimited``.
    public var retryAfter: Int?

    public init(_ kind: Kind, code: String, message: String, retryAfter: Int? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    public var description: String { "\(code): \(message)" }

    /// Invalid input; the message names the rule broken.
    public static func invalid(_ code: String, _ message: String) -> AskDBError {
        AskDBError(.invalidInput, code: code, message: message)
    }

    /// A missing resource, worded the same whether it does not exist or is someone else's.
    public static func notFound(_ what: String) -> AskDBError {
        AskDBError(.notFound, code: "not_found", message: "\(what) not found")
    }
}
