@testable import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Metrics
import Prometheus
import Support
import Testing

/// The one metrics system of the test process, bootstrapped on first use (swift-metrics allows
/// one bootstrap a process; no other test target bootstraps it).
enum TestMetrics {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    static var text: String {
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

@Suite struct RequestMetricsMiddlewareTests {
    @Test func requestsAreTimedByRouteTemplateNeverByRawPath() async throws {
        _ = TestMetrics.registry
        let id = UUID().lowercasedString
        try await APITestRouter.with { router in
            try await Application(router: router).test(.router) { client in
                try await client.execute(uri: "/api/connections/\(id)", method: .get) { #expect($0.status == .unauthorized) }
                try await client.execute(uri: "/api/no/such/\(id)", method: .get) { #expect($0.status == .notFound) }
            }
        }
        let text = TestMetrics.text
        #expect(text.contains(#"askdb_http_request_duration_seconds_count{method="GET",route="/api/connections/{id}",status="401"}"#), "\(text)")
        #expect(text.contains(#"askdb_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"}"#))
        #expect(!text.contains(id), "a raw path reached a label")
    }

    @Test func unmatchedPathsShareOneLabel() {
        #expect(RequestMetricsMiddleware<AppRequestContext>.route(nil) == "unmatched")
        #expect(RequestMetricsMiddleware<AppRequestContext>.route("NotFound") == "unmatched")
        #expect(RequestMetricsMiddleware<AppRequestContext>.route("/api/history/{id}") == "/api/history/{id}")
    }

    @Test func metricsAreRefusedToAnAddressTheAllowListLacks() async throws {
        // The router test client has no peer address: not loopback, so not allowed.
        try await APITestRouter.with { router in
            try await Application(router: router).test(.router) { client in
                try await client.execute(uri: "/metrics", method: .get) { response in
                    #expect(response.status == .forbidden)
                    let body = try JSONDecoder().decode(APIError.ErrorBody.self, from: Data(buffer: response.body))
                    #expect(body.error.code == "forbidden")
                }
            }
        }
    }
}
