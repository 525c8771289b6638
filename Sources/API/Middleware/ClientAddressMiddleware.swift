import HTTPTypes
import Hummingbird
import Support

/// Sets the request's client address (``AppRequestContext/clientAddress``, which per-address
/// limits count under) to the one a trusted proxy forwarded, when the peer is one
/// (`ASKDB_TRUSTED_PROXIES`); else it stays the peer's.
struct ClientAddressMiddleware: RouterMiddleware {
    let proxies: TrustedProxies

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        context.clientAddress = proxies.clientAddress(peer: context.clientAddress, forwardedFor: request.headers[values: .xForwardedFor])
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
}
