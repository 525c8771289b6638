@testable import Evaluation
import Testing

@Suite struct WorkedExamplesTests {
    static let questions = [
        EvaluationQuestion(database: "shop", category: "a", question: "orders per day", gold: "SELECT 1"),
        EvaluationQuestion(database: "shop", category: "a", question: "orders per week", gold: "SELECT 2"),
        EvaluationQuestion(database: "shop", category: "a", question: "top customers", gold: "SELECT 3"),
        EvaluationQuestion(database: "zoo", category: "a", question: "orders per day at the zoo", gold: "SELECT 4"),
    ]
    static let vectors: [[Float]] = [[1, 0], [0.9, 0.1], [0, 1], [1, 0]]

    @Test func theMostSimilarOtherQuestionsOfTheSameDatabaseComeFirst() {
        let picked = WorkedExamples.pick(2, for: 0, among: Self.questions, vectors: Self.vectors)
        #expect(picked.map(\.question) == ["orders per week", "top customers"])
    }

    @Test func neverTheQuestionItselfNorAnotherDatabasesNorNoneAsked() {
        #expect(WorkedExamples.pick(5, for: 3, among: Self.questions, vectors: Self.vectors).isEmpty)
        #expect(WorkedExamples.pick(0, for: 0, among: Self.questions, vectors: Self.vectors).isEmpty)
        #expect(WorkedExamples.pick(3, for: 0, among: Self.questions, vectors: Self.vectors).count == 2)
    }
}
