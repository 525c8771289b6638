import Accounts
import Foundation
import Hummingbird
import Support

/// Requires `Authorization: Bearer <access token or API key>` and records who it is.
struct AuthenticationMiddleware: RouterMiddleware {
    let accounts: AccountService

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw APIError(.unauthorized, code: "unauthorized", message: "missing Authorization: Bearer header")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
            throw APIError(.unauthorized, code: "unauthorized", message: "the Authorization header must be `Bearer <token>`")
        }
        var context = context
        context.identity = try await accounts.authenticate(bearer: parts[1].trimmed())
        context.logger[metadataKey: "user"] = "\(context.identity!.user.id.lowercasedString)"
        return try await next(request, context)
    }
}
