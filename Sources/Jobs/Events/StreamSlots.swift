import Foundation
import Support
import Synchronization

/// How many job event streams this process keeps open: per user, and in all.
///
/// Each open stream costs a response task and a mailbox, never a Redis connection (one reader
/// serves them all), so the caps are about one client holding the process's attention, not
/// the Redis pool.
package struct StreamLimits: Sendable, Equatable {
    /// `ASKDB_MAX_EVENT_STREAMS_PER_USER`.
    package var perUser: Int
    /// `ASKDB_MAX_EVENT_STREAMS`.
    package var total: Int

    package init(perUser: Int = 5, total: Int = 200) {
        self.perUser = perUser
        self.total = total
    }
}

/// The open streams, counted against ``StreamLimits``.
///
/// A slot is taken when the request is accepted (so the refusal can still be a 429), and the
/// stream it belongs to starts a moment later, when the server writes the body. A slot whose
/// stream never starts (the client left before the answer's head was written) would be held
/// for ever, so it counts only for `startWithin` unless its stream has started.
final class StreamSlots: Sendable {
    /// One taken slot.
    struct Ticket: Sendable, Hashable {
        let id: Int
        let ownerID: UUID
    }

    private struct Slot {
        var ownerID: UUID
        var takenAt: ContinuousClock.Instant
        var started: Bool
    }

    private let limits: StreamLimits
    private let startWithin: Duration
    private let slots = Mutex<(taken: [Int: Slot], next: Int)>(([:], 0))

    init(limits: StreamLimits, startWithin: Duration = .seconds(10)) {
        self.limits = limits
        self.startWithin = startWithin
    }

    /// Takes a slot for `ownerID`, or throws 429 `too_many_streams` when the owner or the
    /// process is at its cap.
    func take(for ownerID: UUID) throws -> Ticket {
        let now = ContinuousClock.now
        return try slots.withLock { state throws(AskDBError) -> Ticket in
            state.taken = state.taken.filter { $0.value.started || now - $0.value.takenAt < startWithin }
            if state.taken.count >= limits.total {
                throw Self.refusal("the server has as many job event streams open as it serves (\(limits.total)): try again shortly")
            }
            if state.taken.values.count(where: { $0.ownerID == ownerID }) >= limits.perUser {
                throw Self.refusal("you have \(limits.perUser) job event streams open, the most allowed: close one first")
            }
            state.next += 1
            state.taken[state.next] = Slot(ownerID: ownerID, takenAt: now, started: false)
            return Ticket(id: state.next, ownerID: ownerID)
        }
    }

    /// The ticket's stream has started: its slot counts until ``release(_:)``. A ticket whose
    /// slot lapsed meanwhile takes it back, over the cap for once rather than refusing a
    /// stream already accepted.
    func start(_ ticket: Ticket) {
        slots.withLock { state in
            state.taken[ticket.id] = Slot(ownerID: ticket.ownerID, takenAt: .now, started: true)
        }
    }

    func release(_ ticket: Ticket) {
        _ = slots.withLock { $0.taken.removeValue(forKey: ticket.id) }
    }

    private static func refusal(_ message: String) -> AskDBError {
        AskDBError(.rateLimited, code: "too_many_streams", message: message, retryAfter: 5)
    }
}
