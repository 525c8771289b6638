import Redis
import Support

/// Counts things in progress across every API process (questions per user, queries per
/// connection) and refuses one more past a limit. Each count expires after `lease`, so a process
/// that died holding slots does not hold them for ever.
package struct ConcurrencyLimiter: Sendable {
    private let redis: RedisClient
    private let keys: RedisKeyspace
    private let lease: Duration

    package init(redis: RedisClient, keys: RedisKeyspace, lease: Duration = .seconds(300)) {
        self.redis = redis
        self.keys = keys
        self.lease = lease
    }

    /// Takes a slot atomically: 1 when under the limit, else 0 and nothing taken.
    private static let acquire = RedisScript("""
        local n = redis.call('INCR', KEYS[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        if n > tonumber(ARGV[1]) then
            redis.call('DECR', KEYS[1])
            return 0
        end
        return 1
        """)

    /// Gives a slot back, never below zero.
    private static let release = RedisScript("""
        local n = redis.call('DECR', KEYS[1])
        if n <= 0 then redis.call('DEL', KEYS[1]) end
        return n
        """)

    /// Runs `body` holding one of `limit` slots named `name`; throws a 429 error carrying
    /// `message` when all are taken.
    package func withSlot<T: Sendable>(_ name: String, limit: Int, message: String, _ body: () async throws -> T) async throws -> T {
        let key = RedisArgument(keys.key("inflight", name))
        let taken = try await redis.run(Self.acquire, keys: [key], arguments: [RedisArgument(limit), RedisArgument(lease.milliseconds)])
        guard taken.int == 1 else {
            throw AskDBError(.rateLimited, code: "too_many_concurrent", message: message, retryAfter: 1)
        }
        do {
            let result = try await body()
            _ = try? await redis.run(Self.release, keys: [key], arguments: [])
            return result
        } catch {
            _ = try? await redis.run(Self.release, keys: [key], arguments: [])
            throw error
        }
    }
}
