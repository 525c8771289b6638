/// Addresses and CIDRs allowed to reach an operators' endpoint (`ASKDB_METRICS_ALLOW` for
/// `/metrics`); anything else, an unparsable peer included, is refused.
package struct AddressAllowList: Sendable {
    private let ranges: [IPRange]

    /// Loopback only, IPv4 and IPv6.
    package static let loopback = AddressAllowList(ranges: [IPRange("127.0.0.0/8")!, IPRange("::1")!])

    package init(ranges: [IPRange]) {
        self.ranges = ranges
    }

    /// Parses comma-separated addresses and CIDRs; an error names `variable`.
    package init(list: String, variable: String) throws(ConfigError) {
        var ranges: [IPRange] = []
        for entry in list.split(separator: ",").map({ $0.trimmed() }) where !entry.isEmpty {
            guard let range = IPRange(entry) else {
                throw ConfigError(variable: variable, reason: "has an entry that is neither an address nor a CIDR: \(entry)")
            }
            ranges.append(range)
        }
        guard !ranges.isEmpty else { throw ConfigError(variable: variable, reason: "must name at least one address or CIDR") }
        self.init(ranges: ranges)
    }

    /// Whether `address` (text, as a peer's address reads) is in one of the ranges.
    package func allows(_ address: String) -> Bool {
        guard let address = IPAddress(address) else { return false }
        return ranges.contains { $0.contains(address) }
    }
}
