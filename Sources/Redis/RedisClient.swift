import Logging
import Support
import Synchronization

/// An async Redis client over hiredis: a small pool of connections whose blocking calls run on
/// threads of their own, so a slow server or an `XREADGROUP BLOCK` never stalls Swift's
/// cooperative pool.
///
/// A connection is lent to one call at a time; the pool has one thread per connection, so even
/// when every connection is blocked in a command, no other work waits for a thread.
package final class RedisClient: ResourceService {
    /// How the client connects.
    package struct Configuration: Sendable {
        package var url: RedisURL
        package var connectTimeout: Duration
        /// How long a command may wait for its reply before the connection is dropped.
        package var commandTimeout: Duration
        /// Connections (and threads) at most; callers beyond it wait for one to be returned.
        package var maxConnections: Int

        /// Creates a configuration for `url`.
        package init(
            url: RedisURL,
            connectTimeout: Duration = .seconds(5),
            commandTimeout: Duration = .seconds(10),
            maxConnections: Int = 8
        ) {
            self.url = url
            self.connectTimeout = connectTimeout
            self.commandTimeout = commandTimeout
            self.maxConnections = max(1, maxConnections)
        }
    }

    private struct Pool {
        var idle: [HiredisConnection] = []
        var open = 0
        var waiters: [CheckedContinuation<HiredisConnection?, Never>] = []
        var closed = false
    }

    private let configuration: Configuration
    private let threads: DedicatedThreads
    private let pool = Mutex(Pool())

    /// Creates a client; connections are made on first use.
    package init(configuration: Configuration) {
        self.configuration = configuration
        self.threads = DedicatedThreads(count: configuration.maxConnections)
    }

    /// Runs one command and returns its reply; an error reply is thrown as ``RedisError/Code/serverError``.
    ///
    /// - Parameter timeout: overrides the command timeout, for blocking commands.
    @discardableResult
    package func send(_ arguments: [RedisArgument], timeout: Duration? = nil) async throws -> RedisReply {
        let reply = try await pipeline([arguments], timeout: timeout)[0]
        if case .error(let message) = reply {
            throw RedisError(.serverError, message)
        }
        return reply
    }

    /// Runs one command given as separate arguments.
    @discardableResult
    package func send(_ arguments: RedisArgument...) async throws -> RedisReply {
        try await send(arguments)
    }

    /// Sends `commands` in one round trip and returns their replies in order; error replies are
    /// returned as ``RedisReply/error(_:)`` so one failing command does not hide the others.
    package func pipeline(_ commands: [[RedisArgument]], timeout: Duration? = nil) async throws -> [RedisReply] {
        guard !commands.isEmpty else { return [] }
        let connection = try await checkOut()
        defer { checkIn(connection) }
        return try await threads.run {
            try connection.execute(commands, timeout: timeout)
        }
    }

    /// Closes every connection and stops the threads; waiting callers fail with ``RedisError/Code/clientClosed``.
    package func shutdown() async {
        let (idle, waiters) = pool.withLock { pool in
            pool.closed = true
            defer { pool.idle = []; pool.waiters = [] }
            return (pool.idle, pool.waiters)
        }
        waiters.forEach { $0.resume(returning: nil) }
        idle.forEach { $0.close() }
        await threads.shutdown()
    }

    // MARK: - Pool

    private enum Checkout {
        case ready(HiredisConnection)
        case create
        case wait
        case closed
    }

    private func checkOut() async throws -> HiredisConnection {
        let decision: Checkout = pool.withLock { pool in
            if pool.closed { return .closed }
            if let connection = pool.idle.popLast() { return .ready(connection) }
            if pool.open < configuration.maxConnections {
                pool.open += 1
                return .create
            }
            return .wait
        }
        switch decision {
        case .ready(let connection):
            return connection
        case .create:
            return HiredisConnection(
                url: configuration.url,
                connectTimeout: configuration.connectTimeout,
                commandTimeout: configuration.commandTimeout
            )
        case .closed:
            throw RedisError(.clientClosed, "the Redis client was shut down")
        case .wait:
            let connection = await withCheckedContinuation { (continuation: CheckedContinuation<HiredisConnection?, Never>) in
                let closed = pool.withLock { pool in
                    if let connection = pool.idle.popLast() {
                        continuation.resume(returning: connection)
                    } else if !pool.closed {
                        pool.waiters.append(continuation)
                    }
                    return pool.closed
                }
                if closed { continuation.resume(returning: nil) }
            }
            guard let connection else {
                throw RedisError(.clientClosed, "the Redis client was shut down")
            }
            return connection
        }
    }

    private func checkIn(_ connection: HiredisConnection) {
        let waiter: CheckedContinuation<HiredisConnection?, Never>?? = pool.withLock { pool in
            if pool.closed {
                pool.open -= 1
                return .none
            }
            if !pool.waiters.isEmpty {
                return .some(pool.waiters.removeFirst())
            }
            pool.idle.append(connection)
            return .some(nil)
        }
        switch waiter {
        case .none: connection.close()
        case .some(let waiter?): waiter.resume(returning: connection)
        case .some(nil): break
        }
    }
}
