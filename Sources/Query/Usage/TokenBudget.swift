import Foundation
import LanguageModel
import Redis
import Support

/// Tokens each user's questions spent per UTC day, in Redis (shared by every API process, kept
/// two days), and the optional daily limit `ASKDB_TOKENS_PER_USER_PER_DAY`: past it a question
/// is refused with 429 `token_budget_exhausted` until the day ends.
package struct TokenBudget: Sendable {
    private let redis: RedisClient
    private let keys: RedisKeyspace
    /// Nil: counted, never refused.
    private let perDay: Int?

    package init(redis: RedisClient, keys: RedisKeyspace, perDay: Int?) {
        self.redis = redis
        self.keys = keys
        self.perDay = perDay
    }

    /// Throws 429 when the user has spent the day's tokens; without a limit it reads nothing.
    package func check(userID: UUID, now: Date = Date()) async throws {
        guard let perDay else { return }
        let spent = try await redis.send("GET", key(userID, now)).string.flatMap { Int($0) } ?? 0
        guard spent >= perDay else { return }
        let day = Self.day(now)
        let untilMidnight = Int(((Double(day) + 1) * 86_400 - now.timeIntervalSince1970).rounded(.up))
        throw AskDBError(.rateLimited, code: "token_budget_exhausted",
                         message: "you have used today's \(perDay) model tokens; the budget renews at midnight UTC", retryAfter: max(1, untilMidnight))
    }

    /// Adds a question's tokens to the user's day; a Redis error only loses the count.
    package func spend(_ usage: TokenUsage, userID: UUID, now: Date = Date()) async {
        guard usage.total > 0 else { return }
        let key = key(userID, now)
        _ = try? await redis.pipeline([["INCRBY", key, RedisArgument(usage.total)], ["EXPIRE", key, "172800"]])
    }

    /// The tokens the user spent today.
    package func spent(userID: UUID, now: Date = Date()) async throws -> Int {
        try await redis.send("GET", key(userID, now)).string.flatMap { Int($0) } ?? 0
    }

    private func key(_ userID: UUID, _ now: Date) -> RedisArgument {
        RedisArgument(keys.key("tokens", userID.lowercasedString, String(Self.day(now))))
    }

    /// The UTC day's number since 1970.
    static func day(_ date: Date) -> Int {
        Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }
}
