extension Sequence where Element == UInt8 {
    /// The bytes as lower-case hexadecimal: digests in keys, ids and logs. (`String(format:)`
    /// per byte went through printf and showed in profiles of cached answers.)
    package var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var characters: [UInt8] = []
        characters.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            characters.append(digits[Int(byte >> 4)])
            characters.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: characters, as: UTF8.self)
    }
}
