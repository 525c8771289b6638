import Core
import Crypto
import Foundation

/// A fast stand-in embedder for tests that are not about embeddings: a deterministic unit
/// vector from the text's SHA-256, so equal texts embed equally. Counts how many texts it embedded.
public final class HashEmbedder: Embedder, @unchecked Sendable {
    public let identifier = "test-hash"
    public let dimension = 384
    private let lock = NSLock()
    private var embedded = 0

    public init() {}

    /// Texts embedded so far.
    public var count: Int { lock.withLock { embedded } }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        lock.withLock { embedded += texts.count }
        return texts.map { text in
            let digest = Array(SHA256.hash(data: Data(text.utf8)))
            let values = (0..<384).map { Float(Int(digest[$0 % 32]) - 128 + $0 % 7) }
            let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return values.map { $0 / norm }
        }
    }
}
