import Core
import Foundation
import Hummingbird

/// A user's question history: list (paged, newest first), read, delete one or all; and, for
/// admins, the audit log of every query run against users' databases.
struct HistoryRoutes: Sendable {
    let history: HistoryStore
    let audit: AuditLog

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("history") { request, context in
            let owner = try context.requireIdentity().user.id
            let limit = try Pagination.limit(request)
            let items = try await history.list(
                ownerID: owner, connectionID: try Self.uuidParameter("connection_id", in: request),
                before: try Self.uuidParameter("cursor", in: request), limit: limit
            )
            return ListBody(items: items, nextCursor: items.count == limit ? items.last?.id.uuidString.lowercased() : nil)
        }
        group.get("history/:id") { _, context in
            try await history.get(id: try context.uuid("id", what: "history entry"), ownerID: try context.requireIdentity().user.id)
        }
        group.delete("history/:id") { _, context in
            try await history.delete(id: try context.uuid("id", what: "history entry"), ownerID: try context.requireIdentity().user.id)
            return Response(status: .noContent)
        }
        group.get("admin/audit") { request, context in
            _ = try context.requireAdmin()
            let limit = try Pagination.limit(request)
            let before = try request.uri.queryParameters.get("cursor").map { raw in
                guard let id = Int64(raw) else { throw AskDBError.invalid("invalid_parameter", "cursor must be an integer") }
                return id
            }
            let items = try await audit.list(connectionID: try Self.uuidParameter("connection_id", in: request),
                                             userID: try Self.uuidParameter("user_id", in: request), before: before, limit: limit)
            return ListBody(items: items, nextCursor: items.count == limit ? items.last.map { String($0.id) } : nil)
        }
        group.delete("history") { request, context in
            let owner = try context.requireIdentity().user.id
            _ = try await history.deleteAll(ownerID: owner, connectionID: try Self.uuidParameter("connection_id", in: request))
            return Response(status: .noContent)
        }
    }

    private static func uuidParameter(_ name: String, in request: Request) throws -> UUID? {
        guard let raw = request.uri.queryParameters.get(name) else { return nil }
        guard let id = UUID(uuidString: raw) else { throw AskDBError.invalid("invalid_parameter", "\(name) must be a UUID") }
        return id
    }
}

extension HistoryEntry: ResponseEncodable {}
