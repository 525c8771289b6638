import DataSources
import Metrics
import Support

/// How a question ended, counted as `askdb_questions_total{outcome}`.
package enum QuestionOutcome: String, Sendable, CaseIterable {
    /// The pipeline wrote a query, ran it and answered.
    case answered
    /// No acceptable query (the guard refused every attempt), or a limit refused it while it ran.
    case refused
    /// An error: the model, the user's database or AskDB itself.
    case failed
    /// Served from the answer cache, or from the query cache's checked query run again.
    case cached
    /// Answered by a verified example directly, without the model.
    case verified

    /// The outcome of a question that threw `error`.
    package init(error: any Error) {
        switch error {
        case is QuestionFailure, is QueryRefusal: self = .refused
        case let error as AskDBError where error.kind == .rateLimited: self = .refused
        default: self = .failed
        }
    }

    package func record() {
        Counter(label: "askdb_questions_total", dimensions: [("outcome", rawValue)]).increment()
    }
}

/// A cache's lookup, counted as `askdb_cache_requests_total{cache, result}`.
enum CacheLookup {
    static func record(cache: String, hit: Bool) {
        Counter(label: "askdb_cache_requests_total", dimensions: [("cache", cache), ("result", hit ? "hit" : "miss")]).increment()
    }
}

/// A query run against a user's database, measured as
/// `askdb_source_query_duration_seconds{kind, outcome}` and counted in
/// `askdb_source_query_errors_total{kind}` when it fails.
enum SourceQueryMetrics {
    static func record(kind: String, elapsed: Duration, failed: Bool) {
        Timer(label: "askdb_source_query_duration_seconds", dimensions: [("kind", kind), ("outcome", failed ? "error" : "ok")])
            .recordNanoseconds(elapsed.nanoseconds)
        if failed { Counter(label: "askdb_source_query_errors_total", dimensions: [("kind", kind)]).increment() }
    }
}
