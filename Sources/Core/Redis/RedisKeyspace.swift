/// Builds Redis keys under the deployment's prefix, so several deployments can share a server.
public struct RedisKeyspace: Sendable, Hashable {
    /// The prefix every key starts with, from `ASKDB_REDIS_PREFIX`.
    public let prefix: String

    public init(prefix: String) {
        self.prefix = prefix
    }

    /// `prefix:part1:part2…`
    public func key(_ parts: String...) -> String {
        ([prefix] + parts).joined(separator: ":")
    }
}
