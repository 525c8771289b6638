/// A connection to a user's database that could not be made, and why, in a code clients branch
/// on and workers decide retries by.
package struct ConnectionFailure: ClientFacingError, CustomStringConvertible, Equatable {
    /// Why the connection failed.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The snake_case code clients see, e.g. `connection_refused`.
        package let rawValue: String
        /// Trying again will not help until the URL, the credentials or the server change.
        package let isPermanent: Bool

        private init(_ rawValue: String, permanent: Bool) {
            self.rawValue = rawValue
            self.isPermanent = permanent
        }

        package var description: String { rawValue }

        /// The host name does not resolve.
        package static let hostNotFound = Code("host_not_found", permanent: true)
        /// Nothing listens at the address.
        package static let connectionRefused = Code("connection_refused", permanent: false)
        /// No answer within the connect timeout.
        package static let connectionTimeout = Code("connection_timeout", permanent: false)
        /// TLS could not be set up as the URL asks.
        package static let tlsFailed = Code("tls_failed", permanent: false)
        /// The server refused the credentials.
        package static let authenticationFailed = Code("authentication_failed", permanent: true)
        /// The server has no database of that name.
        package static let databaseNotFound = Code("database_not_found", permanent: true)
        /// The URL cannot be used to connect (the driver rejects it).
        package static let invalidURL = Code("invalid_url", permanent: true)
        /// The CA certificate given is not PEM certificates.
        package static let invalidCACertificate = Code("invalid_ca_certificate", permanent: true)
        /// Anything else the server or the network said.
        package static let connectionFailed = Code("connection_failed", permanent: false)
    }

    package var code: Code
    /// For people: the server's or the driver's own words, never a password.
    package var message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { "\(code): \(message)" }
    package var clientStatus: Int { 422 }
    package var clientCode: String { code.rawValue }
    package var clientMessage: String { message }
}
