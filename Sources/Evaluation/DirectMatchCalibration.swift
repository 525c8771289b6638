import Embedding
import Foundation
import Support
import Query

/// Measures ``DirectMatch`` on pairs of questions that must match (paraphrases of an example)
/// and that must not (another number, filter value, aggregate or grouping), to choose its
/// threshold: the benchmark prints the curve, a test holds the default to its precision.
package enum DirectMatchCalibration {
    /// A question beside an example's question, and whether the example answers it.
    package struct Pair: Sendable {
        package var question: String
        package var example: String
        package var shouldMatch: Bool
        /// `paraphrase`, `number`, `filter`, `aggregate` or `grouping`.
        package var kind: String
    }

    /// A pair with its similarity and whether the two signatures agree.
    package struct Scored: Sendable {
        package var pair: Pair
        package var similarity: Double
        package var sameSignature: Bool

        package init(pair: Pair, similarity: Double, sameSignature: Bool) {
            self.pair = pair
            self.similarity = similarity
            self.sameSignature = sameSignature
        }

        package func matches(at threshold: Double) -> Bool { sameSignature && similarity >= threshold }
    }

    /// Precision and recall of direct answers at one threshold.
    package struct Point: Sendable {
        package var threshold: Double
        package var truePositives: Int
        package var falsePositives: Int
        package var positives: Int
        package var precision: Double { truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives) }
        package var recall: Double { positives == 0 ? 0 : Double(truePositives) / Double(positives) }
    }

    /// The pairs of a CSV file with the columns `question`, `example`, `expected` (`match` or
    /// `miss`) and `kind`.
    package static func pairs(csv text: String) throws -> [Pair] {
        let records = try CSV.records(text)
        guard let header = records.first?.fields,
              let question = header.firstIndex(of: "question"), let example = header.firstIndex(of: "example"),
              let expected = header.firstIndex(of: "expected"), let kind = header.firstIndex(of: "kind") else {
            throw EvaluationError("the pairs file needs the columns question, example, expected and kind")
        }
        return try records.dropFirst().map { record in
            guard record.fields.count == header.count, ["match", "miss"].contains(record.fields[expected]) else {
                throw EvaluationError("line \(record.line) of the pairs file is not a pair")
            }
            return Pair(question: record.fields[question], example: record.fields[example], shouldMatch: record.fields[expected] == "match",
                        kind: record.fields[kind])
        }
    }

    package static func score(_ pairs: [Pair], embedder: any Embedder, vocabulary: DirectMatch.Vocabulary) async throws -> [Scored] {
        let questions = try await embedder.embed(pairs.map(\.question)), examples = try await embedder.embed(pairs.map(\.example))
        return zip(pairs, zip(questions, examples)).map { pair, vectors in
            Scored(pair: pair, similarity: Double(ExamplePool.cosine(vectors.0, vectors.1)),
                   sameSignature: DirectMatch.Signature(pair.question, vocabulary: vocabulary) == DirectMatch.Signature(pair.example, vocabulary: vocabulary))
        }
    }

    package static func point(_ scored: [Scored], threshold: Double) -> Point {
        let predicted = scored.filter { $0.matches(at: threshold) }
        return Point(threshold: threshold, truePositives: predicted.filter(\.pair.shouldMatch).count,
                     falsePositives: predicted.filter { !$0.pair.shouldMatch }.count, positives: scored.filter(\.pair.shouldMatch).count)
    }

    /// The threshold with the best recall among those of at least `precision`; the higher of equals.
    package static func choose(_ scored: [Scored], precision: Double, among thresholds: [Double]) -> Point? {
        thresholds.map { point(scored, threshold: $0) }.filter { $0.precision >= precision }
            .max { $0.recall != $1.recall ? $0.recall < $1.recall : $0.threshold < $1.threshold }
    }
}
