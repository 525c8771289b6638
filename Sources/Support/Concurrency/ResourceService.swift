import ServiceLifecycle

/// A long-lived resource (a client pool, threads, a loaded model) as a member of its process's
/// `ServiceGroup`: it has nothing to run, and it closes when the group shuts down, after every
/// service listed after it has stopped.
package protocol ResourceService: Service {
    /// Closes the resource; calls after it fail.
    func shutdown() async
}

extension ResourceService {
    package func run() async throws {
        // Returns at graceful shutdown, or throws if the task is cancelled: close either way.
        try? await gracefulShutdown()
        await shutdown()
    }
}
