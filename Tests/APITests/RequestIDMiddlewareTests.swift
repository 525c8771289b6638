import Foundation
@testable import API
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct RequestIDMiddlewareTests {
    struct Broken: Error {}

    static func application() -> some ApplicationProtocol {
        let router = Router()
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: ErrorMiddleware())
        router.get("ok") { _, _ in "ok" }
        router.get("fails") { _, _ -> String in throw HTTPError(.conflict) }
        router.get("breaks") { _, _ -> String in throw Broken() }
        return Application(router: router)
    }

    @Test func aUsableIDIsEchoedAndAnyOtherIsReplaced() async throws {
        try await Self.application().test(.router) { client in
            try await client.execute(uri: "/ok", method: .get, headers: [HTTPField.Name.requestID: "trace-1.a_B"]) { response in
                #expect(response.headers[HTTPField.Name.requestID] == "trace-1.a_B")
            }
            for bad in [String(repeating: "a", count: 65), "has space", "semi;colon", "ünï"] {
                try await client.execute(uri: "/ok", method: .get, headers: [HTTPField.Name.requestID: bad]) { response in
                    let id = try #require(response.headers[HTTPField.Name.requestID])
                    #expect(id != bad && RequestIDMiddleware<BasicRequestContext>.isUsable(id))
                }
            }
        }
    }

    @Test func errorAnswersCarryTheIDToo() async throws {
        try await Self.application().test(.router) { client in
            try await client.execute(uri: "/fails", method: .get, headers: [HTTPField.Name.requestID: "given"]) { response in
                #expect(response.status == .conflict)
                #expect(response.headers[HTTPField.Name.requestID] == "given")
            }
        }
    }

    @Test func anUnexpectedFailureNamesTheSameIDInItsBody() async throws {
        try await Self.application().test(.router) { client in
            try await client.execute(uri: "/breaks", method: .get, headers: [HTTPField.Name.requestID: "trace-500"]) { response in
                #expect(response.status == .internalServerError)
                #expect(response.headers[HTTPField.Name.requestID] == "trace-500")
                let body = try JSONDecoder().decode(APIError.ErrorBody.self, from: Data(buffer: response.body))
                #expect(body.error.code == "internal_error" && body.error.request_id == "trace-500")
            }
        }
    }
}
