import Foundation

/// Secret bytes from configuration (the encryption key, the JWT secret) that never print.
package struct SecretKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The raw key material.
    package let bytes: [UInt8]

    /// Wraps raw key material.
    package init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    package var description: String { "<secret, \(bytes.count) bytes>" }
    package var debugDescription: String { description }
}
