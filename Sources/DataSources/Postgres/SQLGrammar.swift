import LanguageModel
import PostgresSyntax
import SchemaModel

/// Builds the grammar a model's SQL is held to from the tables a question's context holds.
///
/// The query is a SELECT over one *scope*: a set of one to three tables connected by real
/// foreign keys, joined only along those keys, whose select list, conditions and ordering name
/// only that scope's columns. Shapes that PostgreSQL would reject after parsing are left out
/// too: sums of text, a grouped query ordering by an ungrouped column, a date compared with a
/// number. So whatever the model writes parses, names real objects and plans. Repeats are
/// bounded tightly enough that the longest query fits well inside the reply's token limit: a
/// small model that rambles inside a string literal still reaches the closing `;`.
package struct SQLGrammar: Sendable {
    /// Scopes kept, those of the best-ranked tables first; bounds the grammar's size.
    package var maximumScopes = 32

    package init() {}

    /// The grammar for `objects`, best-ranked first (the order of ``SchemaContext/objects``).
    /// Nil when no object has a column to select.
    package func build(objects: [SchemaObject]) -> Grammar? {
        let tables = objects.filter { !$0.columns.isEmpty && $0.kind != .collection }
        let scopes = Self.scopes(of: tables).prefix(maximumScopes)
        guard !scopes.isEmpty else { return nil }
        var grammar = Grammar(root: .sequence([.choice(scopes.indices.map { .rule("s\($0)") }), .literal(";")]))
        Self.defineShared(in: &grammar)
        for (index, scope) in scopes.enumerated() {
            ScopeRules(prefix: "s\(index)", scope: scope).define(in: &grammar)
        }
        return grammar
    }

    /// A foreign key from `from` to `to`, as the text of a join condition.
    struct Link {
        let from: SchemaObject
        let to: SchemaObject
        let key: ForeignKey
    }

    /// Tables that may be queried together, with every order they may be joined in.
    struct Scope {
        let tables: [SchemaObject]
        let froms: [String]
    }

    static func scopes(of tables: [SchemaObject]) -> [Scope] {
        let rank = Dictionary(tables.enumerated().map { ($1.qualifiedName, $0) }, uniquingKeysWith: { first, _ in first })
        var links: [Link] = []
        for table in tables {
            for key in table.foreignKeys where key.referencedObject != table.qualifiedName {
                if let target = tables.first(where: { $0.qualifiedName == key.referencedObject }), key.columns.count == key.referencedColumns.count {
                    links.append(Link(from: table, to: target, key: key))
                }
            }
        }
        var sets: [[String]] = tables.map { [$0.qualifiedName] }
        func add(_ names: Set<String>) {
            let sorted = names.sorted()
            if !sets.contains(sorted) { sets.append(sorted) }
        }
        for link in links { add([link.from.qualifiedName, link.to.qualifiedName]) }
        for pair in sets where pair.count == 2 {
            for link in links {
                let ends = [link.from.qualifiedName, link.to.qualifiedName]
                if ends.contains(where: pair.contains), let other = ends.first(where: { !pair.contains($0) }) { add(Set(pair + [other])) }
            }
        }
        // Scopes of the best-ranked tables first; a smaller one before a larger one of the same rank.
        let ordered = sets.sorted { lhs, rhs in
            let left = lhs.map { rank[$0]! }.max()!, right = rhs.map { rank[$0]! }.max()!
            return left != right ? left < right : lhs.count < rhs.count
        }
        return ordered.compactMap { names in
            let members = names.map { name in tables.first { $0.qualifiedName == name }! }
            // Two tables of one name in different schemas would need aliases: left out.
            guard Set(members.map(\.name)).count == members.count else { return nil }
            let froms = joinOrders(members, links: links)
            return froms.isEmpty ? nil : Scope(tables: members, froms: froms)
        }
    }

    /// Every FROM clause over `members` in which each table joins one before it along a key.
    static func joinOrders(_ members: [SchemaObject], links: [Link]) -> [String] {
        var results: [String] = []
        func extend(_ placed: [SchemaObject], _ text: String) {
            guard results.count < 12 else { return }
            if placed.count == members.count { results.append(text); return }
            for next in members where !placed.contains(where: { $0.qualifiedName == next.qualifiedName }) {
                for link in links {
                    let joinsPlaced: Bool
                    if link.from.qualifiedName == next.qualifiedName {
                        joinsPlaced = placed.contains { $0.qualifiedName == link.to.qualifiedName }
                    } else if link.to.qualifiedName == next.qualifiedName {
                        joinsPlaced = placed.contains { $0.qualifiedName == link.from.qualifiedName }
                    } else {
                        joinsPlaced = false
                    }
                    guard joinsPlaced else { continue }
                    let on = zip(link.key.columns, link.key.referencedColumns).map { column, referenced in
                        "\(SQLIdentifier.render(link.from.name)).\(SQLIdentifier.render(column)) = \(SQLIdentifier.render(link.to.name)).\(SQLIdentifier.render(referenced))"
                    }.joined(separator: " AND ")
                    extend(placed + [next], text + " JOIN \(relation(next)) ON \(on)")
                }
            }
        }
        for first in members { extend([first], relation(first)) }
        return results
    }

    static func relation(_ table: SchemaObject) -> String {
        table.schema == "public" ? SQLIdentifier.render(table.name) : "\(SQLIdentifier.render(table.schema)).\(SQLIdentifier.render(table.name))"
    }

    /// Literals and keywords every scope shares.
    static func defineShared(in grammar: inout Grammar) {
        let digit = Grammar.Term.characters(.init(["0"..."9"]))
        let positive = Grammar.Term.sequence([.characters(.init(["1"..."9"])), .repeated(digit, min: 0, max: 2)])
        grammar.define("alias", .sequence([.literal(" AS "), .characters(.init(["a"..."z"])), .repeated(.characters(.init(["a"..."z", "0"..."9", "_"..."_"])), min: 0, max: 19)]))
        grammar.define("dir", .oneOf([" ASC", " DESC"]))
        grammar.define("limit", .sequence([.literal(" LIMIT "), positive]))
        grammar.define("cmp", .oneOf([" = ", " <> ", " < ", " <= ", " > ", " >= "]))
        grammar.define("number", .sequence([.optional(.literal("-")), .repeated(digit, min: 1, max: 9), .optional(.sequence([.literal("."), .repeated(digit, min: 1, max: 4)]))]))
        // No quote, semicolon, backslash or line break inside: the literal ends where it seems to.
        grammar.define("string", .sequence([.literal("'"), .repeated(.characters(.init(["'"..."'", ";"...";", "\\"..."\\", "\n"..."\n", "\r"..."\r"], negated: true)), min: 0, max: 40), .literal("'")]))
        let month = Grammar.Term.choice([.sequence([.literal("0"), .characters(.init(["1"..."9"]))]), .sequence([.literal("1"), .characters(.init(["0"..."2"]))])])
        let day = Grammar.Term.choice([.sequence([.literal("0"), .characters(.init(["1"..."9"]))]), .sequence([.literal("1"), digit]), .sequence([.literal("2"), .characters(.init(["0"..."8"]))])])
        let time = Grammar.Term.sequence([.literal(" "), .characters(.init(["0"..."1"])), digit, .literal(":"), .characters(.init(["0"..."5"])), digit,
                                          .literal(":"), .characters(.init(["0"..."5"])), digit])
        grammar.define("year", .sequence([.oneOf(["19", "20"]), digit, digit]))
        grammar.define("date", .sequence([.literal("'"), .rule("year"), .literal("-"), month, .literal("-"), day, .optional(time), .literal("'")]))
        grammar.define("today", .sequence([.literal("CURRENT_DATE"), .optional(.sequence([.literal(" - INTERVAL '"), positive, .oneOf([" days", " months", " years"]), .literal("'")]))]))
    }
}

