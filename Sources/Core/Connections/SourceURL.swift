import Foundation

/// A user database's URL, checked for shape, with a redacted form that is safe to show and log.
public struct SourceURL: Sendable {
    public enum Parsed: Sendable {
        case postgres(PostgresURL)
        case mongodb(MongoURL)
    }

    public let kind: ConnectionKind
    public let parsed: Parsed
    /// The URL as given, with its password; only ever stored encrypted.
    public let raw: String
    /// The URL with its password (and password options) replaced by `***`.
    public let redacted: String

    /// Checks that `raw` is a well-formed URL of `kind`; the error names the part that is wrong.
    public init(kind: ConnectionKind, raw: String) throws(AskDBError) {
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
            throw .invalid("invalid_url", "\(error)")
        }
    }

    /// The hosts a connection will reach, with their ports.
    /// The database the URL names (for MongoDB, if it names one).
    public var database: String? {
        switch parsed {
        case .postgres(let url): url.database
        case .mongodb(let url): url.database
        }
    }

    public var endpoints: [(host: String, port: Int)] {
        switch parsed {
        case .postgres(let url): [(url.host, url.port)]
        case .mongodb(let url): url.hosts.map { ($0.name, $0.port) }
        }
    }

    /// Replaces the password in the userinfo and the values of password-like options.
    public static func redact(_ url: String) -> String {
        var result = url
        if let schemeEnd = result.range(of: "://") {
            let afterScheme = result[schemeEnd.upperBound...]
            let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? afterScheme.endIndex
            let authority = afterScheme[..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                result.replaceSubrange(result.index(after: colon)..<at, with: "***")
            }
        }
        guard let mark = result.firstIndex(of: "?") else { return result }
        let query = result[result.index(after: mark)...].split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            let key = pair.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            return secretOptions.contains(key.lowercased()) ? "\(key)=***" : String(pair)
        }
        return String(result[...mark]) + query.joined(separator: "&")
    }

    private static let secretOptions: Set<String> = ["password", "sslpassword", "tlscertificatekeyfilepassword", "authmechanismproperties"]
}
