import Embedding
@testable import Evaluation
import Foundation
import Testing

@Suite struct ExampleSplitTests {
    static let questions = (1...7).map { EvaluationQuestion(database: "shop", category: "a", question: "shop \($0)", gold: "SELECT \($0)") }
        + (1...4).map { EvaluationQuestion(database: "zoo", category: "a", question: "zoo \($0)", gold: "SELECT \($0)") }

    @Test func eachDatabaseIsHalvedAndNoQuestionIsBothAskedAndShown() {
        let split = ExampleSplit(Self.questions, seed: 1)
        #expect(split.examples.filter { $0.database == "shop" }.count == 3 && split.asked.filter { $0.database == "shop" }.count == 4)
        #expect(split.examples.filter { $0.database == "zoo" }.count == 2 && split.asked.filter { $0.database == "zoo" }.count == 2)
        #expect(Set(split.examples.map(\.question)).isDisjoint(with: split.asked.map(\.question)))
        #expect(split.asked == Self.questions.filter { split.asked.contains($0) })
    }

    @Test func theSeedChoosesTheSplitTheSameWayEveryTime() {
        #expect(ExampleSplit(Self.questions, seed: 2).asked == ExampleSplit(Self.questions, seed: 2).asked)
        #expect(Set((1...3).map { ExampleSplit(Self.questions, seed: $0).asked.map(\.question) }).count > 1)
    }

    @Test func thePoolRanksByCosineBestFirst() async throws {
        let pool = try await ExamplePool([("orders per day", "SELECT 1"), ("top customers", "SELECT 2")], embedder: FixedEmbedder())
        let found = try await pool.nearest(connectionID: UUID(), embedding: [0, 1], limit: 1)
        #expect(found.map(\.query) == ["SELECT 2"] && abs(found[0].similarity - 1) < 1e-6)
    }
}

/// "orders …" along the first axis, anything else along the second.
private struct FixedEmbedder: Embedder {
    var identifier: String { "fixed" }
    var dimension: Int { 2 }
    var maximumTokens: Int { 100 }
    func embed(_ texts: [String]) async throws -> [[Float]] { texts.map { $0.hasPrefix("orders") ? [1, 0] : [0, 1] } }
    func tokenCount(_ text: String) -> Int { text.count }
}
