import Accounts
import AppDatabase
import Connections
import Redis
import DataSources
import Embedding
import Foundation
import Jobs
import LanguageModel
import Logging
import PostgresNIO
import RateLimits
import Retrieval
import SchemaModel
import Support

/// How many questions a user may ask, and how many may run at once.
package struct QuestionLimits: Sendable {
    package var perUserPerMinute = 30
    package var perUserAtOnce = 3
    /// Queries running at once against one user database, from every API process.
    package var perConnectionAtOnce = 4
    /// What one query may cost a user's database.
    package var query = QueryLimits()
    /// When a verified example answers by itself (`ASKDB_EXAMPLE_MATCH_THRESHOLD`); nil: never.
    package var directMatch: DirectMatch? = DirectMatch()

    package init() {}
}

/// Questions as the API sees them: owner checks, limits, the index a question may use, the
/// pipeline, then history and the audit log.
package struct QuestionService: Sendable {
    private let connections: ConnectionService
    private let indexed: IndexedConnections
    private let store: any VectorStore
    let snapshots: SchemaSnapshotStore
    let embedder: EmbedderSlot
    private let models: ModelCatalog?
    let accounts: AccountService
    private let history: HistoryService
    private let rates: RateLimiter
    private let concurrency: ConcurrencyLimiter
    private let cache: AnswerCache?
    private let examples: (any ExampleSearch)?
    private let tokens: TokenBudget?
    private let limits: QuestionLimits
    private let logger: Logger

    package init(connections: ConnectionService, activeJobs: any ActiveJobLookup, history: HistoryService, store: any VectorStore, snapshots: SchemaSnapshotStore,
                embedder: EmbedderSlot, models: ModelCatalog?, accounts: AccountService, rates: RateLimiter, concurrency: ConcurrencyLimiter,
                cache: AnswerCache?, examples: (any ExampleSearch)? = nil, tokens: TokenBudget? = nil, limits: QuestionLimits = QuestionLimits(),
                logger: Logger) {
        self.cache = cache
        self.examples = examples
        self.tokens = tokens
        self.accounts = accounts
        self.history = history
        self.rates = rates
        self.concurrency = concurrency
        self.limits = limits
        self.connections = connections
        indexed = IndexedConnections(connections: connections, activeJobs: activeJobs)
        self.store = store
        self.snapshots = snapshots
        self.embedder = embedder
        self.models = models
        self.logger = logger
    }

    /// Retrieval over this service's index with `embedder`, for callers outside the API's
    /// question path (the evaluation).
    package func retriever(embedder: any Embedder, contextTokens: Int) -> SchemaRetriever {
        var retriever = SchemaRetriever(store: store, snapshots: snapshots, embedder: embedder)
        retriever.contextBudget = contextTokens
        return retriever
    }

    /// A question that passed every check and may now run.
    package struct Prepared: Sendable {
        let ownerID: UUID
        let request: QuestionRequest
        let record: ConnectionRecord
        let cacheKey: AnswerCache.Key
        /// What runs the question, or the answer cache's copy of its answer: a cached answer
        /// needs neither the source's address nor a connector.
        let work: Work
        /// The conversation this question belongs to (a new one unless the request named one).
        package let conversationID: UUID

        enum Work: Sendable {
            case cached(CachedAnswer)
            case run(source: GuardedSource, pipeline: QueryPipeline)
        }
    }

    /// Everything that can refuse a question before it runs: input, ownership, a finished index,
    /// a configured model, the rate limit, the host policy.
    package func prepare(ownerID: UUID, _ request: QuestionRequest, conversationID: UUID? = nil) async throws -> Prepared {
        let question = try QuestionInput.question(request.question)
        let record = try await indexedConnection(id: request.connectionID, ownerID: ownerID)
        try await tokens?.check(userID: ownerID)
        guard let models else {
            throw AskDBError(.unavailable, code: "llm_not_configured", message: "no language model is configured (ASKDB_LLM_URL)")
        }
        // The asker's settings choose the model, the context size and (unless the request says) the mode.
        let settings = try await accounts.effectiveSettings(userID: ownerID)
        let model = models.model(named: settings.llmModel)
        var request = request
        request.question = question
        request.mode = request.mode ?? settings.answerMode
        if let conversationID {
            request.earlierTurns = try await history.turns(ownerID: ownerID, connectionID: record.id, conversationID: conversationID, limit: 3)
        }
        // A follow-up means something else after other turns: they are part of the key.
        let context = request.earlierTurns.map { "\($0.question)\u{1E}\($0.query)" }.joined(separator: "\u{1D}")
        let key = AnswerCache.key(ownerID: ownerID, connectionID: record.id, source: record.url, indexVersion: record.indexVersion,
                                  examplesRevision: record.examplesRevision,
                                  question: question, conversation: context, model: model.name, contextTokens: settings.contextTokens, mode: request.mode ?? .answer, options: record.options, today: Date())
        // The answer cache is read in the rate limit's round trip.
        let lookup = cache?.answerLookup(for: key)
        let replies = try await countQuery(ownerID: ownerID, along: lookup.map { [$0] } ?? [])
        let work: Prepared.Work
        if let cache, let reply = replies.first, let cached = cache.cachedAnswer(from: reply) {
            work = .cached(cached)
        } else {
            var pipeline = QueryPipeline(retriever: retriever(embedder: try await embedder.get(), contextTokens: settings.contextTokens), model: model, logger: logger)
            pipeline.examples = examples
            pipeline.directMatch = limits.directMatch
            work = .run(source: try await guardedSource(of: record, ownerID: ownerID), pipeline: pipeline)
        }
        return Prepared(ownerID: ownerID, request: request, record: record, cacheKey: key, work: work,
                        conversationID: conversationID ?? UUID())
    }

    /// Runs a prepared question (from the caches when they have it), telling `events` as it goes,
    /// and records it in the user's history; counts its outcome (``QuestionOutcome``).
    package func answer(_ prepared: Prepared, events: QuestionEvents? = nil) async throws -> QuestionReply {
        do {
            let (reply, outcome) = try await run(prepared, events: events)
            outcome.record()
            return reply
        } catch {
            QuestionOutcome(error: error).record()
            throw error
        }
    }

    private func run(_ prepared: Prepared, events: QuestionEvents?) async throws -> (QuestionReply, QuestionOutcome) {
        let record = prepared.record, request = prepared.request, key = prepared.cacheKey
        let reply: ReplyTemplate, summary: AnswerSummary, fresh: QuestionAnswer?, outcome: QuestionOutcome
        switch prepared.work {
        case .cached(let cached):
            (reply, summary, fresh, outcome) = (cached.reply, cached.summary, nil, .cached)
        case .run(let source, let pipeline):
            let answer: QuestionAnswer, rerun: Bool
            do {
                (answer, rerun) = try await withSlots(ownerID: prepared.ownerID, connectionID: record.id) {
                    if let query = await cache?.query(for: key),
                       let answer = try await pipeline.rerun(query, for: request, version: record.indexVersion, source: source, events: events) {
                        return (answer, true)
                    }
                    return (try await pipeline.ask(request, version: record.indexVersion, source: source, events: events), false)
                }
            } catch let failure as QuestionFailure {
                if let used = failure.tokens { await tokens?.spend(used, userID: prepared.ownerID) }
                // Kept, so the owner sees what was tried and can rate it; a connection deleted
                // meanwhile leaves nothing to keep it under.
                _ = try? await history.record(ownerID: prepared.ownerID, connectionID: record.id, conversationID: prepared.conversationID,
                                              question: request.question, answer: AnswerSummary(failure, model: pipeline.modelName))
                throw failure
            }
            if let used = answer.tokens { await tokens?.spend(used, userID: prepared.ownerID) }
            summary = try AnswerSummary(answer)
            reply = try ReplyTemplate(answer)
            fresh = answer
            outcome = answer.verified ? .verified : rerun ? .cached : .answered
        }
        let historyID: UUID
        do {
            historyID = try await history.record(ownerID: prepared.ownerID, connectionID: record.id, conversationID: prepared.conversationID,
                                                 question: request.question, answer: summary)
        } catch where error.isForeignKeyViolation {
            // The connection (or its owner) was deleted while the question ran.
            throw AskDBError.notFound("connection")
        }
        // Cached only once history took it: a connection deleted meanwhile is not cached anew.
        // Nor is an answer cut short by its size: it would fill Redis for everyone.
        if let fresh, fresh.truncatedBy != .bytes { await cache?.store(fresh, for: key) }
        return (reply.filled(historyID: historyID, conversationID: prepared.conversationID), outcome)
    }

    /// Runs a query the caller wrote (or one AskDB stored) on the owner's connection: the path
    /// the web app's edit-and-re-run, agents and stored queries share. Guarded under the
    /// connection's current options, read-only, capped, counted against the caller's question
    /// limits and audited like every question's query.
    package func runQuery(ownerID: UUID, connectionID: UUID, query: String) async throws -> QueryRun {
        let query = try QuestionInput.query(query)
        let record = try await indexedConnection(id: connectionID, ownerID: ownerID)
        try await countQuery(ownerID: ownerID)
        let source = try await guardedSource(of: record, ownerID: ownerID)
        let clock = ContinuousClock()
        let started = clock.now
        let snapshot = try await snapshots.published(connectionID: record.id, version: record.indexVersion, kind: record.kind)
        let guarded = try source.guarded(query, snapshot: snapshot)
        let validated = clock.now
        let result = try await withSlots(ownerID: ownerID, connectionID: record.id) { try await source.run(guarded) }
        return QueryRun(query: guarded.text, result: result, timings: .init(validate: QueryPipeline.milliseconds(validated - started),
                                                                            execute: QueryPipeline.milliseconds(clock.now - validated),
                                                                            total: QueryPipeline.milliseconds(clock.now - started)))
    }

    func indexedConnection(id: UUID, ownerID: UUID) async throws -> ConnectionRecord {
        try await indexed.record(id: id, ownerID: ownerID)
    }

    /// The connection's database behind its dialect's guard, under its current options, with
    /// every query audited.
    private func guardedSource(of record: ConnectionRecord, ownerID: UUID) async throws -> GuardedSource {
        var source = try await indexed.guardedSource(of: record, ownerID: ownerID) { [history] connector in
            AuditedConnector(inner: connector, userID: ownerID, connectionID: record.id, kind: record.kind.rawValue, history: history)
        }
        source.limits = limits.query
        return source
    }

    /// Counts a question or query against the caller's per-minute limit, sending `along` in the
    /// same round trip.
    @discardableResult
    private func countQuery(ownerID: UUID, along: [[RedisArgument]] = []) async throws -> [RedisReply] {
        try await rates.hit("question:\(ownerID)", rule: .init(limit: limits.perUserPerMinute, window: .seconds(60)),
                            message: "too many questions: at most \(limits.perUserPerMinute) a minute", along: along)
    }

    /// Runs `body` in one of the caller's slots and one of the connection's.
    private func withSlots<T: Sendable>(ownerID: UUID, connectionID: UUID, _ body: () async throws -> T) async throws -> T {
        try await concurrency.withSlot("question-user:\(ownerID)", limit: limits.perUserAtOnce,
                                       message: "\(limits.perUserAtOnce) of your questions are running: wait for one to finish") {
            try await concurrency.withSlot("question-connection:\(connectionID)", limit: limits.perConnectionAtOnce,
                                           message: "this database is answering \(limits.perConnectionAtOnce) questions already: try again in a moment") {
                try await body()
            }
        }
    }
}

