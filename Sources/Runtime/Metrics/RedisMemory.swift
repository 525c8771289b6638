import Foundation
import Metrics
import Redis

/// Redis's memory from `INFO memory`, as `askdb_redis_used_memory_bytes` and
/// `askdb_redis_maxmemory_bytes` (0: no limit), so an alert can fire before Redis, which runs
/// `noeviction`, starts refusing writes. AskDB reads it itself rather than needing a
/// redis_exporter beside every Redis: it already holds a connection, and two numbers are all
/// the alert needs.
package struct RedisMemory: Sendable {
    private let redis: RedisClient

    package init(redis: RedisClient) {
        self.redis = redis
    }

    package func record() async throws {
        guard let info = try await redis.send("INFO", "memory").string else { return }
        let fields = Self.fields(info)
        if let used = fields["used_memory"] { Gauge(label: "askdb_redis_used_memory_bytes").record(used) }
        if let limit = fields["maxmemory"] { Gauge(label: "askdb_redis_maxmemory_bytes").record(limit) }
    }

    /// The integer fields of an `INFO` reply (`name:value` lines).
    static func fields(_ info: String) -> [String: Int] {
        var fields: [String: Int] = [:]
        for line in info.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, let value = Int(parts[1].trimmingCharacters(in: .whitespaces)) { fields[String(parts[0])] = value }
        }
        return fields
    }
}
