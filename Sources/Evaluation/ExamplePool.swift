import Embedding
import Foundation
import Query

/// Verified examples held in memory for an evaluation: the pipeline finds them through the
/// same ``ExampleSearch`` seam as a connection's stored ones, ranked the same way (cosine
/// similarity of the questions' embeddings).
package struct ExamplePool: ExampleSearch {
    private let examples: [(candidate: ExampleCandidate, vector: [Float])]

    /// The size of the pool.
    package var count: Int { examples.count }

    /// Embeds each question of `pairs`.
    package init(_ pairs: [(question: String, query: String)], embedder: any Embedder) async throws {
        let vectors = pairs.isEmpty ? [] : try await embedder.embed(pairs.map(\.question))
        examples = zip(pairs, vectors).map { pair, vector in
            (ExampleCandidate(id: UUID(), question: pair.question, query: pair.query, similarity: 0), vector)
        }
    }

    package func nearest(connectionID: UUID, embedding: [Float], limit: Int) async throws -> [ExampleCandidate] {
        let ranked = examples.enumerated().map { offset, example in
            var candidate = example.candidate
            candidate.similarity = Double(Self.cosine(embedding, example.vector))
            return (offset, candidate)
        }
        return ranked.sorted { $0.1.similarity != $1.1.similarity ? $0.1.similarity > $1.1.similarity : $0.0 < $1.0 }.prefix(limit).map(\.1)
    }

    package static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        var dot: Float = 0, normA: Float = 0, normB: Float = 0
        for (x, y) in zip(a, b) {
            dot += x * y
            normA += x * x
            normB += y * y
        }
        return normA > 0 && normB > 0 ? dot / (normA.squareRoot() * normB.squareRoot()) : 0
    }
}

/// Each database's questions cut in two by a seed: the examples a run may show or answer
/// from, and the questions it asks, never the same, so a score with examples is still one on
/// unseen questions.
package struct ExampleSplit: Sendable {
    package var examples: [EvaluationQuestion]
    package var asked: [EvaluationQuestion]

    /// Half of each database's questions (rounded down) become examples, chosen by `seed`.
    package init(_ questions: [EvaluationQuestion], seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        examples = []
        asked = []
        var databases: [String] = []
        for question in questions where !databases.contains(question.database) { databases.append(question.database) }
        for database in databases {
            let shuffled = questions.filter { $0.database == database }.shuffled(using: &generator)
            examples += shuffled.prefix(shuffled.count / 2)
            asked += shuffled.dropFirst(shuffled.count / 2)
        }
        // Asked in the file's order, whatever the shuffle.
        asked.sort { questions.firstIndex(of: $0)! < questions.firstIndex(of: $1)! }
    }
}

/// A small seeded generator: the same seed gives the same split on every machine.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