/// Records every query run against a user's database in the append-only audit log, and its
/// latency and errors in the metrics (``SourceQueryMetrics``).
struct AuditedConnector: SourceConnector {
    let inner: any SourceConnector
    let userID: UUID
    let connectionID: UUID
    /// The connection's kind, the metrics' label.
    let kind: String
    let history: HistoryService

    func test() async throws -> SourceProbe { try await inner.test() }

    func sampleSchema(options: SamplingOptions, maxObjects: Int, progress: SamplingProgress) async throws -> SchemaSnapshot {
        try await inner.sampleSchema(options: options, maxObjects: maxObjects, progress: progress)
    }

    func run(_ query: GuardedQuery, limits: QueryLimits) async throws -> QueryResult {
        let started = ContinuousClock.now
        var ran = false
        do {
            let result = try await inner.run(query, limits: limits)
            ran = true
            SourceQueryMetrics.record(kind: kind, elapsed: ContinuousClock.now - started, failed: false)
            try await history.recordQuery(userID: userID, connectionID: connectionID, query: query.text, outcome: "ok", rows: result.rows.count, error: nil)
            return result
        } catch {
            if !ran { SourceQueryMetrics.record(kind: kind, elapsed: ContinuousClock.now - started, failed: true) }
            // The database's message may quote a value of a row: the audit log keeps none.
            try await history.recordQuery(userID: userID, connectionID: connectionID, query: query.text, outcome: "error", rows: nil,
                                          error: LogRedaction.redact("\(error)"))
            throw error
        }
    }
}
