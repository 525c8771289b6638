import Foundation
import Redis
import Support

/// Live indexer workers, kept in Redis: each worker renews its entry; an entry that is not
/// renewed within `ttl` expires, so a killed worker disappears on its own.
package struct WorkerRegistry: Sendable {
    private let redis: RedisClient
    private let keys: RedisKeyspace
    /// How long an entry lives without a heartbeat.
    package let ttl: Duration

    package init(redis: RedisClient, keys: RedisKeyspace, ttl: Duration = .seconds(15)) {
        self.redis = redis
        self.keys = keys
        self.ttl = ttl
    }

    /// Records that `worker` is alive now.
    package func heartbeat(_ worker: WorkerInfo) async throws {
        let payload = try Self.encoder.encode(worker)
        _ = try await redis.pipeline([
            ["SET", RedisArgument(keys.key("worker", worker.id)), RedisArgument(bytes: Array(payload)), "PX", RedisArgument(ttl.milliseconds)],
            ["SADD", RedisArgument(keys.key("workers")), RedisArgument(worker.id)],
        ]).throwingFirstError()
    }

    /// Removes `worker` at once, on a clean shutdown.
    package func remove(_ workerID: String) async throws {
        _ = try await redis.pipeline([
            ["DEL", RedisArgument(keys.key("worker", workerID))],
            ["SREM", RedisArgument(keys.key("workers")), RedisArgument(workerID)],
        ]).throwingFirstError()
    }

    /// Workers whose entry has not expired, forgetting those that have.
    package func liveWorkers() async throws -> [WorkerInfo] {
        let ids = try await redis.send("SMEMBERS", RedisArgument(keys.key("workers"))).array?.compactMap(\.string) ?? []
        guard !ids.isEmpty else { return [] }
        let entries = try await redis.send(["MGET"] + ids.map { RedisArgument(keys.key("worker", $0)) }).array ?? []
        var live: [WorkerInfo] = []
        var expired: [String] = []
        for (id, entry) in zip(ids, entries) {
            if let bytes = entry.bytes, let worker = try? Self.decoder.decode(WorkerInfo.self, from: Data(bytes)) {
                live.append(worker)
            } else {
                expired.append(id)
            }
        }
        if !expired.isEmpty {
            try await redis.send(["SREM", RedisArgument(keys.key("workers"))] + expired.map { RedisArgument($0) })
        }
        return live.sorted { $0.id < $1.id }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
