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

    /// Counts one event against every counter at once, unless one of them is already at its
    /// rule's limit: then nothing is counted and a rate-limited error carrying `message` says
    /// when all of them let up. Checking and counting are one step in Redis, so attempts made
    /// in parallel cannot all pass a check before any is counted.
    package func take(_ counters: [(name: String, rule: Rule)], message: String) async throws {
        let wait = try await redis.run(
            Self.takeAll,
            keys: counters.map { RedisArgument(keys.key("ratelimit", $0.name)) },
            arguments: counters.flatMap { [RedisArgument($0.rule.limit), RedisArgument($0.rule.window.milliseconds)] }
        )
        guard let milliseconds = wait.int else {
            throw RedisError(.unexpectedReply, "the rate-limit script answered \(wait)")
        }
        if milliseconds > 0 {
            throw AskDBError(.rateLimited, code: "rate_limited", message: message, retryAfter: Self.seconds(milliseconds))
        }
    }

    /// Takes back one event each counter's ``take(_:message:)`` counted (never below zero): it
    /// turned out not to be what the limit counts.
    package func takeBack(_ names: [String]) async throws {
        try await redis.run(Self.decrementAll, keys: names.map { RedisArgument(keys.key("ratelimit", $0)) }, arguments: [])
    }

    /// KEYS: the counters; ARGV: limit and window (ms) per counter. Returns 0 when it counted,
    /// else the milliseconds until every counter at its limit has expired.
    private static let takeAll = RedisScript("""
        local wait = 0
        for i = 1, #KEYS do
            if tonumber(redis.call('GET', KEYS[i]) or '0') >= tonumber(ARGV[2 * i - 1]) then
                local ttl = redis.call('PTTL', KEYS[i])
                if ttl < 0 then ttl = tonumber(ARGV[2 * i]) end
                wait = math.max(wait, ttl)
            end
        end
        if wait > 0 then return wait end
        for i = 1, #KEYS do
            redis.call('INCR', KEYS[i])
            redis.call('PEXPIRE', KEYS[i], ARGV[2 * i], 'NX')
        end
        return 0
        """)

    /// KEYS: the counters, each decremented if above zero.
    private static let decrementAll = RedisScript("""
        for i = 1, #KEYS do
            if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then redis.call('DECR', KEYS[i]) end
        end
        return 0
        """)

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
