/// Takes secrets and values out of text before it is logged: passwords in URLs and in
/// password-like options, and quoted literals, which in a database's error messages are often
/// values from a user's table (`… for type integer: "canary"`, `Key (email)=(ann@example.com)`).
///
/// The log handlers apply it to every message and metadata string, and the API applies it to
/// the description of an unexpected error before logging it.
package enum LogRedaction {
    /// `text` with URL passwords and secret options replaced by `***` and the contents of
    /// quoted literals by `…`. Text with nothing to redact comes back as it was.
    package static func redact(_ text: String) -> String {
        // The common case, a plain message, costs one scan.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "@") || $0 == UInt8(ascii: "'") || $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: "\"") }) else {
            return text
        }
        return quotedLiterals(in: credentials(in: text))
    }

    /// Replaces the password of every URL's userinfo and the values of password-like options.
    package static func credentials(in text: String) -> String {
        var bytes = Array(text.utf8)
        var changed = false
        var index = 0
        while index + 2 < bytes.count {
            if bytes[index] == UInt8(ascii: ":"), bytes[index + 1] == UInt8(ascii: "/"), bytes[index + 2] == UInt8(ascii: "/") {
                let start = index + 3
                var end = start
                while end < bytes.count, !authorityEnds.contains(bytes[end]) { end += 1 }
                if let at = bytes[start..<end].lastIndex(of: UInt8(ascii: "@")),
                   let colon = bytes[start..<at].firstIndex(of: UInt8(ascii: ":")), bytes[(colon + 1)..<at] != stars[...] {
                    bytes.replaceSubrange((colon + 1)..<at, with: stars)
                    changed = true
                    end -= at - colon - 1 - stars.count
                }
                index = end
                continue
            }
            index += 1
        }
        index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "="), let key = optionKey(before: index, in: bytes), secretOptions.contains(key) else {
                index += 1
                continue
            }
            var end = index + 1
            while end < bytes.count, !valueEnds.contains(bytes[end]) { end += 1 }
            if bytes[(index + 1)..<end] != stars[...] {
                bytes.replaceSubrange((index + 1)..<end, with: stars)
                changed = true
            }
            index += 1 + stars.count
        }
        return changed ? String(decoding: bytes, as: UTF8.self) : text
    }

    /// The contents of quoted literals replaced by `…`: single-quoted ones (SQL, `''` inside is
    /// an escape), double-quoted ones after `: ` (how PostgreSQL quotes a value in a message),
    /// and the values of a `Key (column)=(value)` detail. A quote opens a literal only after a
    /// space, `(`, `=`, `:`, `,`, `[` or the start, and only if it closes on the same line, so
    /// an apostrophe ("PostgreSQL's grammar") is left alone.
    static func quotedLiterals(in text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "'") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "=") }) else { return text }
        let characters = Array(text)
        var output = ""
        output.reserveCapacity(text.utf8.count)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let before: Character = index == 0 ? " " : characters[index - 1]
            if character == "'", literalMayOpen(after: before), let close = closing("'", in: characters, from: index + 1, doubledEscapes: true) {
                output += "'…'"
                index = close + 1
                continue
            }
            if character == "\"", before == " ", index >= 2, characters[index - 2] == ":",
               let close = closing("\"", in: characters, from: index + 1, doubledEscapes: false) {
                output += "\"…\""
                index = close + 1
                continue
            }
            if character == "=", before == ")", index + 1 < characters.count, characters[index + 1] == "(",
               let close = characters[(index + 2)...].firstIndex(where: { $0 == ")" || $0 == "\n" }), characters[close] == ")" {
                output += "=(…)"
                index = close + 1
                continue
            }
            output.append(character)
            index += 1
        }
        return output
    }

    private static func literalMayOpen(after character: Character) -> Bool {
        character.isWhitespace || "(=:,[".contains(character)
    }

    /// Where the literal opened before `start` closes on the same line, if it does.
    private static func closing(_ quote: Character, in characters: [Character], from start: Int, doubledEscapes: Bool) -> Int? {
        var index = start
        while index < characters.count, characters[index] != "\n" {
            if characters[index] == quote {
                if doubledEscapes, index + 1 < characters.count, characters[index + 1] == quote {
                    index += 2
                    continue
                }
                return index
            }
            index += 1
        }
        return nil
    }

    /// The lowercased option name that ends just before `equals`, when it starts an option:
    /// after `?`, `&`, a space or the start of the text.
    private static func optionKey(before equals: Int, in bytes: [UInt8]) -> String? {
        var start = equals
        while start > 0, isKeyByte(bytes[start - 1]) { start -= 1 }
        guard start < equals, start == 0 || optionStarts.contains(bytes[start - 1]) else { return nil }
        return String(decoding: bytes[start..<equals], as: UTF8.self).lowercased()
    }

    private static func isKeyByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
    }

    private static let stars = Array("***".utf8)
    // A password may hold any character but these, so only they end a URL's authority or an
    // option's value (a comma or a parenthesis inside a password must not end it early).
    private static let authorityEnds: Set<UInt8> = Set("/?# \t\n\"".utf8)
    private static let valueEnds: Set<UInt8> = Set("& \t\n\"".utf8)
    private static let optionStarts: Set<UInt8> = Set("?&; \t\n".utf8)
    private static let secretOptions: Set<String> = [
        "password", "sslpassword", "tlscertificatekeyfilepassword", "authmechanismproperties", "passwd", "pwd", "secret", "token",
        "api_key", "apikey",
    ]
}
