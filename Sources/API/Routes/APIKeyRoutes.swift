import Accounts
import Foundation
import Hummingbird

/// A user's API keys for scripts: create (shown once), list, revoke.
struct APIKeyRoutes: Sendable {
    let accounts: AccountService

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
            let created = try await accounts.createAPIKey(userID: try context.requireIdentity().user.id, name: body.name)
            return EditedResponse(status: .created, response: CreatedKey(key: created.key, secret: created.secret))
        }
        group.get("keys") { _, context in
            ListBody(items: try await accounts.apiKeys(userID: try context.requireIdentity().user.id))
        }
        group.delete("keys/:id") { _, context in
            try await accounts.revokeAPIKey(id: try context.uuid("id", what: "API key"), userID: try context.requireIdentity().user.id)
            return Response(status: .noContent)
        }
    }
}

extension APIKey: ResponseEncodable {}
