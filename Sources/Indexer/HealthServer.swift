import Foundation
import Hummingbird
import Logging
import Runtime

/// The worker's only HTTP surface: liveness and readiness for orchestrators.
enum HealthServer {
    static func application(probe: ReadinessProbe, host: String, port: Int, logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        router.get("/health") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        router.get("/ready") { _, _ in
            let report = await probe.check()
            let body = try JSONSerialization.data(withJSONObject: ["status": report.isReady ? "ready" : "not_ready", "failures": report.failures], options: [.sortedKeys])
            return Response(
                status: report.isReady ? .ok : .serviceUnavailable,
                headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: body))
            )
        }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "askdb-indexer"), logger: logger)
    }
}
