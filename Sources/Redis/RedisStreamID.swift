/// The id of a Redis stream entry, `<milliseconds>-<sequence>`: ordered, so a reader can tell
/// an entry it has already passed on from a new one.
package struct RedisStreamID: Sendable, Hashable, Comparable, CustomStringConvertible {
    package var milliseconds: UInt64
    package var sequence: UInt64

    /// Before every entry: reading after it reads the whole stream.
    package static let zero = RedisStreamID(milliseconds: 0, sequence: 0)

    package init(milliseconds: UInt64, sequence: UInt64) {
        self.milliseconds = milliseconds
        self.sequence = sequence
    }

    /// Parses `1796122945588-0`, or `1796122945588` (sequence 0); nil for anything else, so
    /// text a client sent never reaches Redis, which would refuse it mid-read.
    package init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count),
              parts.allSatisfy({ (1...19).contains($0.utf8.count) && $0.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } }),
              let milliseconds = UInt64(parts[0]), let sequence = parts.count == 2 ? UInt64(parts[1]) : 0 else { return nil }
        self.init(milliseconds: milliseconds, sequence: sequence)
    }

    package var description: String { "\(milliseconds)-\(sequence)" }

    package static func < (lhs: RedisStreamID, rhs: RedisStreamID) -> Bool {
        (lhs.milliseconds, lhs.sequence) < (rhs.milliseconds, rhs.sequence)
    }
}
