import Foundation

/// What an indexer worker says about itself in each heartbeat, for operators.
package struct WorkerInfo: Codable, Sendable, Equatable {
    /// Unique per process: host, PID and a random suffix.
    package var id: String
    package var hostname: String
    package var pid: Int32
    /// Jobs this worker runs at once.
    package var concurrency: Int
    package var startedAt: Date
    package var lastHeartbeat: Date

    /// Describes the current process.
    package static func current(concurrency: Int, now: Date = Date()) -> WorkerInfo {
        let host = ProcessInfo.processInfo.hostName
        let pid = ProcessInfo.processInfo.processIdentifier
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return WorkerInfo(
            id: "\(host)-\(pid)-\(suffix)",
            hostname: host,
            pid: pid,
            concurrency: concurrency,
            startedAt: now,
            lastHeartbeat: now
        )
    }
}
