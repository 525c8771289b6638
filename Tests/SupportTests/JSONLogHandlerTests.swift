import Foundation
import Logging
@testable import Support
import Testing

struct JSONLogHandlerTests {
    @Test func aLineIsOneJSONObjectWithSortedKeysAndEscapedText() throws {
        let time = Date(timeIntervalSince1970: 1_764_559_631.142)
        let line = JSONLogHandler.line(time: time, level: .warning, label: "askdb.api", message: "said \"hi\"\n\tthen\u{01} left/right ü",
                                       metadata: ["user": "u-1", "level": "not me", "tags": .array(["a", .dictionary(["z": "1", "b": "2"])]),
                                                  "count": .stringConvertible(42)])
        let text = String(decoding: line, as: UTF8.self)
        #expect(!text.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
        #expect(object["message"] as? String == "said \"hi\"\n\tthen\u{01} left/right ü")
        #expect(object["level"] as? String == "warning" && object["label"] as? String == "askdb.api")
        #expect(object["time"] as? String == "2025-12-01T03:27:11.142Z")
        #expect(object["user"] as? String == "u-1" && object["count"] as? String == "42")
        #expect(((object["tags"] as? [Any])?.last as? [String: String]) == ["b": "2", "z": "1"])
        #expect(text.hasPrefix("{\"count\":\"42\",\"label\":") && text.contains("left/right"))
    }

    @Test func metadataValuesAreRedacted() throws {
        let line = JSONLogHandler.line(time: Date(), level: .info, label: "t", message: "m",
                                       metadata: ["url": "postgres://ann:hunter2@db/app", "nested": .array([.stringConvertible("token=abc")])])
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.contains("postgres://ann:***@db/app") && text.contains("token=***"))
        #expect(!text.contains("hunter2") && !text.contains("abc"))
    }

    @Test func theTextHandlerRedactsToo() {
        final class Lines: LogHandler, @unchecked Sendable {
            var seen: [String] = []
            var metadata: Logger.Metadata = [:]
            var logLevel: Logger.Level = .trace
            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }
            func log(event: LogEvent) { seen.append("\(event.message) \(event.metadata ?? [:]) \(metadata)") }
        }
        let lines = Lines()
        var logger = Logger(label: "t") { _ in RedactingLogHandler(lines) }
        logger[metadataKey: "source"] = "redis://:s3cret@cache:6379"
        logger.info("connecting to postgres://a:b@h/d", metadata: ["detail": "Key (email)=(ann@example.com) exists"])
        let line = lines.seen.joined()
        #expect(!line.contains("s3cret") && !line.contains(":b@") && !line.contains("ann@example.com"))
        #expect(line.contains("postgres://a:***@h/d"))
    }

    @Test func timestampsAreUTCWithMilliseconds() {
        #expect(JSONLogHandler.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(JSONLogHandler.timestamp(Date(timeIntervalSince1970: 951_782_400.5)) == "2000-02-29T00:00:00.500Z")
    }
}
