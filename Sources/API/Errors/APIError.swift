import Foundation
import Hummingbird
import Support

/// An error answered as `{"error": {"code", "message"}}` with its HTTP status.
///
/// `code` is a stable snake_case identifier that clients branch on (docs/api.md lists them);
/// `message` is for people and never holds a secret.
struct APIError: HTTPResponseError, Sendable {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try APIJSON.response(ErrorBody(error: .init(code: code, message: message)), status: status, headers: headers)
    }

    struct ErrorBody: Codable, Sendable {
        struct Detail: Codable, Sendable {
            var code: String
            var message: String
        }
        var error: Detail
    }
}

extension APIError {
    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, code: "bad_request", message: message) }
    static func notFound(_ message: String = "not found") -> APIError { APIError(.notFound, code: "not_found", message: message) }
    static let internalError = APIError(.internalServerError, code: "internal_error", message: "internal error: the server logged the details")
}

extension APIError {
    /// The HTTP answer to a domain error.
    init(_ error: AskDBError) {
        let status: HTTPResponse.Status = switch error.kind {
        case .invalidInput: .unprocessableContent
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .rateLimited: .tooManyRequests
        case .unavailable: .serviceUnavailable
        default: .badRequest
        }
        var headers: HTTPFields = [:]
        if let retryAfter = error.retryAfter {
            headers[.retryAfter] = "\(retryAfter)"
        }
        self.init(status, code: error.code, message: error.message, headers: headers)
    }
}
