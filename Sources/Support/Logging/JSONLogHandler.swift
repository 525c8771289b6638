import Foundation
import Logging

/// Writes one JSON object a line to standard error: time, level, label, message and metadata,
/// keys sorted, every value passed through ``LogRedaction`` and ``LogIDs``; the metadata
/// provider's (``LogContext``: the request or job id) on every line.
///
/// The line is written by hand: JSONSerialization and a date formatter per line were a third of
/// a cached answer's cost with the request log on.
package struct JSONLogHandler: LogHandler {
    package var metadata: Logger.Metadata = [:]
    package var logLevel: Logger.Level
    package var metadataProvider: Logger.MetadataProvider?
    private let label: String

    /// Creates a handler for loggers labelled `label`.
    package init(label: String, level: Logger.Level, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.logLevel = level
        self.metadataProvider = metadataProvider
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var line = rendered(event)
        line.append(0x0A)
        // One write per line, so lines from several threads do not interleave.
        line.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(STDERR_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }

    /// The event's line (without its newline): the provider's metadata, then the logger's, then the event's own.
    package func rendered(_ event: LogEvent, at time: Date = Date()) -> [UInt8] {
        var lineMetadata = metadataProvider?.get() ?? [:]
        lineMetadata.merge(metadata) { _, new in new }
        lineMetadata.merge(event.metadata ?? [:]) { _, new in new }
        return Self.line(time: time, level: event.level, label: label, message: Self.clean(event.message.description), metadata: lineMetadata)
    }

    private static let fixedKeys: Set = ["label", "level", "message", "time"]

    /// One log line, without its newline. Metadata never replaces the four fixed fields.
    package static func line(time: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata) -> [UInt8] {
        var fields: [(key: String, value: Logger.Metadata.Value)] = [
            ("label", .string(label)), ("level", .string(level.rawValue)), ("message", .string(message)), ("time", .string(timestamp(time))),
        ]
        for (key, value) in metadata where !fixedKeys.contains(key) {
            fields.append((key, value))
        }
        var output: [UInt8] = []
        output.reserveCapacity(256)
        appendObject(fields, to: &output)
        return output
    }

    private static func appendObject(_ fields: [(key: String, value: Logger.Metadata.Value)], to output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
        for (index, field) in fields.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            appendString(field.key, to: &output)
            output.append(UInt8(ascii: ":"))
            appendValue(field.value, to: &output)
        }
        output.append(UInt8(ascii: "}"))
    }

    private static func appendValue(_ value: Logger.Metadata.Value, to output: inout [UInt8]) {
        switch value {
        case .string(let string): appendString(clean(string), to: &output)
        case .stringConvertible(let convertible): appendString(clean(convertible.description), to: &output)
        case .array(let values):
            output.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                appendValue(value, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .dictionary(let values):
            appendObject(values.map { ($0.key, $0.value) }, to: &output)
        }
    }

    /// What a line's text goes through: no secrets, ids as the API writes them.
    private static func clean(_ text: String) -> String {
        LogIDs.lowercased(LogRedaction.redact(text))
    }

    private static func appendString(_ string: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                output.append(contentsOf: "\\u00\([byte].hexString)".utf8)
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// RFC 3339 UTC with milliseconds: "2026-12-01T03:27:11.142Z".
    package static func timestamp(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func digits(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(digits(parts.tm_year + 1900, 4))-\(digits(parts.tm_mon + 1, 2))-\(digits(parts.tm_mday, 2))T"
            + "\(digits(parts.tm_hour, 2)):\(digits(parts.tm_min, 2)):\(digits(parts.tm_sec, 2)).\(digits(Int32(milliseconds % 1000), 3))Z"
    }
}
