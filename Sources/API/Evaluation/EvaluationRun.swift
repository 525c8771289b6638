import Accounts
import Connections
import DataSources
import Embedding
import Evaluation
import Foundation
import LanguageModel
import Logging
import Query
import Retrieval
import Runtime
import Support
import UpstreamHTTP

/// One evaluation: the datasets connected and indexed for an evaluation user, then every
/// question asked and judged.
struct EvaluationRun {
    let services: APIServices
    let databases: EvaluationDatabases
    let retrieveOnly: Bool
    /// Worked examples shown per question.
    let examples: Int
    /// Where examples come from: a split of each database's questions, or a file for every database.
    let splitSeed: UInt64?
    let exampleFile: [(question: String, query: String)]?
    let directMatch: DirectMatch?
    let embedder: any Embedder
    let retriever: SchemaRetriever
    let pipeline: QueryPipeline?
    let settings: [String: String]
    let logger: Logger
    /// The server's limits, except that results are compared whole: fetch well past what a
    /// person would read.
    let limits: QueryLimits

    /// - Parameter oracleURL: the oracle's model server (`--oracle`), which then stands in for the configured model.
    init(command: EvalCommand, services: APIServices, config: APIConfig, oracleURL: String?, databases: EvaluationDatabases) async throws {
        self.services = services
        self.databases = databases
        self.logger = services.logger
        limits = QueryLimits(rowLimit: 10_000, timeout: .seconds(30), maxCost: config.questionLimits.query.maxCost,
                             maxCellBytes: config.questionLimits.query.maxCellBytes, maxResultBytes: 64 << 20)
        retrieveOnly = command.retrievalOnly
        examples = command.examples
        splitSeed = command.splitSeed ?? (command.examples > 0 && command.exampleFile == nil ? 1 : nil)
        exampleFile = try command.exampleFile.map(Self.examples(inFile:))
        directMatch = command.directMatch == .on ? config.questionLimits.directMatch : nil
        let embedder = try await services.embedder.ready()
        self.embedder = embedder
        let retriever = services.questions.retriever(embedder: embedder, contextTokens: command.contextTokens ?? config.languageModel.contextTokens)
        self.retriever = retriever
        var modelConfig = config.languageModel
        switch command.grammar {
        case .on: modelConfig.acceptsGrammar = true
        case .off: modelConfig.acceptsGrammar = false
        case .config: break
        }
        var settings = [
            "questions": command.questions, "distractors": String(command.distractors), "context_tokens": String(retriever.contextBudget),
            "embedder": embedder.identifier, "retrieval_only": String(command.retrievalOnly), "examples": String(command.examples), "date": ISO8601DateFormatter().string(from: Date()),
            "direct_match": directMatch.map { String($0.threshold) } ?? "off",
        ]
        if let splitSeed { settings["split_seed"] = String(splitSeed) }
        if let file = command.exampleFile { settings["example_file"] = file }
        if command.retrievalOnly {
            pipeline = nil
        } else {
            let oracle = oracleURL.map { OpenAICompatibleModel(baseURL: $0, model: "oracle", acceptsGrammar: false) }
            guard let model = oracle ?? modelConfig.makeModel() else {
                throw EvaluationError("no language model is configured (ASKDB_LLM_URL); use --retrieval-only to measure retrieval alone")
            }
            pipeline = QueryPipeline(retriever: retriever, model: model, logger: services.logger)
            settings["model"] = model.name
            settings["grammar"] = String(model.acceptsGrammar)
        }
        self.settings = settings
    }

    func evaluate(_ questions: [EvaluationQuestion]) async throws -> EvaluationReport {
        let owner = try await evaluationUser()
        var outcomes: [EvaluationOutcome] = []
        var settings = self.settings
        var datasets: [String] = []
        for question in questions where !datasets.contains(question.database) { datasets.append(question.database) }
        for dataset in datasets {
            let url = try await databases.prepare(dataset)
            let record = try await indexedConnection(named: "eval \(dataset)\(databases.distractors > 0 ? " +\(databases.distractors)" : "")",
                                                     url: url, owner: owner)
            let source = try await services.connections.sourceURL(ownerID: owner, id: record.id)
            let connector = try await services.connections.connector(for: source, connectionID: record.id)
            var asked = questions.filter { $0.database == dataset }
            var pool: [(question: String, query: String)] = exampleFile ?? []
            if let splitSeed {
                let split = ExampleSplit(asked, seed: splitSeed)
                asked = split.asked
                pool = split.examples.map { ($0.question, GoldQuery.variants(of: $0.gold).first ?? $0.gold) }
            }
            if splitSeed != nil || exampleFile != nil {
                settings["split \(dataset)"] = "\(pool.count) examples, \(asked.count) asked"
                say("\(dataset): \(pool.count) examples, \(asked.count) questions asked")
            }
            var pipeline = self.pipeline
            pipeline?.examples = pool.isEmpty ? nil : try await ExamplePool(pool, embedder: embedder)
            pipeline?.workedExamples = examples
            pipeline?.directMatch = directMatch
            for question in asked {
                let outcome = try await ask(question, pipeline: pipeline, record: record, connector: connector, database: source.database)
                say(String(format: "%@ recall %3.0f%%%@%@  %@", dataset, outcome.tableRecall * 100,
                             outcome.correct.map { $0 ? "  correct" : "  wrong" } ?? (retrieveOnly ? "" : "  " + (outcome.error ?? "no verdict")),
                             outcome.verified ? " (verified)" : "", String(question.question.prefix(70))))
                outcomes.append(outcome)
            }
        }
        return EvaluationReport(settings: settings, outcomes: outcomes, judged: !retrieveOnly)
    }

