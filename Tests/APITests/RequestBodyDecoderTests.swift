@testable import API
import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Support
import Testing

@Suite struct RequestBodyDecoderTests {
    static func refusal(_ json: String) -> AskDBError? {
        do {
            try RequestBodyDecoder.refuseUnstorableText(in: ByteBuffer(string: json))
            return nil
        } catch {
            return error as? AskDBError
        }
    }

    @Test func aNULAnywhereIsRefusedNamingItsField() throws {
        let nested = try #require(Self.refusal(#"{"name": "ok", "options": {"excluded_tables": ["a", "b\u0000c"]}}"#))
        #expect(nested.clientStatus == 422 && nested.clientCode == "validation_failed")
        #expect(nested.clientMessage == "`options.excluded_tables.1` must not contain the NUL character (U+0000)")
        #expect(Self.refusal(#"{"name": "\u0000"}"#)?.clientMessage.hasPrefix("`name` ") == true)
    }

    @Test func otherTextPasses() {
        // An escaped backslash before `u0000` is six characters of text, not a NUL.
        #expect(Self.refusal(#"{"name": "\\u0000", "other": "\u0001 ünï 🚀"}"#) == nil)
        // Malformed JSON is left to the decoder, which names it.
        #expect(Self.refusal(#"{"name": "\u0000""#) == nil)
    }

    /// Through the real routes, before any service is asked (none runs here).
    @Test func theRoutesAnswer422WithTheErrorBody() async throws {
        try await APITestRouter.with { router in
            try await Application(router: router).test(.router) { client in
                for (uri, body, field) in [
                    ("/api/auth/register", #"{"email": "a\u0000@example.com", "password": "a long passphrase"}"#, "email"),
                    ("/api/auth/login", #"{"email": "a@example.com", "password": "pass\u0000word"}"#, "password"),
                ] {
                    try await client.execute(uri: uri, method: .post, body: ByteBuffer(string: body)) { response in
                        #expect(response.status == .unprocessableContent)
                        let error = try JSONDecoder().decode(APIError.ErrorBody.self, from: Data(buffer: response.body)).error
                        #expect(error.code == "validation_failed" && error.message.hasPrefix("`\(field)` must not contain"))
                    }
                }
                // A lone surrogate is no text at all: malformed JSON, a 400 with the error body.
                try await client.execute(uri: "/api/auth/login", method: .post, body: ByteBuffer(string: #"{"email": "\ud800", "password": "x"}"#)) { response in
                    #expect(response.status == .badRequest)
                    let error = try JSONDecoder().decode(APIError.ErrorBody.self, from: Data(buffer: response.body)).error
                    #expect(error.code == "bad_request")
                }
            }
        }
    }

    struct Paint: Decodable {
        enum Shade: String, Decodable { case red }
        var shade: Shade
        var coats: Int
    }

    @Test func aMistypedBodyNamesTheFieldWithoutQuotingTheValue() async throws {
        let router = Router()
        router.add(middleware: ErrorMiddleware())
        router.post("paint") { request, context -> String in
            _ = try await RequestBodyDecoder().decode(Paint.self, from: request, context: context)
            return "ok"
        }
        try await Application(router: router).test(.router) { client in
            for (body, message) in [
                (#"{"shade": "secret-7f3a", "coats": 1}"#, "the request body is not valid: `shade` is invalid"),
                (#"{"shade": "red"}"#, "the request body is not valid: missing field `coats`"),
                (#"{"shade": "red", "coats": "two"}"#, "the request body is not valid: `coats` must be Int"),
            ] {
                try await client.execute(uri: "/paint", method: .post, body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .badRequest)
                    let error = try JSONDecoder().decode(APIError.ErrorBody.self, from: Data(buffer: response.body)).error
                    #expect(error.code == "bad_request" && error.message == message)
                }
            }
        }
    }
}
