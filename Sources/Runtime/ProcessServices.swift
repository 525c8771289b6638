import Logging
import ServiceLifecycle

/// How AskDB's processes run their long-lived parts: one `ServiceGroup` each, listed in start
/// order (the database clients first) and shut down in reverse, so PostgreSQL and Redis stop
/// last, after every service that uses them.
package enum ProcessServices {
    /// Runs `services` until SIGTERM or SIGINT, then shuts them down gracefully, cancelling
    /// whatever is still running after `shutdownLimit`; a service that fails stops the others,
    /// and its error is thrown.
    package static func runUntilSignalled(_ services: [any Service], shutdownLimit: Duration, logger: Logger) async throws {
        var configuration = ServiceGroupConfiguration(
            services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
        )
        configuration.maximumGracefulShutdownDuration = shutdownLimit
        try await ServiceGroup(configuration: configuration).run()
    }

    /// Runs `services` while `body` runs (a one-off command), then shuts them down gracefully.
    package static func withRunning<T: Sendable>(_ services: [any Service], logger: Logger, _ body: () async throws -> T) async throws -> T {
        let group = ServiceGroup(configuration: .init(services: services.map { .init(service: $0) }, logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let outcome: Result<T, any Error>
            do {
                outcome = .success(try await body())
            } catch {
                outcome = .failure(error)
            }
            await group.triggerGracefulShutdown()
            // The command's own failure says more than a service's that followed from it.
            do {
                try await tasks.waitForAll()
            } catch {
                if case .success = outcome { throw error }
            }
            return try outcome.get()
        }
    }
}

/// A check at start failed; the process stops with one clear line instead of running broken.
package struct StartupError: Error, CustomStringConvertible {
    package var message: String
    package var description: String { message }

    package init(_ message: String) { self.message = message }
}
