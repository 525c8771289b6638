/// One argument of a Redis command: raw bytes, so values are binary-safe.
package struct RedisArgument: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    /// The bytes sent to the server.
    package var bytes: [UInt8]

    /// An argument holding `bytes` unchanged.
    package init(bytes: [UInt8]) { self.bytes = bytes }
    /// An argument holding the UTF-8 of `string`.
    package init(_ string: String) { self.bytes = Array(string.utf8) }
    /// An argument holding the decimal digits of `integer`.
    package init(_ integer: Int) { self.init(String(integer)) }
    /// An argument holding `number` as Redis parses floats.
    package init(_ number: Double) { self.init(number.description) }

    package init(stringLiteral value: String) { self.init(value) }
    package init(integerLiteral value: Int) { self.init(value) }
}
