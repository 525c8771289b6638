import Foundation
import SchemaModel

/// Decides whether a question asks exactly what a verified example answers, so that the
/// example's query can answer it without the model.
///
/// Embeddings alone cannot decide it: "top 5 artists by tracks" and "top 10 artists by tracks"
/// embed almost alike. So besides a similarity at or over ``threshold``, the two questions must
/// have the same ``Signature``: the same numbers (digits or number words), quoted literals and
/// capitalised names, the same words of the connection's vocabulary (its tables', columns' and
/// sampled values' words: what a filter or a grouping names), the same direction words
/// (most/least, average) and the same periods (per month, yearly). Anything else makes the example a few-shot pair only.
package struct DirectMatch: Sendable {
    /// The similarity a direct answer needs, chosen on paraphrases and near-misses
    /// (docs/benchmarks.md, "Direct answers").
    package var threshold: Double

    /// The default threshold; `ASKDB_EXAMPLE_MATCH_THRESHOLD` overrides it.
    package static let defaultThreshold = 0.80

    package init(threshold: Double = DirectMatch.defaultThreshold) {
        self.threshold = threshold
    }

    /// The candidate (most similar first) whose query answers `question`, if one does.
    package func match(_ question: String, among candidates: [ExampleCandidate], vocabulary: Vocabulary) -> ExampleCandidate? {
        let signature = Signature(question, vocabulary: vocabulary)
        return candidates.first { $0.similarity >= threshold && Signature($0.question, vocabulary: vocabulary) == signature }
    }

    /// The words of a connection's schema and sampled values, singular and lower-cased.
    package struct Vocabulary: Sendable {
        package let words: Set<String>

        package init<S: Sequence>(words: S) where S.Element == String {
            self.words = Set(words.flatMap(Signature.words).map(Signature.singular).filter { $0.count >= 3 && !Signature.stopWords.contains($0) })
        }

        /// The snapshot's object and column names and their categorical values: the words a
        /// filter or a grouping names. Sampled free text (track titles) is left out: its words
        /// are everyday English ("show", "love") and would tell paraphrases apart.
        package init(_ snapshot: SchemaSnapshot) {
            var words: [String] = []
            for object in snapshot.objects {
                words.append(object.name)
                for column in object.columns {
                    words.append(column.name)
                    words += column.profile?.values ?? []
                }
            }
            self.init(words: words.map(Self.splitCamelCase))
        }

        private static func splitCamelCase(_ identifier: String) -> String {
            var text = ""
            var previous: Character?
            for character in identifier {
                if character.isUppercase, let previous, previous.isLowercase { text.append(" ") }
                text.append(character)
                previous = character
            }
            return text
        }
    }

    /// What of a question a matching example's question must share exactly.
    package struct Signature: Equatable, Sendable {
        package var numbers: [String]
        package var quoted: [String]
        package var names: Set<String>
        package var schemaWords: Set<String>
        package var directions: Set<Direction>
        /// Periods a question groups or filters by ("per month", "yearly").
        package var periods: Set<String>

        package enum Direction: Sendable, Hashable {
            case most, least, average
        }

        package init(_ question: String, vocabulary: Vocabulary) {
            let (quoted, rest) = Self.quotedLiterals(in: question)
            self.quoted = quoted.map { $0.lowercased() }.sorted()
            let words = Self.words(rest)
            numbers = words.compactMap(Self.number).sorted()
            names = Self.capitalisedNames(in: rest)
            let lowered = words.map { $0.lowercased() }
            schemaWords = Set(lowered.map(Self.singular).filter(vocabulary.words.contains))
            directions = Set(lowered.compactMap { Self.directionWords[$0] })
            periods = Set(lowered.compactMap { Self.periodWords[$0] })
        }

        /// Literals in double quotes (straight or curly), and in single quotes that open a word
        /// and close one (so "Guns N' Roses" and "artist's" are not literals); the question
        /// without them.
        static func quotedLiterals(in text: String) -> (literals: [String], rest: String) {
            let pairs: [(Character, Character)] = [("\"", "\""), ("“", "”"), ("'", "'"), ("‘", "’")]
            var literals: [String] = []
            var rest = ""
            var index = text.startIndex
            outer: while index < text.endIndex {
                let character = text[index]
                for (open, close) in pairs where character == open {
                    let single = open == "'" || open == "‘"
                    let opensWord = index == text.startIndex || !text[text.index(before: index)].isLetter
                    guard !single || opensWord else { break }
                    var end = text.index(after: index)
                    while end < text.endIndex {
                        let closesWord = text.index(after: end) == text.endIndex || !text[text.index(after: end)].isLetter
                        if text[end] == close && (!single || closesWord) { break }
                        end = text.index(after: end)
                    }
                    guard end < text.endIndex, end > text.index(after: index) else { break }
                    literals.append(String(text[text.index(after: index)..<end]))
                    rest.append(" ")
                    index = text.index(after: end)
                    continue outer
                }
                rest.append(character)
                index = text.index(after: index)
            }
            return (literals, rest)
        }

        /// Runs of letters, digits and the marks inside numbers ("1.5", "10,000").
        static func words(_ text: String) -> [String] {
            var words: [String] = []
            var current = ""
            let characters = Array(text)
            for (offset, character) in characters.enumerated() {
                let insideNumber = (character == "." || character == ",") && !current.isEmpty && current.last!.isNumber
                    && offset + 1 < characters.count && characters[offset + 1].isNumber
                if character.isLetter || character.isNumber || insideNumber {
                    current.append(character)
                } else if !current.isEmpty {
                    words.append(current)
                    current = ""
                }
            }
            if !current.isEmpty { words.append(current) }
            return words
        }

        /// The number a word says, as digits: "5", "five" and "5th" all say 5.
        static func number(_ word: String) -> String? {
            let lowered = word.lowercased()
            if let value = numberWords[lowered] { return String(value) }
            var digits = lowered.replacingOccurrences(of: ",", with: "")
            for suffix in ["st", "nd", "rd", "th", "s"] where digits.hasSuffix(suffix) && digits.count > suffix.count {
                let stem = String(digits.dropLast(suffix.count))
                if Double(stem) != nil { digits = stem; break }
            }
            guard let value = Double(digits), digits.first?.isNumber == true else { return nil }
            return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        }

        /// Words written with a capital other than the first word of a sentence ("Brazil",
        /// "AC/DC", "Rock"), lower-cased.
        static func capitalisedNames(in text: String) -> Set<String> {
            var names = Set<String>()
            var sentenceStart = true
            for word in text.split(whereSeparator: { $0.isWhitespace }) {
                let letters = word.drop { !$0.isLetter && !$0.isNumber }
                if let first = letters.first, first.isUppercase, !sentenceStart, letters != "I" {
                    names.insert(words(String(letters)).joined(separator: " ").lowercased())
                }
                if !letters.isEmpty { sentenceStart = false }
                if let last = word.last, ".?!:;".contains(last) { sentenceStart = true }
            }
            return names
        }

        /// A crude singular ("tracks" → "track", "countries" → "country"): both sides of every
        /// comparison go through it, so it need only be consistent.
        static func singular(_ word: String) -> String {
            let word = word.lowercased()
            if word.count > 4, word.hasSuffix("ies") { return String(word.dropLast(3)) + "y" }
            if word.count > 3, word.hasSuffix("s"), !word.hasSuffix("ss"), !word.hasSuffix("us") { return String(word.dropLast()) }
            return word
        }

        static let numberWords: [String: Int] = [
            "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
            "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
            "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "thousand": 1000, "dozen": 12,
            "single": 1, "pair": 2, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "tenth": 10,
        ]

        static let directionWords: [String: Direction] = [
            "most": .most, "top": .most, "highest": .most, "largest": .most, "biggest": .most, "maximum": .most, "max": .most,
            "greatest": .most, "best": .most, "longest": .most, "more": .most, "newest": .most, "latest": .most, "busiest": .most,
            "least": .least, "fewest": .least, "lowest": .least, "smallest": .least, "minimum": .least, "min": .least, "worst": .least,
            "shortest": .least, "less": .least, "fewer": .least, "bottom": .least, "oldest": .least, "earliest": .least, "cheapest": .least,
            "average": .average, "avg": .average, "mean": .average,
        ]

        static let periodWords: [String: String] = [
            "hour": "hour", "hours": "hour", "hourly": "hour", "day": "day", "days": "day", "daily": "day", "week": "week", "weeks": "week",
            "weekly": "week", "month": "month", "months": "month", "monthly": "month", "quarter": "quarter", "quarters": "quarter",
            "quarterly": "quarter", "year": "year", "years": "year", "yearly": "year", "annual": "year", "annually": "year",
        ]

        /// Words a schema's names or values share with every question: the asking itself ("show",
        /// "list", a playlist called "TV Shows" notwithstanding) and names too common to tell
        /// anything ("name", "id").
        static let stopWords: Set<String> = ["the", "and", "for", "with", "from", "that", "this", "are", "was", "has", "have", "all", "per", "each",
                                             "which", "what", "how", "show", "list", "give", "tell", "find", "display", "get", "return", "name",
                                             "number", "count"]
    }
}
