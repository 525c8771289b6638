import Foundation
import Hummingbird
import Logging
import NIOCore

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
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "scripted-http")
        logger.logLevel = .critical  // cancelling the server at the end logs "already closed"
        let application = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await application.runService(gracefulShutdownSignals: [])
                return nil
            }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else { throw CancellationError() }
            return try await body("http://127.0.0.1:\(port)")
        }
    }
}
