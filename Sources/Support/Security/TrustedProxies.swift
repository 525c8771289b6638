/// The proxies whose `X-Forwarded-For` the API believes (`ASKDB_TRUSTED_PROXIES`), and how the
/// client's address is read through them.
///
/// Anyone can send `X-Forwarded-For`, so the header counts only when the peer that sent it is
/// a trusted proxy, and then only up to the first hop no trusted proxy vouches for: the header
/// is read from the right (each proxy appends the address it saw), skipping trusted proxies,
/// and the first other address is the client. With no proxies listed the peer is the client.
package struct TrustedProxies: Sendable {
    private let ranges: [IPRange]

    package init(_ ranges: [IPRange] = []) {
        self.ranges = ranges
    }

    /// Parses `ASKDB_TRUSTED_PROXIES`: comma-separated addresses and CIDRs.
    package init(list: String) throws(ConfigError) {
        var ranges: [IPRange] = []
        for entry in list.split(separator: ",").map({ $0.trimmed() }) where !entry.isEmpty {
            guard let range = IPRange(entry) else {
                throw ConfigError(variable: "ASKDB_TRUSTED_PROXIES", reason: "has an entry that is neither an address nor a CIDR: \(entry)")
            }
            ranges.append(range)
        }
        self.init(ranges)
    }

    /// The client's address: `peer` itself unless it is a trusted proxy, else the nearest
    /// address in `forwardedFor` (the `X-Forwarded-For` values in order) that is not. A hop
    /// that is not an address ends the walk at the proxy that wrote it.
    package func clientAddress(peer: String, forwardedFor: [String]) -> String {
        guard isTrusted(peer) else { return peer }
        var client = peer
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmed() }
        for hop in hops.reversed() {
            guard let address = IPAddress(hop) else { return client }
            client = address.description
            if !isTrusted(client) { return client }
        }
        return client
    }

    private func isTrusted(_ address: String) -> Bool {
        guard let address = IPAddress(address) else { return false }
        return ranges.contains { $0.contains(address) }
    }
}
