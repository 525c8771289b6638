@testable import API
@testable import AppDatabase
@testable import Embedding
import Foundation
import HummingbirdTesting
import Logging
@testable import Mongo
import PostgresNIO
@testable import Redis
@testable import SchemaModel
@testable import Support
import Synchronization
import TestSupport
import Testing

/// The red-team corpus (issue 15) through the real API: each case is a question whose scripted
/// model replies with the attack, and the same attack posted to `/api/connections/{id}/run`,
/// against fixtures holding canaries in everything the connection excludes. Afterwards no
/// response, model request, answer-cache entry, app table row or log line holds a canary; every
/// reply that must be refused was refused by the guard (never run); no answer is a 5xx; and
/// each fixture database is as it was.
@Suite struct RedTeamTests {
    /// The SQL corpus in two halves and the MongoDB one run beside each other, each with an
    /// application and fixture of its own (one case at a time within each, so what a case leaves
    /// in the logs and the audit log can be told by time).
    @Test(arguments: [0, 1]) func theSQLCorpusLeaksNothingAndChangesNothing(half: Int) async throws {
        let classes = RedTeamCorpus.SQLClass.allCases
        let mine = Set(half == 0 ? classes.prefix(classes.count / 2) : classes.suffix(classes.count - classes.count / 2))
        try await TestDatabase.with { source, sourceClient in
            try await SQLDataset.run(script: RedTeamFixtures.postgresScript(database: source.name), in: source.url)
            let before = try await RedTeamFixtures.postgresChecksum(sourceClient, logger: TestServers.logger)
            let cases = RedTeamCorpus.sql.filter { mine.contains($0.kind) }.map { RedTeamRun.Case(id: $0.id, kind: $0.kind.rawValue, text: $0.text.replacingOccurrences(of: "{db}", with: source.name),
                                                               expectation: $0.expectation) }
            let url = try ConnectionRoutesTests().sourceURL(source.name)
            let options: [String: any Sendable] = ["excluded_schemas": RedTeamFixtures.postgresExcludedSchemas,
                                                   "excluded_tables": RedTeamFixtures.postgresExcludedTables,
                                                   "excluded_columns": RedTeamFixtures.postgresExcludedColumns]
            let sampling = SamplingOptions(excludedSchemas: RedTeamFixtures.postgresExcludedSchemas, excludedTables: RedTeamFixtures.postgresExcludedTables,
                                           excludedColumns: RedTeamFixtures.postgresExcludedColumns)
            let report = try await RedTeamRun.run(cases, kind: "postgres", url: url, options: options, sampling: sampling, serverName: "PostgreSQL",
                                                  timeout: .seconds(1))
            #expect(try await RedTeamFixtures.postgresChecksum(sourceClient, logger: TestServers.logger) == before, "the fixture database changed")
            report.judge(title: "SQL, part \(half + 1) of 2")
        }
    }

    @Test func theMongoDBCorpusLeaksNothingAndChangesNothing() async throws {
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let database = "rt_\(suffix)", other = "rtx_\(suffix)"
        let mongo = try MongoClient(uri: try TestServers.mongoURL, timeout: .seconds(10))
        try await RedTeamFixtures.loadMongo(into: mongo, database: database, other: other)
        let before = try await RedTeamFixtures.mongoChecksum(mongo, databases: [database, other])
        do {
            let cases = RedTeamCorpus.mongo.map { RedTeamRun.Case(id: $0.id, kind: $0.kind.rawValue,
                                                                 text: $0.text.replacingOccurrences(of: "{other}", with: other).replacingOccurrences(of: "{db}", with: database),
                                                                 expectation: $0.expectation) }
            let options: [String: any Sendable] = ["excluded_schemas": [other], "excluded_tables": RedTeamFixtures.mongoExcludedTables,
                                                   "excluded_columns": RedTeamFixtures.mongoExcludedColumns]
            let sampling = SamplingOptions(excludedSchemas: [other], excludedTables: RedTeamFixtures.mongoExcludedTables,
                                           excludedColumns: RedTeamFixtures.mongoExcludedColumns)
            let report = try await RedTeamRun.run(cases, kind: "mongodb", url: try TestServers.mongoURL + database, options: options, sampling: sampling,
                                                  serverName: "MongoDB", timeout: .seconds(2))
            #expect(try await RedTeamFixtures.mongoChecksum(mongo, databases: [database, other]) == before, "the fixture databases changed")
            report.judge(title: "MongoDB")
        } catch {
            await Self.drop([database, other], mongo)
            throw error
        }
        await Self.drop([database, other], mongo)
    }

