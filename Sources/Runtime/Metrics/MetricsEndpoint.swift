import Hummingbird
import Prometheus
import Support

/// `GET /metrics`: the process's series in Prometheus's text format, for scrapers whose address
/// `ASKDB_METRICS_ALLOW` lists (default loopback); anyone else gets 403 with the JSON error body.
package struct MetricsEndpoint: Sendable {
    private let registry: PrometheusCollectorRegistry
    private let allowed: AddressAllowList

    package init(registry: PrometheusCollectorRegistry, allowed: AddressAllowList) {
        self.registry = registry
        self.allowed = allowed
    }

    /// Registers the route; `clientAddress` reads the caller's address from a request's context.
    package func register<Context: RequestContext>(on router: Router<Context>, clientAddress: @escaping @Sendable (Context) -> String) {
        router.get("/metrics") { _, context in
            self.response(for: clientAddress(context))
        }
    }

    /// The answer to a scrape from `address`.
    package func response(for address: String) -> Response {
        guard allowed.allows(address) else {
            let body = #"{"error":{"code":"forbidden","message":"/metrics answers only the addresses ASKDB_METRICS_ALLOW lists"}}"#
            return Response(status: .forbidden, headers: [.contentType: "application/json; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: exposition())))
    }

    /// Every series of the registry in Prometheus's text format.
    package func exposition() -> [UInt8] {
        var text: [UInt8] = []
        text.reserveCapacity(16 * 1024)
        registry.emit(into: &text)
        return text
    }
}
