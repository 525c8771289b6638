/// The worked examples a question gets with `eval --examples K`: the K other questions of its
/// database most like it (by the cosine of their embeddings), best first, never the question
/// itself, so a score with examples is still one on unseen questions.
package enum WorkedExamples {
    /// - Parameters:
    ///   - index: the question's position in `questions`.
    ///   - vectors: one embedding per question, in the same order.
    package static func pick(_ k: Int, for index: Int, among questions: [EvaluationQuestion], vectors: [[Float]]) -> [EvaluationQuestion] {
        guard k > 0, questions.indices.contains(index), vectors.count == questions.count else { return [] }
        let question = questions[index]
        let candidates = questions.indices.filter { $0 != index && questions[$0].database == question.database && questions[$0].question != question.question }
        let ranked = candidates.map { ($0, cosine(vectors[index], vectors[$0])) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        return ranked.prefix(k).map { questions[$0.0] }
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        var dot: Float = 0, normA: Float = 0, normB: Float = 0
        for (x, y) in zip(a, b) {
            dot += x * y
            normA += x * x
            normB += y * y
        }
        return normA > 0 && normB > 0 ? dot / (normA.squareRoot() * normB.squareRoot()) : 0
    }
}
