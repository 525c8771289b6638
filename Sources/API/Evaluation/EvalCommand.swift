import ArgumentParser
import Evaluation
import Foundation
import Logging
import Support

/// `askdb-api eval`: loads each database a question set names, indexes it through the real job
/// queue and workers, asks every question through the real pipeline, and prints table recall,
/// valid-query rate, execution accuracy and step latencies per category (with a JSON report).
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure retrieval and answers on a text-to-SQL question set.",
        discussion: """
        Needs the stack's settings (DATABASE_URL, REDIS_URL, JWT_SECRET, ASKDB_ENCRYPTION_KEY, the embedder and, unless
        --retrieval-only, the language model) and running indexer workers: scripts/eval.sh sets them from .askdb.
        """
    )

    enum GrammarChoice: String, ExpressibleByArgument, CaseIterable {
        case on, off, config
    }

    @Option(help: "CSV file with db_name, question, query (and query_category) columns.")
    var questions: String

    @Option(help: "Folder of <db_name>.sql files (default: the questions file's folder).")
    var datasets: String?

    @Flag(help: "Measure retrieval only: no language model is asked.")
    var retrievalOnly = false

    @Flag(help: "The model's replies are the gold queries themselves (a scripted server): every miss is a harness bug or a guard's false refusal, printed with its reason; exits 1 on any miss.")
    var oracle = false

    @Option(help: "Generated unrelated tables added to each database.")
    var distractors = 0

    @Option(help: "Constrain queries with a grammar: on, off, or config (ASKDB_LLM_GRAMMAR).")
    var grammar: GrammarChoice = .config

    @Option(help: "Tokens of schema context a prompt may hold (default: ASKDB_LLM_CONTEXT_TOKENS, 2500).")
    var contextTokens: Int?

    @Option(help: "Only the first N questions of the file, in its order.")
    var limit: Int?

    @Option(help: "Worked examples per question: the K examples most like it, shown to the model before the question (default 0: none). Examples come from --example-file, or else from a split of each database's questions (--split-seed, default 1): half become examples, the other half are asked.")
    var examples = 0

    @Option(help: "Split each database's questions with this seed: half are examples, only the other half are asked (also with --examples 0, for a baseline over the same questions).")
    var splitSeed: UInt64?

    @Option(help: "Verified examples for every database asked (CSV with question and query columns); every question is asked.")
    var exampleFile: String?

    @Option(help: "Answer a question from an example that asks the same thing, without the model, as the API does: on or off.")
    var directMatch: GrammarChoice = .on

    @Option(help: "Where the JSON report goes (default: eval-<time>.json in the current folder).")
    var report: String?

    @Option(name: .customLong("source-url"), help: "PostgreSQL URL allowed to create databases (default: EVAL_SOURCE_URL).")
    var sourceURL: String?

    func validate() throws {
        guard distractors >= 0, distractors <= 10_000 else { throw ValidationError("--distractors must be 0 to 10000") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        guard (0...20).contains(examples) else { throw ValidationError("--examples must be 0 to 20") }
        if exampleFile != nil && splitSeed != nil { throw ValidationError("--example-file and --split-seed are two sources of examples: choose one") }
        if directMatch == .config { throw ValidationError("--direct-match is on or off") }
        if let contextTokens, contextTokens < 100 { throw ValidationError("--context-tokens must be at least 100") }
        if oracle && retrievalOnly { throw ValidationError("--oracle judges answers; it cannot be combined with --retrieval-only") }
    }

    func run() async throws {
        let file = URL(fileURLWithPath: questions)
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw ValidationError("cannot read \(questions): \(error.localizedDescription)")
        }
        var set = try QuestionSet.parse(text)
        if let limit { set = Array(set.prefix(limit)) }
        guard let source = sourceURL ?? ProcessInfo.processInfo.environment["EVAL_SOURCE_URL"] else {
            throw ValidationError("no PostgreSQL to load datasets into: pass --source-url or set EVAL_SOURCE_URL")
        }
        let adminURL = try PostgresURL(source)
        let folder = datasets.map { URL(fileURLWithPath: $0) } ?? file.deletingLastPathComponent()
        let settings = self
        let questionSet = set
        try await runOperatorTask("eval", embedding: true) { services, config in
            let evaluate: @Sendable (String?) async throws -> EvaluationReport = { oracleURL in
                let run = try await EvaluationRun(command: settings, services: services, config: config, oracleURL: oracleURL,
                                                  databases: EvaluationDatabases(admin: adminURL, adminRaw: source, directory: folder,
                                                                                 distractors: settings.distractors, logger: services.logger))
                return try await run.evaluate(questionSet)
            }
            let report = settings.oracle
                ? try await OracleModelServer.with(questions: questionSet) { try await evaluate($0) }
                : try await evaluate(nil)
            say("")
            say(report.table)
            let path = settings.report ?? "eval-\(Int(Date().timeIntervalSince1970)).json"
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(report).write(to: URL(fileURLWithPath: path))
            say("\nreport: \(path)")
            if settings.oracle {
                let misses = report.outcomes.filter { $0.correct != true }
                say("oracle: \(report.outcomes.count - misses.count)/\(report.outcomes.count) gold queries passed the real path")
                // Each reply is a gold query, so every query the guard (or the server) turned down is a false refusal.
                say(String(format: "oracle: false refusals %d of %d (%.1f%%)", report.overall.refusals, report.outcomes.count,
                           100 * Double(report.overall.refusals) / Double(max(report.outcomes.count, 1))))
                for miss in misses {
                    say("  miss \(miss.database): \(miss.question.prefix(80))\n    \(miss.error ?? "its rows differ from the gold query's")")
                }
                if !misses.isEmpty { throw AskDBError.invalid("oracle_missed", "\(misses.count) of \(report.outcomes.count) gold queries missed") }
            }
        }
    }
}

/// Writes a line to standard output at once, unbuffered, so progress shows also in a file.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
