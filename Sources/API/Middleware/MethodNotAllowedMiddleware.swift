import HTTPTypes
import Hummingbird

/// Answers `405 method_not_allowed` with `Allow` when a path exists with other methods, where
/// Hummingbird's router would answer 404 as if the path did not exist.
///
/// Added after every route, so it wraps only the router's not-found responder: a matched route
/// never passes through it.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The router's table, read once it is complete.
    private let routes: [(path: RouterPath, method: HTTPRequest.Method)]

    init(routes: [Router<Context>.RouteDescription]) {
        self.routes = routes.map { ($0.path, $0.method) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let segments = request.uri.path.split(separator: "/")
        let allowed = routes.filter { route in
            route.path.components.count == segments.count && zip(route.path.components, segments).allSatisfy { $0 ~= $1 }
        }.map(\.method.rawValue)
        guard !allowed.isEmpty else { return try await next(request, context) }
        let allow = Set(allowed).sorted().joined(separator: ", ")
        throw APIError(.methodNotAllowed, code: "method_not_allowed", message: "\(request.uri.path) allows \(allow)", headers: [.allow: allow])
    }
}
