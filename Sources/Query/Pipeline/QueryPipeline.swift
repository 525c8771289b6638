import Accounts
import DataSources
import Embedding
import Foundation
import LanguageModel
import Logging
import Retrieval
import SchemaModel
import Support

/// A question to a connection.
package struct QuestionRequest: Sendable {
    /// `answer`: the query, its rows and a short answer in words; `sql_only`: the query and its rows.
    package typealias Mode = AnswerMode

    package var connectionID: UUID
    package var question: String
    /// Nil: the asker's setting.
    package var mode: Mode?
    /// Earlier turns of the same conversation, oldest first: follow-ups ("and per year?") are
    /// written with them in view.
    package var earlierTurns: [ConversationTurn]

    package init(connectionID: UUID, question: String, mode: Mode? = nil, earlierTurns: [ConversationTurn] = []) {
        self.connectionID = connectionID
        self.question = question
        self.mode = mode
        self.earlierTurns = earlierTurns
    }
}

/// A question asked earlier in a conversation, and the query that answered it.
package struct ConversationTurn: Sendable, Equatable {
    package var question: String
    package var query: String

    package init(question: String, query: String) {
        self.question = question
        self.query = query
    }
}

/// What the pipeline did for a question.
package struct QuestionAnswer: Sendable, Codable {
    package typealias DocumentUsed = UsedDocument

    /// Milliseconds per step.
    package struct Timings: Sendable, Codable, Equatable {
        package var retrieve = 0.0, generate = 0.0, validate = 0.0, execute = 0.0, answer = 0.0, total = 0.0

        package init(retrieve: Double = 0, generate: Double = 0, validate: Double = 0, execute: Double = 0, answer: Double = 0, total: Double = 0) {
            self.retrieve = retrieve
            self.generate = generate
            self.validate = validate
            self.execute = execute
            self.answer = answer
            self.total = total
        }
    }

    package var answer: String?
    /// SQL text, or the MongoDB query as JSON.
    package var query: String
    package var columns: [String]
    package var rows: [[JSONValue]]
    package var truncated: Bool
    /// Which cap cut the rows short, when one did.
    package var truncatedBy: QueryResult.Truncation?
    package var rowCount: Int
    package var documentsUsed: [DocumentUsed]
    package var timings: Timings
    package var model: String
    package var attempts: Int
    /// Served from the answer cache.
    package var cached = false
    /// What the model's calls for this answer read and wrote; nil when the server reports no usage.
    package var tokens: TokenUsage?
    /// The verified example whose query answered the question directly, without the model.
    package var verifiedExampleID: UUID?
    /// Whether a verified example answered it.
    package var verified: Bool { verifiedExampleID != nil }
    /// The verified examples the model was shown as worked examples.
    package var examplesUsed: [UUID] = []

    package init(answer: String?, query: String, columns: [String], rows: [[JSONValue]], truncatedBy: QueryResult.Truncation?, rowCount: Int,
                 documentsUsed: [DocumentUsed], timings: Timings, model: String, attempts: Int, cached: Bool = false,
                 verifiedExampleID: UUID? = nil, examplesUsed: [UUID] = []) {
        self.answer = answer
        self.query = query
        self.columns = columns
        self.rows = rows
        self.truncated = truncatedBy != nil
        self.truncatedBy = truncatedBy
        self.rowCount = rowCount
        self.documentsUsed = documentsUsed
        self.timings = timings
        self.model = model
        self.attempts = attempts
        self.cached = cached
        self.verifiedExampleID = verifiedExampleID
        self.examplesUsed = examplesUsed
    }

    enum CodingKeys: String, CodingKey {
        case answer, query, columns, rows, truncated, timings, model, attempts, cached, verified, tokens
        case rowCount = "row_count"
        case truncatedBy = "truncated_by"
        case documentsUsed = "documents_used"
        case verifiedExampleID = "verified_example_id"
        case examplesUsed = "examples_used"
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        answer = try container.decodeIfPresent(String.self, forKey: .answer)
        query = try container.decode(String.self, forKey: .query)
        columns = try container.decode([String].self, forKey: .columns)
        rows = try container.decode([[JSONValue]].self, forKey: .rows)
        truncated = try container.decode(Bool.self, forKey: .truncated)
        truncatedBy = try container.decodeIfPresent(QueryResult.Truncation.self, forKey: .truncatedBy)
        rowCount = try container.decode(Int.self, forKey: .rowCount)
        documentsUsed = try container.decode([DocumentUsed].self, forKey: .documentsUsed)
        timings = try container.decode(Timings.self, forKey: .timings)
        model = try container.decode(String.self, forKey: .model)
        attempts = try container.decode(Int.self, forKey: .attempts)
        cached = try container.decodeIfPresent(Bool.self, forKey: .cached) ?? false
        verifiedExampleID = try container.decodeIfPresent(UUID.self, forKey: .verifiedExampleID)
        examplesUsed = try container.decodeIfPresent([UUID].self, forKey: .examplesUsed) ?? []
        tokens = try container.decodeIfPresent(TokenUsage.self, forKey: .tokens)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(answer, forKey: .answer)
        try container.encode(query, forKey: .query)
        try container.encode(columns, forKey: .columns)
        try container.encode(rows, forKey: .rows)
        try container.encode(truncated, forKey: .truncated)
        try container.encodeIfPresent(truncatedBy, forKey: .truncatedBy)
        try container.encode(rowCount, forKey: .rowCount)
        try container.encode(documentsUsed, forKey: .documentsUsed)
        try container.encode(timings, forKey: .timings)
        try container.encode(model, forKey: .model)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(cached, forKey: .cached)
        try container.encode(verified, forKey: .verified)
        try container.encodeIfPresent(verifiedExampleID?.lowercasedString, forKey: .verifiedExampleID)
        try container.encode(examplesUsed.map(\.lowercasedString), forKey: .examplesUsed)
        try container.encodeIfPresent(tokens, forKey: .tokens)
    }
}

