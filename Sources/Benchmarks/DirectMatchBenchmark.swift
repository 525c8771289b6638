import ArgumentParser
import DataSources
import Embedding
import Evaluation
import Foundation
import Logging
import Query
import SchemaModel
import Support

/// Direct answers' precision and recall by threshold, on the paraphrases and near-misses of
/// the Chinook demo's examples, with the demo's own vocabulary: how the default was chosen.
struct DirectMatchBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "direct-match",
                                                    abstract: "Precision and recall of direct answers from verified examples, per threshold.")

    @Option(help: "The pairs (CSV: question, example, expected, kind).")
    var pairs = "datasets/chinook/direct_match_pairs.csv"

    @Option(help: "The precision a threshold must reach to be chosen.")
    var precision = 0.98

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let raw = environment["DEMO_DATABASE_URL"], let folder = environment["ASKDB_MODEL_DIR"] else {
            throw ValidationError("set DEMO_DATABASE_URL and ASKDB_MODEL_DIR (e.g. `set -a; source .askdb/stack.env`)")
        }
        var logger = Logger(label: "askdb.bench")
        logger.logLevel = .error
        let connector = PostgresSourceConnector(url: try PostgresURL(raw), address: IPAddress("127.0.0.1")!, logger: logger)
        let snapshot = try await connector.sampleSchema(options: SamplingOptions(), maxObjects: ObjectCap.defaultLimit) { _, _, _ in }
        let list = try DirectMatchCalibration.pairs(csv: try String(contentsOfFile: pairs, encoding: .utf8))
        let scored = try await DirectMatchCalibration.score(list, embedder: try MiniLMEmbedder(modelFolder: URL(fileURLWithPath: folder)),
                                                            vocabulary: DirectMatch.Vocabulary(snapshot))
        let misses = list.filter { !$0.shouldMatch }
        print("\(list.count - misses.count) paraphrases that must match, \(misses.count) near-misses that must not "
              + "(\(Dictionary(grouping: misses, by: \.kind).map { "\($0.value.count) \($0.key)" }.sorted().joined(separator: ", ")))")
        print("signatures alike: \(scored.filter { $0.pair.shouldMatch && $0.sameSignature }.count) of the paraphrases, "
              + "\(scored.filter { !$0.pair.shouldMatch && $0.sameSignature }.count) of the near-misses")
        let thresholds = stride(from: 0.60, through: 0.96, by: 0.02).map { ($0 * 100).rounded() / 100 }
        print("threshold  precision  recall  false answers")
        for threshold in thresholds {
            let point = DirectMatchCalibration.point(scored, threshold: threshold)
            print(String(format: "%9.2f  %9.3f  %6.3f  %d%@", threshold, point.precision, point.recall, point.falsePositives,
                         abs(threshold - DirectMatch.defaultThreshold) < 0.001 ? "  <- default" : ""))
        }
        let alone = scored.map { DirectMatchCalibration.Scored(pair: $0.pair, similarity: $0.similarity, sameSignature: true) }
        let similarityOnly = DirectMatchCalibration.point(alone, threshold: DirectMatch.defaultThreshold)
        print(String(format: "similarity alone at the default: precision %.3f, recall %.3f (%d false answers)", similarityOnly.precision,
                     similarityOnly.recall, similarityOnly.falsePositives))
        if let chosen = DirectMatchCalibration.choose(scored, precision: precision, among: thresholds) {
            print(String(format: "best recall at precision >= %.2f: threshold %.2f (precision %.3f, recall %.3f)", precision, chosen.threshold,
                         chosen.precision, chosen.recall))
        }
        for lost in scored where lost.pair.shouldMatch && !lost.sameSignature {
            print("  a paraphrase whose signature differs: \(lost.pair.question) ~ \(lost.pair.example)")
        }
        for wrong in scored where wrong.matches(at: DirectMatch.defaultThreshold) && !wrong.pair.shouldMatch {
            print(String(format: "  answered directly at the default, wrongly (%.3f, %@): %@ ~ %@", wrong.similarity, wrong.pair.kind, wrong.pair.question, wrong.pair.example))
        }
    }
}
