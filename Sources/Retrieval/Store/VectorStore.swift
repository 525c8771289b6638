import AppDatabase
import Foundation

/// Where documents and their embeddings live, per connection and index version.
///
/// Writes go through an ``IndexRevision``: a run stages documents under a new version that no
/// question sees until ``publish(_:)`` switches the connection to it in one step.
package protocol VectorStore: Sendable {
    /// Floats per stored vector; an embedder of another dimension cannot be used with it.
    func dimension() async throws -> Int

    /// Starts a run for `connectionID`: clears what an unfinished earlier run left behind and
    /// returns the live documents' hashes, so unchanged ones are not embedded again.
    func beginRevision(of connectionID: UUID, fence: (any WriteFence)?) async throws -> IndexRevision

    /// Adds new and changed documents to the revision (idempotent: staging a key twice keeps
    /// the last).
    func stage(_ documents: [EmbeddedDocument], in revision: IndexRevision) async throws

    /// Marks documents that vanished from the source; the published version no longer has them.
    func retire(keys: [String], in revision: IndexRevision) async throws

    /// Switches the connection to the revision's version, atomically; questions see the whole
    /// new index from then on.
    func publish(_ revision: IndexRevision) async throws

    /// The `limit` best documents of one connection's index version: exactly `limit` when it
    /// holds that many.
    func search(_ search: DocumentSearch) async throws -> [RetrievedDocument]
}

/// One indexing run's view of the store.
package struct IndexRevision: Sendable {
    package var connectionID: UUID
    /// The version questions read while the run goes on.
    package var baseVersion: Int
    /// The version the run writes, published at the end.
    package var version: Int
    /// Key → content hash of every document at the base version.
    package var liveHashes: [String: String]
    /// Checked inside every write transaction of the run; nil for unfenced runs (tests, tools).
    package var fence: (any WriteFence)?

    package init(connectionID: UUID, baseVersion: Int, version: Int, liveHashes: [String: String], fence: (any WriteFence)?) {
        self.connectionID = connectionID
        self.baseVersion = baseVersion
        self.version = version
        self.liveHashes = liveHashes
        self.fence = fence
    }
}

/// A question's search over one connection.
package struct DocumentSearch: Sendable {
    package var connectionID: UUID
    package var version: Int
    package var embedding: [Float]
    /// The question's text, for the full-text half; empty for vector-only.
    package var text: String
    package var limit: Int

    package init(connectionID: UUID, version: Int, embedding: [Float], text: String = "", limit: Int) {
        self.connectionID = connectionID
        self.version = version
        self.embedding = embedding
        self.text = text
        self.limit = limit
    }
}
