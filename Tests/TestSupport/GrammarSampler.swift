import LanguageModel

/// Random sentences of a ``Grammar``: each choice, repeat count and character drawn at random,
/// so a few hundred samples reach every rule of a small grammar.
package struct GrammarSampler {
    let grammar: Grammar
    private var random: SplitMix

    package init(_ grammar: Grammar, seed: UInt64) {
        self.grammar = grammar
        self.random = SplitMix(state: seed)
    }

    package mutating func sample(rule name: String = "root") -> String {
        sample(grammar.bodies[name]!)
    }

    private mutating func sample(_ term: Grammar.Term) -> String {
        switch term {
        case .literal(let text):
            return text
        case .characters(let set):
            // Letters, digits and the characters SQL and JSON treat specially.
            let candidates = Array("aZz01259 _-'\";\\%.,:()[]{}$\n".unicodeScalars.filter(set.contains))
            return String(candidates[Int(random.next() % UInt64(candidates.count))])
        case .rule(let name):
            return sample(rule: name)
        case .sequence(let terms):
            return terms.map { sample($0) }.joined()
        case .choice(let terms):
            return sample(terms[Int(random.next() % UInt64(terms.count))])
        case .repeated(let inner, let min, let max):
            let count = min + Int(random.next() % UInt64(max - min + 1))
            return (0..<count).map { _ in sample(inner) }.joined()
        }
    }
}

/// A small seeded generator, so a failing sample can be reproduced.
package struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
