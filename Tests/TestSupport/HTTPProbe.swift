import Foundation
import NIOCore
import NIOPosix

/// A minimal HTTP GET against loopback, for tests of separately started processes.
public enum HTTPProbe {
    /// The status code of `GET url`, or nil when nothing answered.
    public static func status(of url: String) async -> Int? {
        guard let components = URLComponents(string: url), let host = components.host, let port = components.port else { return nil }
        let path = components.path.isEmpty ? "/" : components.path
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(2))
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
            return try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(ByteBuffer(string: "GET \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n"))
                var received = ""
                for try await chunk in inbound {
                    received += String(buffer: chunk)
                    if received.contains("\r\n") { break }
                }
                let statusLine = received.split(separator: "\r\n").first ?? ""
                let parts = statusLine.split(separator: " ")
                return parts.count >= 2 ? Int(parts[1]) : nil
            }
        } catch {
            return nil
        }
    }
}
