/// RFC 4180 CSV: fields separated by commas, records by CRLF or LF; a field with a comma,
/// a quote or a line break is quoted, its quotes doubled.
package enum CSV {
    /// A record of the file: where it starts (1 is the header) and its fields.
    package struct Record: Sendable, Equatable {
        package var line: Int
        package var fields: [String]
    }

    /// A file that cannot be read as CSV at all.
    package struct Malformed: Error, Equatable {
        package var line: Int
        package var message: String
    }

    /// The text as records, with the line each starts on. A leading byte-order mark, CRLF or LF
    /// line ends and a last line without an end are all accepted; blank lines are skipped.
    package static func records(_ text: String) throws(Malformed) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var line = 1, recordLine = 1
        var quoted = false, fieldStarted = false, closed = false
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var index = 0
        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !fieldStarted) { records.append(Record(line: recordLine, fields: fields)) }
            fields = []
            field = ""
            fieldStarted = false
            closed = false
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if quoted {
                if scalar == "\"" {
                    if index + 1 < scalars.count, scalars[index + 1] == "\"" {
                        field.unicodeScalars.append("\"")
                        index += 1
                    } else {
                        quoted = false
                        closed = true
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
            } else {
                switch scalar {
                case "\"":
                    guard field.isEmpty, !closed else { throw Malformed(line: line, message: "a quote inside an unquoted field: quote the whole field and double its quotes") }
                    quoted = true
                    fieldStarted = true
                case ",":
                    fields.append(field)
                    field = ""
                    fieldStarted = true
                    closed = false
                case "\r" where index + 1 < scalars.count && scalars[index + 1] == "\n":
                    break
                case "\n":
                    endRecord()
                    line += 1
                    recordLine = line
                default:
                    guard !closed else { throw Malformed(line: line, message: "text after a closing quote: double a quote inside a quoted field") }
                    field.unicodeScalars.append(scalar)
                }
            }
            index += 1
        }
        guard !quoted else { throw Malformed(line: recordLine, message: "a quoted field is not closed") }
        endRecord()
        return records
    }

    /// `value` as one field: quoted when it must be.
    package static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
