import LanguageModel
import SchemaModel
import Support

/// Builds the grammar a model's MongoDB query is held to: `{"collection": …, "pipeline": [...]}`
/// over one of the context's collections, with read-only stages that name only that
/// collection's sampled field paths. Stages that would repeat a name (a second accumulator,
/// a second projected field) are left out: the server refuses duplicates.
package struct MongoGrammar: Sendable {
    package init() {}

    /// The grammar for `objects` (the context's collections, best-ranked first); nil without any.
    package func build(objects: [SchemaObject]) -> Grammar? {
        let collections = objects.filter { $0.kind == .collection && !$0.columns.isEmpty }
        guard !collections.isEmpty else { return nil }
        var grammar = Grammar(root: .sequence([.literal("{\"collection\": "), .choice(collections.indices.map { .rule("c\($0)") }), .literal("}")]))
        let digit = Grammar.Term.characters(.init(["0"..."9"]))
        // JSON numbers have no leading zeros.
        grammar.define("number", .sequence([.optional(.literal("-")), .choice([.literal("0"), .sequence([.characters(.init(["1"..."9"])), .repeated(digit, min: 0, max: 8)])]), .optional(.sequence([.literal("."), .repeated(digit, min: 1, max: 4)]))]))
        grammar.define("text", .sequence([.literal("\""), .repeated(.characters(.init(["\""..."\"", "\\"..."\\", "\n"..."\n", "\r"..."\r", "$"..."$"], negated: true)), min: 0, max: 60), .literal("\"")]))
        grammar.define("value", .choice([.rule("number"), .rule("text"), .oneOf(["true", "false", "null"])]))
        grammar.define("name", .sequence([.literal("\""), .characters(.init(["a"..."z"])), .repeated(.characters(.init(["a"..."z", "0"..."9", "_"..."_"])), min: 0, max: 29), .literal("\"")]))
        grammar.define("positive", .sequence([.characters(.init(["1"..."9"])), .repeated(digit, min: 0, max: 2)]))
        grammar.define("op", .oneOf(["\"$eq\"", "\"$ne\"", "\"$gt\"", "\"$gte\"", "\"$lt\"", "\"$lte\""]))
        grammar.define("acc", .oneOf(["\"$avg\": ", "\"$min\": ", "\"$max\": ", "\"$first\": "]))
        for (index, collection) in collections.enumerated() {
            define(collection, prefix: "c\(index)", in: &grammar)
        }
        return grammar
    }

    private func define(_ collection: SchemaObject, prefix: String, in grammar: inout Grammar) {
        func rule(_ suffix: String) -> Grammar.Term { .rule("\(prefix)-\(suffix)") }
        // `items[].sku` is written `items.sku` in a query.
        let paths = collection.columns.map { $0.name.replacingOccurrences(of: "[]", with: "") }
        let arrays = collection.columns.filter { $0.type.hasPrefix("array") }.map { $0.name.replacingOccurrences(of: "[]", with: "") }
        grammar.define("\(prefix)-field", .oneOf(paths.map { JSONValue.string($0).jsonText }))
        grammar.define("\(prefix)-ref", .oneOf(paths.map { JSONValue.string("$" + $0).jsonText }))
        let condition = Grammar.Term.sequence([rule("field"), .literal(": "), .choice([
            .rule("value"), .sequence([.literal("{"), .rule("op"), .literal(": "), .rule("value"), .literal("}")]),
        ])])
        let more = { (term: Grammar.Term, count: Int) in Grammar.Term.repeated(.sequence([.literal(", "), term]), min: 0, max: count) }
        // Only $sum takes a constant (counting); the others take a field.
        let accumulator = Grammar.Term.sequence([.literal(", "), .rule("name"), .literal(": {"), .choice([
            .sequence([.literal("\"$sum\": "), .choice([rule("ref"), .literal("1")])]), .sequence([.rule("acc"), rule("ref")]),
        ]), .literal("}")])
        var stages: [Grammar.Term] = [
            .sequence([.literal("{\"$match\": {"), condition, more(condition, 3), .literal("}}")]),
            .sequence([.literal("{\"$group\": {\"_id\": "), .choice([rule("ref"), .literal("null")]), .optional(accumulator), .literal("}}")]),
            .sequence([.literal("{\"$sort\": {"), .choice([rule("field"), .rule("name")]), .oneOf([": 1", ": -1"]), .literal("}}")]),
            .sequence([.literal("{\"$limit\": "), .rule("positive"), .literal("}")]),
            // One field each: two could collide (`a` and `a.b`), which the server refuses.
            .sequence([.literal("{\"$project\": {"), rule("field"), .literal(": 1}}")]),
            .sequence([.literal("{\"$count\": "), .rule("name"), .literal("}")]),
        ]
        if !arrays.isEmpty {
            stages.append(.sequence([.literal("{\"$unwind\": "), .oneOf(arrays.map { JSONValue.string("$" + $0).jsonText }), .literal("}")]))
        }
        grammar.define("\(prefix)-stage", .choice(stages))
        grammar.define(prefix, .sequence([.literal(JSONValue.string(collection.name).jsonText + ", \"pipeline\": ["),
                                          .optional(.sequence([rule("stage"), more(rule("stage"), 5)])), .literal("]")]))
    }
}