/// What a column's values may be compared with.
enum ColumnClass: Equatable {
    case number, text, time, boolean, other

    init(type: String) {
        let type = type.lowercased()
        // A type name, with or without a modifier: `numeric(10,2)`, `timestamp(3) with time zone`.
        func named(_ names: [String]) -> Bool {
            names.contains { name in
                guard type.hasPrefix(name) else { return false }
                let rest = type.dropFirst(name.count)
                return rest.isEmpty || rest.first == "(" || rest.first == " "
            }
        }
        if type.hasSuffix("[]") {
            self = .other
        } else if named(["smallint", "integer", "bigint", "numeric", "decimal", "real", "double precision", "int2", "int4", "int8", "float4", "float8"]) {
            self = .number
        } else if named(["text", "character varying", "character", "varchar", "char", "citext", "bpchar", "name"]) {
            self = .text
        } else if named(["date", "timestamp", "timestamp without time zone", "timestamp with time zone"]) {
            self = .time
        } else if named(["boolean", "bool"]) {
            self = .boolean
        } else {
            self = .other
        }
    }
}

/// The rules of one scope, every name starting with `prefix`.
private struct ScopeRules {
    let prefix: String
    let scope: SQLGrammar.Scope

    func define(in grammar: inout Grammar) {
        let qualified = scope.tables.count > 1
        var references: [(text: String, kind: ColumnClass, values: [String]?)] = []
        for table in scope.tables {
            for column in table.columns {
                let text = qualified ? "\(SQLIdentifier.render(table.name)).\(SQLIdentifier.render(column.name))" : SQLIdentifier.render(column.name)
                references.append((text, ColumnClass(type: column.type), column.profile?.values?.filter { !$0.isEmpty }))
            }
        }
        func rule(_ suffix: String) -> Grammar.Term { .rule("\(prefix)-\(suffix)") }
        func columns(_ kinds: [ColumnClass], suffix: String) -> Bool {
            let chosen = references.filter { kinds.contains($0.kind) }.map(\.text)
            guard !chosen.isEmpty else { return false }
            grammar.define("\(prefix)-\(suffix)", .oneOf(chosen))
            return true
        }
        _ = columns([.number, .text, .time, .boolean, .other], suffix: "col")
        let hasNumber = columns([.number], suffix: "num")
        let hasText = columns([.text], suffix: "txt")
        let hasTime = columns([.time], suffix: "tim")
        let hasBoolean = columns([.boolean], suffix: "bool")
        let hasOrdered = columns([.number, .text, .time], suffix: "ord")
        grammar.define("\(prefix)-from", .oneOf(scope.froms))

        // Aggregates: sums and averages of numbers, extremes of what has an order.
        var aggregates: [Grammar.Term] = [.literal("COUNT(*)"), .sequence([.literal("COUNT("), .optional(.literal("DISTINCT ")), rule("col"), .literal(")")])]
        var havingAggregates: [Grammar.Term] = [.literal("COUNT(*)"), .sequence([.literal("COUNT("), rule("col"), .literal(")")])]
        if hasNumber {
            aggregates.append(.sequence([.oneOf(["SUM(", "AVG("]), rule("num"), .literal(")")]))
            havingAggregates.append(.sequence([.oneOf(["SUM(", "AVG(", "MIN(", "MAX("]), rule("num"), .literal(")")]))
        }
        if hasOrdered { aggregates.append(.sequence([.oneOf(["MIN(", "MAX("]), rule("ord"), .literal(")")])) }
        grammar.define("\(prefix)-agg", .choice(aggregates))

        // Conditions, each comparing a column with a value of its own kind.
        let list = { (value: Grammar.Term) in Grammar.Term.sequence([.literal(" IN ("), value, .repeated(.sequence([.literal(", "), value]), min: 0, max: 4), .literal(")")]) }
        var conditions: [Grammar.Term] = [.sequence([rule("col"), .literal(" IS "), .optional(.literal("NOT ")), .literal("NULL")])]
        if hasNumber {
            conditions.append(.sequence([rule("num"), .rule("cmp"), .rule("number")]))
            conditions.append(.sequence([rule("num"), .literal(" BETWEEN "), .rule("number"), .literal(" AND "), .rule("number")]))
            conditions.append(.sequence([rule("num"), list(.rule("number"))]))
        }
        if hasText {
            conditions.append(.sequence([rule("txt"), .oneOf([" LIKE ", " ILIKE ", " NOT LIKE "]), .rule("string")]))
            for (index, reference) in references.enumerated() where reference.kind == .text {
                // A column whose every value is known compares only with those values.
                var value = Grammar.Term.rule("string")
                if let values = reference.values, !values.isEmpty {
                    grammar.define("\(prefix)-v\(index)", .oneOf(values.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" }))
                    value = rule("v\(index)")
                }
                conditions.append(.sequence([.literal(reference.text), .choice([.sequence([.oneOf([" = ", " <> "]), value]), list(value)])]))
            }
        }
        if hasTime {
            conditions.append(.sequence([rule("tim"), .rule("cmp"), .choice([.rule("date"), .rule("today")])]))
            conditions.append(.sequence([rule("tim"), .literal(" BETWEEN "), .rule("date"), .literal(" AND "), .choice([.rule("date"), .rule("today")])]))
            conditions.append(.sequence([.oneOf(["EXTRACT(YEAR FROM ", "EXTRACT(MONTH FROM "]), rule("tim"), .literal(")"), .rule("cmp"), .rule("number")]))
        }
        if hasBoolean { conditions.append(.sequence([rule("bool"), .oneOf([" = TRUE", " = FALSE"])])) }
        grammar.define("\(prefix)-cond", .choice(conditions))
        grammar.define("\(prefix)-where", .sequence([.literal(" WHERE "), rule("cond"), .repeated(.sequence([.oneOf([" AND ", " OR "]), rule("cond")]), min: 0, max: 2)]))

        let from = Grammar.Term.sequence([.literal(" FROM "), rule("from"), .optional(rule("where"))])
        let column = Grammar.Term.sequence([rule("col"), .optional(.rule("alias"))])
        let aggregate = Grammar.Term.sequence([rule("agg"), .optional(.rule("alias"))])
        let more = { (term: Grammar.Term, count: Int) in Grammar.Term.repeated(.sequence([.literal(", "), term]), min: 0, max: count) }
        let ordering = Grammar.Term.sequence([rule("col"), .optional(.rule("dir"))])
        let plain = Grammar.Term.sequence([column, more(column, 4), from,
                                           .optional(.sequence([.literal(" ORDER BY "), ordering, more(ordering, 1)])), .optional(.rule("limit"))])
        // DISTINCT may only order by what it selects: the first column.
        let distinct = Grammar.Term.sequence([.literal("DISTINCT "), column, more(column, 3), from,
                                              .optional(.sequence([.literal(" ORDER BY 1"), .optional(.rule("dir"))])), .optional(.rule("limit"))])
        let totals = Grammar.Term.sequence([aggregate, more(aggregate, 3), from])
        grammar.define("\(prefix)-having", .sequence([.literal(" HAVING "), .choice(havingAggregates), .rule("cmp"), .rule("number")]))
        // Grouped by position, so the GROUP BY always matches the selected columns; ordered by an
        // aggregate or a position that exists.
        let grouped: [Grammar.Term] = (1...3).map { keys in
            let positions = (1...(keys + 1)).map(String.init)
            let order = Grammar.Term.sequence([.literal(" ORDER BY "), .choice([rule("agg"), .oneOf(positions)]), .optional(.rule("dir"))])
            return .sequence(Array(repeating: [column, .literal(", ")], count: keys).flatMap { $0 } + [
                aggregate, more(aggregate, 2), from,
                .literal(" GROUP BY " + (1...keys).map(String.init).joined(separator: ", ")),
                .optional(rule("having")), .optional(order), .optional(.rule("limit")),
            ])
        }
        grammar.define(prefix, .sequence([.literal("SELECT "), .choice([plain, distinct, totals] + grouped)]))
    }
}
