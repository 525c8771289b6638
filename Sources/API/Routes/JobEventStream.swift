import Foundation
import HTTPTypes
import Hummingbird
import Jobs
import ServiceLifecycle

/// A job's progress as server-sent events (docs/api.md): `state` and `progress` events, a
/// `: keep-alive` comment every 15 s of silence, and `done` with the final record when the job
/// ends. Event ids are the Redis stream's, so `Last-Event-ID` resumes where a client left off.
struct JobEventStream: Sendable {
    let jobs: JobService
    let job: JobRecord
    let lastEventID: String?
    var keepAlive: Duration = .seconds(15)

    /// Where a reconnecting client resumes: its `Last-Event-ID`, which must be an id this stream
    /// sends (a Redis stream id, `1796122945588-0`). Redis would refuse anything else only once
    /// the answer had begun, breaking it off; here it is a 400 before.
    static func resumePoint(_ lastEventID: String?) throws -> String? {
        guard let lastEventID else { return nil }
        let parts = lastEventID.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count),
              parts.allSatisfy({ (1...19).contains($0.utf8.count) && $0.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } }) else {
            throw APIError.badRequest("Last-Event-ID must be an id this stream sent, like 1796122945588-0")
        }
        return lastEventID
    }

    func response() -> Response {
        var headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache"]
        headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            try await stream(to: &writer)
            try await writer.finish(nil)
        })
    }

    private func stream(to writer: inout any ResponseBodyWriter) async throws {
        var cursor = lastEventID ?? "0"
        var current = job
        var lastWrite = ContinuousClock.now
        // A stream ends when its process shuts down: the client resumes elsewhere with Last-Event-ID.
        while !current.state.isTerminal, !Task.isShuttingDownGracefully {
            // Short waits, so a shutdown is noticed within two seconds (the Redis wait is not cancellable).
            let (events, next) = try await jobs.events(of: job.id, after: cursor, block: min(keepAlive, .seconds(2)))
            cursor = next
            for event in events {
                try await writer.write(ByteBuffer(string: "event: \(event.type)\nid: \(event.id)\ndata: \(event.data)\n\n"))
                lastWrite = .now
            }
            if ContinuousClock.now - lastWrite >= keepAlive {
                try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                lastWrite = .now
            }
            // PostgreSQL has the final word on whether the job ended.
            current = try await jobs.job(id: job.id, ownerID: nil)
        }
        guard current.state.isTerminal else { return }
        let final = String(decoding: try APIJSON.encoder.encode(current), as: UTF8.self)
        try await writer.write(ByteBuffer(string: "event: done\ndata: \(final)\n\n"))
    }
}
