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

    /// Checks that `raw` is a well-formed URL of `kind`; the error names the part that is wrong.
    package init(kind: ConnectionKind, raw: String) throws(ConnectionFailure) {
        let raw = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        self.kind = kind
        self.raw = raw
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
