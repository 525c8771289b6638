import Foundation

/// What happened to one evaluation question.
package struct EvaluationOutcome: Sendable, Codable {
    package var database: String
    package var category: String
    package var question: String
    /// Tables the gold query reads, and those of them the context held.
    package var goldTables: [String]
    package var contextTables: [String]
    /// Every table retrieval led to, best first, before the token budget.
    package var rankedTables: [String]
    /// The generated query (nil in retrieval-only runs or when none passed).
    package var query: String?
    /// A query passed the guard, planned and ran.
    package var valid: Bool
    /// A verified example's query answered it, without the model.
    package var verified = false
    /// Its rows were the gold query's (nil when not judged: retrieval only, or the gold failed).
    package var correct: Bool?
    package var attempts: Int
    /// Why no answer came: a refusal's or an error's message.
    package var error: String?
    /// Milliseconds per step; `retrieve` alone in retrieval-only runs.
    package var timings: [String: Double]

    package init(database: String, category: String, question: String, goldTables: [String], contextTables: [String],
                 rankedTables: [String] = []) {
        self.database = database
        self.category = category
        self.question = question
        self.goldTables = goldTables
        self.contextTables = contextTables
        self.rankedTables = rankedTables
        self.valid = false
        self.attempts = 0
        self.timings = [:]
    }

    /// Share of the gold tables that reached the context.
    package var tableRecall: Double {
        goldTables.isEmpty ? 1 : Double(goldTables.filter(contextTables.contains).count) / Double(goldTables.count)
    }

    /// Whether every gold table is among the first `k` ranked tables.
    package func allTablesRecalled(atK k: Int) -> Bool {
        let first = Set(rankedTables.prefix(k))
        return goldTables.allSatisfy(first.contains)
    }

    enum CodingKeys: String, CodingKey {
        case database, category, question, query, valid, verified, correct, attempts, error, timings
        case goldTables = "gold_tables"
        case contextTables = "context_tables"
        case rankedTables = "ranked_tables"
    }
}

/// Figures over a set of outcomes: per category and overall.
package struct EvaluationSummary: Sendable, Codable {
    package var questions: Int
    package var tableRecall: Double
    /// Share of questions whose gold tables all reached the context.
    package var allTablesRecalled: Double
    /// Share of questions whose gold tables are all among the first 5, and the first 10, ranked tables.
    package var allTablesAt5: Double
    package var allTablesAt10: Double
    package var validQueries: Double?
    package var executionAccuracy: Double?
    package var refusals: Int
    package var repairs: Int
    /// Questions a verified example answered, and how many of those correctly.
    package var verified: Int
    package var verifiedCorrect: Int
    /// p50, p90 and p99 milliseconds per step.
    package var latency: [String: [String: Double]]

    package init(_ outcomes: [EvaluationOutcome], judged: Bool) {
        questions = outcomes.count
        let count = Double(max(outcomes.count, 1))
        tableRecall = outcomes.reduce(0) { $0 + $1.tableRecall } / count
        allTablesRecalled = Double(outcomes.filter { $0.tableRecall == 1 }.count) / count
        allTablesAt5 = Double(outcomes.filter { $0.allTablesRecalled(atK: 5) }.count) / count
        allTablesAt10 = Double(outcomes.filter { $0.allTablesRecalled(atK: 10) }.count) / count
        validQueries = judged ? Double(outcomes.filter(\.valid).count) / count : nil
        let scored = outcomes.compactMap(\.correct)
        executionAccuracy = judged ? Double(scored.filter { $0 }.count) / Double(max(scored.count, 1)) : nil
        refusals = outcomes.filter { !$0.valid && $0.error != nil }.count
        repairs = outcomes.reduce(0) { $0 + max($1.attempts - 1, 0) }
        verified = outcomes.filter(\.verified).count
        verifiedCorrect = outcomes.filter { $0.verified && $0.correct == true }.count
        var latency: [String: [String: Double]] = [:]
        for step in Set(outcomes.flatMap(\.timings.keys)) {
            let values = outcomes.compactMap { $0.timings[step] }.sorted()
            latency[step] = ["p50": Self.percentile(values, 0.5), "p90": Self.percentile(values, 0.9), "p99": Self.percentile(values, 0.99)]
        }
        self.latency = latency
    }

    static func percentile(_ sorted: [Double], _ share: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * share).rounded(.up)) - 1)]
    }

    enum CodingKeys: String, CodingKey {
        case questions, refusals, repairs, latency, verified
        case verifiedCorrect = "verified_correct"
        case tableRecall = "table_recall"
        case allTablesRecalled = "all_tables_recalled"
        case allTablesAt5 = "all_tables_at_5"
        case allTablesAt10 = "all_tables_at_10"
        case validQueries = "valid_queries"
        case executionAccuracy = "execution_accuracy"
    }
}

/// A whole run: its settings, the figures and every question's outcome.
package struct EvaluationReport: Sendable, Codable {
    package var settings: [String: String]
    package var overall: EvaluationSummary
    package var categories: [String: EvaluationSummary]
    package var databases: [String: EvaluationSummary]
    package var outcomes: [EvaluationOutcome]

    package init(settings: [String: String], outcomes: [EvaluationOutcome], judged: Bool) {
        self.settings = settings
        self.outcomes = outcomes
        overall = EvaluationSummary(outcomes, judged: judged)
        categories = Dictionary(grouping: outcomes, by: \.category).mapValues { EvaluationSummary($0, judged: judged) }
        databases = Dictionary(grouping: outcomes, by: \.database).mapValues { EvaluationSummary($0, judged: judged) }
    }

    /// The figures as a table for a terminal.
    package var table: String {
        func percent(_ value: Double?) -> String { value.map { String(format: "%5.1f%%", $0 * 100) } ?? "    —" }
        func row(_ name: String, _ summary: EvaluationSummary) -> String {
            name.padding(toLength: 36, withPad: " ", startingAt: 0) + String(format: "%4d", summary.questions)
                + "  " + percent(summary.tableRecall) + "   " + percent(summary.allTablesRecalled)
                + "  " + percent(summary.allTablesAt5) + "  " + percent(summary.allTablesAt10)
                + "  " + percent(summary.validQueries) + "  " + percent(summary.executionAccuracy)
                + String(format: "  %7d  %7d", summary.refusals, summary.repairs)
        }
        // "all": every gold table in the context; "@5", "@10": in the first 5 or 10 ranked tables.
        let header = "   n  recall      all      @5     @10   valid correct  refused  repairs"
        var lines = ["category".padding(toLength: 36, withPad: " ", startingAt: 0) + header]
        for name in categories.keys.sorted() { lines.append(row(name, categories[name]!)) }
        lines.append(row("overall", overall))
        if overall.verified > 0 { lines.append("answered by a verified example: \(overall.verified), of them correct: \(overall.verifiedCorrect)") }
        lines.append("")
        lines.append("database".padding(toLength: 36, withPad: " ", startingAt: 0) + header)
        for name in databases.keys.sorted() { lines.append(row(name, databases[name]!)) }
        lines.append("")
        lines.append("latency ms        p50       p90       p99")
        for step in ["retrieve", "generate", "validate", "execute", "total"] {
            guard let values = overall.latency[step] else { continue }
            lines.append(step.padding(toLength: 12, withPad: " ", startingAt: 0)
                         + String(format: "%10.1f%10.1f%10.1f", values["p50"] ?? 0, values["p90"] ?? 0, values["p99"] ?? 0))
        }
        return lines.joined(separator: "\n")
    }
}
