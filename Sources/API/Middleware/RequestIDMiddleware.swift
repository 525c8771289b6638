import HTTPTypes
import Hummingbird
import Support

/// Gives every request an id, logged on its lines and echoed in `X-Request-ID`: the caller's
/// own when it sends a usable one (at most 64 of `A-Z a-z 0-9 . _ -`), else the one Hummingbird
/// generated. Outermost, so error answers carry it too. Every line logged while the request is
/// served carries it (``LogContext``), whichever logger writes it.
struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let given = request.headers[HTTPField.Name.requestID], Self.isUsable(given) {
            context.logger[metadataKey: "hb.request.id"] = .string(given)
        }
        let id = context.id
        var response: Response
        do {
            response = try await LogContext.$requestID.withValue(id) { try await next(request, context) }
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[HTTPField.Name.requestID] = id
        return response
    }

    static func isUsable(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 64 && id.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: "-")
        }
    }
}

extension HTTPField.Name {
    /// `X-Request-ID`, made once: building a field name validates it.
    static let requestID = HTTPField.Name("X-Request-ID")!
}
