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
    /// Set on unexpected failures only, so the caller can quote it.
    var requestID: String?

    init(_ status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:], requestID: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
        self.requestID = requestID
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try APIJSON.response(body, status: status, headers: headers)
    }

    /// `{"error": {"code", "message"}}`, with `request_id` on unexpected failures: the same in an
    /// HTTP answer and in a server-sent `error` event.
    var body: ErrorBody {
        ErrorBody(error: .init(code: code, message: message, request_id: requestID))
    }

    struct ErrorBody: Codable, Sendable {
        struct Detail: Codable, Sendable {
            var code: String
            var message: String
            var request_id: String?
        }
        var error: Detail
    }
}

extension APIError {
    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, code: "bad_request", message: message) }
    static func notFound(_ message: String = "not found") -> APIError { APIError(.notFound, code: "not_found", message: message) }

    /// An unexpected failure: the client learns the request id to quote, nothing else.
    static func internalError(requestID: String) -> APIError {
        APIError(.internalServerError, code: "internal_error",
                 message: "internal error: the server logged the details under request id \(requestID)", requestID: requestID)
    }
}
