import Core
import Foundation
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
                        Thread.sleep(forTimeInterval: 2)
                        continuation.resume()
                    }
                }
            }
        }
        #expect(ContinuousClock.now - started < .milliseconds(1800), "returned before the 2 s blocking work ended")
    }
}
