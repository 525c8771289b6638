import Accounts
import Foundation
import Hummingbird
import Support

/// Admin-only routes: invites for invite-only registration.
struct AdminRoutes: Sendable {
    let accounts: AccountService

    struct NewInvite: Decodable {
        var email: String?
        var expiresInDays: Int?

        enum CodingKeys: String, CodingKey {
            case email
            case expiresInDays = "expires_in_days"
        }
    }

    struct CreatedInvite: ResponseEncodable {
        var invite: Invite
        /// The code to hand to the invitee, shown this once.
        var code: String
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("admin/invites") { request, context in
            let admin = try context.requireAdmin()
            let body = try await request.decode(as: NewInvite.self, context: context)
            let days = body.expiresInDays ?? 7
            guard (1...90).contains(days) else {
                throw AskDBError.invalid("invalid_invite", "expires_in_days must be from 1 to 90")
            }
            let email = try body.email.map { try EmailAddress($0) }
            let created = try await accounts.createInvite(by: admin.user.id, email: email, lifetime: .seconds(days * 86_400))
            return EditedResponse(status: .created, response: CreatedInvite(invite: created.invite, code: created.code))
        }
    }
}
