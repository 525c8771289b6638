import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// Event streams held open against a live server: each is a connection that has read its
/// answer's head (or a whole refusal) and then keeps reading until the server ends it.
package enum HeldStreams {
    /// What one stream request got: its status, and its text lower-cased: the head of a
    /// stream, the whole answer of a refusal.
    package struct Opened: Sendable {
        package var status: Int
        package var text: String
    }

    /// Opens `count` streams of `GET path` at once and runs `body` with what each got while the
    /// accepted ones are open; then waits (up to `closeWithin`) for the server to end them all,
    /// which `body` should cause (a watched job that ends ends its streams).
    package static func holding<T: Sendable>(
        port: Int, path: String, token: String, count: Int, closeWithin: Duration = .seconds(20),
        _ body: @Sendable ([Opened]) async throws -> T
    ) async throws -> T {
        let progress = Progress()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<count {
                group.addTask {
                    try await hold(port: port, path: path, token: token) { opened in progress.state.withLock { $0.opened.append(opened) } }
                    progress.state.withLock { $0.ended += 1 }
                }
            }
            try await progress.wait(within: .seconds(20), "streams to answer") { $0.opened.count == count }
            let result = try await body(progress.state.withLock { $0.opened })
            try await progress.wait(within: closeWithin, "the server to end the streams") { $0.ended == count }
            group.cancelAll()
            return result
        }
    }

    /// What the streams have got so far, shared by their tasks.
    private final class Progress: Sendable {
        let state = Mutex<(opened: [Opened], ended: Int)>(([], 0))

        func wait(within limit: Duration, _ what: String, until done: ((opened: [Opened], ended: Int)) -> Bool) async throws {
            let deadline = ContinuousClock.now + limit
            while !state.withLock({ done($0) }) {
                guard ContinuousClock.now < deadline else { throw TestSetupError("waited \(limit) for \(what)") }
                try await Task.sleep(for: .milliseconds(10))
            }
        }
    }

    /// One stream: reports its head (with the body, for an answer that is not a stream), then
    /// reads until the server closes it.
    private static func hold(port: Int, path: String, token: String, reported: @Sendable (Opened) -> Void) async throws {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\nConnection: close\r\n\r\n"))
            var received = ""
            var announced = false
            for try await chunk in inbound {
                received += String(buffer: chunk)
                guard !announced, let end = received.range(of: "\r\n\r\n") else { continue }
                let head = String(received[..<end.lowerBound])
                let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
                if status == 200 {
                    announced = true
                    reported(Opened(status: status, text: head.lowercased()))
                }
            }
            if !announced {
                let head = received.components(separatedBy: "\r\n\r\n").first ?? ""
                reported(Opened(status: Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0, text: received.lowercased()))
            }
        }
    }
}
