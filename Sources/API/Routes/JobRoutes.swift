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
            let (job, _) = try await connections.startIndexing(ownerID: try context.requireIdentity().user.id, id: try context.uuid("id", what: "connection"))
            return EditedResponse(status: .accepted, response: JobBody(job: job))
        }
        group.get("jobs/:id") { _, context in
            try await jobs.job(id: try context.uuid("id", what: "job"), ownerID: try context.requireIdentity().user.id)
        }
        group.get("jobs") { request, context in
            let owner = try context.requireIdentity().user.id
            let connectionID = try request.uuidParameter("connection_id")
            let limit = try Pagination.limit(request)
            return ListBody(items: try await jobs.list(ownerID: owner, connectionID: connectionID, limit: limit))
        }
        group.delete("jobs/:id") { _, context in
            try await jobs.cancel(id: try context.uuid("id", what: "job"), ownerID: try context.requireIdentity().user.id)
        }
        group.get("jobs/:id/events") { request, context in
            let watch = try await jobs.watch(id: try context.uuid("id", what: "job"), ownerID: try context.requireIdentity().user.id,
                                             after: try JobEventStream.resumePoint(request.headers[.lastEventID]))
            return JobEventStream(watch: watch).response()
        }
    }

    /// `202` answer to starting an index: the job.
    struct JobBody: ResponseEncodable {
        var job: JobRecord
    }
}

extension JobRecord: ResponseEncodable {}

extension HTTPField.Name {
    static let lastEventID = Self("Last-Event-ID")!
}
