import Hummingbird

/// Turns every error into the JSON error body through ``ErrorMapping``.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            throw ErrorMapping.apiError(for: error, requestID: context.id, logger: context.logger)
        }
    }
}
