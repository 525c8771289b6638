import Accounts
import ArgumentParser
import Foundation
import Support

/// `askdb-bench`: benchmarks that print figures; never run as tests.
@main
struct AskDBBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "askdb-bench",
        abstract: "AskDB benchmarks: each prints its figures.",
        subcommands: [BcryptBenchmark.self, GuardBenchmark.self, DirectMatchBenchmark.self, EmbeddingBenchmark.self, QueueBenchmark.self, VectorStoreBenchmark.self, SamplingBenchmark.self, RoundTripBenchmark.self, BenchWorker.self]
    )
}

/// How long one password hash takes at each bcrypt cost, on the hasher's own threads.
struct BcryptBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bcrypt", abstract: "Time bcrypt hashes per cost.")

    @Option(help: "Hashes per cost.")
    var rounds = 10

    func run() async throws {
        print("cost  p50 ms  min ms  max ms  (\(rounds) hashes each, one at a time)")
        for cost in UInt8(10)...12 {
            let hasher = PasswordHasher(cost: cost, threads: 1)
            var samples: [Double] = []
            for _ in 0..<rounds {
                let start = ContinuousClock.now
                _ = try await hasher.hash("correct horse battery staple")
                let elapsed = ContinuousClock.now - start
                samples.append(elapsed.inSeconds * 1000)
            }
            await hasher.shutdown()
            samples.sort()
            print(String(format: "%4d  %6.1f  %6.1f  %6.1f%@", Int(cost), samples[samples.count / 2], samples.first!, samples.last!,
                         cost == PasswordHasher.defaultCost ? "  <- default" : ""))
        }
    }
}
