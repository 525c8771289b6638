import ServiceLifecycle

/// The loop of a service that does one thing now and then (prunes history, heartbeats,
/// schedules re-indexes, samples metrics): `body` at once and then after every `interval`
/// (scaled by a factor drawn from `jitter` each time, so processes started together drift
/// apart), until graceful shutdown or cancellation, either of which ends the wait at once.
package enum Periodically {
    package static func run(every interval: Duration, jitter: ClosedRange<Double> = 1...1, _ body: () async -> Void) async {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            await body()
            let wait = jitter.lowerBound == jitter.upperBound ? interval * jitter.lowerBound : interval * Double.random(in: jitter)
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: wait) }
        }
    }
}
