import Core
import Foundation

/// Live indexer workers, kept in Redis: each worker renews its entry; an entry that is not
/// renewed within `ttl` expires, so a killed worker disappears on its own.
public struct WorkerRegistry: Sendable {
    private let redis: RedisClient
    private let keys: RedisKeyspace
    /// How long an entry lives without a heartbeat.
    public let ttl: Duration

    public init(redis: RedisClient, keys: RedisKeyspace, ttl: Duration = .seconds(15)) {
        self.redis = redis
        self.keys = keys
        self.ttl = ttl
    }

    /// Records that `worker` is alive now.
    public func heartbeat(_ worker: WorkerInfo) async throws {
        let milliseconds = Int(ttl.components.seconds * 1000 + ttl.components.attoseconds / 1_000_000_000_000_000)
        let payload = try Self.encoder.encode(worker)
        try await checked(redis.pipeline([
            ["SET", RedisArgument(keys.key("worker", worker.id)), RedisArgument(bytes: Array(payload)), "PX", RedisArgument(milliseconds)],
            ["SADD", RedisArgument(keys.key("workers")), RedisArgument(worker.id)],
        ]))
    }

    /// Removes `worker` at once, on a clean shutdown.
    public func remove(_ workerID: String) async throws {
        try await checked(redis.pipeline([
            ["DEL", RedisArgument(keys.key("worker", workerID))],
            ["SREM", RedisArgument(keys.key("workers")), RedisArgument(workerID)],
        ]))
    }

    /// Workers whose entry has not expired, forgetting those that have.
    public func liveWorkers() async throws -> [WorkerInfo] {
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

    private func checked(_ replies: [RedisReply]) throws {
        for case .error(let message) in replies {
            throw RedisError(.serverError, message)
        }
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
