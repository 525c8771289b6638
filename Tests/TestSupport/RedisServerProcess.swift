import Foundation
import Redis

/// A private redis-server for tests that stop and restart Redis, on a free loopback port.
package final class RedisServerProcess: @unchecked Sendable {
    package let port: Int
    package let directory: URL
    private let extraArguments: [String]
    private var process: ChildProcess?

    /// Starts a server with persistence on, as the stack runs it.
    package init(extraArguments: [String] = []) throws {
        self.port = try FreePort.find()
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("askdb-redis-\(UUID().uuidString)")
        self.extraArguments = extraArguments
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try start()
    }

    deinit {
        process = nil
        try? FileManager.default.removeItem(at: directory)
    }

    package var url: RedisURL { RedisURL(host: "127.0.0.1", port: port) }

    /// Starts the server on the same port and folder, waiting until it accepts connections.
    package func start() throws {
        process = try ChildProcess(
            executable: try TestServers.redisServerPath,
            arguments: [
                "--bind", "127.0.0.1", "--port", "\(port)", "--dir", directory.path,
                "--appendonly", "yes", "--save", "", "--maxmemory-policy", "noeviction",
            ] + extraArguments
        )
        try FreePort.waitUntilListening(port, timeout: .seconds(10))
    }

    /// Stops the server with SIGTERM (Redis flushes its append-only file and exits).
    package func stop() async throws {
        guard let process else { return }
        process.send(SIGTERM)
        try await process.waitForExit()
        self.process = nil
    }

    /// Stops it the hard way, as a crash would.
    package func kill() async throws {
        guard let process else { return }
        process.send(SIGKILL)
        try await process.waitForExit()
        self.process = nil
    }
}

/// Loopback ports for servers the tests start.
package enum FreePort {
    /// A port nothing listens on right now.
    package static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSetupError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard bound else { throw TestSetupError("could not bind a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Waits until something accepts TCP connections on `port`.
    package static func waitUntilListening(_ port: Int, timeout: Duration) throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if isListening(port) { return }
            usleep(20_000)
        }
        throw TestSetupError("nothing listens on 127.0.0.1:\(port) after \(timeout)")
    }

    package static func isListening(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
