import Accounts
import Foundation
import Hummingbird

/// Per-request state: who is asking (set by ``AuthenticationMiddleware``) and from where.
struct AppRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The authenticated caller; nil before authentication and on public routes.
    var identity: Identity?
    /// The client's IP address, for per-address limits: the peer's, or the one a trusted proxy
    /// forwarded (``ClientAddressMiddleware``).
    var clientAddress: String

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    var maxUploadSize: Int { 1024 * 1024 }
    var requestDecoder: RequestBodyDecoder { RequestBodyDecoder() }
    var responseEncoder: JSONEncoder { APIJSON.encoder }

    /// The caller, on routes behind the authentication middleware.
    func requireIdentity() throws -> Identity {
        guard let identity else {
            throw APIError(.unauthorized, code: "unauthorized", message: "authentication required")
        }
        return identity
    }

    /// The caller, who must be an admin.
    func requireAdmin() throws -> Identity {
        let identity = try requireIdentity()
        guard identity.isAdmin else {
            throw APIError(.forbidden, code: "forbidden", message: "this needs an admin account")
        }
        return identity
    }

    /// The UUID path parameter `name`; a malformed id is not found, like a missing one.
    func uuid(_ name: String, what: String) throws -> UUID {
        guard let raw = parameters.get(name), let id = UUID(uuidString: raw) else {
            throw APIError.notFound("\(what) not found")
        }
        return id
    }
}
