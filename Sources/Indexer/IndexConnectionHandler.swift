import Connections
import Embedding
import Foundation
import Jobs
import Query
import Retrieval
import Support

/// Runs a connection-indexing job: the connection's sampling options, the pipeline in
/// ``ConnectionIndexer``, and the job's progress, cancellation and lease around it.
struct IndexConnectionHandler: JobHandler {
    let kind = indexConnectionJobKind
    let connections: ConnectionService
    /// The connection's verified examples, checked again against every new index.
    let examples: ExampleService
    /// The process's embedder, which jobs wait for while it loads.
    let embedder: EmbedderSlot
    /// Pauses at each new phase, to watch progress and exercise failover (`ASKDB_DEBUG_PHASE_DELAY_MS`).
    let phaseDelay: Duration
    /// The indexing pipeline over the loaded embedder.
    let makeIndexer: @Sendable (any Embedder) -> ConnectionIndexer


    /// Share of the bar each phase fills, so the percentage moves steadily across phases.
    private static let phaseShares: [String: (start: Double, width: Double)] = [
        "connect": (0, 2), "sample": (2, 38), "embed": (40, 55), "publish": (95, 5),
    ]

    func run(_ job: JobRecord, context: JobContext) async throws -> JSONValue {
        try await report(ConnectionIndexer.Progress(phase: "connect", done: 0, total: 1, message: "connecting"), context: context)
        let report: ConnectionIndexer.Report
        do {
            let record = try await connections.connection(id: job.connectionID, ownerID: job.ownerID)
            let source = try await connections.sourceURL(ownerID: job.ownerID, id: job.connectionID)
            let connector = try await connections.connector(for: source, connectionID: record.id)
            let lastPhase = LastPhase()
            report = try await makeIndexer(try await embedder.ready()).index(
                connectionID: job.connectionID, connector: connector, options: record.options,
                fence: JobLeaseFence(jobID: job.id, token: Int64(context.claim.token))
            ) { progress in
                if phaseDelay > .zero, await lastPhase.changed(to: progress.phase) { try await Task.sleep(for: phaseDelay) }
                try await self.report(progress, context: context)
            }
        } catch let error as ConnectionFailure where error.code.isPermanent {
            throw PermanentJobError(error.message)
        } catch let error as AskDBError where [.notFound, .forbidden, .invalidInput].contains(error.kind) {
            // A connection that is gone, a host the policy refuses, input that cannot work.
            throw PermanentJobError(error.message)
        } catch is JobLeaseFence.Lost {
            throw JobInterruption.leaseLost
        }
        var result = try JSONValue(parsing: String(decoding: JSONEncoder().encode(report), as: UTF8.self))
        if case .object(var fields) = result {
            fields["examples"] = try await checkExamples(of: job, version: report.version, context: context)
            result = .object(fields)
        }
        try await context.progress(JobProgress(phase: "done", done: 1, total: 1, percent: 100, message: "version \(report.version) published"))
        return result
    }

    /// The verified examples checked against the index just published: how many, and how many
    /// are stale now. A database that cannot be reached for the check leaves them as they
    /// were: the index itself is done.
    private func checkExamples(of job: JobRecord, version: Int, context: JobContext) async throws -> JSONValue {
        do {
            let (checked, stale) = try await examples.recheck(connectionID: job.connectionID, ownerID: job.ownerID, version: version)
            return .object(["checked": .int(Int64(checked)), "stale": .int(Int64(stale))])
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            context.logger.warning("the verified examples could not be checked", metadata: ["job": "\(job.id.lowercasedString)", "error": "\(error)"])
            return .object(["error": .string("the examples could not be checked: \(LogRedaction.redact("\(error)"))")])
        }
    }

    private func report(_ progress: ConnectionIndexer.Progress, context: JobContext) async throws {
        let share = Self.phaseShares[progress.phase] ?? (0, 100)
        let within = progress.total > 0 ? Double(progress.done) / Double(progress.total) : 0
        let percent = ((share.start + share.width * within) * 10).rounded() / 10
        try await context.progress(JobProgress(phase: progress.phase, done: progress.done, total: progress.total, percent: percent, message: progress.message))
    }
}

/// Remembers the phase last seen, to act once per phase.
private actor LastPhase {
    private var phase: String?

    func changed(to next: String) -> Bool {
        defer { phase = next }
        return phase != next
    }
}
