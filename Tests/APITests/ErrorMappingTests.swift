@testable import API
import Hummingbird
@testable import Redis
import Logging
@testable import Support
import Synchronization
import Testing

@Suite struct ErrorMappingTests {
    /// Keeps what a logger was told.
    final class Captured: LogHandler, @unchecked Sendable {
        let lines = Mutex<[String]>([])
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let line = "\(event.message) \((event.metadata ?? [:]).map { "\($0.key)=\($0.value)" }.sorted())"
            lines.withLock { $0.append(line) }
        }
    }

    struct Unexpected: Error, CustomDebugStringConvertible {
        var debugDescription: String {
            "lost postgres://askdb:hunter2@db.internal/app while reading value 'canary-7f3a' at row 3"
        }
    }

    /// A Redis pool with no connection free is an overloaded server, not a bug: 503 with a wait.
    @Test func aRedisPoolTimeoutIsBusyWithRetryAfter() {
        let error = ErrorMapping.apiError(for: RedisPoolTimeout(limit: .seconds(5), connections: 8), requestID: "r", logger: Logger(label: "test"))
        #expect(error.status == .serviceUnavailable && error.code == "busy")
        #expect(error.headers[.retryAfter] == "1")
        #expect(!error.message.contains("Redis"), "clients are not told about the server's parts")
    }

    @Test func anUnexpectedErrorIsLoggedRedactedAndAnsweredWithTheRequestID() throws {
        let captured = Captured()
        // As the process's bootstrap installs it: behind the redaction every handler applies.
        let logger = Logger(label: "test") { _ in RedactingLogHandler(captured) }
        let error = ErrorMapping.apiError(for: Unexpected(), requestID: "req-42", logger: logger)
        #expect(error.status == .internalServerError && error.code == "internal_error" && error.requestID == "req-42")
        #expect(error.message.contains("req-42"))
        let lines = captured.lines.withLock { $0 }
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        #expect(line.contains("request_id=req-42") && line.contains("db.internal") && line.contains("row 3"))
        #expect(!line.contains("hunter2") && !line.contains("canary-7f3a"))
        #expect(!error.message.contains("hunter2") && !error.message.contains("canary"))
    }

    @Test func aCancelledRequestIsNotReportedAsABug() {
        let captured = Captured()
        let logger = Logger(label: "test") { _ in captured }
        let error = ErrorMapping.apiError(for: CancellationError(), requestID: "r", logger: logger)
        #expect(error.status == .serviceUnavailable && error.code == "cancelled")
        #expect(captured.lines.withLock { $0 }.allSatisfy { !$0.contains("unexpected") })
    }

    @Test func domainErrorsSayTheirOwnStatusCodeAndMessage() {
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let limited = ErrorMapping.apiError(for: AskDBError(.rateLimited, code: "slow_down", message: "wait", retryAfter: 7), requestID: "r", logger: logger)
        #expect(limited.status == .tooManyRequests && limited.code == "slow_down" && limited.headers[.retryAfter] == "7" && limited.requestID == nil)
        let missing = ErrorMapping.apiError(for: AskDBError.notFound("connection"), requestID: "r", logger: logger)
        #expect(missing.status == .notFound && missing.message == "connection not found")
    }
}
