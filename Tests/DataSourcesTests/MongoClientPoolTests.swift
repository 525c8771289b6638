@testable import DataSources
import Foundation
import Mongo
import Testing

/// The pool's bookkeeping, without a server: making a libmongoc client does not connect.
@Suite struct MongoClientPoolTests {
    static func key(_ connection: UUID?, _ port: Int = 1) -> MongoClientPool.Key {
        MongoClientPool.Key(connectionID: connection, uri: "mongodb://127.0.0.1:\(port)/shop")
    }

    static func identity(_ pool: MongoClientPool, _ key: MongoClientPool.Key) async throws -> ObjectIdentifier {
        try await pool.withClient(key, timeout: .seconds(1)) { ObjectIdentifier($0) }
    }

    @Test func aConnectionsClientIsReusedAndANewURLGetsItsOwn() async throws {
        let pool = MongoClientPool()
        let id = UUID()
        let first = try await Self.identity(pool, Self.key(id))
        #expect(try await Self.identity(pool, Self.key(id)) == first)
        #expect(try await Self.identity(pool, Self.key(id, 2)) != first)
        #expect(pool.openClients == 2)
        await pool.close()
        #expect(pool.openClients == 0)
        await #expect(throws: CancellationError.self) { try await Self.identity(pool, Self.key(id)) }
    }

    @Test func atCapacityTheLeastRecentlyUsedGoes() async throws {
        let pool = MongoClientPool(capacity: 2)
        let (a, b, c) = (UUID(), UUID(), UUID())
        let first = try await Self.identity(pool, Self.key(a))
        _ = try await Self.identity(pool, Self.key(b))
        _ = try await Self.identity(pool, Self.key(a))
        _ = try await Self.identity(pool, Self.key(c))
        // b went; a stayed.
        #expect(pool.takeRetired(now: .now).count == 1)
        #expect(try await Self.identity(pool, Self.key(a)) == first)
        await pool.close()
    }

    @Test func aChangedRowDropsItsClientsButNotOneInUse() async throws {
        let pool = MongoClientPool()
        let id = UUID()
        let before = try await Self.identity(pool, Self.key(id))
        try await pool.withClient(Self.key(id), timeout: .seconds(1)) { _ in
            pool.invalidate(id)
            // Still in use: not closed yet.
            #expect(pool.takeRetired(now: .now).isEmpty)
        }
        let dropped = pool.takeRetired(now: .now)
        #expect(dropped.count == 1)
        #expect(try await Self.identity(pool, Self.key(id)) != before)
        // Held until here, so the new client cannot have taken the old one's address.
        withExtendedLifetime(dropped) {}
        await pool.close()
    }

    @Test func idleClientsAreClosed() async throws {
        let pool = MongoClientPool(idleTimeout: .seconds(60))
        _ = try await Self.identity(pool, Self.key(UUID()))
        #expect(pool.takeRetired(now: .now).isEmpty)
        #expect(pool.takeRetired(now: .now + .seconds(61)).count == 1)
        #expect(pool.openClients == 0)
        await pool.close()
    }
}
