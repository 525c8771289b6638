import Crypto
import Foundation
import Support

/// A piece of text that retrieval can find: one table's overview, a column group, a value
/// profile. The indexer writes them; the query path reads them back as context.
package struct Document: Sendable, Hashable {
    /// Stable across runs (e.g. `table:public.invoice`), so a re-index can tell what changed.
    package var key: String
    package var content: String
    /// What the query path needs besides the text: the objects it describes, its kind.
    package var metadata: [String: JSONValue]

    package init(key: String, content: String, metadata: [String: JSONValue] = [:]) {
        self.key = key
        self.content = content
        self.metadata = metadata
    }

    /// SHA-256 over the embedder's identifier, the text and the metadata: a different model or
    /// a changed document gets a new hash and is embedded again; an unchanged one is skipped.
    package func contentHash(embedder: String) -> String {
        var hasher = SHA256()
        for part in [embedder, content, metadataJSON] {
            hasher.update(data: Data(part.utf8))
            hasher.update(data: Data([0]))
        }
        return hasher.finalize().hexString
    }

    /// The metadata as JSON with sorted keys, so equal metadata always hashes the same.
    var metadataJSON: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(metadata), as: UTF8.self)) ?? "{}"
    }
}

/// A document with its embedding and hash, ready to store.
package struct EmbeddedDocument: Sendable {
    package var document: Document
    package var contentHash: String
    package var embedding: [Float]

    package init(document: Document, contentHash: String, embedding: [Float]) {
        self.document = document
        self.contentHash = contentHash
        self.embedding = embedding
    }
}

/// A document that a search returned, with how it ranked.
package struct RetrievedDocument: Sendable, Equatable {
    package var key: String
    package var content: String
    package var metadata: [String: JSONValue]
    /// The fused score: reciprocal rank fusion of the vector and full-text rankings.
    package var score: Double
    /// Cosine similarity to the question (nil when it ranked only by text).
    package var similarity: Double?
    /// 1-based ranks in each list; nil when the document was not in that list.
    package var vectorRank: Int?
    package var textRank: Int?
}
