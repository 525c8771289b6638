import Accounts
import Foundation
import Hummingbird
import Support

/// Registration, login, logout, the caller's profile, password and settings.
struct AccountRoutes: Sendable {
    let accounts: AccountService

    struct Credentials: Decodable {
        var email: String
        var password: String
        var inviteCode: String?

        enum CodingKeys: String, CodingKey {
            case email, password
            case inviteCode = "invite_code"
        }
    }

    struct UserBody: ResponseEncodable {
        @LowercaseUUID var id: UUID
        var email: String
        var role: Role
        var createdAt: Date

        init(_ user: User) {
            id = user.id
            email = user.email
            role = user.role
            createdAt = user.createdAt
        }

        enum CodingKeys: String, CodingKey {
            case id, email, role
            case createdAt = "created_at"
        }
    }

    struct LoginBody: ResponseEncodable {
        var token: String
        var tokenType = "Bearer"
        var expiresAt: Date
        var user: UserBody

        enum CodingKeys: String, CodingKey {
            case token, user
            case tokenType = "token_type"
            case expiresAt = "expires_at"
        }
    }

    struct AccountDeletion: Decodable {
        var password: String
    }

    struct PasswordChange: Decodable {
        var currentPassword: String
        var newPassword: String

        enum CodingKeys: String, CodingKey {
            case currentPassword = "current_password"
            case newPassword = "new_password"
        }
    }

    func registerPublic(on group: RouterGroup<AppRequestContext>) {
        group.post("auth/register") { request, context in
            let body = try await request.decode(as: Credentials.self, context: context)
            let user = try await accounts.register(email: body.email, password: body.password, inviteCode: body.inviteCode)
            return EditedResponse(status: .created, response: UserBody(user))
        }
        group.post("auth/login") { request, context in
            let body = try await request.decode(as: Credentials.self, context: context)
            let login = try await accounts.login(email: body.email, password: body.password, clientAddress: context.clientAddress)
            return LoginBody(token: login.token, expiresAt: login.expiresAt, user: UserBody(login.user))
        }
    }

    func registerProtected(on group: RouterGroup<AppRequestContext>) {
        group.post("auth/logout") { _, context in
            try await accounts.logout(userID: try context.requireIdentity().user.id)
            return Response(status: .noContent)
        }
        group.get("me") { _, context in
            UserBody(try context.requireIdentity().user)
        }
        group.put("me/password") { request, context in
            let body = try await request.decode(as: PasswordChange.self, context: context)
            try await accounts.changePassword(user: try context.requireIdentity().user, current: body.currentPassword, new: body.newPassword)
            return Response(status: .noContent)
        }
        group.delete("me") { request, context in
            let body = try await request.decode(as: AccountDeletion.self, context: context)
            try await accounts.deleteAccount(user: try context.requireIdentity().user, password: body.password)
            return Response(status: .noContent)
        }
        group.get("settings") { _, context in
            try await accounts.settings(userID: try context.requireIdentity().user.id)
        }
        group.put("settings") { request, context in
            let settings = try await request.decode(as: UserSettings.self, context: context)
            return try await accounts.updateSettings(userID: try context.requireIdentity().user.id, settings)
        }
    }
}

extension SettingsView: ResponseEncodable {}
