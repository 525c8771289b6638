import Foundation
@testable import Support
import Testing

@Suite struct TimeoutTests {
    @Test func returnsTheValueWhenInTime() async throws {
        #expect(try await withTimeout(.seconds(5)) { 42 } == 42)
    }

    @Test func passesErrorsThrough() async {
        struct Boom: Error {}
        await #expect(throws: Boom.self) { try await withTimeout(.seconds(5)) { throw Boom() } }
    }

    @Test func givesUpAtTheLimitEvenIfTheWorkIgnoresCancellation() async throws {
        let started = ContinuousClock.now
        await #expect(throws: TimeoutError.self) {
            try await withTimeout(.milliseconds(200)) {
                // A blocking call on a thread of its own, like a hiredis call.
                await withCheckedContinuation { continuation in
                    Thread.detachNewThread {
                        Thread.sleep(forTimeInterval: 20)
                        continuation.resume()
                    }
                }
            }
        }
        // Far from the 200 ms limit on purpose: a loaded 2-core machine can be slow to schedule.
        #expect(ContinuousClock.now - started < .seconds(10), "returned before the 20 s blocking work ended")
    }
}
