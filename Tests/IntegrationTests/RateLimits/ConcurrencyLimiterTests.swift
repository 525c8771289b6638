import Foundation
@testable import RateLimits
@testable import Redis
@testable import Support
import TestSupport
import Testing

@Suite struct ConcurrencyLimiterTests {
    @Test func oneMoreThanTheLimitIsRefusedUntilASlotIsFree() async throws {
        let redis = RedisClient(configuration: .init(url: try TestServers.redisURL, maxConnections: 4))
        let limiter = ConcurrencyLimiter(redis: redis, keys: RedisKeyspace(prefix: "test-\(UUID().uuidString.prefix(8))"))
        let (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
        let (release, releaseContinuation) = AsyncStream.makeStream(of: Void.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    try await limiter.withSlot("db", limit: 2, message: "busy") {
                        startedContinuation.yield()
                        for await _ in release { break }
                    }
                }
            }
            var iterator = started.makeAsyncIterator()
            _ = await iterator.next()
            _ = await iterator.next()
            let refused = await #expect(throws: AskDBError.self) { try await limiter.withSlot("db", limit: 2, message: "busy") {} }
            #expect(refused?.kind == .rateLimited && refused?.code == "too_many_concurrent" && refused?.retryAfter == 1)
            // Another name has slots of its own.
            try await limiter.withSlot("other", limit: 2, message: "busy") {}
            releaseContinuation.yield()
            releaseContinuation.yield()
            releaseContinuation.finish()
            try await group.waitForAll()
        }
        // Slots come back after use, and after a failure.
        await #expect(throws: CancellationError.self) { try await limiter.withSlot("db", limit: 2, message: "busy") { throw CancellationError() } }
        for _ in 0..<3 { try await limiter.withSlot("db", limit: 1, message: "busy") {} }
        await redis.shutdown()
    }
}
