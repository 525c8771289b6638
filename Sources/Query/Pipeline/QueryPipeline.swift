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
    package enum Mode: String, Sendable, Codable {
        /// The query, its rows and a short answer in words.
        case answer
        /// The query and its rows only.
        case sqlOnly = "sql_only"
    }

    package var connectionID: UUID
    package var question: String
    package var mode: Mode
    /// Earlier turns of the same conversation, oldest first: follow-ups ("and per year?") are
    /// written with them in view.
    package var earlierTurns: [ConversationTurn]

    package init(connectionID: UUID, question: String, mode: Mode = .answer, earlierTurns: [ConversationTurn] = []) {
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
    package var rowCount: Int
    package var documentsUsed: [DocumentUsed]
    package var timings: Timings
    package var model: String
    package var attempts: Int
    /// Served from the answer cache.
    package var cached = false

    package init(answer: String?, query: String, columns: [String], rows: [[JSONValue]], truncated: Bool, rowCount: Int,
                 documentsUsed: [DocumentUsed], timings: Timings, model: String, attempts: Int, cached: Bool = false) {
        self.answer = answer
        self.query = query
        self.columns = columns
        self.rows = rows
        self.truncated = truncated
        self.rowCount = rowCount
        self.documentsUsed = documentsUsed
        self.timings = timings
        self.model = model
        self.attempts = attempts
        self.cached = cached
    }

    enum CodingKeys: String, CodingKey {
        case answer, query, columns, rows, truncated, timings, model, attempts, cached
        case rowCount = "row_count"
        case documentsUsed = "documents_used"
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
    package var description: String { message }

    package var clientStatus: Int { 422 }
    package var clientCode: String { code }
    package var clientMessage: String { message }
}

/// The question pipeline: retrieve the schema context, have the model write a query, check it,
/// run it safely, repair it from the error when it fails, and answer from the real rows.
package struct QueryPipeline: Sendable {
    /// Step 1: the schema context a question gets.
    package var retriever: SchemaRetriever
    private let model: any LanguageModel
    private let logger: Logger
    /// Attempts after the first, each told why the previous one failed.
    package var repairs = 2
    package var limits = QueryLimits()
    /// Rows shown to the model when it words the answer.
    package var rowsForAnswer = 20

    package init(store: any VectorStore, snapshots: SchemaSnapshotStore, embedder: any Embedder, model: any LanguageModel, logger: Logger) {
        self.retriever = SchemaRetriever(store: store, snapshots: snapshots, embedder: embedder)
        self.model = model
        self.logger = logger
    }

    /// Answers `request` against the connection's published index `version` (never 0: the caller
    /// refuses questions to connections without a finished index).
    package func ask(_ request: QuestionRequest, version: Int, kind: ConnectionKind, options: SamplingOptions,
                    connector: any SourceConnector, database: String?, events: QuestionEvents? = nil) async throws -> QuestionAnswer {
        let clock = ContinuousClock()
        let started = clock.now
        var timings = QuestionAnswer.Timings()

        var mark = clock.now
        let retrieval = try await retriever.retrieve(request.question, connectionID: request.connectionID, version: version, kind: kind)
        let context = retrieval.context, snapshot = retrieval.snapshot, documentsUsed = retrieval.documents
        timings.retrieve = Self.milliseconds(clock.now - mark)
        await events?(.retrieval(documentsUsed))

        // A server that takes a grammar can only write queries over the context's own objects.
        mark = clock.now
        let grammar = model.acceptsGrammar ? Self.grammar(for: context, snapshot: snapshot, kind: kind) : nil
        timings.generate += Self.milliseconds(clock.now - mark)
        let prompt = QueryPrompt.messages(question: request.question, context: context, kind: kind, today: Date(),
                                          earlier: request.earlierTurns, constrained: grammar != nil)
        var messages = prompt
        var attempts = 0
        var lastQuery: String?
        var lastProblem = ""
        while attempts <= repairs {
            attempts += 1
            mark = clock.now
            let reply = try await model.complete(messages, options: GenerationOptions(maxTokens: 400, grammar: grammar))
            timings.generate += Self.milliseconds(clock.now - mark)

            mark = clock.now
            let problem: String
            switch validate(reply, kind: kind, options: options, snapshot: snapshot, database: database) {
            case .failure(let refusal):
                timings.validate += Self.milliseconds(clock.now - mark)
                lastQuery = kind == .postgres ? QueryExtractor.sql(from: reply) : QueryExtractor.pipeline(from: reply)
                problem = refusal.message
            case .success(let query):
                timings.validate += Self.milliseconds(clock.now - mark)
                lastQuery = query
                await events?(.query(query, attempt: attempts))
                mark = clock.now
                do {
                    let result = Self.hidingExcluded(try await connector.run(query, limits: limits), of: query, kind: kind,
                                                     options: options, database: database)
                    timings.execute += Self.milliseconds(clock.now - mark)
                    await events?(.rows(result))
                    mark = clock.now
                    let answer = try await words(for: request, query: query, result: result, events: events)
                    timings.answer = Self.milliseconds(clock.now - mark)
                    timings.total = Self.milliseconds(clock.now - started)
                    return QuestionAnswer(
                        answer: answer, query: query, columns: result.columns, rows: result.rows, truncated: result.truncated,
                        rowCount: result.rows.count, documentsUsed: documentsUsed, timings: timings, model: model.name, attempts: attempts
                    )
                } catch let error as QueryExecutionError {
                    timings.execute += Self.milliseconds(clock.now - mark)
                    problem = "\(kind == .postgres ? "PostgreSQL" : "MongoDB") refused it: \(error.message)"
                }
            }
            lastProblem = problem
            logger.info("query attempt failed", metadata: ["connection": "\(request.connectionID)", "attempt": "\(attempts)", "problem": "\(problem)"])
            // Only the latest attempt goes back: the prompt stays inside a small model's window
            // however many repairs there are.
            messages = prompt + [ChatMessage(.assistant, reply), ChatMessage(.user, QueryPrompt.repair(problem: problem, kind: kind, constrained: grammar != nil))]
        }
        throw QuestionFailure(code: "no_valid_query", message: "no query could answer this after \(attempts) attempts; the last problem: \(lastProblem)",
                              query: lastQuery, attempts: attempts)
    }

    /// Answers from a query the cache kept for this question: runs it again (the rows are live)
    /// and words the answer, skipping retrieval and query writing. Nil when it no longer runs.
    package func rerun(_ query: String, for request: QuestionRequest, kind: ConnectionKind, options: SamplingOptions, database: String?,
                      connector: any SourceConnector, events: QuestionEvents? = nil) async throws -> QuestionAnswer? {
        let clock = ContinuousClock()
        let started = clock.now
        var timings = QuestionAnswer.Timings()
        let result: QueryResult
        do {
            result = Self.hidingExcluded(try await connector.run(query, limits: limits), of: query, kind: kind, options: options, database: database)
        } catch is QueryExecutionError {
            return nil
        }
        timings.execute = Self.milliseconds(clock.now - started)
        await events?(.query(query, attempt: 0))
        await events?(.rows(result))
        let mark = clock.now
        let answer = try await words(for: request, query: query, result: result, events: events)
        timings.answer = Self.milliseconds(clock.now - mark)
        timings.total = Self.milliseconds(clock.now - started)
        return QuestionAnswer(answer: answer, query: query, columns: result.columns, rows: result.rows, truncated: result.truncated,
                              rowCount: result.rows.count, documentsUsed: [], timings: timings, model: model.name, attempts: 0)
    }

    /// The answer in words (mode "answer"), streamed to `events` as the model writes it.
    private func words(for request: QuestionRequest, query: String, result: QueryResult, events: QuestionEvents?) async throws -> String? {
        guard request.mode == .answer else { return nil }
        let messages = QueryPrompt.answerMessages(question: request.question, query: query, result: result, rows: rowsForAnswer)
        var text = ""
        for try await piece in model.stream(messages, options: GenerationOptions(maxTokens: 200)) {
            text += piece
            await events?(.answerToken(piece))
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func validate(_ reply: String, kind: ConnectionKind, options: SamplingOptions, snapshot: SchemaSnapshot,
                          database: String?) -> Result<String, QueryRefusal> {
        switch kind {
        case .postgres:
            guard let sql = QueryExtractor.sql(from: reply) else {
                return .failure(QueryRefusal("no_query", "the reply holds no SQL query; answer with one SELECT in a ```sql block"))
            }
            return Result { () throws(QueryRefusal) in try SQLGuard(options: options, snapshot: snapshot).check(sql).sql }
        case .mongodb:
            guard let json = QueryExtractor.pipeline(from: reply) else {
                return .failure(QueryRefusal("no_query", "the reply holds no JSON query; answer with {\"collection\": …, \"pipeline\": [...]}"))
            }
            return Result { () throws(QueryRefusal) in
                try MongoPipelineGuard(database: database ?? "test", options: options).checkedText(json)
            }
        }
    }

    /// A MongoDB result without the owner's excluded fields, whatever the pipeline did to keep them.
    static func hidingExcluded(_ result: QueryResult, of query: String, kind: ConnectionKind, options: SamplingOptions,
                               database: String?) -> QueryResult {
        guard kind == .mongodb, let collection = (try? JSONValue(parsing: query))?["collection"]?.string else { return result }
        return MongoPipelineGuard(database: database ?? "test", options: options).filtered(result, collection: collection)
    }

    /// The GBNF grammar for the context's objects, nil when none has columns.
    static func grammar(for context: SchemaContext, snapshot: SchemaSnapshot, kind: ConnectionKind) -> String? {
        let objects = context.objects.compactMap(snapshot.object)
        switch kind {
        case .postgres: return SQLGrammar().build(objects: objects)?.gbnf
        case .mongodb: return MongoGrammar().build(objects: objects)?.gbnf
        }
    }

    package static func milliseconds(_ duration: Duration) -> Double {
        (duration.inSeconds * 10_000).rounded() / 10
    }
}
