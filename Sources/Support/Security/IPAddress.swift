import Foundation
import Glibc

#if canImport(Glibc)
#endif

/// An IPv4 or IPv6 address as bytes, and CIDR ranges over them.
package struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6.
    package let bytes: [UInt8]

    /// Parses a literal address; nil when `text` is not one.
    package init?(_ text: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            bytes = withUnsafeBytes(of: v6) { Array($0) }
            return
        }
        return nil
    }

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    package var isIPv4: Bool { bytes.count == 4 }

    /// An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as the IPv4 address it stands for.
    package var unmapped: IPAddress {
        if bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            return IPAddress(bytes: Array(bytes[12...]))
        }
        return self
    }

    /// What per-client limits count under: an IPv4 address itself (an IPv4-mapped one as
    /// IPv4), an IPv6 address's /64, the network one subscriber is given: a host there may take
    /// any address of it, so counting whole addresses would count nothing.
    package var limitGroup: String {
        let address = unmapped
        guard !address.isIPv4 else { return address.description }
        return "\(IPAddress(bytes: Array(address.bytes[0..<8]) + Array(repeating: 0, count: 8)))/64"
    }

    package var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = isIPv4 ? AF_INET : AF_INET6
        _ = bytes.withUnsafeBytes { raw in inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) }
        return String(cString: buffer)
    }
}

/// A CIDR range such as `10.0.0.0/8` or `fd00:ec2::254/128`.
package struct IPRange: Sendable, Hashable, CustomStringConvertible {
    package let network: IPAddress
    package let prefixLength: Int

    /// Parses `a.b.c.d/n`, `x::y/n`, or a bare address (a range of one).
    package init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let address = IPAddress(String(parts[0])) else { return nil }
        let maximum = address.bytes.count * 8
        let length = parts.count == 2 ? Int(parts[1]) : maximum
        guard let length, (0...maximum).contains(length) else { return nil }
        network = address
        prefixLength = length
    }

    package func contains(_ address: IPAddress) -> Bool {
        let address = network.isIPv4 ? address.unmapped : address
        guard address.bytes.count == network.bytes.count else { return false }
        var remaining = prefixLength
        for (a, b) in zip(address.bytes, network.bytes) where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if a & mask != b & mask { return false }
            remaining -= bits
        }
        return true
    }

    package var description: String { "\(network)/\(prefixLength)" }
}
