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

    @Test func timestampsAreUTCWithMilliseconds() {
        #expect(JSONLogHandler.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(JSONLogHandler.timestamp(Date(timeIntervalSince1970: 951_782_400.5)) == "2000-02-29T00:00:00.500Z")
    }
}
