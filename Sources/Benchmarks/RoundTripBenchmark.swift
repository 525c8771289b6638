import ArgumentParser
import Foundation
import PostgresNIO
import Support

/// What one round trip to each server costs through AskDB's clients, one at a time: the floor
/// under every request's latency.
struct RoundTripBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "round-trips", abstract: "Time one PostgreSQL query and one Redis command.")

    @Option(help: "Round trips per kind.")
    var count = 5000

    func run() async throws {
        let servers = try StackServers.fromEnvironment()
        try await servers.withClients { postgres, redis in
            let id = UUID()
            try await report("PostgreSQL SELECT by primary key") {
                for try await _ in try await postgres.query("SELECT id FROM users WHERE id = \(id)", logger: servers.logger).decode(UUID.self) {}
            }
            try await report("Redis GET") { _ = try await redis.send("GET", "askdb-bench:none") }
        }
    }

    private func report(_ name: String, _ body: () async throws -> Void) async throws {
        for _ in 0..<100 { try await body() }
        var samples: [Double] = []
        samples.reserveCapacity(count)
        for _ in 0..<count {
            let start = ContinuousClock.now
            try await body()
            samples.append((ContinuousClock.now - start).inSeconds * 1e6)
        }
        samples.sort()
        print(name.padding(toLength: 34, withPad: " ", startingAt: 0)
              + String(format: "p50 %6.0f µs   p99 %6.0f µs", samples[count / 2], samples[count * 99 / 100]))
    }
}
