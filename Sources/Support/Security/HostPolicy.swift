import Foundation
import Glibc
import NIOPosix

#if canImport(Glibc)
#endif

/// Which hosts users may connect their databases to, decided on the address actually dialled.
///
/// A name is resolved once, every address it resolves to is checked, and the connection is then
/// made to the checked address, so a DNS answer that changes between check and connect
/// (rebinding) cannot reach a refused address.
package struct HostPolicy: Sendable {
    /// One entry of `ASKDB_ALLOWED_HOSTS`: a host name (`*.example.com` matches subdomains) or a CIDR.
    package enum Rule: Sendable, Hashable {
        case name(String)
        case suffix(String)
        case range(IPRange)

        package init?(_ text: String) {
            let text = text.trimmingCharacters(in: .whitespaces).lowercased()
            guard !text.isEmpty else { return nil }
            if let range = IPRange(text) {
                self = .range(range)
            } else if text.hasPrefix("*.") {
                self = .suffix(String(text.dropFirst(1)))
            } else if text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." }) {
                self = .name(text)
            } else {
                return nil
            }
        }
    }

    /// Cloud metadata services and link-local addresses: refused whatever the allow list says.
    package static let alwaysRefused: [IPRange] = [
        "169.254.0.0/16", "fe80::/10", "fd00:ec2::254/128", "100.100.100.200/32", "0.0.0.0/8", "::/128",
    ].compactMap(IPRange.init)

    /// Loopback, private, shared (CGNAT) and unique-local addresses: the operator's own network,
    /// refused unless the allow list names them.
    package static let internalRanges: [IPRange] = [
        "127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7",
    ].compactMap(IPRange.init)

    /// Empty: any public host (none of ``alwaysRefused`` or ``internalRanges``).
    package let allowed: [Rule]

    package init(allowed: [Rule] = []) {
        self.allowed = allowed
    }

    /// Parses `ASKDB_ALLOWED_HOSTS`: comma-separated names, `*.suffix`es and CIDRs.
    package init(list: String) throws(ConfigError) {
        var rules: [Rule] = []
        for entry in list.split(separator: ",") where !entry.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let rule = Rule(String(entry)) else {
                throw ConfigError(variable: "ASKDB_ALLOWED_HOSTS", reason: "has an entry that is neither a host name nor a CIDR: \(entry)")
            }
            rules.append(rule)
        }
        self.init(allowed: rules)
    }

    /// Resolves `host` and returns the address to connect to, or throws `host_not_allowed`
    /// (403-kind) or `host_not_found`.
    package func resolve(_ host: String) async throws -> IPAddress {
        let name = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]."))
        let addresses: [IPAddress]
        if let literal = IPAddress(name) {
            addresses = [literal]
        } else {
            addresses = try await Self.lookUp(name)
        }
        let nameAllowed = allowsName(name)
        for address in addresses {
            if let refused = Self.alwaysRefused.first(where: { $0.contains(address) }) {
                throw AskDBError(.forbidden, code: "host_not_allowed", message: "\(host) resolves to \(address), in \(refused), which is never allowed (cloud metadata or link-local)")
            }
            let rangeAllowed = allowed.contains { rule in
                if case .range(let range) = rule { return range.contains(address) }
                return false
            }
            if allowed.isEmpty, let range = Self.internalRanges.first(where: { $0.contains(address) }) {
                throw AskDBError(.forbidden, code: "host_not_allowed", message:
                    "\(host) resolves to \(address), in \(range), a loopback or private network: the server's operator must name it in ASKDB_ALLOWED_HOSTS")
            }
            guard nameAllowed || rangeAllowed else {
                throw AskDBError(.forbidden, code: "host_not_allowed", message: "\(host) is not in this server's allowed hosts (ASKDB_ALLOWED_HOSTS)")
            }
        }
        guard let first = addresses.first(where: \.isIPv4) ?? addresses.first else {
            throw Self.notFound(host)
        }
        return first
    }

    /// Whether an allow-list rule names `host` (always true with no allow list). For names that
    /// only a driver resolves (mongodb+srv), this is the check that can be made.
    package func allowsName(_ host: String) -> Bool {
        let name = host.lowercased()
        return allowed.isEmpty || allowed.contains { rule in
            switch rule {
            case .name(let allowedName): allowedName == name
            case .suffix(let suffix): name.hasSuffix(suffix)
            case .range: false
            }
        }
    }

    private static func notFound(_ host: String) -> ConnectionFailure {
        ConnectionFailure(.hostNotFound, "host not found: \(host) does not resolve")
    }

    /// getaddrinfo blocks, so it runs on NIO's shared blocking pool.
    private static func lookUp(_ name: String) async throws -> [IPAddress] {
        try await NIOThreadPool.singleton.runIfActive {
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var results: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(name, nil, &hints, &results) == 0, let results else {
                throw notFound(name)
            }
            defer { freeaddrinfo(results) }
            var addresses: [IPAddress] = []
            var cursor: UnsafeMutablePointer<addrinfo>? = results
            while let entry = cursor {
                if let socketAddress = entry.pointee.ai_addr {
                    switch entry.pointee.ai_family {
                    case AF_INET:
                        let v4 = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                        addresses.append(IPAddress(bytes: withUnsafeBytes(of: v4) { Array($0) }))
                    case AF_INET6:
                        let v6 = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                        addresses.append(IPAddress(bytes: withUnsafeBytes(of: v6) { Array($0) }))
                    default:
                        break
                    }
                }
                cursor = entry.pointee.ai_next
            }
            return Array(Set(addresses)).sorted { $0.description < $1.description }
        }
    }
}