/// What a question's run has reached, for clients that watch it live.
package enum QuestionEvent: Sendable {
    /// The documents retrieval found.
    case retrieval([QuestionAnswer.DocumentUsed])
    /// A query passed the guard and is about to run.
    case query(String, attempt: Int)
    /// The rows it returned.
    case rows(QueryResult)
    /// A piece of the answer's words, as the model writes them.
    case answerToken(String)
}

/// Receives ``QuestionEvent``s as they happen.
package typealias QuestionEvents = @Sendable (QuestionEvent) async -> Void

/// A question the pipeline could not answer with a query, after every attempt.
package struct QuestionFailure: ClientFacingError, CustomStringConvertible {
    package var code: String
    package var message: String
    /// The last query tried, if the model wrote one.
    package var query: String?
    package var attempts: Int
    /// What the attempts' model calls read and wrote (nil when the server reports no usage):
    /// a question that found no query still spends the asker's tokens.
    package var tokens: TokenUsage?
    package var description: String { message }

    package var clientStatus: Int { 422 }
    package var clientCode: String { code }
    package var clientMessage: String { message }
}

/// The question pipeline: find the verified examples like the question (answering from one
/// that asks the same thing), retrieve the schema context, have the model write a query, check
/// it, run it safely, repair it from the error when it fails, and answer from the real rows.
package struct QueryPipeline: Sendable {
    /// Step 1: the schema context a question gets.
    package var retriever: SchemaRetriever
    private let model: any LanguageModel
    private let logger: Logger
    /// Attempts after the first, each told why the previous one failed.
    package var repairs = 2
    /// Rows shown to the model when it words the answer.
    package var rowsForAnswer = 20
    /// The connection's verified examples; nil: none.
    package var examples: (any ExampleSearch)?
    /// Worked examples shown to the model, at most; they take no more than a third of the
    /// context budget, the schema keeping the rest.
    package var workedExamples = 3
    /// When an example answers a question by itself; nil: never (worked examples only).
    package var directMatch: DirectMatch? = DirectMatch()

    package init(store: any VectorStore, snapshots: SchemaSnapshotStore, embedder: any Embedder, model: any LanguageModel, logger: Logger) {
        self.init(retriever: SchemaRetriever(store: store, snapshots: snapshots, embedder: embedder), model: model, logger: logger)
    }

    /// The model's name, as history records it.
    package var modelName: String { model.name }

    package init(retriever: SchemaRetriever, model: any LanguageModel, logger: Logger) {
        self.retriever = retriever
        self.model = model
        self.logger = logger
    }

    /// Answers `request` against the connection's published index `version` (never 0: the caller
    /// refuses questions to connections without a finished index).
    package func ask(_ request: QuestionRequest, version: Int, source: GuardedSource, events: QuestionEvents? = nil) async throws -> QuestionAnswer {
        let clock = ContinuousClock()
        let started = clock.now
        var timings = QuestionAnswer.Timings()
        let dialect = source.dialect
        let tally = TokenTally()

        var mark = clock.now
        let embedding = try await retriever.embed(request.question)
        let candidates = try await examples?.nearest(connectionID: request.connectionID, embedding: embedding, limit: max(workedExamples, 3)) ?? []
        if let verified = try await directAnswer(request, candidates: candidates, version: version, source: source, events: events) {
            return verified
        }
        let shown = fewShot(candidates)
        let retrieval = try await retriever.retrieve(request.question, embedding: embedding, reservedTokens: shown.tokens, connectionID: request.connectionID,
                                                     version: version, kind: dialect.kind, options: source.options)
        let context = retrieval.context, snapshot = retrieval.snapshot, documentsUsed = retrieval.documents
        timings.retrieve = Self.milliseconds(clock.now - mark)
        await events?(.retrieval(documentsUsed))

        // A server that takes a grammar can only write queries over the context's own objects.
        mark = clock.now
        let grammar = model.acceptsGrammar ? dialect.grammar(for: context.objects.compactMap(snapshot.object)) : nil
        timings.generate += Self.milliseconds(clock.now - mark)
        let prompt = QueryPrompt.messages(question: request.question, context: context, dialect: dialect, today: Date(),
                                          examples: shown.turns, earlier: request.earlierTurns, constrained: grammar != nil)
        var messages = prompt
        var attempts = 0
        var lastQuery: String?
        var lastProblem = ""
        while attempts <= repairs {
            attempts += 1
            mark = clock.now
            let reply = try await model.complete(messages, options: GenerationOptions(maxTokens: 400, grammar: grammar, tally: tally))
            timings.generate += Self.milliseconds(clock.now - mark)

            mark = clock.now
            let problem: String
            lastQuery = dialect.query(inReply: reply)
            switch Result(catching: { () throws(QueryRefusal) in try guarded(lastQuery, source: source, snapshot: snapshot) }) {
            case .failure(let refusal):
                timings.validate += Self.milliseconds(clock.now - mark)
                problem = refusal.message
            case .success(let query):
                timings.validate += Self.milliseconds(clock.now - mark)
                lastQuery = query.text
                await events?(.query(query.text, attempt: attempts))
                mark = clock.now
                do {
                    let result = try await source.run(query)
                    timings.execute += Self.milliseconds(clock.now - mark)
                    await events?(.rows(result))
                    mark = clock.now
                    let answer = try await words(for: request, query: query.text, result: result, events: events, tally: tally)
                    timings.answer = Self.milliseconds(clock.now - mark)
                    timings.total = Self.milliseconds(clock.now - started)
                    var reply = QuestionAnswer(
                        answer: answer, query: query.text, columns: result.columns, rows: result.rows, truncatedBy: result.truncation,
                        rowCount: result.rows.count, documentsUsed: documentsUsed, timings: timings, model: model.name, attempts: attempts,
                        examplesUsed: shown.ids
                    )
                    reply.tokens = Self.reported(tally)
                    return reply
                } catch let error as QueryExecutionError {
                    timings.execute += Self.milliseconds(clock.now - mark)
                    problem = "\(dialect.serverName) refused it: \(error.message)"
                }
            }
            lastProblem = problem
            logger.info("query attempt failed", metadata: ["connection": "\(request.connectionID.lowercasedString)", "attempt": "\(attempts)", "problem": "\(problem)"])
            // Only the latest attempt goes back: the prompt stays inside a small model's window
            // however many repairs there are.
            messages = prompt + [ChatMessage(.assistant, reply), ChatMessage(.user, QueryPrompt.repair(problem: problem, dialect: dialect, constrained: grammar != nil))]
        }
        throw QuestionFailure(code: "no_valid_query", message: "no query could answer this after \(attempts) attempts; the last problem: \(lastProblem)",
                              query: lastQuery, attempts: attempts, tokens: Self.reported(tally))
    }

    /// Answers from a query the cache kept for this question: guards it under the owner's
    /// current options, runs it again (the rows are live) and words the answer, skipping
    /// retrieval and query writing. Nil when it no longer passes or no longer runs.
    package func rerun(_ query: String, for request: QuestionRequest, version: Int, source: GuardedSource,
                      events: QuestionEvents? = nil) async throws -> QuestionAnswer? {
        let snapshot = try await retriever.snapshot(connectionID: request.connectionID, version: version, kind: source.dialect.kind)
        return try await answer(from: query, for: request, snapshot: snapshot, source: source, events: events)
    }

    /// The answer of the verified example that asks what `request` asks, if one does and its
    /// query still passes and runs (else the model writes one, shown the example).
    private func directAnswer(_ request: QuestionRequest, candidates: [ExampleCandidate], version: Int, source: GuardedSource,
                              events: QuestionEvents?) async throws -> QuestionAnswer? {
        // A follow-up means something only with the turns before it.
        guard let directMatch, request.earlierTurns.isEmpty, candidates.contains(where: { $0.similarity >= directMatch.threshold }) else { return nil }
        let snapshot = try await retriever.snapshot(connectionID: request.connectionID, version: version, kind: source.dialect.kind)
            .visible(under: source.options)
        guard let example = directMatch.match(request.question, among: candidates, vocabulary: DirectMatch.Vocabulary(snapshot)) else { return nil }
        guard var answer = try await answer(from: example.query, for: request, snapshot: snapshot, source: source, events: events) else {
            logger.info("a verified example no longer runs", metadata: ["connection": "\(request.connectionID.lowercasedString)", "example": "\(example.id.lowercasedString)"])
            return nil
        }
        answer.verifiedExampleID = example.id
        return answer
    }

    /// Guards, runs and words a query AskDB stored (a cached one, a verified example's).
    private func answer(from query: String, for request: QuestionRequest, snapshot: SchemaSnapshot, source: GuardedSource,
                        events: QuestionEvents?) async throws -> QuestionAnswer? {
        let clock = ContinuousClock()
        let started = clock.now
        var timings = QuestionAnswer.Timings()
        let result: QueryResult, guardedQuery: GuardedQuery
        do {
            guardedQuery = try source.guarded(query, snapshot: snapshot)
            result = try await source.run(guardedQuery)
        } catch is QueryRefusal {
            return nil
        } catch is QueryExecutionError {
            return nil
        }
        timings.execute = Self.milliseconds(clock.now - started)
        await events?(.query(guardedQuery.text, attempt: 0))
        await events?(.rows(result))
        let mark = clock.now, tally = TokenTally()
        let answer = try await words(for: request, query: guardedQuery.text, result: result, events: events, tally: tally)
        timings.answer = Self.milliseconds(clock.now - mark)
        timings.total = Self.milliseconds(clock.now - started)
        var reply = QuestionAnswer(answer: answer, query: guardedQuery.text, columns: result.columns, rows: result.rows, truncatedBy: result.truncation,
                                   rowCount: result.rows.count, documentsUsed: [], timings: timings, model: model.name, attempts: 0)
        reply.tokens = Self.reported(tally)
        return reply
    }

    /// The worked examples the prompt holds: the most similar first, within a third of the
    /// context budget.
    private func fewShot(_ candidates: [ExampleCandidate]) -> (turns: [ConversationTurn], ids: [UUID], tokens: Int) {
        var turns: [ConversationTurn] = [], ids: [UUID] = [], tokens = 0
        for candidate in candidates.prefix(workedExamples) {
            let cost = retriever.tokenCount(candidate.question) + retriever.tokenCount(candidate.query) + 8
            guard tokens + cost <= retriever.contextBudget / 3 else { break }
            tokens += cost
            turns.append(ConversationTurn(question: candidate.question, query: candidate.query))
            ids.append(candidate.id)
        }
        return (turns, ids, tokens)
    }

    /// The reply's query through the guard; a reply without one is refused with the dialect's hint.
    private func guarded(_ query: String?, source: GuardedSource, snapshot: SchemaSnapshot) throws(QueryRefusal) -> GuardedQuery {
        guard let query else { throw QueryRefusal("no_query", source.dialect.missingQueryHint) }
        return try source.guarded(query, snapshot: snapshot)
    }

    /// The answer in words (mode "answer"), streamed to `events` as the model writes it.
    private func words(for request: QuestionRequest, query: String, result: QueryResult, events: QuestionEvents?, tally: TokenTally) async throws -> String? {
        guard (request.mode ?? .answer) == .answer else { return nil }
        let messages = QueryPrompt.answerMessages(question: request.question, query: query, result: result, rows: rowsForAnswer)
        var text = ""
        for try await piece in model.stream(messages, options: GenerationOptions(maxTokens: 200, tally: tally)) {
            text += piece
            await events?(.answerToken(piece))
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The tally's count, or nil when the server reported none.
    private static func reported(_ tally: TokenTally) -> TokenUsage? {
        let usage = tally.total
        return usage.total > 0 ? usage : nil
    }

    package static func milliseconds(_ duration: Duration) -> Double {
        (duration.inSeconds * 10_000).rounded() / 10
    }
}
