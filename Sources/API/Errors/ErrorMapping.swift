import AppDatabase
import Hummingbird
import Logging
import Support

/// The one mapping from an error to what a client sees, used by the error middleware, the
/// question event stream and the operator commands.
///
/// A ``ClientFacingError`` says its own status, code and message; Hummingbird's errors and an
/// undecodable body keep theirs. Anything else is unexpected: its full description is logged
/// with the request id (through the log handlers' redaction), and the client gets a 500 that
/// carries the request id.
enum ErrorMapping {
    static func apiError(for error: any Error, requestID: String, logger: Logger) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as any ClientFacingError:
            var headers: HTTPFields = [:]
            if let retryAfter = error.retryAfter { headers[.retryAfter] = "\(retryAfter)" }
            return APIError(HTTPResponse.Status(code: error.clientStatus), code: error.clientCode, message: error.clientMessage, headers: headers)
        case let error as HTTPError:
            return APIError(error.status, code: code(for: error.status), message: error.body ?? error.status.reasonPhrase, headers: error.headers)
        case let error as DecodingError:
            return .badRequest("the request body is not valid: \(describe(error))")
        case let error as any HTTPResponseError:
            return APIError(error.status, code: code(for: error.status), message: error.status.reasonPhrase)
        case is CancellationError:
            // The client went away or the server is stopping: nothing went wrong to report.
            logger.debug("request cancelled", metadata: ["request_id": "\(requestID)"])
            return APIError(.serviceUnavailable, code: "cancelled", message: "the request was cancelled before it finished")
        default:
            // The log handlers redact every line (LogRedaction), this one included.
            logger.error("unexpected error", metadata: [
                "error.type": "\(type(of: error))",
                "error": "\(String(reflecting: error))",
                "request_id": "\(requestID)",
            ])
            return .internalError(requestID: requestID)
        }
    }

    /// The line an operator command prints for a failure: a client-facing error's message,
    /// else the error as the operator's own tools would show it.
    static func operatorMessage(for error: any Error) -> String {
        switch error {
        case let error as any ClientFacingError: error.clientMessage
        case let error as KeyRingError: error.message
        default: LogRedaction.redact("\(PostgresErrorMessage(error))")
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
