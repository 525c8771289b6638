@testable import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct OpenAPIDocumentTests {
    /// The document as the server embeds it.
    static func document() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(PackageResources.openapi_json)) as? [String: Any])
    }

    static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    /// `METHOD /path/{param}` for every operation the document describes.
    static func documentedOperations() throws -> Set<String> {
        let paths = try #require(try document()["paths"] as? [String: [String: Any]])
        return Set(paths.flatMap { path, item in item.keys.filter(methods.contains).map { "\($0.uppercased()) \(path)" } })
    }

    /// Routes of another protocol, described by its own specification rather than this document
    /// (whose fuzzing would hold a JSON-RPC endpoint to REST's error body): MCP's Streamable HTTP.
    static let protocolEndpoints: Set<String> = ["POST /mcp"]

    @Test func everyRouteIsDocumentedAndEveryDocumentedOperationIsARoute() async throws {
        let routes = try await APITestRouter.with { router in
            // Hummingbird writes a capture as `{name}`, as OpenAPI does.
            Set(router.routes.map { "\($0.method.rawValue) \($0.path)" })
        }
        let documented = try Self.documentedOperations()
        #expect(routes.isSuperset(of: Self.protocolEndpoints))
        #expect(routes.subtracting(documented).subtracting(Self.protocolEndpoints).sorted() == [], "routes missing from Sources/API/OpenAPI/openapi.json")
        #expect(documented.subtracting(routes).sorted() == [], "documented operations the router does not have")
        #expect(routes.count > 30)
    }

    @Test func everyErrorAnswerIsTheErrorBody() throws {
        let document = try Self.document()
        let components = try #require(document["components"] as? [String: Any])
        let responses = try #require(components["responses"] as? [String: [String: Any]])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        for (path, item) in paths {
            for (method, operation) in item where Self.methods.contains(method) {
                let operation = try #require(operation as? [String: Any])
                #expect(operation["operationId"] is String, "\(method) \(path) has no operationId")
                let answers = try #require(operation["responses"] as? [String: Any])
                for (status, answer) in answers where Int(status)! >= 400 {
                    // `/ready`'s 503 is its own body: the error and the checks.
                    if path == "/ready" { continue }
                    let name = try #require((answer as? [String: String])?["$ref"], "\(method) \(path) \(status) is not a shared error response")
                    let shared = try #require(responses[String(name.split(separator: "/").last!)])
                    let schema = (shared["content"] as? [String: [String: [String: String]]])?["application/json"]?["schema"]?["$ref"]
                    #expect(schema?.hasSuffix("ErrorBody") == true, "\(method) \(path) \(status)")
                }
            }
        }
    }

    @Test func theDocumentIsServedAsIs() async throws {
        try await APITestRouter.with { router in
            try await Application(router: router).test(.router) { client in
                try await client.execute(uri: "/openapi.json", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                    #expect(Array(response.body.readableBytesView) == PackageResources.openapi_json)
                }
            }
        }
        #expect(try Self.document()["openapi"] as? String == "3.1.0")
    }
}
