import Query

/// A small answer with every field set, for tests of what stores and encodes answers.
package enum SampleAnswers {
    package static let answer = QuestionAnswer(
        answer: "AC/DC has 18.", query: "SELECT name FROM artist", columns: ["name", "doc"],
        rows: [[.string("AC/DC"), .object(["history_id": .string("x"), "conversation_id": .string("y")])]], truncatedBy: nil, rowCount: 1,
        documentsUsed: [.init(key: "table:artist", score: 0.5)], timings: .init(retrieve: 1, generate: 2, validate: 3, execute: 4, answer: 5, total: 15),
        model: "scripted", attempts: 1
    )
}
