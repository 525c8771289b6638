/// A reply from Redis, typed as the protocol (RESP2) types it.
package enum RedisReply: Sendable, Hashable {
    /// The null bulk string or null array (a missing key, a timed-out blocking read).
    case null
    case integer(Int)
    /// A bulk string: binary-safe bytes.
    case bulkString([UInt8])
    /// A status reply such as `OK` or `PONG`.
    case simpleString(String)
    case array([RedisReply])
    /// An error reply, e.g. `WRONGTYPE …`; ``RedisClient/send(_:timeout:)`` throws these.
    case error(String)

    /// The reply as UTF-8 text, for bulk and simple strings.
    package var string: String? {
        switch self {
        case .bulkString(let bytes): String(decoding: bytes, as: UTF8.self)
        case .simpleString(let string): string
        default: nil
        }
    }

    /// The reply's bytes, for bulk strings.
    package var bytes: [UInt8]? {
        if case .bulkString(let bytes) = self { return bytes }
        return nil
    }

    /// The reply as an integer, for integer replies and bulk strings holding digits.
    package var int: Int? {
        switch self {
        case .integer(let value): value
        case .bulkString, .simpleString: string.flatMap { Int($0) }
        default: nil
        }
    }

    /// The elements of an array reply.
    package var array: [RedisReply]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    package var isNull: Bool { self == .null }
}

extension Array where Element == RedisReply {
    /// Throws the first error reply, for pipelines whose commands must all succeed.
    package func throwingFirstError() throws -> Self {
        for case .error(let message) in self {
            throw RedisError(.serverError, message)
        }
        return self
    }
}
