import Logging
import Metrics
import Support
import Synchronization

/// An async Redis client over hiredis: a small pool of connections whose blocking calls run on
/// threads of their own, so a slow server or an `XREADGROUP BLOCK` never stalls Swift's
/// cooperative pool.
///
/// A connection is lent to one call at a time; the pool has one thread per connection, so even
/// when every connection is blocked in a command, no other work waits for a thread. A caller
/// that finds every connection lent waits its turn, but at most ``Configuration/checkoutTimeout``:
/// then it fails with ``RedisPoolTimeout`` (a 503 to a client) rather than hang behind the others.
package final class RedisClient: ResourceService {
    /// How the client connects.
    package struct Configuration: Sendable {
        package var url: RedisURL
        package var connectTimeout: Duration
        /// How long a command may wait for its reply before the connection is dropped.
        package var commandTimeout: Duration
        /// Connections (and threads) at most; callers beyond it wait for one to be returned.
        package var maxConnections: Int
        /// How long a caller waits for a connection when every one is lent.
        package var checkoutTimeout: Duration

        /// Creates a configuration for `url`.
        package init(
            url: RedisURL,
            connectTimeout: Duration = .seconds(5),
            commandTimeout: Duration = .seconds(10),
            maxConnections: Int = 8,
            checkoutTimeout: Duration = .seconds(5)
        ) {
            self.url = url
            self.connectTimeout = connectTimeout
            self.commandTimeout = commandTimeout
            self.maxConnections = max(1, maxConnections)
            self.checkoutTimeout = checkoutTimeout
        }
    }

    /// How a wait for a connection ended.
    private enum WaitOutcome {
        case connection(HiredisConnection)
        case timedOut
        case closed
        case cancelled
    }

    /// A caller waiting for a connection: decided before it has parked (a connection handed over,
    /// the timer, cancellation or shutdown got there first), parked, or neither yet.
    private enum Waiter {
        case arriving
        case parked(CheckedContinuation<WaitOutcome, Never>)
        case decided(WaitOutcome)
    }

    private struct Pool {
        var idle: [HiredisConnection] = []
        var open = 0
        /// Waiters in arrival order, by ticket.
        var waiters: [(ticket: Int, waiter: Waiter)] = []
        var nextTicket = 0
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
        let (idle, tickets) = pool.withLock { pool in
            pool.closed = true
            defer { pool.idle = [] }
            return (pool.idle, pool.waiters.map(\.ticket))
        }
        tickets.forEach { decide($0, .closed) }
        idle.forEach { $0.close() }
        await threads.shutdown()
    }

    /// A client of its own to the same server, with `maxConnections` connections: for a reader
    /// that blocks for long (a stream's `XREAD BLOCK`), so it never holds one of this pool's.
    package func companion(maxConnections: Int) -> RedisClient {
        var configuration = configuration
        configuration.maxConnections = max(1, maxConnections)
        return RedisClient(configuration: configuration)
    }

    // MARK: - Pool

    private enum Checkout {
        case ready(HiredisConnection)
        case create
        case wait(ticket: Int)
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
            pool.nextTicket += 1
            pool.waiters.append((pool.nextTicket, .arriving))
            return .wait(ticket: pool.nextTicket)
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
        case .wait(let ticket):
            // Only callers that found every connection lent wait: the histogram counts them alone.
            let started = ContinuousClock.now
            let outcome = await wait(ticket)
            let waited = ContinuousClock.now - started
            Timer(label: "askdb_redis_pool_wait_seconds").recordNanoseconds(waited.nanoseconds)
            switch outcome {
            case .connection(let connection): return connection
            case .timedOut: throw RedisPoolTimeout(limit: configuration.checkoutTimeout, connections: configuration.maxConnections)
            case .closed: throw RedisError(.clientClosed, "the Redis client was shut down")
            case .cancelled: throw CancellationError()
            }
        }
    }

    /// Parks until a connection is handed over, the checkout timeout passes, the task is
    /// cancelled or the client shuts down, whichever comes first.
    private func wait(_ ticket: Int) async -> WaitOutcome {
        await withTaskGroup(of: Void.self) { timer in
            timer.addTask { [configuration] in
                guard (try? await Task.sleep(for: configuration.checkoutTimeout)) != nil else { return }
                self.decide(ticket, .timedOut)
            }
            let outcome = await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<WaitOutcome, Never>) in
                    let early: WaitOutcome? = pool.withLock { pool in
                        guard let index = pool.waiters.firstIndex(where: { $0.ticket == ticket }) else { return .closed }
                        if case .decided(let outcome) = pool.waiters[index].waiter {
                            pool.waiters.remove(at: index)
                            return outcome
                        }
                        pool.waiters[index].waiter = .parked(continuation)
                        return nil
                    }
                    if let early { continuation.resume(returning: early) }
                }
            } onCancel: {
                self.decide(ticket, .cancelled)
            }
            timer.cancelAll()
            return outcome
        }
    }

    /// Ends a waiter's wait with `outcome`, unless it was already decided (the first outcome
    /// wins: a late timer never drops a connection handed over).
    private func decide(_ ticket: Int, _ outcome: WaitOutcome) {
        let parked = pool.withLock { pool in
            pool.waiters.firstIndex(where: { $0.ticket == ticket }).flatMap { Self.decide(at: $0, outcome, in: &pool) }
        }
        parked?.resume(returning: outcome)
    }

    /// Decides the waiter at `index`, under the pool's lock; returns its continuation to resume
    /// (outside the lock) if it had parked, nil if it decides on arrival or was decided already.
    private static func decide(at index: Int, _ outcome: WaitOutcome, in pool: inout Pool) -> CheckedContinuation<WaitOutcome, Never>? {
        switch pool.waiters[index].waiter {
        case .arriving:
            pool.waiters[index].waiter = .decided(outcome)
            return nil
        case .parked(let continuation):
            pool.waiters.remove(at: index)
            return continuation
        case .decided:
            return nil
        }
    }

    /// Hands the connection to the longest waiting caller not yet decided, else back to the idle list.
    private func checkIn(_ connection: HiredisConnection) {
        enum Handover { case close, idle, handed(CheckedContinuation<WaitOutcome, Never>?) }
        let handover: Handover = pool.withLock { pool in
            if pool.closed {
                pool.open -= 1
                return .close
            }
            guard let index = pool.waiters.firstIndex(where: { if case .decided = $0.waiter { false } else { true } }) else {
                pool.idle.append(connection)
                return .idle
            }
            return .handed(Self.decide(at: index, .connection(connection), in: &pool))
        }
        switch handover {
        case .close: connection.close()
        case .handed(let parked): parked?.resume(returning: .connection(connection))
        case .idle: break
        }
    }
}

/// No Redis connection was free within the checkout timeout: every one was lent to a call
/// that had not finished. The server is overloaded (or Redis slow), so the client is told to
/// come back shortly rather than left waiting.
package struct RedisPoolTimeout: ClientFacingError, CustomStringConvertible {
    package var limit: Duration
    package var connections: Int

    package var clientStatus: Int { 503 }
    package var clientCode: String { "busy" }
    package var clientMessage: String { "the server is busy: try again in a moment" }
    package var retryAfter: Int? { 1 }
    package var description: String { "no Redis connection of \(connections) was free within \(limit)" }
}
