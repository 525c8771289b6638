import Foundation
import Hummingbird
import Support

/// Responses in ``ResponseJSON``'s encoding.
enum APIJSON {
    static var encoder: JSONEncoder { ResponseJSON.encoder }
    static var decoder: JSONDecoder { ResponseJSON.decoder }

    /// A response whose body is `value` as JSON.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        let data = try encoder.encode(value)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
