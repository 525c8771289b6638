import Foundation
import HTTPTypes
import Hummingbird
import Jobs
import Redis

/// A job's progress as server-sent events (docs/api.md): `state` and `progress` events, a
/// `: keep-alive` comment every 15 s of silence, and `done` with the final record when the job
/// ends. Event ids are the Redis stream's, so `Last-Event-ID` resumes where a client left off.
struct JobEventStream: Sendable {
    let watch: JobWatch
    var keepAlive: Duration = .seconds(15)

    /// Where a reconnecting client resumes: its `Last-Event-ID`, which must be an id this stream
    /// sends (a Redis stream id, `1796122945588-0`). Redis would refuse anything else only once
    /// the answer had begun, breaking it off; here it is a 400 before.
    static func resumePoint(_ lastEventID: String?) throws -> RedisStreamID? {
        guard let lastEventID else { return nil }
        guard let id = RedisStreamID(lastEventID) else {
            throw APIError.badRequest("Last-Event-ID must be an id this stream sent, like 1796122945588-0")
        }
        return id
    }

    func response() -> Response {
        var headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache"]
        headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
        return Response(status: .ok, headers: headers, body: ResponseBody { [watch, keepAlive] writer in
            try await watch.run(keepAlive: keepAlive) { item in
                switch item {
                case .event(let event):
                    try await writer.write(ByteBuffer(string: "event: \(event.type)\nid: \(event.id)\ndata: \(event.data)\n\n"))
                case .quiet:
                    try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                case .done(let job):
                    let final = String(decoding: try APIJSON.encoder.encode(job), as: UTF8.self)
                    try await writer.write(ByteBuffer(string: "event: done\ndata: \(final)\n\n"))
                }
            }
            try await writer.finish(nil)
        })
    }
}
