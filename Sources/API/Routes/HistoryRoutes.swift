import Foundation
import Hummingbird
import Query
import Support

/// A user's question history: list (paged, newest first), read, delete one or all; and, for
/// admins, the audit log of every query run against users' databases.
struct HistoryRoutes: Sendable {
    let history: HistoryService

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("history") { request, context in
            let owner = try context.requireIdentity().user.id
            let limit = try Pagination.limit(request)
            let items = try await history.list(
                ownerID: owner, connectionID: try request.uuidParameter("connection_id"),
                before: try request.uuidParameter("cursor"), limit: limit
            )
            return ListBody(items: items, nextCursor: items.count == limit ? items.last?.id.lowercasedString : nil)
        }
        group.get("history/:id") { _, context in
            try await history.entry(id: try context.uuid("id", what: "history entry"), ownerID: try context.requireIdentity().user.id)
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
            let items = try await history.auditLog(connectionID: try request.uuidParameter("connection_id"),
                                             userID: try request.uuidParameter("user_id"), before: before, limit: limit)
            return ListBody(items: items, nextCursor: items.count == limit ? items.last.map { String($0.id) } : nil)
        }
        group.delete("history") { request, context in
            let owner = try context.requireIdentity().user.id
            _ = try await history.deleteAll(ownerID: owner, connectionID: try request.uuidParameter("connection_id"))
            return Response(status: .noContent)
        }
    }
}

extension HistoryEntry: ResponseEncodable {}
