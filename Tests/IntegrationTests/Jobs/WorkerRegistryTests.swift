import Foundation
@testable import Jobs
@testable import Redis
@testable import Support
import TestSupport
import Testing

@Suite struct WorkerRegistryTests {
    @Test func heartbeatsListLiveWorkersAndExpiredOnesDisappear() async throws {
        let redis = RedisClient(configuration: .init(url: try TestServers.redisURL))
        defer { Task { await redis.shutdown() } }
        let keys = RedisKeyspace(prefix: "test-\(UUID().uuidString)")
        // Live entries last long enough for a loaded machine; one brief entry shows expiry.
        let registry = WorkerRegistry(redis: redis, keys: keys, ttl: .seconds(60))
        let brief = WorkerRegistry(redis: redis, keys: keys, ttl: .seconds(1))

        let first = WorkerInfo.current(concurrency: 2)
        let second = WorkerInfo.current(concurrency: 1)
        let third = WorkerInfo.current(concurrency: 1)
        #expect(first.id != second.id && second.id != third.id)
        try await registry.heartbeat(first)
        try await registry.heartbeat(second)
        #expect(Set(try await registry.liveWorkers().map(\.id)) == [first.id, second.id])

        try await registry.remove(second.id)
        #expect(try await registry.liveWorkers().map(\.id) == [first.id])

        try await brief.heartbeat(third)
        try await Task.sleep(for: .milliseconds(1500))
        #expect(try await registry.liveWorkers().map(\.id) == [first.id])
        // The expired worker's id left the set too.
        #expect(try await redis.send("SCARD", RedisArgument(keys.key("workers"))) == .integer(1))
    }
}
