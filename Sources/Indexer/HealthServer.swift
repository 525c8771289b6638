import Foundation
import Hummingbird
import Logging
import Runtime

/// The worker's only HTTP surface: liveness and readiness for orchestrators, and `/metrics`
/// for Prometheus (the callers `ASKDB_METRICS_ALLOW` lists).
enum HealthServer {
    static func application(probe: ReadinessProbe, metrics: MetricsEndpoint, host: String, port: Int, logger: Logger) -> some ApplicationProtocol {
        let router = Router(context: HealthRequestContext.self)
        metrics.register(on: router) { $0.peerAddress }
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

/// A health request's context: the basic one plus the peer's address, which `/metrics` checks.
struct HealthRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connecting peer's IP address (the indexer believes no forwarding header).
    let peerAddress: String

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}
