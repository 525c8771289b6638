@testable import DataSources
@testable import Evaluation
import Testing

@Suite struct GoldQueryTests {
    @Test func aGroupStandsForEveryNonEmptySubsetInTheWrittenOrderTheFullSetFirst() {
        #expect(GoldQuery.variants(of: "SELECT {a, b, c} FROM t") == [
            "SELECT a, b, c FROM t",
            "SELECT a FROM t", "SELECT b FROM t", "SELECT a, b FROM t", "SELECT c FROM t",
            "SELECT a, c FROM t", "SELECT b, c FROM t",
        ])
        #expect(GoldQuery.variants(of: "SELECT 1") == ["SELECT 1"])
    }

    @Test func emptyBracesRepeatTheColumnsTheGroupBeforeChose() {
        #expect(GoldQuery.variants(of: "SELECT {name, id}, COUNT(*) FROM t GROUP BY {} ORDER BY {}") == [
            "SELECT name, id, COUNT(*) FROM t GROUP BY name, id ORDER BY name, id",
            "SELECT name, COUNT(*) FROM t GROUP BY name ORDER BY name",
            "SELECT id, COUNT(*) FROM t GROUP BY id ORDER BY id",
        ])
        // With no group before it, `{}` is just text.
        #expect(GoldQuery.variants(of: "SELECT {} FROM t") == ["SELECT {} FROM t"])
    }

    @Test func bracesSemicolonsAndCommasInsideQuotesOrCallsStayLiteral() {
        #expect(GoldQuery.variants(of: "SELECT {c.id, c.name}, n FROM c WHERE x = '{a, b}; {}'") == [
            "SELECT c.id, c.name, n FROM c WHERE x = '{a, b}; {}'",
            "SELECT c.id, n FROM c WHERE x = '{a, b}; {}'",
            "SELECT c.name, n FROM c WHERE x = '{a, b}; {}'",
        ])
        #expect(GoldQuery.variants(of: "SELECT {COALESCE(a, b), 'x, y'} FROM t") == [
            "SELECT COALESCE(a, b), 'x, y' FROM t", "SELECT COALESCE(a, b) FROM t", "SELECT 'x, y' FROM t",
        ])
        #expect(GoldQuery.variants(of: "SELECT {a FROM t") == ["SELECT {a FROM t"])
    }

    @Test func groupsMultiplyAndAlternativesAddUpEachFullSetFirst() {
        let variants = GoldQuery.variants(of: "SELECT {a, b}, {c, d} FROM t;SELECT e FROM t;")
        #expect(variants.count == 3 * 3 + 1)
        #expect(Set(variants).count == variants.count)
        #expect(Array(variants.prefix(3)) == ["SELECT a, b, c, d FROM t", "SELECT e FROM t", "SELECT a, b, c FROM t"])
        #expect(variants.contains("SELECT b, c FROM t") && variants.contains("SELECT a, d FROM t"))
    }

    @Test func theCapKeepsEveryAlternativesFullSet() {
        // 127 × 127 variants for the first alternative alone.
        let variants = GoldQuery.variants(of: "SELECT {a, b, c, d, e, f, g}, {h, i, j, k, l, m, n} FROM t; SELECT {o, p, q, r, s, u, v} FROM u")
        #expect(variants.count == GoldQuery.maximumVariants)
        #expect(Array(variants.prefix(2)) == ["SELECT a, b, c, d, e, f, g, h, i, j, k, l, m, n FROM t", "SELECT o, p, q, r, s, u, v FROM u"])
        // A group wider than a machine word still expands (and does not overflow).
        let wide = (0..<70).map { "c\($0)" }
        let wideVariants = GoldQuery.variants(of: "SELECT {\(wide.joined(separator: ", "))} FROM t")
        #expect(wideVariants.count == GoldQuery.maximumVariants)
        #expect(wideVariants.first == "SELECT \(wide.joined(separator: ", ")) FROM t" && wideVariants[1] == "SELECT c0 FROM t")
    }

    @Test func goldTablesAndOrderingComeFromTheParseTree() throws {
        let checked = try SQLGuard.inspect("WITH x AS (SELECT * FROM sbTransaction) SELECT c.name FROM x JOIN sbCustomer c ON true ORDER BY 1")
        #expect(checked.relations.sorted() == ["sbcustomer", "sbtransaction"] && checked.isOrdered)
        #expect(try SQLGuard.inspect("SELECT * FROM (SELECT a FROM t ORDER BY a) s").isOrdered == false)
    }
}
