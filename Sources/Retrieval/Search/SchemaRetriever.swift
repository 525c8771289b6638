import DataSources
import Embedding
import Foundation
import SchemaModel

/// A question's first step: embed it, search the connection's index by vector and full text,
/// expand along foreign keys and fit the context to a token budget.
package struct SchemaRetriever: Sendable {
    private let store: any VectorStore
    private let snapshots: SchemaSnapshotStore
    private let embedder: any Embedder
    /// Tokens of schema context the prompt may hold.
    package var contextBudget = 2500
    /// Documents the search returns before expansion.
    package var searchLimit = 20

    package init(store: any VectorStore, snapshots: SchemaSnapshotStore, embedder: any Embedder) {
        self.store = store
        self.snapshots = snapshots
        self.embedder = embedder
    }

    /// What retrieval gives a question: the context for the prompt, the documents that led to
    /// it, and the snapshot it was cut from.
    package struct Retrieval: Sendable {
        package var context: SchemaContext
        package var documents: [UsedDocument]
        package var snapshot: SchemaSnapshot
        /// Every object the search led to, best first, before the budget cut the list: for
        /// measuring recall at a fixed number of tables.
        package var ranking: [String]
    }

    /// The question's embedding, as retrieval searches with it.
    package func embed(_ question: String) async throws -> [Float] {
        try await embedder.embed([question])[0]
    }

    /// The tokens `text` takes in a prompt, as the context's budget counts them.
    package func tokenCount(_ text: String) -> Int {
        embedder.tokenCount(text)
    }

    /// The context for `question` from index `version`, cut to what `options` let a question see
    /// now: objects, columns and values excluded since that index was built are left out, and
    /// so are the documents about objects now excluded.
    /// - Parameters:
    ///   - embedding: the question's, when the caller has it already.
    ///   - reservedTokens: of the budget, what the prompt spends on something else (worked examples).
    package func retrieve(_ question: String, embedding: [Float]? = nil, reservedTokens: Int = 0, connectionID: UUID, version: Int,
                          kind: ConnectionKind, options: SamplingOptions) async throws -> Retrieval {
        let embedding = if let embedding { embedding } else { try await embed(question) }
        let snapshot = try await self.snapshot(connectionID: connectionID, version: version, kind: kind).visible(under: options)
        let ranked = try await store.search(DocumentSearch(connectionID: connectionID, version: version, embedding: embedding,
                                                           text: question, limit: searchLimit))
            .filter { document in document.metadata["object"]?.string.map { snapshot.object($0) != nil } ?? true }
        let embedder = self.embedder
        let context = SchemaContext.build(ranked: ranked, snapshot: snapshot, budget: max(0, contextBudget - reservedTokens), tokens: { embedder.tokenCount($0) })
        return Retrieval(context: context, documents: ranked.map { UsedDocument(key: $0.key, score: $0.score) }, snapshot: snapshot,
                         ranking: SchemaContext.expanded(ranked: ranked, snapshot: snapshot))
    }

    /// The structure index `version` was built from.
    package func snapshot(connectionID: UUID, version: Int, kind: ConnectionKind) async throws -> SchemaSnapshot {
        try await snapshots.published(connectionID: connectionID, version: version, kind: kind)
    }
}
