import Foundation
import Support

/// What history records of an answer (the rows stay out of it), as JSON that PostgreSQL reads:
/// the answer cache keeps it beside the reply, so a hit decodes nothing.
struct AnswerSummary: Sendable, Equatable {
    let json: String

    private struct Fields: Encodable {
        var query: String?
        var answer: String?
        var row_count: Int?
        var model: String
        var timings: QuestionAnswer.Timings
        var prompt_tokens: Int?
        var completion_tokens: Int?
        var error: String?
    }

    init(_ answer: QuestionAnswer) throws {
        let fields = Fields(query: answer.query, answer: answer.answer, row_count: answer.rowCount, model: answer.model, timings: answer.timings,
                            prompt_tokens: answer.tokens?.prompt, completion_tokens: answer.tokens?.completion)
        json = String(decoding: try ResponseJSON.encoder.encode(fields), as: UTF8.self)
    }

    /// A question that found no query: what was tried last and why it failed.
    init(_ failure: QuestionFailure, model: String) throws {
        let fields = Fields(query: failure.query, model: model, timings: .init(), prompt_tokens: failure.tokens?.prompt,
                            completion_tokens: failure.tokens?.completion, error: failure.message)
        json = String(decoding: try ResponseJSON.encoder.encode(fields), as: UTF8.self)
    }

    init(json: String) {
        self.json = json
    }
}
