import Foundation

/// The parts of a `postgres://user:password@host:port/database?sslmode=…` URL.
package struct PostgresURL: Sendable, Equatable {
    /// How the connection uses TLS, from the URL's `sslmode`.
    package enum TLSMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    package var host: String
    package var port: Int
    package var username: String
    package var password: String?
    package var database: String
    package var tlsMode: TLSMode

    /// Parses `string`; the error's reason names the part that is wrong, never the password.
    package init(_ string: String) throws(URLFormatError) {
        guard let components = URLComponents(string: string) else {
            throw URLFormatError("is not a valid URL")
        }
        guard let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql" else {
            throw URLFormatError("must start with postgres:// or postgresql://")
        }
        guard let host = components.host, !host.isEmpty else {
            throw URLFormatError("has no host")
        }
        guard let user = components.user, !user.isEmpty else {
            throw URLFormatError("has no user name")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw URLFormatError("must name exactly one database in its path")
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else {
            throw URLFormatError("has a port out of range")
        }
        var tlsMode = TLSMode.prefer
        for item in components.queryItems ?? [] where item.name == "sslmode" {
            guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                throw URLFormatError("has an unknown sslmode (use one of: \(TLSMode.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            tlsMode = mode
        }
        self.host = host
        self.port = port
        self.username = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.removingPercentEncoding ?? database
        self.tlsMode = tlsMode
    }
}

/// A URL whose shape is wrong; `reason` completes the sentence "the URL …".
package struct URLFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    package var reason: String
    package init(_ reason: String) { self.reason = reason }
    package var description: String { "the URL \(reason)" }
}
