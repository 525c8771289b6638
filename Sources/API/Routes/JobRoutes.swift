import Connections
import Foundation
import HTTPTypes
import Hummingbird
import Jobs
import Support

/// Indexing jobs of the caller's connections: start, look up, list, cancel, watch live.
struct JobRoutes: Sendable {
    let jobs: JobService
    let connections: ConnectionService

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("connections/:id/index") { _, context in
            let owner = try context.requireIdentity().user.id
            let connection = try await connections.store.get(id: try context.uuid("id", what: "connection"), ownerID: owner)
            let (job, _) = try await jobs.enqueueIndexing(connectionID: connection.id, ownerID: owner)
            return EditedResponse(status: .accepted, response: JobBody(job: job))
        }
        group.get("jobs/:id") { _, context in
            try await jobs.job(id: try context.uuid("id", what: "job"), ownerID: try context.requireIdentity().user.id)
        }
        group.get("jobs") { request, context in
            let owner = try context.requireIdentity().user.id
            let connectionID = try request.uuidParameter("connection_id")
            let limit = try Pagination.limit(request)
            return ListBody(items: try await jobs.store.list(ownerID: owner, connectionID: connectionID, limit: limit))
        }
        group.delete("jobs/:id") { _, context in
            try await jobs.cancel(id: try context.uuid("id", what: "job"), ownerID: try context.requireIdentity().user.id)
        }
        group.get("jobs/:id/events") { request, context in
            let owner = try context.requireIdentity().user.id
            let job = try await jobs.job(id: try context.uuid("id", what: "job"), ownerID: owner)
            return JobEventStream(jobs: jobs, job: job, lastEventID: try JobEventStream.resumePoint(request.headers[.lastEventID])).response()
        }
    }

    /// `202` answer to starting an index: the job.
    struct JobBody: ResponseEncodable {
        var job: JobRecord
    }
}

extension JobRecord: ResponseEncodable {}

/// `limit` from the query string, 1–200, default 50.
enum Pagination {
    static func limit(_ request: Request) throws -> Int {
        guard let raw = request.uri.queryParameters.get("limit") else { return 50 }
        guard let limit = Int(raw), (1...200).contains(limit) else {
            throw AskDBError.invalid("invalid_parameter", "limit must be an integer from 1 to 200")
        }
        return limit
    }
}

extension Request {
    /// The query-string parameter `name` as a UUID, nil when absent; anything else is a 422.
    func uuidParameter(_ name: String) throws -> UUID? {
        guard let raw = uri.queryParameters.get(name) else { return nil }
        guard let id = UUID(uuidString: raw) else { throw AskDBError.invalid("invalid_parameter", "\(name) must be a UUID") }
        return id
    }
}

extension HTTPField.Name {
    static let lastEventID = Self("Last-Event-ID")!
}
