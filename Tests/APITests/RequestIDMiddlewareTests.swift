@testable import API
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct RequestIDMiddlewareTests {
    static func application() -> some ApplicationProtocol {
        let router = Router()
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: ErrorMiddleware())
        router.get("ok") { _, _ in "ok" }
        router.get("fails") { _, _ -> String in throw HTTPError(.conflict) }
        return Application(router: router)
    }

    @Test func aUsableIDIsEchoedAndAnyOtherIsReplaced() async throws {
        try await Self.application().test(.router) { client in
            try await client.execute(uri: "/ok", method: .get, headers: [RequestIDMiddleware<BasicRequestContext>.header: "trace-1.a_B"]) { response in
                #expect(response.headers[RequestIDMiddleware<BasicRequestContext>.header] == "trace-1.a_B")
            }
            for bad in [String(repeating: "a", count: 65), "has space", "semi;colon", "ünï"] {
                try await client.execute(uri: "/ok", method: .get, headers: [RequestIDMiddleware<BasicRequestContext>.header: bad]) { response in
                    let id = try #require(response.headers[RequestIDMiddleware<BasicRequestContext>.header])
                    #expect(id != bad && RequestIDMiddleware<BasicRequestContext>.isUsable(id))
                }
            }
        }
    }

    @Test func errorAnswersCarryTheIDToo() async throws {
        try await Self.application().test(.router) { client in
            try await client.execute(uri: "/fails", method: .get, headers: [RequestIDMiddleware<BasicRequestContext>.header: "given"]) { response in
                #expect(response.status == .conflict)
                #expect(response.headers[RequestIDMiddleware<BasicRequestContext>.header] == "given")
            }
        }
    }
}
