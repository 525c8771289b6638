import Foundation
import Hummingbird
import Runtime

/// A real HTTP server on 127.0.0.1 with routes a test writes, standing in for an external
/// service (an embedding server, an LLM) so the real client code is what gets exercised.
package enum ScriptedHTTPServer {
    /// Starts a server with the routes `configure` adds, runs `body` with its base URL
    /// (`http://127.0.0.1:PORT`), then stops it.
    package static func with<T: Sendable>(
        _ configure: (Router<BasicRequestContext>) -> Void,
        _ body: @Sendable (String) async throws -> T
    ) async throws -> T {
        let router = Router()
        configure(router)
        return try await LoopbackHTTPServer.with(router, body)
    }
}
