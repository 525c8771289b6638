@testable import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct MethodNotAllowedMiddlewareTests {
    @Test func aPathWithOtherMethodsAnswers405NamingThem() async throws {
        try await APITestRouter.with { router in
            try await Application(router: router).test(.router) { client in
                try await client.execute(uri: "/api/keys", method: .put) { response in
                    #expect(response.status == .methodNotAllowed)
                    #expect(response.headers[.allow] == "GET, POST")
                    let body = try JSONDecoder().decode(APIError.ErrorBody.self, from: Data(buffer: response.body))
                    #expect(body.error.code == "method_not_allowed")
                }
                // A capture matches any segment, as the router's does.
                try await client.execute(uri: "/api/connections/not-even-a-uuid", method: .post) { response in
                    #expect(response.status == .methodNotAllowed)
                    #expect(response.headers[.allow] == "DELETE, GET, PATCH")
                }
                try await client.execute(uri: "/health", method: .options) { response in
                    #expect(response.status == .methodNotAllowed && response.headers[.allow] == "GET")
                }
            }
        }
    }

    @Test func anUnknownPathIsStillNotFound() async throws {
        try await APITestRouter.with { router in
            try await Application(router: router).test(.router) { client in
                for uri in ["/api/nothing", "/api/keys/a/b", "/"] {
                    try await client.execute(uri: uri, method: .get) { response in
                        #expect(response.status == .notFound)
                        let body = try JSONDecoder().decode(APIError.ErrorBody.self, from: Data(buffer: response.body))
                        #expect(body.error.code == "not_found")
                    }
                }
            }
        }
    }
}
