import Foundation
import Hummingbird
import Jobs
import Support

/// Operators' view of the queue: depth, workers, every user's jobs, and retries.
struct AdminQueueRoutes: Sendable {
    let jobs: JobService
    let workers: WorkerRegistry

    struct QueueBody: ResponseEncodable {
        var queue: QueueStats
        var workers: [WorkerBody]
    }

    /// A worker as the API spells it (snake_case); ``WorkerInfo``'s own coding is its Redis
    /// heartbeat's, which live workers write.
    struct WorkerBody: Encodable, Sendable {
        var info: WorkerInfo

        enum CodingKeys: String, CodingKey {
            case id, hostname, pid, concurrency
            case startedAt = "started_at"
            case lastHeartbeat = "last_heartbeat"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(info.id, forKey: .id)
            try container.encode(info.hostname, forKey: .hostname)
            try container.encode(info.pid, forKey: .pid)
            try container.encode(info.concurrency, forKey: .concurrency)
            try container.encode(info.startedAt, forKey: .startedAt)
            try container.encode(info.lastHeartbeat, forKey: .lastHeartbeat)
        }
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("admin/queue") { _, context in
            _ = try context.requireAdmin()
            return QueueBody(queue: try await jobs.queueStats(), workers: try await workers.liveWorkers().map(WorkerBody.init))
        }
        group.get("admin/jobs") { request, context in
            _ = try context.requireAdmin()
            let state = try request.uri.queryParameters.get("state").map { raw in
                guard let state = JobState(rawValue: raw) else {
                    throw AskDBError.invalid("invalid_parameter", "state must be one of: \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return state
            }
            return ListBody(items: try await jobs.listAll(state: state, limit: try Pagination.limit(request)))
        }
        group.post("admin/jobs/:id/retry") { _, context in
            _ = try context.requireAdmin()
            return try await jobs.retry(id: try context.uuid("id", what: "job"))
        }
    }
}
