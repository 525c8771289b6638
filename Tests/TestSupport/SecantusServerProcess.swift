import Foundation
import Support

/// A private SecantusDB (MongoDB-compatible) server with on-disk storage, so it can be restarted
/// with `--auth` after its users were created.
package final class SecantusServerProcess: @unchecked Sendable {
    package let storage: URL
    package private(set) var port = 0
    private var process: ChildProcess?

    package init() throws {
        storage = FileManager.default.temporaryDirectory.appendingPathComponent("askdb-secantus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: storage, withIntermediateDirectories: true)
    }

    deinit {
        process = nil
        try? FileManager.default.removeItem(at: storage)
    }

    /// Starts the server and waits for the port it reports.
    /// - Parameter tls: its certificate and key files; TLS is then required.
    package func start(auth: Bool, tls: (certificate: String, key: String)? = nil) async throws {
        let executable = ProcessInfo.processInfo.environment["ASKDB_TEST_SECANTUS"] ?? ""
        guard !executable.isEmpty else { throw TestSetupError("ASKDB_TEST_SECANTUS is not set: run the tests through scripts/test.sh") }
        let process = try ChildProcess(
            executable: executable,
            arguments: ["--host", "127.0.0.1", "--port", "0", "--storage-path", storage.path, "--standalone"] + (auth ? ["--auth"] : [])
                + (tls.map { ["--tls-cert-file", $0.certificate, "--tls-key-file", $0.key] } ?? [])
        )
        self.process = process
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let range = process.output.range(of: "secantus listening on 127.0.0.1:") {
                let digits = process.output[range.upperBound...].prefix(while: \.isNumber)
                if let port = Int(digits) {
                    self.port = port
                    return
                }
            }
            guard process.isRunning else { throw TestSetupError("SecantusDB exited: \(process.output)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestSetupError("SecantusDB did not report its port")
    }

    package func stop() async throws {
        guard let process else { return }
        process.send(SIGTERM)
        try await process.waitForExit(timeout: .seconds(20))
        self.process = nil
    }
}
