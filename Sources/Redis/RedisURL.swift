import Foundation
import Support

/// The parts of a `redis://[user:password@]host:port/db` URL.
package struct RedisURL: Sendable, Equatable {
    package var host: String
    package var port: Int
    package var username: String?
    package var password: String?
    package var database: Int

    /// Creates an endpoint directly.
    package init(host: String, port: Int, username: String? = nil, password: String? = nil, database: Int = 0) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
    }

    /// Parses `string`; the error's reason names the part that is wrong, never the password.
    package init(_ string: String) throws(URLFormatError) {
        guard let components = URLComponents(string: string) else {
            throw URLFormatError("is not a valid URL")
        }
        guard components.scheme?.lowercased() == "redis" else {
            throw URLFormatError("must start with redis:// (TLS is not supported by this build)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw URLFormatError("has no host")
        }
        let port = components.port ?? 6379
        guard (1...65535).contains(port) else {
            throw URLFormatError("has a port out of range")
        }
        let path = components.path.drop(while: { $0 == "/" })
        var database = 0
        if !path.isEmpty {
            guard let number = Int(path), number >= 0 else {
                throw URLFormatError("must have a database number as its path")
            }
            database = number
        }
        let user = components.user.flatMap { $0.isEmpty ? nil : ($0.removingPercentEncoding ?? $0) }
        self.init(
            host: host,
            port: port,
            username: user,
            password: components.password.map { $0.removingPercentEncoding ?? $0 },
            database: database
        )
    }
}
