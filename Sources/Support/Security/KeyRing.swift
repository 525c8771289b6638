import Crypto
import Foundation

/// The keys that seal stored secrets (connection URLs) with AES-256-GCM.
///
/// New secrets are sealed with the current key; older keys stay readable until
/// `askdb-api rotate-key` re-seals everything under the current one. Each sealed value is stored
/// with the id of its key, and bound to its row by associated data so it cannot be moved to
/// another row.
package struct KeyRing: Sendable {
    /// A key and its public id (the first 8 hex digits of a hash of it).
    package struct Key: Sendable {
        package let id: String
        fileprivate let key: SymmetricKey

        package init(_ secret: SecretKey) {
            key = SymmetricKey(data: secret.bytes)
            let digest = SHA256.hash(data: Data("askdb-key-id:".utf8) + Data(secret.bytes))
            id = digest.prefix(4).hexString
        }
    }

    package let current: Key
    private let byID: [String: Key]

    package init(current: SecretKey, previous: [SecretKey] = []) {
        self.current = Key(current)
        var keys: [String: Key] = [:]
        for key in previous.map(Key.init) + [self.current] { keys[key.id] = key }
        self.byID = keys
    }

    /// Seals `plaintext` with the current key, bound to `context` (e.g. the row's id).
    package func seal(_ plaintext: String, context: String) throws -> (ciphertext: Data, keyID: String) {
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: current.key, authenticating: Data(context.utf8))
        guard let combined = box.combined else { throw KeyRingError(message: "could not seal") }
        return (combined, current.id)
    }

    /// Opens what ``seal(_:context:)`` made; fails when the key is gone or the data was tampered with.
    package func open(_ ciphertext: Data, keyID: String, context: String) throws -> String {
        guard let key = byID[keyID] else {
            throw KeyRingError(message: "no key with id \(keyID): add it to ASKDB_ENCRYPTION_PREVIOUS_KEYS")
        }
        do {
            let box = try AES.GCM.SealedBox(combined: ciphertext)
            return String(decoding: try AES.GCM.open(box, using: key.key, authenticating: Data(context.utf8)), as: UTF8.self)
        } catch {
            throw KeyRingError(message: "a stored secret (key \(keyID)) failed authentication: wrong key or tampered data")
        }
    }
}

/// A secret could not be sealed or opened.
package struct KeyRingError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package var description: String { message }
}
