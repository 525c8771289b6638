import Connections
import DataSources
import Foundation
import Jobs
import Support

/// Owners' connections as the query paths need them: with a finished index (a question's
/// context and the guard's view of the schema both come from it), and their databases behind
/// the dialect's guard. Shared by questions, guarded runs and verified examples.
package struct IndexedConnections: Sendable {
    let connections: ConnectionService
    let activeJobs: any ActiveJobLookup

    package init(connections: ConnectionService, activeJobs: any ActiveJobLookup) {
        self.connections = connections
        self.activeJobs = activeJobs
    }

    /// The owner's connection, which must have a finished index.
    package func record(id: UUID, ownerID: UUID) async throws -> ConnectionRecord {
        let record = try await connections.connection(id: id, ownerID: ownerID)
        guard record.indexVersion > 0 else {
            let job = try await activeJobs.activeJob(of: record.id)
            throw AskDBError(.conflict, code: "not_indexed", message: job.map {
                "this connection has no finished index yet; indexing job \($0.lowercasedString) is running"
            } ?? "this connection has no finished index yet: POST /api/connections/\(record.id.lowercasedString)/index first")
        }
        return record
    }

    /// The connection's database behind its dialect's guard, under its current options;
    /// `wrap` lets a caller audit what runs.
    package func guardedSource(of record: ConnectionRecord, ownerID: UUID,
                               wrap: (any SourceConnector) -> any SourceConnector = { $0 }) async throws -> GuardedSource {
        let url = try await connections.sourceURL(ownerID: ownerID, id: record.id)
        let connector = wrap(try await connections.connector(for: url, connectionID: record.id))
        return GuardedSource(dialect: record.kind.dialect, connector: connector, options: record.options, database: url.database)
    }
}
