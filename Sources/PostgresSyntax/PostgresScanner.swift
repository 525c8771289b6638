internal import CPgQuery

/// PostgreSQL's own lexer (libpg_query): where each token of a statement starts and ends, so a
/// part of the text the parse tree points at can be replaced exactly (quoting, comments and
/// whitespace included).
package enum PostgresScanner {
    /// One token: its byte range in the UTF-8 text.
    package struct Token: Sendable, Equatable {
        package var start: Int
        package var end: Int
    }

    /// The tokens of `sql`, in order.
    package static func tokens(in sql: String) throws(SQLStatementSplitter.SyntaxError) -> [Token] {
        let result = pg_query_scan(sql)
        defer { pg_query_free_scan_result(result) }
        if let error = result.error { throw SQLStatementSplitter.SyntaxError(error) }
        guard let data = result.pbuf.data else { return [] }
        let bytes = UnsafeRawBufferPointer(start: data, count: Int(result.pbuf.len))
        guard let tokens = ScanResultDecoder(bytes).tokens() else {
            throw SQLStatementSplitter.SyntaxError(message: "the scanner returned an unreadable result", position: nil)
        }
        return tokens
    }
}

/// Reads the two fields AskDB needs from libpg_query's protobuf `ScanResult`
/// (`repeated ScanToken tokens = 2`, each `int32 start = 1; int32 end = 2`), skipping the rest.
private struct ScanResultDecoder {
    private let bytes: UnsafeRawBufferPointer

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    func tokens() -> [PostgresScanner.Token]? {
        var tokens: [PostgresScanner.Token] = []
        var cursor = 0
        while cursor < bytes.count {
            guard let (field, wireType) = key(&cursor) else { return nil }
            if field == 2, wireType == 2 {
                guard let length = varint(&cursor), cursor + Int(length) <= bytes.count else { return nil }
                guard let token = token(in: cursor..<cursor + Int(length)) else { return nil }
                tokens.append(token)
                cursor += Int(length)
            } else if !skip(wireType, &cursor) {
                return nil
            }
        }
        return tokens
    }

    private func token(in range: Range<Int>) -> PostgresScanner.Token? {
        var start = 0, end = 0
        var cursor = range.lowerBound
        while cursor < range.upperBound {
            guard let (field, wireType) = key(&cursor) else { return nil }
            if wireType == 0, field == 1 || field == 2 {
                guard let value = varint(&cursor) else { return nil }
                if field == 1 { start = Int(truncatingIfNeeded: value) } else { end = Int(truncatingIfNeeded: value) }
            } else if !skip(wireType, &cursor) {
                return nil
            }
        }
        return start <= end ? PostgresScanner.Token(start: start, end: end) : nil
    }

    private func key(_ cursor: inout Int) -> (field: UInt64, wireType: UInt64)? {
        varint(&cursor).map { ($0 >> 3, $0 & 7) }
    }

    private func varint(_ cursor: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while cursor < bytes.count, shift < 64 {
            let byte = bytes[cursor]
            cursor += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }

    private func skip(_ wireType: UInt64, _ cursor: inout Int) -> Bool {
        switch wireType {
        case 0: return varint(&cursor) != nil
        case 1: cursor += 8
        case 2:
            guard let length = varint(&cursor) else { return false }
            cursor += Int(length)
        case 5: cursor += 4
        default: return false
        }
        return cursor <= bytes.count
    }
}
