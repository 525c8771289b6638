import Hummingbird
import Logging
import Query
import Support
import UpstreamHTTP

/// Turns every error into the JSON error body: Hummingbird's own errors (unknown route, bad
/// method, undecodable body) keep their status; anything unexpected is logged and answered 500
/// without its details, which might hold secrets.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as AskDBError {
            throw APIError(error)
        } catch let error as UpstreamError {
            // A model or embedding server that is down, slow or failing: the caller learns which and why.
            throw APIError(error.code == .timeout ? .gatewayTimeout : .badGateway,
                           code: error.code == .timeout ? "upstream_timeout" : "upstream_failed", message: error.description)
        } catch let error as QuestionFailure {
            throw APIError(.unprocessableContent, code: error.code, message: error.message)
        } catch let error as HTTPError {
            throw APIError(error.status, code: Self.code(for: error.status), message: error.body ?? error.status.reasonPhrase, headers: error.headers)
        } catch let error as DecodingError {
            throw APIError.badRequest("the request body is not valid: \(Self.describe(error))")
        } catch let error as HTTPResponseError {
            throw APIError(error.status, code: Self.code(for: error.status), message: error.status.reasonPhrase)
        } catch {
            context.logger.error("unhandled error", metadata: ["error.type": "\(type(of: error))"])
            throw APIError.internalError
        }
    }

    static func code(for status: HTTPResponse.Status) -> String {
        switch status {
        case .badRequest: "bad_request"
        case .unauthorized: "unauthorized"
        case .forbidden: "forbidden"
        case .notFound: "not_found"
        case .methodNotAllowed: "method_not_allowed"
        case .conflict: "conflict"
        case .contentTooLarge: "payload_too_large"
        case .unprocessableContent: "validation_failed"
        case .tooManyRequests: "rate_limited"
        case .serviceUnavailable: "unavailable"
        default: status.code >= 500 ? "internal_error" : "bad_request"
        }
    }

    /// Names the field at fault without echoing the submitted values.
    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            return keys.isEmpty ? "the body" : "`\(keys.joined(separator: "."))`"
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.isEmpty ? "" : " in \(path(context))"
            return "missing field `\(key.stringValue)`\(parent)"
        case .typeMismatch(let type, let context):
            return "\(path(context)) must be \(type)"
        case .valueNotFound(let type, let context):
            return "\(path(context)) must be \(type), not null"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "malformed JSON" : "\(path(context)) is invalid"
        @unknown default:
            return "malformed JSON"
        }
    }
}
