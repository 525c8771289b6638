import Foundation
import Logging
import Redis
import ServiceLifecycle
import Support
import Synchronization

/// The one reader of the queue's event stream in an API process, fanning each job's events out
/// to the clients watching it.
///
/// A watcher used to block in `XREAD` on a pooled Redis connection of its own for seconds at a
/// time, so a few dozen streams held every connection and the rest of the API waited. Now one
/// blocking read, on a Redis client of its own (``RedisClient/companion(maxConnections:)``),
/// serves every stream, and the streams open at once are capped per user and in all
/// (``StreamLimits``). Watchers are woken every time a read returns (within two seconds, with
/// or without events; at most once a second without), to send keep-alives and notice a shutdown.
package final class JobEventHub: Service, Sendable {
    private let redis: RedisClient
    private let queue: RedisJobQueue
    private let slots: StreamSlots
    private let logger: Logger
    /// Mailboxes by job id (lower-case), then by subscription.
    private let mailboxes = Mutex<(byJob: [String: [Int: EventMailbox]], next: Int, stopped: Bool)>(([:], 0, false))
    private static let block = Duration.seconds(2)
    private static let tickEvery = Duration.seconds(1)

    /// - Parameter redis: the hub's own client, which it shuts down when it stops.
    package init(redis: RedisClient, keys: RedisKeyspace, limits: StreamLimits, logger: Logger) {
        self.redis = redis
        self.queue = RedisJobQueue(redis: redis, keys: keys)
        self.slots = StreamSlots(limits: limits)
        self.logger = logger
    }

    /// Reads the event stream from its start (so no event after any subscription is missed,
    /// whenever it came), until graceful shutdown; then ends every watch.
    package func run() async throws {
        var cursor = RedisStreamID.zero
        var lastTick = ContinuousClock.now
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                let (events, next) = try await queue.events(after: cursor, block: Self.block)
                cursor = next
                deliver(events)
            } catch {
                logger.warning("reading job events failed", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
            if ContinuousClock.now - lastTick >= Self.tickEvery {
                lastTick = .now
                everyMailbox().forEach { $0.tick() }
            }
        }
        let open = mailboxes.withLock { state in
            state.stopped = true
            return state.byJob.values.flatMap(\.values)
        }
        open.forEach { $0.close() }
        await redis.shutdown()
    }

    /// Takes one of the owner's stream slots, or throws 429 `too_many_streams`.
    func takeSlot(for ownerID: UUID) throws -> StreamSlots.Ticket {
        try slots.take(for: ownerID)
    }

    /// Runs `body` with a mailbox receiving job `id`'s events from now on, the stream counted
    /// under `ticket` until it returns.
    func withMailbox<T>(for id: UUID, ticket: StreamSlots.Ticket, _ body: (EventMailbox) async throws -> T) async throws -> T {
        slots.start(ticket)
        defer { slots.release(ticket) }
        let job = id.lowercasedString
        let mailbox = EventMailbox()
        let subscription: Int? = mailboxes.withLock { state in
            guard !state.stopped else { return nil }
            state.next += 1
            state.byJob[job, default: [:]][state.next] = mailbox
            return state.next
        }
        guard let subscription else {
            mailbox.close()
            return try await body(mailbox)
        }
        defer {
            mailboxes.withLock { state in
                state.byJob[job]?[subscription] = nil
                if state.byJob[job]?.isEmpty == true { state.byJob[job] = nil }
            }
        }
        return try await body(mailbox)
    }

    private func deliver(_ events: [JobEvent]) {
        guard !events.isEmpty else { return }
        let byJob = Dictionary(grouping: events, by: \.job)
        let deliveries = mailboxes.withLock { state in
            byJob.compactMap { job, events in state.byJob[job].map { (Array($0.values), events) } }
        }
        for (boxes, events) in deliveries {
            boxes.forEach { $0.deliver(events) }
        }
    }

    private func everyMailbox() -> [EventMailbox] {
        mailboxes.withLock { $0.byJob.values.flatMap(\.values) }
    }
}
