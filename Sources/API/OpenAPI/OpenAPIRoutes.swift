import Hummingbird

/// `GET /openapi.json`: the API's contract, `openapi.json` beside this file, embedded in the binary.
///
/// The document is written by hand (docs/api.md says why); `OpenAPIDocumentTests` fails when
/// it and the router's table disagree, and `scripts/test.sh --phase fuzz` holds the server to it.
struct OpenAPIRoutes: Sendable {
    static let document = ByteBuffer(bytes: PackageResources.openapi_json)

    func register(on router: Router<AppRequestContext>) {
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: Self.document))
        }
    }
}
