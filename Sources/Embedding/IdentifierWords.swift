import Foundation

/// Splits run-together identifiers into words: `sbcustcountry` → `sb cust country`. PostgreSQL
/// folds unquoted camelCase to lower case, so neither `_` nor capitals mark the words; a
/// dictionary does. The words are written beside the identifier in schema documents, so the
/// full-text and vector halves of retrieval both see "country" in that column.
package struct IdentifierWords: Sendable {
    private let words: Set<String>
    private let longest: Int

    /// `words`: a vocabulary of whole, lower-case words (pieces shorter than 2 letters are ignored).
    package init<S: Sequence>(words: S) where S.Element == String {
        let kept = Set(words.filter { $0.count >= 2 && $0.allSatisfy { $0.isASCII && $0.isLowercase } })
        self.words = kept
        self.longest = kept.map(\.count).max() ?? 0
    }

    /// The whole words of a WordPiece vocabulary (`vocab.txt`: one token a line; `##` pieces
    /// and bracketed specials are not words).
    package init(vocabularyFile: URL) throws {
        let text = try String(contentsOf: vocabularyFile, encoding: .utf8)
        self.init(words: text.split(whereSeparator: \.isNewline).lazy.map(String.init).filter { !$0.hasPrefix("##") })
    }

    /// The words of `identifier`, or nil when it splits no further than its `_` and digits do.
    package func split(_ identifier: String) -> [String]? {
        var pieces: [String] = []
        var changed = false
        for part in identifier.lowercased().split(whereSeparator: { !$0.isLetter || !$0.isASCII }) {
            let part = String(part)
            if let segmented = segment(part), segmented.count > 1 {
                pieces += segmented
                changed = true
            } else {
                pieces.append(part)
            }
        }
        return changed ? pieces : nil
    }

    /// The fewest dictionary words that make up `text` exactly, with at most one stray letter
    /// between them (`sb` + `x` + `date`); nil when there is no such split.
    func segment(_ text: String) -> [String]? {
        let characters = Array(text)
        let count = characters.count
        guard count >= 4, count <= 64, !words.contains(text) else { return nil }
        // best[i]: (cost, start of the last piece) for characters[0..<i].
        var best: [(cost: Int, from: Int)?] = Array(repeating: nil, count: count + 1)
        best[0] = (0, 0)
        for end in 1...count {
            for start in max(0, end - longest)..<end {
                guard let before = best[start] else { continue }
                let piece = String(characters[start..<end])
                let cost: Int
                if words.contains(piece) {
                    cost = before.cost + 10
                } else if end - start == 1 {
                    cost = before.cost + 25
                } else {
                    continue
                }
                if best[end] == nil || cost < best[end]!.cost { best[end] = (cost, start) }
            }
        }
        guard best[count] != nil else { return nil }
        var pieces: [String] = []
        var end = count
        while end > 0 {
            let start = best[end]!.from
            pieces.append(String(characters[start..<end]))
            end = start
        }
        return pieces.filter { !words.contains($0) }.count <= 1 ? pieces.reversed() : nil
    }
}