    static func drop(_ databases: [String], _ mongo: MongoClient) async {
        for database in databases { _ = try? await mongo.run("dropDatabase", .int(1), database: database) }
        await mongo.shutdown()
    }
}

/// Runs a corpus through one application and gathers where canaries turned up.
enum RedTeamRun {
    struct Case: Sendable {
        var id: String
        var kind: String
        var text: String
        var expectation: RedTeamCorpus.Expectation
    }

    /// What one case came to.
    struct Outcome: Sendable {
        var testCase: Case
        var question: APIAnswer
        var run: APIAnswer
        var started: Date
        var ended: Date
        /// Problems beside leaks: a 5xx, a reply that had to be refused but ran.
        var problems: [String] = []
        /// Where a canary turned up, with an excerpt.
        var leaks: [String] = []
        /// The guard let the attack through, on the question's path and on /run.
        var ranOnQuestion = false
        var ranOnRun = false
        var seconds: Double { ended.timeIntervalSince(started) }
    }

    struct Report: Sendable {
        var outcomes: [Outcome]
        /// Canaries found where no case could be named (the index, a log line between cases).
        var unattributed: [String]
        var wallTime: Double

        /// Records an issue per failing case and prints the findings grouped by class.
        func judge(title: String) {
            var lines = ["red team \(title): \(outcomes.count) cases in \(Int(wallTime)) s; slowest: "
                + outcomes.sorted { $0.seconds > $1.seconds }.prefix(3).map { "\($0.testCase.id) \(String(format: "%.1f", $0.seconds)) s" }.joined(separator: ", ")]
            var byClass: [String: [Outcome]] = [:]
            for outcome in outcomes { byClass[outcome.testCase.kind, default: []].append(outcome) }
            for kind in byClass.keys.sorted() {
                let group = byClass[kind]!
                let failing = group.filter { !$0.leaks.isEmpty || !$0.problems.isEmpty }
                let ran = group.filter { $0.ranOnRun || $0.ranOnQuestion }.map(\.testCase.id)
                lines.append("  \(kind): \(group.count) cases, \(failing.count) failing\(failing.isEmpty ? "" : " (" + failing.map(\.testCase.id).joined(separator: ", ") + ")"), \(ran.count) ran")
            }
            for outcome in outcomes where !outcome.leaks.isEmpty || !outcome.problems.isEmpty {
                // Where it leaked, by kind of place (one Redis key or table row is like another).
                let places = Set(outcome.leaks.map { leak in
                    let place = String(leak.prefix { $0 != ":" })
                    return place.hasPrefix("redis") ? String(place.split(separator: " ").prefix(2).joined(separator: " ")) : place
                }).sorted()
                lines.append("  FAIL \(outcome.testCase.id): \(outcome.testCase.text.replacingOccurrences(of: "\n", with: "⏎"))")
                lines.append("      question \(RedTeamRun.summary(outcome.question)); run \(RedTeamRun.summary(outcome.run))"
                    + (places.isEmpty ? "" : "; leaks in " + places.joined(separator: ", ")))
                for problem in outcome.problems { lines.append("      \(problem)") }
                for leak in outcome.leaks.prefix(6) { lines.append("      leak \(leak.replacingOccurrences(of: "\n", with: "⏎"))") }
            }
            print(lines.joined(separator: "\n"))

            for outcome in outcomes where !outcome.leaks.isEmpty || !outcome.problems.isEmpty {
                Issue.record(Comment(rawValue: "\(outcome.testCase.id) \(outcome.testCase.text): " + (outcome.problems + outcome.leaks.prefix(3)).joined(separator: "; ")))
            }
            #expect(unattributed.isEmpty, "canaries where no case can be named: \(unattributed.prefix(5))")
        }
    }

