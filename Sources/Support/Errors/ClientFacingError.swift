/// An error a client may be told about: the HTTP status it is answered with, a stable code and
/// a message for people.
///
/// Domain errors adopt it and say how they should be seen; the API's one error mapping answers
/// every adopter alike, as an HTTP response, a server-sent `error` event or an operator
/// command's line. An error that does not adopt it is unexpected: it is logged, redacted, and
/// the client learns only that it happened.
package protocol ClientFacingError: Error, Sendable {
    /// The HTTP status: 4xx for the caller's mistakes and limits, 5xx for what failed upstream.
    var clientStatus: Int { get }
    /// Stable snake_case code that clients branch on, e.g. `email_taken`.
    var clientCode: String { get }
    /// For people; never holds a secret.
    var clientMessage: String { get }
    /// Seconds to wait before trying again, where waiting helps.
    var retryAfter: Int? { get }
}

extension ClientFacingError {
    package var retryAfter: Int? { nil }
}
