import Foundation
import Synchronization

/// An in-process copy of rows that nearly every request reads (a user's token version, a
/// connection's index version), kept only while ``RowChangeListener`` hears PostgreSQL's change
/// notifications: a change made by any process drops the copy, and while the listener is not
/// connected nothing is kept at all.
package final class RowCache<Value: Sendable>: Sendable {
    private struct State {
        var entries: [UUID: (value: Value, until: ContinuousClock.Instant)] = [:]
        /// Bumped by every invalidation, so a read that raced one is not kept.
        var generation = 0
        var listening = false
    }

    /// The table whose notifications concern this cache.
    package let table: String
    private let lifetime: Duration
    private let capacity: Int
    private let state = Mutex(State())

    /// - Parameter lifetime: a bound on staleness should a notification ever be missed.
    package init(table: String, lifetime: Duration = .seconds(30), capacity: Int = 10_000) {
        self.table = table
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The row for `id`: the copy when there is a fresh one, else `load`'s answer (kept when
    /// nothing changed while it ran).
    package func value(for id: UUID, load: () async throws -> Value?) async throws -> Value? {
        let now = ContinuousClock.now
        let (hit, generation): (Value?, Int?) = state.withLock { state in
            guard state.listening else { return (nil, nil) }
            if let entry = state.entries[id], entry.until > now { return (entry.value, nil) }
            return (nil, state.generation)
        }
        if let hit { return hit }
        let value = try await load()
        if let value, let generation {
            state.withLock { state in
                guard state.listening, state.generation == generation else { return }
                if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
                state.entries[id] = (value, ContinuousClock.now + lifetime)
            }
        }
        return value
    }

    /// Drops the copy of `id`'s row.
    package func invalidate(_ id: UUID) {
        state.withLock { state in
            state.entries[id] = nil
            state.generation += 1
        }
    }

    /// Starts or stops keeping copies; either way what was kept is dropped.
    package func setListening(_ listening: Bool) {
        state.withLock { state in
            state.entries.removeAll()
            state.generation += 1
            state.listening = listening
        }
    }
}
