/// Builds Redis keys under the deployment's prefix, so several deployments can share a server.
package struct RedisKeyspace: Sendable, Hashable {
    /// The prefix every key starts with, from `ASKDB_REDIS_PREFIX`.
    package let prefix: String

    package init(prefix: String) {
        self.prefix = prefix
    }

    /// `prefix:part1:part2…`
    package func key(_ parts: String...) -> String {
        ([prefix] + parts).joined(separator: ":")
    }
}
