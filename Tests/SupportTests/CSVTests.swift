@testable import Support
import Testing

struct CSVTests {
    @Test func quotedFieldsHoldCommasQuotesAndLineBreaks() throws {
        let text = "\u{FEFF}question,query\r\n\"a, b\",\"say \"\"hi\"\"\"\r\n\r\nplain,\"two\nlines\"\nlast,no end"
        let records = try CSV.records(text)
        #expect(records.map(\.fields) == [["question", "query"], ["a, b", "say \"hi\""], ["plain", "two\nlines"], ["last", "no end"]])
        #expect(records.map(\.line) == [1, 2, 4, 6])
    }

    @Test func malformedFilesNameTheirLine() {
        #expect(throws: CSV.Malformed.self) { try CSV.records("a,b\n\"never closed") }
        #expect((try? CSV.records("a,b\nx,\"quoted\"after")) == nil)
        #expect((try? CSV.records("a,b\nx\"y,z")) == nil)
        do {
            _ = try CSV.records("a,b\n1,2\n\"open")
        } catch {
            #expect(error.line == 3)
        }
    }

    @Test func fieldsRoundTrip() throws {
        let values = ["plain", "with, comma", "with \"quote\"", "line\nbreak", "cr\rhere", "", "ünïcödé"]
        let text = values.map(CSV.field).joined(separator: ",") + "\r\n"
        #expect(try CSV.records(text).first?.fields == values)
    }
}
