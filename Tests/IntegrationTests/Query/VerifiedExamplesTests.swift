@testable import DataSources
@testable import Embedding
@testable import Evaluation
import Foundation
@testable import Query
@testable import SchemaModel
import Support
import TestSupport
import Testing

/// The Chinook demo's verified examples against the real database, and the direct-answer
/// threshold against the paraphrases and near-misses it was chosen on.
@Suite(.serialized) struct VerifiedExamplesTests {
    static let examplesFile = TestServers.packageRoot.appendingPathComponent("datasets/chinook/examples.csv")
    static let pairsFile = TestServers.packageRoot.appendingPathComponent("datasets/chinook/direct_match_pairs.csv")

    static func withChinookSource<T: Sendable>(_ body: @Sendable (GuardedSource, SchemaSnapshot) async throws -> T) async throws -> T {
        try await PostgresSamplingTests.withChinook { database in
            let connector = PostgresSamplingTests.connector(database)
            let snapshot = try await connector.sampleSchema(options: SamplingOptions(), maxObjects: ObjectCap.defaultLimit) { _, _, _ in }
            let source = GuardedSource(dialect: PostgresDialect(), connector: connector, options: SamplingOptions(), database: database.url.database)
            return try await body(source, snapshot)
        }
    }

    @Test func theDemosExamplesPassTheGuardAndAnswerFromChinook() async throws {
        let records = try CSV.records(try String(contentsOf: Self.examplesFile, encoding: .utf8))
        #expect(records.first?.fields == ["question", "query"])
        let examples = records.dropFirst().map { (question: $0.fields[0], query: $0.fields[1]) }
        #expect(examples.count >= 30)
        #expect(Set(examples.map(\.question)).count == examples.count)
        try await Self.withChinookSource { source, snapshot in
            let problems = try await ExampleCheck(source: source, snapshot: snapshot).problems(with: examples.map(\.query))
            for (example, problem) in zip(examples, problems) {
                #expect(problem == nil, "\(example.question): \(problem ?? "")")
                let result = try await source.run(try source.guarded(example.query, snapshot: snapshot))
                #expect(!result.rows.isEmpty, "\(example.question) gave no rows")
            }
            // The check reads the plan only: a broken query is named, a sound one is not run.
            #expect(try await ExampleCheck(source: source, snapshot: snapshot).problem(with: "SELECT no_such_column FROM track")?.contains("no_such_column") == true)
            #expect(try await ExampleCheck(source: source, snapshot: snapshot).problem(with: "SELECT * FROM no_such_table")?.isEmpty == false)
        }
    }

    @Test func theDefaultThresholdAnswersDirectlyOnlyWhatTheExampleAsks() async throws {
        let pairs = try DirectMatchCalibration.pairs(csv: try String(contentsOf: Self.pairsFile, encoding: .utf8))
        #expect(pairs.filter(\.shouldMatch).count >= 50 && pairs.filter { !$0.shouldMatch }.count >= 50)
        let embedder = try MiniLMEmbedder(modelFolder: TestServers.modelFolder)
        try await Self.withChinookSource { _, snapshot in
            let scored = try await DirectMatchCalibration.score(pairs, embedder: embedder, vocabulary: DirectMatch.Vocabulary(snapshot))
            let point = DirectMatchCalibration.point(scored, threshold: DirectMatch.defaultThreshold)
            let wrong = scored.filter { $0.matches(at: DirectMatch.defaultThreshold) && !$0.pair.shouldMatch }
            #expect(point.precision >= 0.98, "answered directly though another question: \(wrong.map { "\($0.pair.question) ~ \($0.pair.example)" })")
            #expect(point.recall >= 0.5, "recall \(point.recall)")
        }
    }
}
