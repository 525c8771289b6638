import Foundation
@testable import Redis
@testable import Support
import TestSupport
import Testing

@Suite struct RedisClientTests {
    func withClient<T>(_ url: RedisURL? = nil, maxConnections: Int = 4, checkoutTimeout: Duration = .seconds(5),
                       _ body: (RedisClient) async throws -> T) async throws -> T {
        let client = RedisClient(configuration: .init(url: try url ?? TestServers.redisURL, maxConnections: maxConnections, checkoutTimeout: checkoutTimeout))
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }

    func uniqueKey(_ name: String = #function) -> RedisArgument {
        RedisArgument("test:\(UUID().uuidString):\(name)")
    }

    @Test func valuesAreBinarySafe() async throws {
        try await withClient { redis in
            let key = uniqueKey()
            let every = (0...255).map(UInt8.init) + [0, 0, 13, 10]
            try await redis.send("SET", key, RedisArgument(bytes: every))
            #expect(try await redis.send("GET", key) == .bulkString(every))
            #expect(try await redis.send("STRLEN", key) == .integer(every.count))
            try await redis.send("SET", key, RedisArgument(bytes: []))
            #expect(try await redis.send("GET", key) == .bulkString([]))
            #expect(try await redis.send("GET", uniqueKey()) == .null)
            try await redis.send("DEL", key)
        }
    }

    @Test func pipelinesReturnEveryReplyInOrder() async throws {
        try await withClient { redis in
            let key = uniqueKey()
            let commands: [[RedisArgument]] = (1...1000).map { _ in ["INCR", key] }
            let replies = try await redis.pipeline(commands)
            #expect(replies == (1...1000).map { RedisReply.integer($0) })
            let mixed = try await redis.pipeline([["SET", key, "text"], ["INCR", key], ["GET", key], ["DEL", key]])
            #expect(mixed[0] == .simpleString("OK"))
            guard case .error(let message) = mixed[1] else {
                Issue.record("INCR on text should fail, got \(mixed[1])")
                return
            }
            #expect(message.contains("not an integer"))
            #expect(mixed[2].string == "text")
            #expect(mixed[3] == .integer(1))
        }
    }

    @Test func errorRepliesAreThrownBySend() async throws {
        try await withClient { redis in
            do {
                try await redis.send("NOSUCHCOMMAND")
                Issue.record("an unknown command did not throw")
            } catch let error as RedisError {
                #expect(error.code == .serverError)
                #expect(error.message.contains("unknown command"))
            }
            // The connection is still usable afterwards.
            #expect(try await redis.send("PING") == .simpleString("PONG"))
        }
    }

    @Test func arraysAndNestedRepliesDecode() async throws {
        try await withClient { redis in
            let key = uniqueKey()
            try await redis.send("RPUSH", key, "a", RedisArgument(bytes: [0xFF, 0x00]), "c")
            #expect(try await redis.send("LRANGE", key, 0, -1) == .array([.bulkString(Array("a".utf8)), .bulkString([0xFF, 0x00]), .bulkString(Array("c".utf8))]))
            try await redis.send("DEL", key)
        }
    }

    @Test func reconnectsAfterTheServerRestarts() async throws {
        let server = try RedisServerProcess()
        try await withClient(server.url, maxConnections: 1) { redis in
            try await redis.send("SET", "survives", "yes")
            try await server.stop()
            // While the server is down, commands fail with a clear error, never hang.
            await #expect(throws: RedisError.self) { try await redis.send("PING") }
            try server.start()
            #expect(try await redis.send("GET", "survives").string == "yes")
            // And once more with a connection that was idle across the restart.
            try await server.stop()
            try server.start()
            #expect(try await redis.send("PING") == .simpleString("PONG"))
        }
    }

    @Test func anUnreachableServerFailsFast() async throws {
        let url = RedisURL(host: "127.0.0.1", port: try FreePort.find())
        try await withClient(url) { redis in
            do {
                try await redis.send("PING")
                Issue.record("PING to a closed port succeeded")
            } catch let error as RedisError {
                #expect(error.code == .connectionFailed)
            }
        }
    }

    @Test func aReplyThatDoesNotComeInTimeTimesOut() async throws {
        try await withClient { redis in
            let started = ContinuousClock.now
            do {
                try await redis.send(["BLPOP", uniqueKey(), "20"], timeout: .milliseconds(300))
                Issue.record("BLPOP returned before its block time")
            } catch let error as RedisError {
                #expect(error.code == .timeout)
            }
            // Well before BLPOP's 20 s, with room for a loaded machine.
            #expect(ContinuousClock.now - started < .seconds(10))
            #expect(try await redis.send("PING") == .simpleString("PONG"))
        }
    }

    @Test func passwordsAndDatabasesFromTheURL() async throws {
        let server = try RedisServerProcess(extraArguments: ["--requirepass", "s3cret"])
        var url = server.url
        url.password = "s3cret"
        url.database = 2
        try await withClient(url) { redis in
            try await redis.send("SET", "k", "in db 2")
            #expect(try await redis.send("GET", "k").string == "in db 2")
        }
        url.password = "not-the-password-x9"
        try await withClient(url) { redis in
            do {
                try await redis.send("PING")
                Issue.record("a wrong password was accepted")
            } catch let error as RedisError {
                #expect(error.code == .authenticationFailed)
                #expect(!error.description.contains("not-the-password-x9"))
            }
        }
    }

    @Test func callersBeyondThePoolWaitTheirTurn() async throws {
        // Waiting, not the checkout timeout, is under test: a busy machine must not make it time out.
        try await withClient(maxConnections: 2, checkoutTimeout: .seconds(60)) { redis in
            let key = uniqueKey()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<50 {
                    group.addTask { try await redis.send("INCR", key) }
                }
                try await group.waitForAll()
            }
            #expect(try await redis.send("GET", key).int == 50)
            try await redis.send("DEL", key)
        }
    }

    /// A caller finds the only connection blocked: it fails after the checkout timeout, with
    /// the error a client sees as 503 `busy`, instead of waiting behind the blocked command.
    @Test func aWaiterGivesUpAfterTheCheckoutTimeout() async throws {
        let redis = RedisClient(configuration: .init(url: try TestServers.redisURL, maxConnections: 1, checkoutTimeout: .milliseconds(300)))
        let blocked = Task { try await redis.send(["BLPOP", uniqueKey(), "8"], timeout: .seconds(12)) }
        try await Task.sleep(for: .milliseconds(200))
        let started = ContinuousClock.now
        await #expect(throws: RedisPoolTimeout.self) { try await redis.send("PING") }
        // Well before the blocked command's 8 s, with room for a machine busy with the rest of the suite.
        #expect(ContinuousClock.now - started < .seconds(6))
        let error = RedisPoolTimeout(limit: .milliseconds(300), connections: 1)
        #expect(error.clientStatus == 503 && error.clientCode == "busy" && error.retryAfter == 1)

        // A waiter cancelled meanwhile leaves nothing behind: the connection comes back to the pool.
        let cancelled = Task { try await redis.send("PING") }
        try await Task.sleep(for: .milliseconds(50))
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        _ = try await blocked.value
        #expect(try await redis.send("PING") == .simpleString("PONG"))
        await redis.shutdown()
    }

    @Test func shutdownFailsLaterCalls() async throws {
        let redis = RedisClient(configuration: .init(url: try TestServers.redisURL))
        try await redis.send("PING")
        await redis.shutdown()
        do {
            try await redis.send("PING")
            Issue.record("a call after shutdown succeeded")
        } catch let error as RedisError {
            #expect(error.code == .clientClosed)
        }
    }
}
