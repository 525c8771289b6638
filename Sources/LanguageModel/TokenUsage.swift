import Metrics
import Support
import Synchronization

/// Tokens a model read and wrote, as its server reported them.
package struct TokenUsage: Sendable, Equatable, Codable {
    package var prompt: Int
    package var completion: Int
    package var total: Int { prompt + completion }

    package init(prompt: Int = 0, completion: Int = 0) {
        self.prompt = prompt
        self.completion = completion
    }

    package static func + (left: TokenUsage, right: TokenUsage) -> TokenUsage {
        TokenUsage(prompt: left.prompt + right.prompt, completion: left.completion + right.completion)
    }
}

/// Adds up the tokens of several model calls (one question's query attempts and its answer):
/// passed in ``GenerationOptions/tally``, each call adds what its server reported.
package final class TokenTally: Sendable {
    private let usage = Mutex(TokenUsage())

    package init() {}

    package func add(_ more: TokenUsage) {
        usage.withLock { $0 = $0 + more }
    }

    /// What the calls so far reported; zero when the server reports none.
    package var total: TokenUsage { usage.withLock { $0 } }
}

/// One call to a model, measured: `askdb_model_request_duration_seconds{model, outcome}` and
/// `askdb_model_tokens_total{model, type}` (the model's name is the operator's configured list,
/// so the label stays bounded). Both backends finish their streams through it.
struct ModelCall: Sendable {
    let model: String
    let tally: TokenTally?
    private let started = ContinuousClock.now

    init(model: String, tally: TokenTally?) {
        self.model = model
        self.tally = tally
    }

    func finished(usage: TokenUsage?, failed: Bool) {
        let elapsed = ContinuousClock.now - started
        Timer(label: "askdb_model_request_duration_seconds", dimensions: [("model", model), ("outcome", failed ? "error" : "ok")])
            .recordNanoseconds(elapsed.nanoseconds)
        guard let usage else { return }
        Counter(label: "askdb_model_tokens_total", dimensions: [("model", model), ("type", "prompt")]).increment(by: usage.prompt)
        Counter(label: "askdb_model_tokens_total", dimensions: [("model", model), ("type", "completion")]).increment(by: usage.completion)
        tally?.add(usage)
    }
}
