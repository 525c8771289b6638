import Metrics
import Support

/// The jobs' series: runs ended by this worker, and the queue's depth by state.
package enum JobMetrics {
    /// A run ended `state` (succeeded, failed, dead, cancelled, or retried) after `elapsed`.
    static func finished(kind: String, state: String, after elapsed: Duration) {
        let dimensions = [("kind", kind), ("state", state)]
        Counter(label: "askdb_jobs_finished_total", dimensions: dimensions).increment()
        Timer(label: "askdb_job_duration_seconds", dimensions: dimensions).recordNanoseconds(elapsed.nanoseconds)
    }

    /// Reads the queue's depth into `askdb_queue_jobs{state}`: waiting (the depth an alert
    /// watches grow), in flight, delayed retries, and dead letters. Every indexer reports the
    /// same shared queue, so dashboards take the `max` across them.
    package static func recordQueue(_ jobs: JobService) async throws {
        let stats = try await jobs.queueStats()
        for (state, count) in [("waiting", stats.waiting), ("in_flight", stats.inFlight), ("delayed", stats.delayed), ("dead", stats.deadLetters)] {
            Gauge(label: "askdb_queue_jobs", dimensions: [("state", state)]).record(count)
        }
    }
}
