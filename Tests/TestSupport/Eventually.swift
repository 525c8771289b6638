import Support

/// Polls `condition` every 10 ms until it holds (true) or `timeout` passes (false): for changes
/// that reach another part of the system asynchronously, such as PostgreSQL notifications.
package func eventually(timeout: Duration = .seconds(5), _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
}
