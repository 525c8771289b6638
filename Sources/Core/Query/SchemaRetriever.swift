import Foundation

/// A question's first step: embed it, search the connection's index by vector and full text,
/// expand along foreign keys and fit the context to a token budget.
public struct SchemaRetriever: Sendable {
    private let store: any VectorStore
    private let snapshots: SchemaSnapshotStore
    private let embedder: any Embedder
    /// Tokens of schema context the prompt may hold.
    public var contextBudget = 2500
    /// Documents the search returns before expansion.
    public var searchLimit = 20

    public init(store: any VectorStore, snapshots: SchemaSnapshotStore, embedder: any Embedder) {
        self.store = store
        self.snapshots = snapshots
        self.embedder = embedder
    }

    /// What retrieval gives a question: the context for the prompt, the documents that led to
    /// it, and the snapshot it was cut from.
    public struct Retrieval: Sendable {
        public var context: SchemaContext
        public var documents: [QuestionAnswer.DocumentUsed]
        public var snapshot: SchemaSnapshot
    }

    public func retrieve(_ question: String, connectionID: UUID, version: Int, kind: ConnectionKind) async throws -> Retrieval {
        let embedding = try await embedder.embed([question])[0]
        let ranked = try await store.search(DocumentSearch(connectionID: connectionID, version: version, embedding: embedding,
                                                           text: question, limit: searchLimit))
        let snapshot = try await snapshots.load(connectionID: connectionID, version: version) ?? SchemaSnapshot(source: kind.rawValue, objects: [])
        let embedder = self.embedder
        let context = SchemaContext.build(ranked: ranked, snapshot: snapshot, budget: contextBudget, tokens: { embedder.tokenCount($0) })
        return Retrieval(context: context, documents: ranked.map { QuestionAnswer.DocumentUsed(key: $0.key, score: $0.score) }, snapshot: snapshot)
    }
}
