import Metrics
import Prometheus

/// How AskDB's processes turn swift-metrics into Prometheus series. Each executable makes the
/// registry and bootstraps `MetricsSystem` with ``make(registry:)`` once, first thing in its
/// entry point; library code only records through swift-metrics.
package enum MetricsFactory {
    /// A Prometheus factory over `registry`, with buckets that fit each timer's range.
    package static func make(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = seconds([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10])
        // A model's reply and an indexing job take far longer than a request.
        factory.durationHistogramBuckets = [
            "askdb_model_request_duration_seconds": seconds([0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80, 160]),
            "askdb_job_duration_seconds": seconds([0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 1800, 3600]),
            "askdb_embedding_duration_seconds": seconds([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]),
            "askdb_source_query_duration_seconds": seconds([0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]),
            "askdb_redis_pool_wait_seconds": seconds([0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5]),
        ]
        // Prometheus names allow [a-zA-Z0-9_:] only (libraries' labels may hold dots).
        factory.nameAndLabelSanitizer = { name, labels in
            (sanitized(name), labels.map { (sanitized($0.0), $0.1) })
        }
        return factory
    }

    private static func seconds(_ values: [Double]) -> [Duration] {
        values.map { Duration.nanoseconds(Int64(($0 * 1_000_000_000).rounded())) }
    }

    static func sanitized(_ name: String) -> String {
        String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":") ? $0 : "_" })
    }
}
