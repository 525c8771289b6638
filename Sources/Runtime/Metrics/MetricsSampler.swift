import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Support

/// Reads the figures no code path counts as it goes (process memory, the queue's depth, Redis's
/// memory) every `interval`, as gauges, until shutdown. A failing probe logs and waits for the
/// next round: the gauges keep their last value.
package struct MetricsSampler: Service {
    /// One reading: sets its gauges.
    package typealias Probe = @Sendable () async throws -> Void

    private let probes: [(name: String, probe: Probe)]
    private let interval: Duration
    private let logger: Logger

    package init(probes: [(name: String, probe: Probe)], interval: Duration = .seconds(10), logger: Logger) {
        self.probes = probes
        self.interval = interval
        self.logger = logger
    }

    package func run() async throws {
        await Periodically.run(every: interval) {
            for (name, probe) in probes {
                do {
                    try await probe()
                } catch {
                    logger.debug("metrics probe failed", metadata: ["probe": "\(name)", "error": "\(error)"])
                }
            }
        }
    }
}

/// The process's resident memory, from `/proc/self/statm` (Linux), as
/// `process_resident_memory_bytes`, the name Prometheus's own clients use.
package enum ProcessMemory {
    package static func record() throws {
        guard let resident = residentBytes() else { return }
        Gauge(label: "process_resident_memory_bytes").record(resident)
    }

    /// Nil where `/proc` is missing (macOS).
    static func residentBytes() -> Int? {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