    /// Question→query pairs of a CSV file with `question` and `query` columns.
    static func examples(inFile path: String) throws -> [(question: String, query: String)] {
        let records = try CSV.records(try String(contentsOfFile: path, encoding: .utf8))
        guard let header = records.first?.fields, let question = header.firstIndex(of: "question"), let query = header.firstIndex(of: "query") else {
            throw EvaluationError("\(path) needs the columns question and query")
        }
        return records.dropFirst().filter { $0.fields.count == header.count }.map { ($0.fields[question], $0.fields[query]) }
    }

    private func ask(_ question: EvaluationQuestion, pipeline: QueryPipeline?, record: ConnectionRecord,
                     connector: any SourceConnector, database: String?) async throws -> EvaluationOutcome {
        let variants = GoldQuery.variants(of: question.gold)
        let inspected = variants.compactMap { try? SQLGuard.inspect($0) }
        let goldTables = Set((inspected.first?.relations ?? []).map(Self.qualified)).sorted()
        let clock = ContinuousClock()
        let started = clock.now
        let retrieval = try await retriever.retrieve(question.question, connectionID: record.id, version: record.indexVersion, kind: record.kind,
                                                     options: record.options)
        var outcome = EvaluationOutcome(database: question.database, category: question.category, question: question.question,
                                        goldTables: goldTables, contextTables: retrieval.context.objects.map(Self.qualified),
                                        rankedTables: retrieval.ranking.map(Self.qualified))
        outcome.timings["retrieve"] = QueryPipeline.milliseconds(clock.now - started)
        guard let pipeline else { return outcome }

        var source = GuardedSource(dialect: record.kind.dialect, connector: connector, options: record.options, database: database)
        source.limits = limits
        let answer: QuestionAnswer
        do {
            answer = try await pipeline.ask(QuestionRequest(connectionID: record.id, question: question.question, mode: .sqlOnly),
                                             version: record.indexVersion, source: source)
        } catch let failure as QuestionFailure {
            outcome.query = failure.query
            outcome.attempts = failure.attempts
            outcome.error = failure.message
            outcome.correct = false
            return outcome
        } catch let error as UpstreamError {
            outcome.error = "the language model failed: \(error)"
            return outcome
        }
        outcome.query = answer.query
        outcome.verified = answer.verified
        outcome.valid = true
        outcome.attempts = answer.attempts
        outcome.timings = ["retrieve": answer.timings.retrieve, "generate": answer.timings.generate, "validate": answer.timings.validate,
                           "execute": answer.timings.execute, "total": answer.timings.total]
        let generated = QueryResult(columns: answer.columns, rows: answer.rows, truncated: answer.truncated)
        var goldErrors: [String] = []
        for (variant, checked) in zip(variants, variants.map { try? SQLGuard.inspect($0) }) {
            do {
                let gold = try await connector.run(.trusted(variant, kind: record.kind), limits: limits)
                if ResultComparison.matches(gold: gold, generated: generated, ordered: checked?.isOrdered ?? false) {
                    outcome.correct = true
                    return outcome
                }
                outcome.correct = false
            } catch {
                goldErrors.append("\(error)")
            }
        }
        if outcome.correct == nil { outcome.error = "the gold query failed: \(goldErrors.first ?? "no variant")" }
        return outcome
    }

    /// `schema.table`, lower-cased, for comparing the gold query's tables with the context's.
    static func qualified(_ name: String) -> String {
        (name.contains(".") ? name : "public." + name).lowercased()
    }

    /// The user the evaluation's connections belong to; it has no password anyone could use.
    private func evaluationUser() async throws -> UUID {
        try await services.accounts.loginlessUser(email: try EmailAddress("eval@askdb.example"))
    }

    /// The dataset's connection (made once), indexed now through the job queue and workers.
    private func indexedConnection(named name: String, url: String, owner: UUID) async throws -> ConnectionRecord {
        let existing = try await services.connections.list(ownerID: owner).first { $0.name == name }
        let id = if let existing { existing.id } else {
            try await services.connections.create(ownerID: owner, name: name, kind: .postgres, url: url, saveUntested: false).connection.id
        }
        let (job, _) = try await services.jobs.enqueueIndexing(connectionID: id, ownerID: owner)
        let clock = ContinuousClock()
        let started = clock.now
        var last = ""
        while true {
            let current = try await services.jobs.job(id: job.id, ownerID: owner)
            let line = "indexing \(name): \(current.state.rawValue) \(current.progress.phase) \(Int(current.progress.percent))%"
            if line != last { say(line); last = line }
            switch current.state {
            case .succeeded: return try await services.connections.connection(id: id, ownerID: owner)
            case .failed, .dead, .cancelled:
                throw EvaluationError("indexing \(name) ended \(current.state.rawValue): \(current.lastError ?? "no error recorded")")
            case .queued where clock.now - started > .seconds(60):
                throw EvaluationError("no indexer worker took the indexing job within 60 s: is askdb-indexer running (scripts/up.sh)?")
            default:
                try await Task.sleep(for: .milliseconds(500))
            }
        }
    }
}
