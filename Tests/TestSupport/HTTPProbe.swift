import Foundation
import NIOCore
import NIOPosix

/// A minimal HTTP/1.1 client over loopback, for tests of separately started processes.
package enum HTTPProbe {
    /// The status code of `GET url`, or nil when nothing answered.
    package static func status(of url: String) async -> Int? {
        try? await request("GET", url).status
    }

    /// Sends one request with `Connection: close` and reads the whole answer.
    package static func request(
        _ method: String,
        _ url: String,
        headers: [String: String] = [:],
        json: String? = nil
    ) async throws -> (status: Int, body: String) {
        guard let components = URLComponents(string: url), let host = components.host, let port = components.port else {
            throw TestSetupError("bad URL \(url)")
        }
        let path = components.path.isEmpty ? "/" : components.path
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let json { head += "Content-Type: application/json\r\nContent-Length: \(json.utf8.count)\r\n" }
        let message = head + "\r\n" + (json ?? "")
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(2))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let received = try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: message))
            var received = ""
            for try await chunk in inbound { received += String(buffer: chunk) }
            return received
        }
        let parts = received.components(separatedBy: "\r\n\r\n")
        let statusLine = parts.first?.split(separator: "\r\n").first ?? ""
        let fields = statusLine.split(separator: " ")
        guard fields.count >= 2, let status = Int(fields[1]) else { throw TestSetupError("no HTTP status in answer") }
        return (status, parts.dropFirst().joined(separator: "\r\n\r\n"))
    }
}
