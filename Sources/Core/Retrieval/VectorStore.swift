import Foundation

/// Where documents and their embeddings live, per connection and index version.
///
/// Writes go through an ``IndexRevision``: a run stages documents under a new version that no
/// question sees until ``publish(_:)`` switches the connection to it in one step.
public protocol VectorStore: Sendable {
    /// Floats per stored vector; an embedder of another dimension cannot be used with it.
    func dimension() async throws -> Int

    /// Starts a run for `connectionID`: clears what an unfinished earlier run left behind and
    /// returns the live documents' hashes, so unchanged ones are not embedded again.
    func beginRevision(of connectionID: UUID, fence: WriteFence?) async throws -> IndexRevision

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
public struct IndexRevision: Sendable {
    public var connectionID: UUID
    /// The version questions read while the run goes on.
    public var baseVersion: Int
    /// The version the run writes, published at the end.
    public var version: Int
    /// Key → content hash of every document at the base version.
    public var liveHashes: [String: String]
    public var fence: WriteFence?

    public init(connectionID: UUID, baseVersion: Int, version: Int, liveHashes: [String: String], fence: WriteFence?) {
        self.connectionID = connectionID
        self.baseVersion = baseVersion
        self.version = version
        self.liveHashes = liveHashes
        self.fence = fence
    }
}

/// The lease a job's writes are made under: a write succeeds only while `token` is still the
/// job's current lease token, so a worker that lost its lease cannot overwrite a newer run.
public struct WriteFence: Sendable, Hashable {
    public var jobID: UUID
    public var token: Int64

    public init(jobID: UUID, token: Int64) {
        self.jobID = jobID
        self.token = token
    }

    /// Thrown when the lease has passed to another run.
    public struct Lost: Error, Sendable, CustomStringConvertible {
        public var jobID: UUID
        public var description: String { "job \(jobID.lowercasedString) is no longer held under this lease" }
    }
}

/// A question's search over one connection.
public struct DocumentSearch: Sendable {
    public var connectionID: UUID
    public var version: Int
    public var embedding: [Float]
    /// The question's text, for the full-text half; empty for vector-only.
    public var text: String
    public var limit: Int

    public init(connectionID: UUID, version: Int, embedding: [Float], text: String = "", limit: Int) {
        self.connectionID = connectionID
        self.version = version
        self.embedding = embedding
        self.text = text
        self.limit = limit
    }
}
