/// An error talking to Redis: what kind, with the message that explains it.
///
/// One struct with an extensible ``Code`` rather than an enum, so new kinds don't break callers.
package struct RedisError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        package var description: String { name }

        /// The server could not be reached or refused the connection.
        package static let connectionFailed = Code("connectionFailed")
        /// The connection broke while a command was in flight; the command may or may not have run.
        package static let connectionLost = Code("connectionLost")
        /// No reply within the timeout; the connection was dropped.
        package static let timeout = Code("timeout")
        /// The server rejected the credentials in the URL.
        package static let authenticationFailed = Code("authenticationFailed")
        /// The server answered with an error reply (`ERR …`, `WRONGTYPE …`).
        package static let serverError = Code("serverError")
        /// The reply did not have the shape the caller expected.
        package static let unexpectedReply = Code("unexpectedReply")
        /// The client was shut down.
        package static let clientClosed = Code("clientClosed")
    }

    package var code: Code
    /// Details from hiredis or the server; never holds a password.
    package var message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { "Redis \(code): \(message)" }
}
