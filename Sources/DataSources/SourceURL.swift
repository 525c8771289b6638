import Foundation
import Support

/// A user database's URL, checked for shape, with a redacted form that is safe to show and log.
package struct SourceURL: Sendable {
    package enum Parsed: Sendable {
        case postgres(PostgresURL)
        case mongodb(MongoURL)
    }

    package let kind: ConnectionKind
    package let parsed: Parsed
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
            switch kind {
            case .postgres: parsed = .postgres(try PostgresURL(raw))
            case .mongodb: parsed = .mongodb(try MongoURL(raw))
            }
        } catch {
            throw ConnectionFailure(.invalidURL, "\(error)")
        }
    }

    /// The database the URL names (for MongoDB, if it names one).
    package var database: String? {
        switch parsed {
        case .postgres(let url): url.database
        case .mongodb(let url): url.database
        }
    }

    /// The hosts a connection will reach, with their ports.
    package var endpoints: [(host: String, port: Int)] {
        switch parsed {
        case .postgres(let url): [(url.host, url.port)]
        case .mongodb(let url): url.hosts.map { ($0.name, $0.port) }
        }
    }

    /// Replaces the password in the userinfo and the values of password-like options.
    package static func redact(_ url: String) -> String {
        LogRedaction.credentials(in: url)
    }
}
