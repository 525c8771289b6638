import Redis
import Support

/// Fixed-window counters in Redis, shared by every API process.
package struct RateLimiter: Sendable {
    /// A limit: at most `limit` events per `window`.
    package struct Rule: Sendable {
        package var limit: Int
        package var window: Duration

        package init(limit: Int, window: Duration) {
            self.limit = limit
            self.window = window
        }
    }

    private let redis: RedisClient
    private let keys: RedisKeyspace

    package init(redis: RedisClient, keys: RedisKeyspace) {
        self.redis = redis
        self.keys = keys
    }

    /// Seconds until `name` may act again, or nil when it is under `rule`'s limit. Counts nothing.
    package func blockedFor(_ name: String, rule: Rule) async throws -> Int? {
        let key = RedisArgument(keys.key("ratelimit", name))
        let replies = try await redis.pipeline([["GET", key], ["PTTL", key]])
        guard let count = replies[0].int, count >= rule.limit else { return nil }
        return Self.seconds(replies[1].int)
    }

    /// Counts one event for `name`.
    package func record(_ name: String, rule: Rule) async throws {
        _ = try await increment(name, rule: rule)
    }

    /// Counts one event and throws a rate-limited error once `rule`'s limit is passed. The
    /// commands in `along` ride in the same round trip; their replies are returned.
    @discardableResult
    package func hit(_ name: String, rule: Rule, message: String, along: [[RedisArgument]] = []) async throws -> [RedisReply] {
        let (count, ttl, replies) = try await increment(name, rule: rule, along: along)
        if count > rule.limit {
            throw AskDBError(.rateLimited, code: "rate_limited", message: message, retryAfter: Self.seconds(ttl))
        }
        return replies
    }

    /// Forgets `name`'s events.
    package func reset(_ name: String) async throws {
        try await redis.send("DEL", RedisArgument(keys.key("ratelimit", name)))
    }

    private func increment(_ name: String, rule: Rule, along: [[RedisArgument]] = []) async throws -> (count: Int, ttl: Int?, along: [RedisReply]) {
        let key = RedisArgument(keys.key("ratelimit", name))
        let replies = try await redis.pipeline([
            ["INCR", key],
            ["PEXPIRE", key, RedisArgument(rule.window.milliseconds), "NX"],
            ["PTTL", key],
        ] + along)
        guard let count = replies[0].int else {
            throw RedisError(.unexpectedReply, "INCR answered \(replies[0])")
        }
        return (count, replies[2].int, Array(replies.dropFirst(3)))
    }

    private static func seconds(_ milliseconds: Int?) -> Int {
        max(1, ((milliseconds ?? 1000) + 999) / 1000)
    }
}
