import Hummingbird
import Metrics
import Support

/// Times every request into `askdb_http_request_duration_seconds{method, route, status}`: the
/// route is the matched route's template (`/api/connections/{id}`), never the raw path, and a
/// path no route matched is `unmatched`, so the series stay few whatever clients send. The time
/// is to the response's head: an event stream's body is not part of it.
///
/// Inside ``RequestIDMiddleware`` and outside the error middleware, so it sees every answer's
/// final status, errors included.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context, status: response.status.code, since: started)
            return response
        } catch {
            record(request, context, status: (error as? any HTTPResponseError)?.status.code ?? 500, since: started)
            throw error
        }
    }

    private func record(_ request: Request, _ context: Context, status: Int, since started: ContinuousClock.Instant) {
        Timer(label: "askdb_http_request_duration_seconds", dimensions: [
            ("method", request.method.rawValue), ("route", Self.route(context.endpointPath)), ("status", String(status)),
        ]).recordNanoseconds((ContinuousClock.now - started).nanoseconds)
    }

    /// The label for a matched route's template; Hummingbird calls an unmatched path "NotFound".
    static func route(_ endpointPath: String?) -> String {
        guard let endpointPath, endpointPath != "NotFound" else { return "unmatched" }
        return endpointPath
    }
}
