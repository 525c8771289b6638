import Synchronization

/// Where the hub leaves one watcher's events: the watcher takes what has come, or waits for
/// the next delivery or tick.
///
/// It holds at most `capacity` events (the oldest go first): a client that reads slower than
/// a job makes progress misses some progress, never the end, which the watcher reads from
/// PostgreSQL.
final class EventMailbox: Sendable {
    private struct State {
        var events: [JobEvent] = []
        var waiter: CheckedContinuation<[JobEvent]?, Never>?
        /// The hub stopped, or the waiting task was cancelled: every later wait ends at once.
        var closed = false
    }

    private let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int = 1000) {
        self.capacity = capacity
    }

    /// Adds events, waking the watcher.
    func deliver(_ events: [JobEvent]) {
        let (waiter, batch) = state.withLock { state -> (CheckedContinuation<[JobEvent]?, Never>?, [JobEvent]) in
            state.events += events
            if state.events.count > capacity { state.events.removeFirst(state.events.count - capacity) }
            guard let waiter = state.waiter else { return (nil, []) }
            state.waiter = nil
            defer { state.events = [] }
            return (waiter, state.events)
        }
        waiter?.resume(returning: batch)
    }

    /// Wakes a waiting watcher with nothing, so it can send a keep-alive or notice a shutdown.
    func tick() {
        let waiter = state.withLock { state in
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: [])
    }

    /// Ends every wait, now and later.
    func close() {
        let waiter = state.withLock { state in
            state.closed = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// The events delivered since the last call, waiting for a delivery or a tick when there
    /// are none; nil once the mailbox is closed or the task is cancelled.
    func next() async -> [JobEvent]? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<[JobEvent]?, Never>) in
                let ready: [JobEvent]?? = state.withLock { state in
                    if !state.events.isEmpty {
                        defer { state.events = [] }
                        return .some(state.events)
                    }
                    if state.closed { return .some(nil) }
                    state.waiter = continuation
                    return .none
                }
                if case .some(let batch) = ready { continuation.resume(returning: batch) }
            }
        } onCancel: {
            close()
        }
    }
}
