import Foundation

/// BERT's uncased WordPiece tokenizer, as all-MiniLM-L6-v2 uses it: text cleaned of control
/// characters, CJK ideographs split apart, accents stripped and case folded, punctuation split
/// off, then each word split greedily into the longest vocabulary pieces ("##" continues a word).
package struct WordPieceTokenizer: Sendable {
    package let classToken: Int32
    package let separatorToken: Int32
    package let unknownToken: Int32
    package let paddingToken: Int32
    /// Tokens in one sequence at most, `[CLS]` and `[SEP]` included.
    package let maximumLength: Int
    private let vocabulary: [String: Int32]
    /// Longer words become `[UNK]` whole, as in BERT.
    private let maximumWordCharacters = 100

    /// Reads `vocab.txt` (one token a line; the line number is the id).
    package init(vocabularyFile: URL, maximumLength: Int = 256) throws {
        let text: String
        do {
            text = try String(contentsOf: vocabularyFile, encoding: .utf8)
        } catch {
            throw EmbeddingError("cannot read the vocabulary \(vocabularyFile.path): \(error.localizedDescription)")
        }
        var vocabulary: [String: Int32] = [:]
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            vocabulary[String(line.hasSuffix("\r") ? line.dropLast() : line)] = Int32(index)
        }
        func id(_ token: String) throws -> Int32 {
            guard let id = vocabulary[token] else { throw EmbeddingError("the vocabulary has no \(token) token") }
            return id
        }
        classToken = try id("[CLS]")
        separatorToken = try id("[SEP]")
        unknownToken = try id("[UNK]")
        paddingToken = try id("[PAD]")
        self.vocabulary = vocabulary
        self.maximumLength = maximumLength
    }

    /// The ids of `text`: `[CLS]`, its pieces (truncated to fit), `[SEP]`.
    package func encode(_ text: String) -> [Int32] {
        var ids: [Int32] = [classToken]
        ids.reserveCapacity(min(maximumLength, text.utf8.count / 3 + 2))
        let budget = maximumLength - 2
        outer: for word in Self.words(in: text) {
            for piece in pieces(of: word) {
                guard ids.count - 1 < budget else { break outer }
                ids.append(piece)
            }
        }
        ids.append(separatorToken)
        return ids
    }

    /// Splits one normalised word into vocabulary ids, or `[UNK]` when it cannot be.
    private func pieces(of word: [Unicode.Scalar]) -> [Int32] {
        guard word.count <= maximumWordCharacters else { return [unknownToken] }
        var result: [Int32] = []
        var start = 0
        while start < word.count {
            var end = word.count
            var found: Int32?
            while start < end {
                var candidate = String(String.UnicodeScalarView(word[start..<end]))
                if start > 0 { candidate = "##" + candidate }
                if let id = vocabulary[candidate] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let found else { return [unknownToken] }
            result.append(found)
            start = end
        }
        return result
    }

    /// Cleans, normalises and splits `text` into words and punctuation marks.
    static func words(in text: String) -> [[Unicode.Scalar]] {
        var words: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        func flush() {
            if !current.isEmpty {
                words.append(current)
                current = []
            }
        }
        // NFD first, so accents become separate marks that can be dropped.
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            let value = scalar.value
            if value == 0 || value == 0xFFFD || isControl(scalar) { continue }
            if isWhitespace(scalar) {
                flush()
                continue
            }
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            if isCJK(value) || isPunctuation(scalar) {
                flush()
                words.append([scalar])
                continue
            }
            current.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
        }
        flush()
        return words
    }

    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case " ", "\t", "\n", "\r": true
        default: scalar.properties.generalCategory == .spaceSeparator
        }
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\t" || scalar == "\n" || scalar == "\r" { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned: return true
        default: return false
        }
    }

    private static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        // BERT treats every non-alphanumeric ASCII character as punctuation ($, ^, `, ...).
        if (33...47).contains(value) || (58...64).contains(value) || (91...96).contains(value) || (123...126).contains(value) {
            return true
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// The CJK Unified Ideographs blocks, as BERT defines them (not kana or hangul).
    private static func isCJK(_ value: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(value) || (0x3400...0x4DBF).contains(value) || (0x20000...0x2A6DF).contains(value)
            || (0x2A700...0x2B73F).contains(value) || (0x2B740...0x2B81F).contains(value) || (0x2B820...0x2CEAF).contains(value)
            || (0xF900...0xFAFF).contains(value) || (0x2F800...0x2FA1F).contains(value)
    }
}
