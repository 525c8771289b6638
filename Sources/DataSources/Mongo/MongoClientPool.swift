import AppDatabase
import Foundation
import Mongo
import ServiceLifecycle
import Support
import Synchronization

/// The process's MongoDB clients, reused across questions and jobs: one per connection and
/// address, at most `capacity` (the least recently used one goes first), an idle one closed
/// after `idleTimeout`, and a connection's dropped as soon as its row changes (a new URL, deleted,
/// re-sealed by `rotate-key`): the row-change listener tells every process.
///
/// A client dropped while a caller uses it is closed when that caller is done.
package final class MongoClientPool: Service, RowCacheInvalidating {
    package struct Key: Hashable, Sendable {
        package var connectionID: UUID?
        package var uri: String
        /// The connection's own CA certificates (PEM), if it has some.
        package var caCertificate: String?
    }

    private struct Entry {
        let client: MongoClient
        var lastUsed: ContinuousClock.Instant
        var users = 0
    }

    private struct State {
        var live: [Key: Entry] = [:]
        /// Dropped while in use, by client identity.
        var draining: [ObjectIdentifier: Entry] = [:]
        /// Dropped and unused: closed at the next sweep.
        var retired: [MongoClient] = []
        var closed = false
    }

    package let table = "connections"
    private let capacity: Int
    private let idleTimeout: Duration
    private let clientsPerConnection: Int
    private let state = Mutex(State())

    package init(capacity: Int = 16, idleTimeout: Duration = .seconds(300), clientsPerConnection: Int = 4) {
        self.capacity = max(1, capacity)
        self.idleTimeout = idleTimeout
        self.clientsPerConnection = clientsPerConnection
    }

    /// Runs `body` with the pool's client for `key`, made if there is none. A URL not saved
    /// yet (being tested) gets a client of its own, closed after: it must not take a saved
    /// connection's place.
    package func withClient<T: Sendable>(_ key: Key, timeout: Duration, _ body: (MongoClient) async throws -> T) async throws -> T {
        guard key.connectionID != nil else {
            let client = try await Self.makeClient(key, timeout: timeout, clients: 1)
            do {
                let value = try await body(client)
                await client.shutdown()
                return value
            } catch {
                await client.shutdown()
                throw error
            }
        }
        let client = try await acquire(key, timeout: timeout)
        do {
            let value = try await body(client)
            release(client, of: key)
            return value
        } catch {
            release(client, of: key)
            throw error
        }
    }

    /// Closes idle and dropped clients every second until the group shuts down, then every client.
    package func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while true {
                try await Task.sleep(for: .seconds(1))
                await self.close(self.takeRetired(now: .now))
            }
        }
        await close()
    }

    /// Closes every client; later requests fail.
    package func close() async {
        let all = state.withLock { state in
            defer { state = State(closed: true) }
            return state.live.values.map(\.client) + state.draining.values.map(\.client) + state.retired
        }
        await close(all)
    }

    /// The connection's row changed: its clients go.
    package func invalidate(_ id: UUID) {
        state.withLock { state in
            for (key, entry) in state.live where key.connectionID == id {
                state.live[key] = nil
                Self.drop(entry, in: &state)
            }
        }
    }

    /// Clients are keyed by address as well: a client never outlives a URL change even when no
    /// notification arrives, so there is nothing to do when they stop.
    package func setListening(_ listening: Bool) {}

    /// How many clients are open (live, draining, or dropped and not yet closed), for tests.
    var openClients: Int {
        state.withLock { $0.live.count + $0.draining.count + $0.retired.count }
    }

    private func acquire(_ key: Key, timeout: Duration) async throws -> MongoClient {
        if let client = try state.withLock({ state in try Self.take(key, in: &state) }) { return client }
        // Made outside the lock: for a mongodb+srv URL the driver looks the records up as it makes one.
        let made = try await Self.makeClient(key, timeout: timeout, clients: clientsPerConnection)
        let (client, spare) = try state.withLock { state throws -> (MongoClient, MongoClient?) in
            // Another caller made one meanwhile: theirs is used, this one closed.
            if let existing = try Self.take(key, in: &state) { return (existing, made) }
            if state.live.count >= capacity, let oldest = state.live.min(by: { $0.value.lastUsed < $1.value.lastUsed }) {
                state.live[oldest.key] = nil
                Self.drop(oldest.value, in: &state)
            }
            state.live[key] = Entry(client: made, lastUsed: .now, users: 1)
            return (made, nil)
        }
        if let spare { await spare.shutdown() }
        return client
    }

    /// The live client for `key`, counted as in use; nil when there is none.
    private static func take(_ key: Key, in state: inout State) throws -> MongoClient? {
        guard !state.closed else { throw CancellationError() }
        guard var entry = state.live[key] else { return nil }
        entry.users += 1
        entry.lastUsed = .now
        state.live[key] = entry
        return entry.client
    }

    /// A new client, made on a thread of its own (the driver may resolve names as it does).
    private static func makeClient(_ key: Key, timeout: Duration, clients: Int) async throws -> MongoClient {
        let maker = DedicatedThreads(count: 1)
        let made: Result<MongoClient, any Error>
        do {
            made = .success(try await maker.run { try MongoClient(uri: key.uri, timeout: timeout, maxClients: clients, caCertificate: key.caCertificate) })
        } catch {
            made = .failure(error)
        }
        await maker.shutdown()
        do {
            return try made.get()
        } catch let error as MongoError {
            throw ConnectionFailure(.invalidURL, "the URL is not a valid MongoDB URL: \(error.message)")
        }
    }

    private func release(_ client: MongoClient, of key: Key) {
        state.withLock { state in
            if var entry = state.live[key], entry.client === client {
                entry.users -= 1
                entry.lastUsed = .now
                state.live[key] = entry
            } else if var entry = state.draining[ObjectIdentifier(client)] {
                entry.users -= 1
                state.draining[ObjectIdentifier(client)] = entry.users > 0 ? entry : nil
                if entry.users == 0 { state.retired.append(client) }
            }
        }
    }

    private static func drop(_ entry: Entry, in state: inout State) {
        if entry.users > 0 {
            state.draining[ObjectIdentifier(entry.client)] = entry
        } else {
            state.retired.append(entry.client)
        }
    }

    /// The dropped clients and those idle past the timeout, out of the pool.
    func takeRetired(now: ContinuousClock.Instant) -> [MongoClient] {
        state.withLock { state in
            for (key, entry) in state.live where entry.users == 0 && now - entry.lastUsed >= idleTimeout {
                state.live[key] = nil
                state.retired.append(entry.client)
            }
            defer { state.retired = [] }
            return state.retired
        }
    }

    private func close(_ clients: [MongoClient]) async {
        for client in clients { await client.shutdown() }
    }
}
