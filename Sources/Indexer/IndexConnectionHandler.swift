import Core
import Foundation
import Jobs

/// Indexes one connection. Until sampling and embedding exist, it is a real skeleton: it opens
/// the user's database (so bad URLs and unreachable servers surface as job errors) and walks the
/// pipeline's phases, reporting progress and honouring cancellation at each.
struct IndexConnectionHandler: JobHandler {
    let kind = indexConnectionJobKind
    let connections: ConnectionService
    /// Slows every phase, to watch progress and exercise failover (`ASKDB_DEBUG_PHASE_DELAY_MS`).
    let phaseDelay: Duration

    static let phases = ["connect", "sample", "document", "embed", "upsert", "finish"]

    /// Connection problems that retrying will not fix.
    private static let permanentCodes: Set<String> = [
        "authentication_failed", "database_not_found", "host_not_allowed", "invalid_url", "host_not_found",
    ]

    func run(_ job: JobRecord, context: JobContext) async throws -> JSONValue {
        let total = Self.phases.count
        try await context.progress(JobProgress(phase: "connect", done: 0, total: total, message: "connecting"))
        let probe: SourceProbe
        do {
            let source = try await connections.sourceURL(ownerID: job.ownerID, id: job.connectionID)
            probe = try await connections.connector(for: source).test()
        } catch let error as AskDBError where error.kind == .notFound || Self.permanentCodes.contains(error.code) {
            throw PermanentJobError(error.message)
        }
        for (index, phase) in Self.phases.enumerated() {
            try await context.progress(JobProgress(phase: phase, done: index, total: total))
            if phaseDelay > .zero { try await Task.sleep(for: phaseDelay) }
        }
        try await context.progress(JobProgress(phase: "finish", done: total, total: total))
        return .object([
            "server_version": .string(probe.serverVersion),
            "phases": .array(Self.phases.map { .string($0) }),
        ])
    }
}
