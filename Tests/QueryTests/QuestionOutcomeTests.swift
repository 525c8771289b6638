import DataSources
@testable import Query
import Support
import Testing

struct QuestionOutcomeTests {
    @Test func refusalsAndLimitsAreRefusedAndEverythingElseFailed() {
        #expect(QuestionOutcome(error: QuestionFailure(code: "no_valid_query", message: "m", query: nil, attempts: 3)) == .refused)
        #expect(QuestionOutcome(error: QueryRefusal("not_read_only", "m")) == .refused)
        #expect(QuestionOutcome(error: AskDBError(.rateLimited, code: "too_many_concurrent", message: "m", retryAfter: 1)) == .refused)
        #expect(QuestionOutcome(error: AskDBError(.unavailable, code: "llm_not_configured", message: "m")) == .failed)
        #expect(QuestionOutcome(error: CancellationError()) == .failed)
    }

    @Test func theOutcomeLabelsAreTheIssuesFive() {
        #expect(QuestionOutcome.allCases.map(\.rawValue) == ["answered", "refused", "failed", "cached", "verified"])
    }
}
