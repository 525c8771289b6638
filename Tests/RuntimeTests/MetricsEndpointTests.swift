import Metrics
import Prometheus
@testable import Runtime
@testable import Support
import Testing

struct MetricsEndpointTests {
    @Test func anAllowedScraperGetsTheTextFormatAndAnyoneElseTheErrorBody() {
        let registry = PrometheusCollectorRegistry()
        Counter(label: "askdb_questions_total", dimensions: [("outcome", "answered")], factory: PrometheusMetricsFactory(registry: registry)).increment(by: 3)
        let endpoint = MetricsEndpoint(registry: registry, allowed: .loopback)
        let text = String(decoding: endpoint.exposition(), as: UTF8.self)
        #expect(text.contains("askdb_questions_total{outcome=\"answered\"} 3"), "\(text)")
        #expect(endpoint.response(for: "127.0.0.1").status == .ok)
        #expect(endpoint.response(for: "::1").status == .ok)
        #expect(endpoint.response(for: "192.0.2.7").status == .forbidden)
        #expect(endpoint.response(for: "unknown").status == .forbidden)
    }

    @Test func theFactoryGivesNamesPrometheusAcceptsAndTimersTheirBuckets() {
        let registry = PrometheusCollectorRegistry()
        let factory = MetricsFactory.make(registry: registry)
        Counter(label: "hb.requests", dimensions: [("http.route", "/api/jobs/{id}")], factory: factory).increment()
        Timer(label: "askdb_model_request_duration_seconds", dimensions: [("model", "m"), ("outcome", "ok")], factory: factory)
            .recordNanoseconds(30_000_000_000)
        let text = String(decoding: MetricsEndpoint(registry: registry, allowed: .loopback).exposition(), as: UTF8.self)
        #expect(text.contains("hb_requests{http_route=\"/api/jobs/{id}\"} 1"), "\(text)")
        // A model's 30 s falls in the 40 s bucket, past the request buckets' 10 s.
        #expect(text.contains("askdb_model_request_duration_seconds_bucket{model=\"m\",outcome=\"ok\",le=\"40.0\"} 1"), "\(text)")
    }

    @Test func redisMemoryIsReadFromInfo() {
        let fields = RedisMemory.fields("# Memory\r\nused_memory:1048576\r\nused_memory_human:1.00M\r\nmaxmemory:0\r\n")
        #expect(fields["used_memory"] == 1_048_576 && fields["maxmemory"] == 0 && fields["used_memory_human"] == nil)
    }
}
