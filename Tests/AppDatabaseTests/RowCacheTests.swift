@testable import AppDatabase
import Foundation
@testable import Support
import Synchronization
import Testing

struct RowCacheTests {
    final class Loads: Sendable {
        let count = Atomic(0)
        func load(_ value: Int) -> Int? {
            count.add(1, ordering: .relaxed)
            return value
        }
        var total: Int { count.load(ordering: .relaxed) }
    }

    @Test func nothingIsKeptUntilTheListenerListens() async throws {
        let cache = RowCache<Int>(table: "users"), loads = Loads(), id = UUID()
        _ = try await cache.value(for: id) { loads.load(1) }
        _ = try await cache.value(for: id) { loads.load(1) }
        #expect(loads.total == 2)
        cache.setListening(true)
        _ = try await cache.value(for: id) { loads.load(1) }
        #expect(try await cache.value(for: id) { loads.load(2) } == 1)
        #expect(loads.total == 3)
        // Losing the listener drops every copy.
        cache.setListening(false)
        #expect(try await cache.value(for: id) { loads.load(3) } == 3)
    }

    @Test func aChangeDropsTheCopyAndAReadThatRacedOneIsNotKept() async throws {
        let cache = RowCache<Int>(table: "users"), loads = Loads(), id = UUID()
        cache.setListening(true)
        _ = try await cache.value(for: id) { loads.load(1) }
        cache.invalidate(id)
        #expect(try await cache.value(for: id) { loads.load(2) } == 2)
        // The row changes while it is being read: what was read may be the old row.
        cache.invalidate(id)
        _ = try await cache.value(for: id) {
            cache.invalidate(id)
            return loads.load(3)
        }
        #expect(try await cache.value(for: id) { loads.load(4) } == 4)
    }

    @Test func copiesExpire() async throws {
        let cache = RowCache<Int>(table: "users", lifetime: .milliseconds(20)), id = UUID()
        cache.setListening(true)
        _ = try await cache.value(for: id) { 1 }
        try await Task.sleep(for: .milliseconds(40))
        #expect(try await cache.value(for: id) { 2 } == 2)
    }
}
