@testable import API
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport

/// A JSON answer from the API under test.
struct APIAnswer: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: Data

    /// The body parsed as JSON.
    var json: Any? { body.isEmpty ? nil : try? JSONSerialization.jsonObject(with: body) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
    var errorMessage: String? { (object["error"] as? [String: Any])?["message"] as? String }
    subscript(key: String) -> Any? { object[key] }
}

extension TestClientProtocol {
    /// Sends `body` as JSON with an optional bearer token and parses the answer.
    func call(
        _ method: HTTPRequest.Method,
        _ uri: String,
        token: String? = nil,
        body: [String: any Sendable]? = nil,
        rawBody: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> APIAnswer {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers.append(contentsOf: extra)
        if let token { headers[.authorization] = "Bearer \(token)" }
        let bytes: ByteBuffer? = if let body {
            ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body))
        } else {
            rawBody.map { ByteBuffer(string: $0) }
        }
        return try await execute(uri: uri, method: method, headers: headers, body: bytes) { response in
            APIAnswer(status: response.status, headers: response.headers, body: Data(buffer: response.body))
        }
    }

    /// Registers `email` and returns a token for it.
    func signUp(_ email: String, password: String = "correct horse battery") async throws -> String {
        let registered = try await call(.post, "/api/auth/register", body: ["email": email, "password": password])
        guard registered.status == .created else {
            throw TestSetupError("register \(email): \(registered.status) \(registered.object)")
        }
        return try await logIn(email, password: password)
    }

    func logIn(_ email: String, password: String = "correct horse battery") async throws -> String {
        let login = try await call(.post, "/api/auth/login", body: ["email": email, "password": password])
        guard login.status == .ok, let token = login["token"] as? String else {
            throw TestSetupError("login \(email): \(login.status) \(login.object)")
        }
        return token
    }
}
