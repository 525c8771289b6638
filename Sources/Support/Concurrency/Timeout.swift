import Synchronization

/// The operation did not finish within its time limit.
package struct TimeoutError: Error, Sendable, CustomStringConvertible {
    package var limit: Duration
    package var description: String { "timed out after \(limit)" }
}

/// Runs `operation`, throwing ``TimeoutError`` as soon as `limit` passes.
///
/// Unlike a task group, this returns at the limit even when the operation ignores cancellation
/// (a blocking C call on its own thread): the operation is cancelled and left to finish in the
/// background, and its result is dropped.
package func withTimeout<T: Sendable>(
    _ limit: Duration,
    _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    let race = TimeoutRace<T>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            race.start(continuation: continuation, limit: limit, operation: operation)
        }
    } onCancel: {
        race.cancel()
    }
}

/// Whichever of the operation and the timer finishes first resumes the continuation.
private final class TimeoutRace<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var work: Task<Void, Never>?
        var timer: Task<Void, Never>?
        var cancelled = false
    }

    private let state = Mutex(State())

    func start(
        continuation: CheckedContinuation<T, any Error>,
        limit: Duration,
        operation: @escaping @Sendable () async throws -> T
    ) {
        let alreadyCancelled = state.withLock { state in
            state.continuation = continuation
            return state.cancelled
        }
        if alreadyCancelled {
            finish(with: .failure(CancellationError()))
            return
        }
        let work = Task {
            let result: Result<T, any Error>
            do { result = .success(try await operation()) } catch { result = .failure(error) }
            self.finish(with: result)
        }
        let timer = Task {
            guard (try? await Task.sleep(for: limit)) != nil else { return }
            self.finish(with: .failure(TimeoutError(limit: limit)))
        }
        state.withLock { state in
            state.work = work
            state.timer = timer
        }
    }

    func cancel() {
        state.withLock { $0.cancelled = true }
        finish(with: .failure(CancellationError()))
    }

    private func finish(with result: Result<T, any Error>) {
        let (continuation, work, timer) = state.withLock { state in
            defer { state.continuation = nil }
            return (state.continuation, state.work, state.timer)
        }
        guard let continuation else { return }
        timer?.cancel()
        work?.cancel()
        continuation.resume(with: result)
    }
}
