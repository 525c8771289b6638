import Foundation
import SchemaModel
import Support

/// A user database's URL, checked for shape by its kind's dialect, with a redacted form that is
/// safe to show and log.
package struct SourceURL: Sendable {
    package let kind: ConnectionKind
    /// What the dialect parsed out of the URL.
    package let address: any SourceAddress
    /// The URL as given, with its password; only ever stored encrypted.
    package let raw: String
    /// The URL with its password (and password options) replaced by `***`.
    package let redacted: String
    /// The certificates (PEM) that a server's TLS certificate must chain to, for a database
    /// behind a private CA; nil: the system's trusted roots.
    package let caCertificate: String?

    /// Checks that `raw` is a well-formed URL of `kind` and `caCertificate` PEM certificates;
    /// the error names the part that is wrong.
    package init(kind: ConnectionKind, raw: String, caCertificate: String? = nil) throws(ConnectionFailure) {
        let raw = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        self.kind = kind
        self.raw = raw
        self.caCertificate = try caCertificate.map(TrustedCertificates.validated)
        redacted = Self.redact(raw)
        do {
            address = try kind.dialect.address(from: raw)
        } catch {
            throw ConnectionFailure(.invalidURL, "\(error)")
        }
    }

    /// The database the URL names (for MongoDB, if it names one).
    package var database: String? { address.databaseName }

    /// Replaces the password in the userinfo and the values of password-like options.
    package static func redact(_ url: String) -> String {
        LogRedaction.credentials(in: url)
    }
}