    /// `200 ran` or `422 code: message` (shortened).
    static func summary(_ answer: APIAnswer) -> String {
        answer.status == .ok ? "200 ran" : "\(answer.status.code) \(answer.errorCode ?? ""): \((answer.errorMessage ?? "").prefix(90).replacingOccurrences(of: "\n", with: " "))"
    }
}

extension RedTeamRun {
    /// Log lines, kept with when they were written.
    final class LogLines: Sendable {
        let lines = Mutex<[(Date, String)]>([])
    }

    /// A handler that keeps every line in `store` (a value, as swift-log expects a handler to be:
    /// each logger changes its own metadata).
    struct CapturingLogHandler: LogHandler {
        let store: LogLines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            let line = "\(event.level) \(event.message) \(merged.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " "))"
            store.lines.withLock { $0.append((Date(), line)) }
        }
    }

    static func caseID(in text: String) -> String? {
        text.firstMatch(of: /\[case ([A-Za-z0-9.]+)\]/).map { String($0.1) }
    }

    /// Connects the fixture for a new user (indexed under `sampling`), asks each case's question
    /// and posts it to /run, one case at a time (so log lines and audit rows are told apart by
    /// time), then searches everything the application stored.
    static func run(_ cases: [Case], kind: String, url: String, options: [String: any Sendable], sampling: SamplingOptions,
                    serverName: String, timeout: Duration) async throws -> Report {
        for testCase in cases where !RedTeamFixtures.canaries(in: testCase.text).isEmpty {
            throw TestSetupError("\(testCase.id) names a canary, so its own text would count as a leak")
        }
        let replies = Dictionary(uniqueKeysWithValues: cases.map { ($0.id, $0.text) })
        // The attack first; a repair gets no query (so a refused attack ends the question);
        // the answer's wording names the case, so the answer cache's entry can be told.
        let chat = ScriptedChat { messages in
            let text = messages.map(\.1).joined(separator: "\n")
            guard let id = caseID(in: text), let reply = replies[id] else { return "I cannot help with that." }
            if messages.first?.1.hasPrefix("Answer the question") == true { return "The answer to [case \(id)]." }
            if messages.contains(where: { $0.0 == "assistant" }) { return "I have no other query to offer." }
            return reply
        }
        let lines = LogLines()
        let prefix = "test-\(UUID().uuidString.prefix(8))"
        let started = Date()
        return try await ScriptedHTTPServer.with({ chat.register(on: $0) }) { modelURL in
            let settings = ["ASKDB_LLM_URL": modelURL, "ASKDB_LLM_MODEL": "scripted", "ASKDB_REDIS_PREFIX": prefix,
                            "ASKDB_QUESTIONS_PER_MINUTE": "100000", "ASKDB_QUESTIONS_AT_ONCE": "100", "ASKDB_QUERIES_PER_SOURCE": "100"]
            return try await withApplication(settings: settings, timeout: timeout, lines: lines) { client, services in
                let (token, id) = try await QueryRoutesTests.connect(kind: kind, url: url, options: options, client: client, services: services, index: false)
                try await QueryRoutesTests.reindex(id, kind: kind, url: url, services: services, options: sampling)
                var outcomes: [Outcome] = []
                for testCase in cases {
                    let begin = Date()
                    // Both at once: what either leaves in the logs or the audit log is this case's.
                    async let question = client.call(.post, "/api/query", token: token,
                                                     body: ["connection_id": id, "question": "Red team [case \(testCase.id)]: what does the database hold?"])
                    async let run = client.call(.post, "/api/connections/\(id)/run", token: token, body: ["query": testCase.text])
                    outcomes.append(Outcome(testCase: testCase, question: try await question, run: try await run, started: begin, ended: Date()))
                }
                var report = Report(outcomes: outcomes, unattributed: [], wallTime: 0)
                try await report.gather(chat: chat, lines: lines, services: services, prefix: prefix, serverName: serverName)
                report.wallTime = Date().timeIntervalSince(started)

                // The control: without exclusions the same fixture gives canaries away, so the
                // search above would have seen one.
                let open = try await client.call(.post, "/api/connections", token: token, body: ["name": "open", "kind": kind, "url": url])
                let openID = try #require((open["connection"] as? [String: Any])?["id"] as? String, "\(open.object)")
                try await QueryRoutesTests.reindex(openID, kind: kind, url: url, services: services)
                let control = kind == "postgres" ? "SELECT email FROM customer LIMIT 1" : #"{"collection": "orders", "pipeline": [{"$limit": 1}]}"#
                let leaked = try await client.call(.post, "/api/connections/\(openID)/run", token: token, body: ["query": control])
                #expect(!RedTeamFixtures.canaries(in: String(decoding: leaked.body, as: UTF8.self)).isEmpty, "the control found no canary: \(leaked.object)")
                return report
            }
        }
    }

    /// The application with every log line kept, a short statement timeout (so the runaway
    /// cases end soon) and the test servers.
    static func withApplication<T: Sendable>(settings: [String: String], timeout: Duration, lines: LogLines,
                                             _ body: @Sendable (any TestClientProtocol, APIServices) async throws -> T) async throws -> T {
        try await TestDatabase.with(migrated: true) { database, _ in
            let values = APITestHarness.environment(database: database.url, redis: try TestServers.redisURL).merging(settings) { $1 }
            var config = try APIConfig(environment: EnvironmentVariables(values))
            config.questionLimits.query.timeout = timeout
            // As the process's bootstrap installs it: behind the redaction every handler applies.
            var logger = Logger(label: "askdb.api") { _ in RedactingLogHandler(CapturingLogHandler(store: lines)) }
            logger.logLevel = .debug
            var postgresConfiguration = config.app.database.clientConfiguration(connectTimeout: .seconds(1))
            postgresConfiguration.options.keepAliveBehavior = nil
            let services = await APIServices.make(
                config: config,
                postgres: PostgresClient(configuration: postgresConfiguration, backgroundLogger: logger),
                redis: RedisClient(configuration: .init(url: config.app.redis, connectTimeout: .seconds(1))),
                embedder: EmbedderSlot(ready: HashEmbedder()),
                logger: logger
            )
            let application = buildApplication(config: config, services: services, resources: services.resources)
            return try await application.test(.router) { client in try await body(client, services) }
        }
    }
}

