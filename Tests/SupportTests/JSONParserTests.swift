import Foundation
@testable import Support
import Testing

/// The parser reads what `JSONDecoder` read into a `JSONValue`, the same way.
@Suite struct JSONParserTests {
    @Test(arguments: [
        "null", "true", "false", "0", "-0", "42", "-17", "9223372036854775807", "12345678901234567890", "1.5", "-2.25e3", "1.0", "1e3",
        "\"\"", "\"plain\"", "\"esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t\"", "\"\\u00e9\\u4e2d\"", "\"\\ud83d\\ude00 face\"", "\"é 中 😀\"",
        "[]", "{}", "[1, [2, [3]], {\"a\": null}]", " { \"a\" : 1 , \"b\" : [ true , false ] } ",
        "{\"stmts\": [{\"stmt\": {\"SelectStmt\": {\"targetList\": [], \"op\": \"SETOP_NONE\"}}}], \"version\": 150001}",
        "{\"a\": 1, \"a\": 2}",
    ])
    func readsAsJSONDecoderDid(_ text: String) throws {
        let expected = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(try JSONValue(parsing: text) == expected, "\(text)")
    }

    @Test(arguments: ["", "nul", "[1,]", "{\"a\" 1}", "{\"a\": 1,}", "\"open", "[1] 2", "{1: 2}", "\"\u{1}\"", "-", "1.2.3", "\"\\x\""])
    func refusesWhatIsNotJSON(_ text: String) {
        #expect(throws: (any Error).self, "\(text)") { try JSONValue(parsing: text) }
    }

    @Test func refusesNestingTooDeepForTheStack() {
        #expect(throws: (any Error).self) { try JSONValue(parsing: String(repeating: "[", count: 100_000)) }
        #expect(throws: Never.self) { try JSONValue(parsing: String(repeating: "[", count: 200) + String(repeating: "]", count: 200)) }
    }
}
