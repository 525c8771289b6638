import Crypto
import Foundation
import Redis
import SchemaModel
import Support

/// The two Redis caches in front of the pipeline, keyed by everything an answer depends on: the
/// connection and its index version (a re-index changes every key), the normalised question,
/// the model, the mode and today's date (questions about "this month" change with it).
///
/// - The query cache keeps the checked query until the index version changes: a hit skips
///   retrieval and query writing, and re-runs the query, so the rows are live.
/// - The answer cache keeps the whole response for a short TTL (0 turns it off): a hit touches
///   neither the model nor the user's database.
///
/// Entries are filed under their owner and connection, so deleting either forgets them.
package struct AnswerCache: UserDataCache {
    /// Where a question's entries are filed.
    package struct Key: Sendable, Equatable {
        package var ownerID: UUID
        package var connectionID: UUID
        /// Of everything else the answer depends on.
        package var hash: String

        func redisKey(_ keys: RedisKeyspace, _ kind: String) -> RedisArgument {
            RedisArgument(keys.key(kind, ownerID.lowercasedString, connectionID.lowercasedString, hash))
        }
    }

    private let redis: RedisClient
    private let keys: RedisKeyspace
    /// How long whole answers live; zero: never cached.
    private let answerTTL: Duration
    private let queryTTL: Duration

    package init(redis: RedisClient, keys: RedisKeyspace, answerTTL: Duration = .seconds(60), queryTTL: Duration = .seconds(7 * 86_400)) {
        self.redis = redis
        self.keys = keys
        self.answerTTL = answerTTL
        self.queryTTL = queryTTL
    }

    /// The cache key of a question.
    /// - Parameter conversation: the earlier turns the question follows, as text ("" for none).
    /// - Parameter source: the connection's (redacted) URL: another database answers otherwise.
    /// Everything that changes what a question's answer may be is part of its key: the index,
    /// the conversation so far, the model and its context size, the mode, the day (questions
    /// say "this year"), and the owner's options (an answer read before a column was excluded
    /// is never served after).
    package static func key(ownerID: UUID, connectionID: UUID, source: String, indexVersion: Int, examplesRevision: Int = 0, question: String, conversation: String = "",
                           model: String, contextTokens: Int, mode: QuestionRequest.Mode, options: SamplingOptions, today: Date) -> Key {
        let normalised = question.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            .trimmed(where: { "?!. ".contains($0) })
        // The UTC day's number: a formatter per request cost more than the rest of a cached answer.
        let day = String(Int((today.timeIntervalSince1970 / 86_400).rounded(.down)))
        let parts = [source, String(indexVersion) + "." + String(examplesRevision), normalised, conversation, model, String(contextTokens), mode.rawValue, options.fingerprint, day]
        return Key(ownerID: ownerID, connectionID: connectionID, hash: SHA256.hash(data: Data(parts.joined(separator: "\u{1F}").utf8)).hexString)
    }

    /// The command that reads a whole answer, for the caller to send along with its own (nil
    /// when whole answers are not cached); ``cachedAnswer(from:)`` reads its reply.
    package func answerLookup(for key: Key) -> [RedisArgument]? {
        answerTTL > .zero ? ["GET", key.redisKey(keys, "answer")] : nil
    }

    /// The answer a reply to ``answerLookup(for:)`` holds; nil on a miss or an entry it cannot read.
    func cachedAnswer(from reply: RedisReply) -> CachedAnswer? {
        let cached = reply.bytes.flatMap(CachedAnswer.init(stored:))
        CacheLookup.record(cache: "answer", hit: cached != nil)
        return cached
    }

    package func query(for key: Key) async -> String? {
        let query = try? await redis.send("GET", key.redisKey(keys, "query")).string
        CacheLookup.record(cache: "query", hit: query != nil)
        return query
    }

    /// Keeps the answer (with its history summary) and its query; a cache that is down only costs speed.
    func store(_ answer: QuestionAnswer, for key: Key) async {
        var commands: [[RedisArgument]] = [["SET", key.redisKey(keys, "query"), RedisArgument(answer.query), "PX", RedisArgument(queryTTL.milliseconds)]]
        var served = answer
        served.cached = true
        // A hit spends no tokens: neither its reply nor its history entry claims the first run's.
        served.tokens = nil
        if answerTTL > .zero, let reply = try? ReplyTemplate(served), let servedSummary = try? AnswerSummary(served) {
            let stored = CachedAnswer(reply: reply, summary: servedSummary).stored
            commands.append(["SET", key.redisKey(keys, "answer"), RedisArgument(bytes: stored), "PX", RedisArgument(answerTTL.milliseconds)])
        }
        _ = try? await redis.pipeline(commands)
    }

    /// Deletes the entries of the owner's connection (or of all their connections): a scan of
    /// their keys, which only a delete pays for.
    package func forget(ownerID: UUID, connectionID: UUID?) async throws {
        let scope = [ownerID.lowercasedString, connectionID?.lowercasedString ?? "*", "*"].joined(separator: ":")
        for kind in ["answer", "query"] {
            var cursor = "0"
            repeat {
                let reply = try await redis.send("SCAN", RedisArgument(cursor), "MATCH", RedisArgument(keys.key(kind, scope)), "COUNT", "1000")
                guard let parts = reply.array, parts.count == 2, let next = parts[0].string else {
                    throw RedisError(.unexpectedReply, "SCAN answered \(reply)")
                }
                let found = (parts[1].array ?? []).compactMap(\.string)
                if !found.isEmpty { try await redis.send(["DEL"] + found.map { RedisArgument($0) }) }
                cursor = next
            } while cursor != "0"
        }
    }
}
