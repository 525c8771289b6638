/// A context-free grammar that a model's output is held to, written out as llama.cpp's GBNF.
///
/// Built as a value rather than as text, so tests can walk every shape it admits and check each
/// one against the real parser and the real database.
package struct Grammar: Sendable, Equatable {
    /// One piece of a rule's body.
    package indirect enum Term: Sendable, Equatable {
        /// Exactly this text.
        case literal(String)
        /// One character of a class.
        case characters(CharacterClass)
        /// Another rule, by name.
        case rule(String)
        case sequence([Term])
        case choice([Term])
        /// `term` between `min` and `max` times.
        case repeated(Term, min: Int, max: Int)

        /// `term` or nothing.
        package static func optional(_ term: Term) -> Term { .repeated(term, min: 0, max: 1) }

        /// A choice of literals.
        package static func oneOf(_ literals: [String]) -> Term { .choice(literals.map(Term.literal)) }
    }

    /// A set of characters: inclusive ranges, or everything but them.
    package struct CharacterClass: Sendable, Equatable {
        package var ranges: [ClosedRange<Unicode.Scalar>]
        package var negated: Bool

        package init(_ ranges: [ClosedRange<Unicode.Scalar>], negated: Bool = false) {
            self.ranges = ranges
            self.negated = negated
        }

        /// Whether `scalar` belongs to the class.
        package func contains(_ scalar: Unicode.Scalar) -> Bool {
            ranges.contains { $0.contains(scalar) } != negated
        }
    }

    /// Rule names in the order they were defined; `root` is where output starts.
    package private(set) var names: [String] = []
    package private(set) var bodies: [String: Term] = [:]

    package init(root: Term) {
        define("root", root)
    }

    /// Adds rule `name` (letters, digits and dashes), or replaces its body.
    package mutating func define(_ name: String, _ body: Term) {
        precondition(name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }, "GBNF rule names are letters, digits and dashes")
        if bodies[name] == nil { names.append(name) }
        bodies[name] = body
    }

    /// The grammar as GBNF text, one rule a line.
    package var gbnf: String {
        names.map { "\($0) ::= \(Self.render(bodies[$0]!, nested: false))" }.joined(separator: "\n") + "\n"
    }

    private static func render(_ term: Term, nested: Bool) -> String {
        switch term {
        case .literal(let text):
            return "\"" + text.unicodeScalars.map(escape).joined() + "\""
        case .characters(let set):
            let body = set.ranges.map { range in
                range.lowerBound == range.upperBound ? escapeInClass(range.lowerBound) : "\(escapeInClass(range.lowerBound))-\(escapeInClass(range.upperBound))"
            }.joined()
            return "[" + (set.negated ? "^" : "") + body + "]"
        case .rule(let name):
            return name
        case .sequence(let terms):
            let text = terms.map { render($0, nested: true) }.joined(separator: " ")
            return nested && terms.count > 1 ? "(" + text + ")" : text
        case .choice(let terms):
            let text = terms.map { render($0, nested: false) }.joined(separator: " | ")
            return nested ? "(" + text + ")" : text
        case .repeated(let inner, let min, let max):
            let base = render(inner, nested: true)
            switch (min, max) {
            case (0, 1): return base + "?"
            case (let low, let high) where low == high: return base + "{\(low)}"
            default: return base + "{\(min),\(max)}"
            }
        }
    }

    private static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\"": return "\\\""
        case "\\": return "\\\\"
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        default: return String(scalar)
        }
    }

    private static func escapeInClass(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "]", "[", "-", "^": return "\\" + String(scalar)
        default: return escape(scalar)
        }
    }
}
