import Embedding
import Retrieval

extension EmbeddingConfig {
    /// Makes the embedder and checks it against the store: a vector of another dimension than
    /// the store holds stops the process here, before any work.
    /// - Parameter parallelBatches: for MiniLM, batches run at once (an indexer: one per core).
    package func makeEmbedder(checkingAgainst store: any VectorStore, parallelBatches: Int = 1) async throws -> any Embedder {
        let embedder = try await makeEmbedder(parallelBatches: parallelBatches)
        let stored = try await store.dimension()
        guard embedder.dimension == stored else {
            throw EmbeddingError(
                "the embedder \(embedder.identifier) makes \(embedder.dimension)-dimensional vectors, but the store holds \(stored): "
                    + "use an embedder of dimension \(stored) (all-MiniLM-L6-v2, or Ollama's all-minilm)"
            )
        }
        return embedder
    }
}

extension EmbedderSlot {
    /// A slot that makes the configured embedder when its process starts and checks it against
    /// the store; a failure is a ``StartupError``, which stops the process with one clear line.
    package init(_ config: EmbeddingConfig, checkingAgainst store: any VectorStore, parallelBatches: Int = 1) {
        self.init(loading: {
            do {
                return try await config.makeEmbedder(checkingAgainst: store, parallelBatches: parallelBatches)
            } catch {
                throw StartupError("the embedder cannot be used: \(error)")
            }
        })
    }
}
