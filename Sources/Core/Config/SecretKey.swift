import Foundation

/// Secret bytes from configuration (the encryption key, the JWT secret) that never print.
public struct SecretKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The raw key material.
    public let bytes: [UInt8]

    /// Wraps raw key material.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var description: String { "<secret, \(bytes.count) bytes>" }
    public var debugDescription: String { description }
}
