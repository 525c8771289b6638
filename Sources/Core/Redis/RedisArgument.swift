/// One argument of a Redis command: raw bytes, so values are binary-safe.
public struct RedisArgument: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    /// The bytes sent to the server.
    public var bytes: [UInt8]

    /// An argument holding `bytes` unchanged.
    public init(bytes: [UInt8]) { self.bytes = bytes }
    /// An argument holding the UTF-8 of `string`.
    public init(_ string: String) { self.bytes = Array(string.utf8) }
    /// An argument holding the decimal digits of `integer`.
    public init(_ integer: Int) { self.init(String(integer)) }
    /// An argument holding `number` as Redis parses floats.
    public init(_ number: Double) { self.init(number.description) }

    public init(stringLiteral value: String) { self.init(value) }
    public init(integerLiteral value: Int) { self.init(value) }
}