extension RedTeamRun.Report {
    /// Fills in each outcome's leaks and problems from its answers, the model's requests, the app
    /// tables, the Redis keys and the log lines.
    mutating func gather(chat: ScriptedChat, lines: RedTeamRun.LogLines, services: APIServices, prefix: String, serverName: String) async throws {
        // Taken first: the searches below name the canaries' patterns in their own SQL.
        let logged = lines.lines.withLock { $0 }
        var index: [String: Int] = [:]
        for (position, outcome) in outcomes.enumerated() { index[outcome.testCase.id] = position }
        func attribute(_ text: String, at time: Date?, place: String) {
            let found = RedTeamFixtures.canaries(in: text).prefix(3).map { "\(place): \($0)" }
            guard !found.isEmpty else { return }
            if let id = RedTeamRun.caseID(in: text), let position = index[id] {
                outcomes[position].leaks += found
            } else if let time, let position = outcomes.firstIndex(where: { $0.started.addingTimeInterval(-0.05) <= time && time <= $0.ended.addingTimeInterval(0.05) }) {
                outcomes[position].leaks += found
            } else {
                unattributed += found
            }
        }

        for position in outcomes.indices {
            let outcome = outcomes[position]
            for (name, answer) in [("question", outcome.question), ("run", outcome.run)] {
                let body = String(decoding: answer.body, as: UTF8.self)
                for excerpt in RedTeamFixtures.canaries(in: body).prefix(2) { outcomes[position].leaks.append("\(name) answer: \(excerpt)") }
                if answer.status.code >= 500 { outcomes[position].problems.append("\(name): \(answer.status.code) \(body.prefix(300))") }
            }
            let runRefused = outcome.run.status == .unprocessableContent && !["query_failed", "too_costly"].contains(outcome.run.errorCode ?? "")
            outcomes[position].ranOnRun = outcome.run.status == .ok || ["query_failed", "too_costly"].contains(outcome.run.errorCode ?? "")
            outcomes[position].ranOnQuestion = outcome.question.status == .ok
            if outcome.testCase.expectation == .ran {
                if outcome.run.status != .ok || (outcome.run["row_count"] as? Int ?? 0) == 0 {
                    outcomes[position].problems.append("an honest query did not run on /run: \(RedTeamRun.summary(outcome.run))")
                }
                if outcome.question.status != .ok {
                    outcomes[position].problems.append("an honest query did not run on the question's path: \(RedTeamRun.summary(outcome.question))")
                }
            }
            if outcome.testCase.expectation == .refused, !runRefused {
                outcomes[position].problems.append("not refused on /run: \(outcome.run.status.code) \(outcome.run.errorCode ?? "") \(outcome.run.errorMessage ?? "")")
            }
        }

        // The model's requests: the prompts (schema context, rows to word) and the repairs,
        // which say why the attack did not run: the guard, or the database.
        for messages in await chat.allMessages {
            let text = messages.map(\.1).joined(separator: "\n")
            attribute(text, at: nil, place: "model request")
            guard let id = RedTeamRun.caseID(in: text), let position = index[id], messages.contains(where: { $0.0 == "assistant" }),
                  let repair = messages.last?.1, repair.hasPrefix("That query cannot run: "), messages.count == 4 else { continue }
            if repair.hasPrefix("That query cannot run: \(serverName) refused it") { outcomes[position].ranOnQuestion = true }
        }
        for position in outcomes.indices where outcomes[position].testCase.expectation == .refused && outcomes[position].ranOnQuestion {
            let question = outcomes[position].question
            outcomes[position].problems.append("not refused on the question's path: \(question.status.code) \(question.errorMessage ?? "")")
        }

        // Every row of every app table.
        var tables: [String] = []
        for try await name in try await services.postgres.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", logger: TestServers.logger)
            .decode(String.self) { tables.append(name) }
        for table in tables {
            let time = table == "query_audit" ? "extract(epoch FROM executed_at)::float8" : "NULL::float8"
            let rows = try await services.postgres.query(PostgresQuery(unsafeSQL: """
                SELECT \(time), t::text FROM "\(table)" t
                WHERE t::text ~* '\(RedTeamFixtures.caseInsensitivePattern)' OR t::text ~ '\(RedTeamFixtures.base64Pattern)'
                """), logger: TestServers.logger)
            for try await (seconds, text) in rows.decode((Double?, String).self) {
                attribute(text, at: seconds.map { Date(timeIntervalSince1970: $0) }, place: "table \(table)")
            }
        }

        // Every Redis key of the application's prefix, whatever its type.
        var cursor = "0"
        repeat {
            let reply = try await services.redis.send("SCAN", RedisArgument(cursor), "MATCH", RedisArgument("\(prefix):*"), "COUNT", "1000")
            cursor = reply.array?[0].string ?? "0"
            for key in reply.array?[1].array?.compactMap(\.string) ?? [] {
                let type = try await services.redis.send("TYPE", RedisArgument(key)).string ?? ""
                let command: [RedisArgument] = switch type {
                case "string": ["GET", RedisArgument(key)]
                case "hash": ["HGETALL", RedisArgument(key)]
                case "list": ["LRANGE", RedisArgument(key), "0", "-1"]
                case "set": ["SMEMBERS", RedisArgument(key)]
                case "zset": ["ZRANGE", RedisArgument(key), "0", "-1"]
                case "stream": ["XRANGE", RedisArgument(key), "-", "+"]
                default: []
                }
                guard !command.isEmpty else { continue }
                attribute(Self.text(of: try await services.redis.send(command)), at: nil, place: "redis \(type) \(key)")
            }
        } while cursor != "0"

        for (time, line) in logged { attribute(line, at: time, place: "log line") }
    }

    private static func text(of reply: RedisReply) -> String {
        if let elements = reply.array { return elements.map(text(of:)).joined(separator: "\n") }
        return reply.string ?? ""
    }
}
