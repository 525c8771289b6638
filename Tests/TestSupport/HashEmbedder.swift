import Crypto
import Embedding
import Foundation

/// A fast stand-in embedder for tests that are not about embeddings: a deterministic unit
/// vector from the text's SHA-256, so equal texts embed equally. Counts how many texts it embedded.
package final class HashEmbedder: Embedder, @unchecked Sendable {
    package let identifier = "test-hash"
    package let dimension = 384
    private let lock = NSLock()
    private var embedded = 0

    package init() {}

    /// Texts embedded so far.
    package var count: Int { lock.withLock { embedded } }

    package func embed(_ texts: [String]) async throws -> [[Float]] {
        lock.withLock { embedded += texts.count }
        return texts.map { text in
            let digest = Array(SHA256.hash(data: Data(text.utf8)))
            let values = (0..<384).map { Float(Int(digest[$0 % 32]) - 128 + $0 % 7) }
            let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return values.map { $0 / norm }
        }
    }
}
