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
        isSRV || ["tls", "ssl"].contains { option($0)?.lowercased() == "true" }
    }

    /// The value of option `name`, whatever the case it was written in (MongoDB's option names
    /// are case-insensitive).
    package func option(_ name: String) -> String? {
        options.first { $0.key.lowercased() == name.lowercased() }?.value
    }

    /// Whether the URL names other hosts than the first, or a replica set whose members the
    /// driver would find out from the servers: AskDB connects to the first host alone.
    package var namesOtherHosts: Bool { hosts.count > 1 || option("replicaSet") != nil }

    /// What libmongoc is given for a `mongodb://` URL: the first host only, as `host` (a checked
    /// address, or the name when TLS needs it for the certificate), with `directConnection=true`
    /// (or `loadBalanced=true` as given), so the driver never follows hosts that a server names
    /// (a replica set's members, a mongos list) and that the host policy never saw. The URL's
    /// other options are passed on as written, but `replicaSet` and `directConnection`.
    package func directURI(host: String) -> String {
        let userinfo = rawUserinfo.map { $0 + "@" } ?? ""
        var pairs = rawQuery.split(separator: "&").filter { pair in
            let name = pair.split(separator: "=", maxSplits: 1).first.map { String($0).lowercased() } ?? ""
            return !["replicaset", "directconnection"].contains(name)
        }.map(String.init)
        if option("loadBalanced")?.lowercased() != "true" { pairs.append("directConnection=true") }
        return "mongodb://\(userinfo)\(host)/\(rawPath)?\(pairs.joined(separator: "&"))"
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
            let name = String(kv[0])
            // A second value could mean one thing here and another to libmongoc.
            if name.lowercased() != "readpreferencetags", options.keys.contains(where: { $0.lowercased() == name.lowercased() }) {
                throw URLFormatError("gives the option `\(name)` twice")
            }
            options[name] = String(kv[1]).removingPercentEncoding ?? String(kv[1])
        }
        self.options = options
        try Self.checkOptions(options, hosts: hosts.count)
    }

    /// The options AskDB passes on to libmongoc; any other is refused, naming it, so no option
    /// can weaken TLS, name a file on AskDB's own server, pick another authentication, or point
    /// the driver at hosts the host policy did not check.
    static let allowedOptions: Set<String> = [
        "appname", "authmechanism", "authsource", "compressors", "connecttimeoutms", "directconnection", "heartbeatfrequencyms",
        "journal", "loadbalanced", "localthresholdms", "maxidletimems", "maxpoolsize", "maxstalenessseconds", "readconcernlevel",
        "readpreference", "readpreferencetags", "replicaset", "retryreads", "retrywrites", "serverselectiontimeoutms",
        "serverselectiontryonce", "sockettimeoutms", "srvmaxhosts", "ssl", "tls", "w", "waitqueuetimeoutms", "wtimeoutms",
        "zlibcompressionlevel",
    ]
    static let booleanOptions: Set<String> = ["directconnection", "journal", "loadbalanced", "retryreads", "retrywrites",
                                               "serverselectiontryonce", "ssl", "tls"]
    static let certificateChecks: Set<String> = ["tlsinsecure", "tlsallowinvalidcertificates", "tlsallowinvalidhostnames",
                                                  "tlsdisableocspendpointcheck", "tlsdisablecertificaterevocationcheck",
                                                  "sslallowinvalidcertificates", "sslallowinvalidhostnames"]

    private static func checkOptions(_ options: [String: String], hosts: Int) throws(URLFormatError) {
        for (name, value) in options.sorted(by: { $0.key < $1.key }) {
            let key = name.lowercased()
            if certificateChecks.contains(key) {
                throw URLFormatError("has the option `\(name)`, which turns off a check of the server's certificate: AskDB does not allow it")
            }
            if (key.hasPrefix("tls") || key.hasPrefix("ssl")) && (key.hasSuffix("file") || key.contains("password")) {
                throw URLFormatError("has the option `\(name)`, which names a file on AskDB's own server (or its password): AskDB does not allow it")
            }
            guard allowedOptions.contains(key) else {
                throw URLFormatError("has the option `\(name)`, which AskDB does not pass on to MongoDB")
            }
            if booleanOptions.contains(key), !["true", "false"].contains(value.lowercased()) {
                throw URLFormatError("has the option `\(name)=\(value)`: it is true or false")
            }
            if key == "authmechanism", !["SCRAM-SHA-1", "SCRAM-SHA-256"].contains(value.uppercased()) {
                throw URLFormatError("has `authMechanism=\(value)`: AskDB signs in with SCRAM-SHA-1 or SCRAM-SHA-256 only")
            }
        }
        let value = { (name: String) in options.first { $0.key.lowercased() == name }?.value.lowercased() }
        if let tls = value("tls"), let ssl = value("ssl"), tls != ssl { throw URLFormatError("has `tls` and `ssl` that disagree") }
        if value("directconnection") == "false" {
            throw URLFormatError("has `directConnection=false`, which lets the driver connect to whichever hosts the server names: AskDB connects to the URL's host, directly")
        }
        if value("loadbalanced") == "true" {
            if hosts > 1 { throw URLFormatError("has `loadBalanced=true` with more than one host") }
            if value("replicaset") != nil || value("directconnection") != nil {
                throw URLFormatError("has `loadBalanced=true` beside `replicaSet` or `directConnection`")
            }
        }
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
