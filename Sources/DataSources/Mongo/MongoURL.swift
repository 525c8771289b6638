import Foundation
import Support

/// The parts of a `mongodb://` or `mongodb+srv://` URL that AskDB checks before connecting.
///
/// URLComponents cannot read MongoDB's comma-separated host lists, so this parses them itself.
package struct MongoURL: Sendable, Equatable {
    package struct Host: Sendable, Equatable {
        package var name: String
        package var port: Int
    }

    package var isSRV: Bool
    package var username: String?
    package var password: String?
    package var hosts: [Host]
    /// The database in the path; nil means the user may read whichever databases they can list.
    package var database: String?
    package var options: [String: String]
    private var rawUserinfo: String?
    private var rawPath: String
    private var rawQuery: String

    /// Whether the URL asks for TLS (`tls=true` or `ssl=true`; always for mongodb+srv).
    package var usesTLS: Bool {
        isSRV || ["tls", "ssl"].contains { options[$0]?.lowercased() == "true" }
    }

    /// The same URL with its host list replaced by `hosts` (`ip:port`), for connecting to
    /// addresses that were checked.
    package func uri(hosts: [String]) -> String {
        let userinfo = rawUserinfo.map { $0 + "@" } ?? ""
        return "mongodb://\(userinfo)\(hosts.joined(separator: ","))/\(rawPath)\(rawQuery.isEmpty ? "" : "?" + rawQuery)"
    }

    package init(_ string: String) throws(URLFormatError) {
        let scheme: String
        if string.lowercased().hasPrefix("mongodb+srv://") {
            scheme = "mongodb+srv://"
            isSRV = true
        } else if string.lowercased().hasPrefix("mongodb://") {
            scheme = "mongodb://"
            isSRV = false
        } else {
            throw URLFormatError("must start with mongodb:// or mongodb+srv://")
        }
        var rest = Substring(string.dropFirst(scheme.count))
        var query = ""
        if let mark = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: mark)...])
            rest = rest[..<mark]
        }
        var path = ""
        if let slash = rest.firstIndex(of: "/") {
            path = String(rest[rest.index(after: slash)...])
            rest = rest[..<slash]
        }
        rawQuery = query
        rawPath = path
        rawUserinfo = nil
        if let at = rest.lastIndex(of: "@") {
            let userinfo = rest[..<at]
            rawUserinfo = String(userinfo)
            rest = rest[rest.index(after: at)...]
            let pieces = userinfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard let user = pieces[0].removingPercentEncoding, !user.isEmpty else {
                throw URLFormatError("has an empty user name")
            }
            username = user
            password = pieces.count > 1 ? String(pieces[1]).removingPercentEncoding ?? String(pieces[1]) : nil
        } else {
            username = nil
            password = nil
        }
        guard !rest.isEmpty else { throw URLFormatError("has no host") }
        var hosts: [Host] = []
        for entry in rest.split(separator: ",", omittingEmptySubsequences: false) {
            guard !entry.isEmpty else { throw URLFormatError("has an empty host in its host list") }
            let (name, port) = try Self.hostAndPort(entry)
            hosts.append(Host(name: name, port: port ?? 27017))
            if isSRV && port != nil { throw URLFormatError("must not give a port with mongodb+srv://") }
        }
        if isSRV && hosts.count != 1 { throw URLFormatError("must name exactly one host with mongodb+srv://") }
        self.hosts = hosts
        let database = path.removingPercentEncoding ?? path
        guard !database.contains("/"), !database.contains(" "), !database.contains(".") else {
            throw URLFormatError("has an invalid database name in its path")
        }
        self.database = database.isEmpty ? nil : database
        var options: [String: String] = [:]
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard kv.count == 2, !kv[0].isEmpty else { throw URLFormatError("has a malformed option `\(kv[0])`") }
            options[String(kv[0])] = String(kv[1]).removingPercentEncoding ?? String(kv[1])
        }
        self.options = options
    }

    private static func hostAndPort(_ entry: Substring) throws(URLFormatError) -> (String, Int?) {
        if entry.hasPrefix("[") {
            guard let close = entry.firstIndex(of: "]") else { throw URLFormatError("has an unclosed IPv6 address") }
            let name = String(entry[entry.index(after: entry.startIndex)..<close])
            let after = entry[entry.index(after: close)...]
            guard after.isEmpty || after.hasPrefix(":") else { throw URLFormatError("has a malformed host") }
            return (name, after.isEmpty ? nil : try port(after.dropFirst()))
        }
        let parts = entry.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, !parts[0].isEmpty else { throw URLFormatError("has a malformed host") }
        return (String(parts[0]), parts.count == 2 ? try port(parts[1]) : nil)
    }

    private static func port(_ text: Substring) throws(URLFormatError) -> Int {
        guard let port = Int(text), (1...65535).contains(port) else { throw URLFormatError("has a port out of range") }
        return port
    }
}
