import NIOPosix
import Synchronization

/// Threads of one resource's own for its blocking calls (a C library, CPU-bound work), so they
/// never hold a thread of Swift's cooperative pool.
///
/// The threads start on first use, not in an initialiser, and stop in ``shutdown()`` (the
/// owning resource's ``ResourceService`` does that when its process shuts down); a call after
/// that throws `CancellationError`.
package final class DedicatedThreads: Sendable {
    private enum State {
        case idle
        case running(NIOThreadPool)
        case stopped
    }

    private let count: Int
    private let state = Mutex(State.idle)

    package init(count: Int) {
        self.count = max(1, count)
    }

    /// Runs `body` on one of the threads and returns what it returns.
    package func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        let pool = try state.withLock { state throws(CancellationError) -> NIOThreadPool in
            switch state {
            case .idle:
                let pool = NIOThreadPool(numberOfThreads: count)
                pool.start()
                state = .running(pool)
                return pool
            case .running(let pool):
                return pool
            case .stopped:
                throw CancellationError()
            }
        }
        do {
            return try await pool.runIfActive(body)
        } catch is NIOThreadPoolError.ThreadPoolInactive {
            // Raced shutdown().
            throw CancellationError()
        }
    }

    /// Lets running calls finish, then stops the threads; later calls fail.
    package func shutdown() async {
        let pool = state.withLock { state -> NIOThreadPool? in
            defer { state = .stopped }
            if case .running(let pool) = state { return pool }
            return nil
        }
        try? await pool?.shutdownGracefully()
    }
}
