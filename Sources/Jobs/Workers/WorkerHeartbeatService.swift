import Foundation
import Logging
import ServiceLifecycle
import Support

/// Renews a worker's registry entry until graceful shutdown, then removes it.
package struct WorkerHeartbeatService: Service {
    private let registry: WorkerRegistry
    private let worker: WorkerInfo
    private let interval: Duration
    private let logger: Logger

    /// Heartbeats every `interval`, which should be well under the registry's TTL.
    package init(registry: WorkerRegistry, worker: WorkerInfo, interval: Duration = .seconds(5), logger: Logger) {
        self.registry = registry
        self.worker = worker
        self.interval = interval
        self.logger = logger
    }

    package func run() async throws {
        var current = worker
        await Periodically.run(every: interval) {
            current.lastHeartbeat = Date()
            do {
                try await registry.heartbeat(current)
            } catch {
                // Redis may be restarting: keep trying, the entry's TTL covers short gaps.
                logger.warning("heartbeat failed", metadata: ["error": "\(error)"])
            }
        }
        try? await registry.remove(worker.id)
    }
}
