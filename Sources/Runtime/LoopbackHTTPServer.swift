import Hummingbird
import Logging

/// A real HTTP server on 127.0.0.1, on a port the system picks, for as long as a piece of work
/// runs: what stands in for an external service (the evaluation's oracle model, a test's
/// scripted server) so the real client code is what gets exercised.
package enum LoopbackHTTPServer {
    /// Serves `router` while `body` runs with the server's base URL (`http://127.0.0.1:PORT`).
    package static func with<Context: RequestContext, T: Sendable>(
        _ router: Router<Context>,
        _ body: @Sendable (String) async throws -> T
    ) async throws -> T where Context.Source == ApplicationRequestContextSource {
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "askdb.loopback-http")
        logger.logLevel = .critical  // stopping the server at the end logs "already closed"
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
