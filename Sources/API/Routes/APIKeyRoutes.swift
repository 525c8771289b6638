import Accounts
import Foundation
import Hummingbird

/// A user's API keys for scripts: create (shown once), list, revoke.
struct APIKeyRoutes: Sendable {
    let keys: APIKeyStore

    struct NewKey: Decodable {
        var name: String
    }

    struct CreatedKey: ResponseEncodable {
        var key: APIKey
        /// The key itself, shown this once.
        var secret: String
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("keys") { request, context in
            let body = try await request.decode(as: NewKey.self, context: context)
            let created = try await keys.create(userID: try context.requireIdentity().user.id, name: body.name)
            return EditedResponse(status: .created, response: CreatedKey(key: created.key, secret: created.secret))
        }
        group.get("keys") { _, context in
            ListBody(items: try await keys.list(userID: try context.requireIdentity().user.id))
        }
        group.delete("keys/:id") { _, context in
            try await keys.revoke(id: try context.uuid("id", what: "API key"), userID: try context.requireIdentity().user.id)
            return Response(status: .noContent)
        }
    }
}

/// A list answer; `next_cursor` is null when there is no further page.
struct ListBody<Item: Encodable & Sendable>: ResponseEncodable {
    var items: [Item]
    var nextCursor: String? = nil

    enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}

extension APIKey: ResponseEncodable {}
