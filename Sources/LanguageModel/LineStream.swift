import AsyncHTTPClient
import NIOCore

/// The lines of a streamed HTTP body (server-sent events, NDJSON), as they arrive.
struct LineStream: AsyncSequence, Sendable {
    typealias Element = String
    let body: HTTPClientResponse.Body
    /// A line longer than this is an error, not a reason to buffer without end.
    var maximumLine = 4 << 20

    struct AsyncIterator: AsyncIteratorProtocol {
        var chunks: HTTPClientResponse.Body.AsyncIterator
        var buffer: [UInt8] = []
        var finished = false
        let maximumLine: Int

        mutating func next() async throws -> String? {
            while true {
                if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    var line = Array(buffer[..<newline])
                    buffer.removeSubrange(...newline)
                    if line.last == UInt8(ascii: "\r") { line.removeLast() }
                    return String(decoding: line, as: UTF8.self)
                }
                if finished {
                    guard !buffer.isEmpty else { return nil }
                    defer { buffer = [] }
                    return String(decoding: buffer, as: UTF8.self)
                }
                guard let chunk = try await chunks.next() else {
                    finished = true
                    continue
                }
                buffer.append(contentsOf: chunk.readableBytesView)
                guard buffer.count <= maximumLine else { throw LineTooLong() }
            }
        }
    }

    struct LineTooLong: Error {}

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(chunks: body.makeAsyncIterator(), maximumLine: maximumLine)
    }
}
