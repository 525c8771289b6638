import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Listens for PostgreSQL's row-change notifications (migration 007) and drops the changed rows
/// from the ``RowCache``s. The caches keep nothing while it is not listening: at start, and from
/// a lost connection until it listens again.
package struct RowChangeListener: Service {
    static let channel = "askdb_row_changes"

    private let postgres: PostgresClient
    private let caches: [String: [any RowCacheInvalidating]]
    private let logger: Logger

    /// - Parameter caches: each told of its own table's changes.
    package init(postgres: PostgresClient, caches: [any RowCacheInvalidating], logger: Logger) {
        self.postgres = postgres
        self.caches = Dictionary(grouping: caches, by: \.table)
        self.logger = logger
    }

    /// Listens until graceful shutdown, connecting again a second after any failure.
    package func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown {
                    try await postgres.withConnection { connection in
                        // Without the triggers nobody would say when a row changed: keep no copies.
                        guard try await triggersInstalled(on: connection) else {
                            logger.warning("the row-change triggers are missing (migration 007 not applied): in-process row copies stay off")
                            try await Task.sleep(for: .seconds(60))
                            return
                        }
                        try await connection.listen(on: Self.channel) { notifications in
                            caches.values.joined().forEach { $0.setListening(true) }
                            for try await notification in notifications { apply(notification.payload) }
                        }
                    }
                }
            } catch {
                if !Task.isShuttingDownGracefully && !Task.isCancelled {
                    logger.warning("not hearing row changes; in-process row copies are off until it listens again", metadata: ["error": "\(error)"])
                }
            }
            caches.values.joined().forEach { $0.setListening(false) }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    private func triggersInstalled(on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            "SELECT count(*)::int8 FROM pg_trigger WHERE tgname IN ('users_row_change', 'connections_row_change') AND NOT tgisinternal",
            logger: logger
        )
        for try await count in rows.decode(Int.self) { return count == 2 }
        return false
    }

    private func apply(_ payload: String) {
        let parts = payload.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let id = UUID(uuidString: String(parts[1])) else { return }
        caches[String(parts[0])]?.forEach { $0.invalidate(id) }
    }
}

/// What ``RowChangeListener`` needs of a cache.
package protocol RowCacheInvalidating: Sendable {
    /// The table whose notifications concern the cache.
    var table: String { get }
    /// The row with this id changed.
    func invalidate(_ id: UUID)
    /// Notifications start (true) or stop (false) arriving.
    func setListening(_ listening: Bool)
}

extension RowCache: RowCacheInvalidating {}
