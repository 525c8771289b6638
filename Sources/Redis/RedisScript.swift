import Crypto
import Foundation

/// A Lua script run atomically by Redis, sent by its SHA-1 and loaded only when missing.
package struct RedisScript: Sendable {
    package let source: String
    package let sha1: String

    package init(_ source: String) {
        self.source = source
        sha1 = Insecure.SHA1.hash(data: Data(source.utf8)).hexString
    }

    /// The `EVALSHA` command for `keys` and `arguments`.
    package func evalSHA(keys: [RedisArgument], arguments: [RedisArgument]) -> [RedisArgument] {
        ["EVALSHA", RedisArgument(sha1), RedisArgument(keys.count)] + keys + arguments
    }

    /// The `EVAL` command, for when the server does not have the script cached yet.
    package func eval(keys: [RedisArgument], arguments: [RedisArgument]) -> [RedisArgument] {
        ["EVAL", RedisArgument(source), RedisArgument(keys.count)] + keys + arguments
    }
}

extension RedisClient {
    /// Runs `script`; a server that lost its script cache (a restart) gets the source once.
    @discardableResult
    package func run(_ script: RedisScript, keys: [RedisArgument], arguments: [RedisArgument]) async throws -> RedisReply {
        try await runAll(script, calls: [(keys, arguments)])[0]
    }

    /// Runs `script` once per call in one pipeline; error replies come back as `.error`.
    package func runAll(_ script: RedisScript, calls: [(keys: [RedisArgument], arguments: [RedisArgument])]) async throws -> [RedisReply] {
        var replies = try await pipeline(calls.map { script.evalSHA(keys: $0.keys, arguments: $0.arguments) })
        // Only calls refused with NOSCRIPT did not run; repeat just those.
        let missing = replies.indices.filter { if case .error(let message) = replies[$0] { message.hasPrefix("NOSCRIPT") } else { false } }
        guard !missing.isEmpty else { return replies }
        try await send(["SCRIPT", "LOAD", RedisArgument(script.source)])
        let retried = try await pipeline(missing.map { script.evalSHA(keys: calls[$0].keys, arguments: calls[$0].arguments) })
        for (index, reply) in zip(missing, retried) { replies[index] = reply }
        return replies
    }
}
