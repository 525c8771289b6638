import Crypto
import Foundation

/// Random secrets handed to people once (API keys, invite codes) and stored only as hashes.
package enum SecureToken {
    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    /// `prefix` followed by `length` random base62 characters (about 5.95 bits each).
    package static func generate(prefix: String, length: Int = 40) -> String {
        var generator = SystemRandomNumberGenerator()
        return prefix + String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// SHA-256 of `token`: what is stored (as bytea) and looked up.
    package static func hash(_ token: String) -> Data {
        Data(SHA256.hash(data: Data(token.utf8)))
    }
}
