@testable import Embedding
import Foundation
import TestSupport
import Testing

@Suite struct MiniLMEmbedderTests {
    struct Reference: Decodable {
        struct Case: Decodable {
            var name: String
            var text: String?
            var embedding: [Float]
        }
        var cases: [Case]
    }

    // One sentence at a time runs the packed kernel split across threads; batches of 8 mix it
    // with sgemm (past 64 rows); batches of 32 are nearly all sgemm.
    @Test(arguments: [(1, 1), (8, 2), (32, 1)])
    func everyVectorMatchesTheReference(batchSize: Int, parallelBatches: Int) async throws {
        let embedder = try MiniLMEmbedder(modelFolder: TestServers.modelFolder, batchSize: batchSize, parallelBatches: parallelBatches)
        let data = try Data(contentsOf: TestServers.fixturesFolder.appendingPathComponent("minilm_reference.json"))
        let reference = try JSONDecoder().decode(Reference.self, from: data)
        let vectors = try await embedder.embed(reference.cases.map { $0.text ?? "" })
        #expect(vectors.count == reference.cases.count)
        for (item, vector) in zip(reference.cases, vectors) {
            #expect(vector.count == 384)
            let cosine = zip(vector, item.embedding).reduce(Float(0)) { $0 + $1.0 * $1.1 }
                / (sqrt(vector.reduce(0) { $0 + $1 * $1 }) * sqrt(item.embedding.reduce(0) { $0 + $1 * $1 }))
            #expect(cosine >= 0.9999, "\(item.name): cosine \(cosine)")
        }
    }

    @Test func aMissingModelFileIsNamed() {
        do {
            _ = try MiniLMEmbedder(modelFolder: URL(fileURLWithPath: "/nonexistent/model"))
            Issue.record("a missing model loaded")
        } catch {
            #expect("\(error)".contains("/nonexistent/model has no vocab.txt"))
        }
    }
}
