import Foundation
@testable import SchemaModel
import Testing

@Suite struct SamplingOptionsTests {
    static let options = SamplingOptions(excludedSchemas: ["Audit"], excludedTables: ["public.salaries", "tokens"],
                                         excludedColumns: ["hr.staff.ssn", "customer.email", "notes"])

    @Test func exclusionsMatchQualifiedOrBareNamesWhateverTheCase() {
        #expect(Self.options.excludes(schema: "audit") && !Self.options.excludes(schema: "public"))
        #expect(Self.options.excludes(schema: "audit", table: "anything"))
        #expect(Self.options.excludes(schema: "public", table: "Salaries") && !Self.options.excludes(schema: "hr", table: "salaries"))
        #expect(Self.options.excludes(schema: "hr", table: "tokens") && Self.options.excludes(schema: "public", table: "tokens"))
        #expect(Self.options.excludes(schema: "hr", table: "staff", column: "SSN") && !Self.options.excludes(schema: "public", table: "staff", column: "ssn"))
        #expect(Self.options.excludes(schema: "shop", table: "customer", column: "email") && !Self.options.excludes(schema: "shop", table: "vendor", column: "email"))
        #expect(Self.options.excludes(schema: "x", table: "y", column: "notes"))
    }

    @Test func secretLookingColumnsAreNeverSampled() {
        for name in ["password_hash", "apiToken", "user_ssn", "credit_card_no", "private_key"] {
            #expect(!Self.options.samples(column: name), "\(name)")
        }
        for name in ["name", "passenger", "opinion", "country"] {
            #expect(Self.options.samples(column: name), "\(name)")
        }
        #expect(!SamplingOptions(sampleValues: false).samples(column: "name"))
    }

    @Test func optionsDecodeWithDefaults() throws {
        let decoded = try JSONDecoder().decode(SamplingOptions.self, from: Data(#"{"excluded_tables": ["a"]}"#.utf8))
        #expect(decoded == SamplingOptions(excludedTables: ["a"]))
    }
}

/// Options changed after an index apply to what retrieval shows at once.
@Test func aSnapshotShowsOnlyWhatTheCurrentOptionsAllow() {
    let customer = SchemaObject(schema: "public", name: "customer", kind: .table, columns: [
        SchemaColumn(name: "id", type: "int"), SchemaColumn(name: "email", type: "text", profile: ValueProfile(examples: ["a@example.com"])),
        SchemaColumn(name: "country", type: "text", profile: ValueProfile(values: ["France"])),
    ], primaryKey: ["id"], uniqueKeys: [["email"]], sampleRows: [["id": .int(1), "email": .string("a@example.com"), "country": .string("France")]])
    let invoice = SchemaObject(schema: "public", name: "invoice", kind: .table, columns: [SchemaColumn(name: "customer_id", type: "int")],
                               foreignKeys: [ForeignKey(name: "fk", columns: ["customer_id"], referencedObject: "public.customer", referencedColumns: ["id"])])
    let orders = SchemaObject(schema: "shop", name: "orders", kind: .collection, columns: [
        SchemaColumn(name: "_id", type: "objectId"), SchemaColumn(name: "card", type: "object"), SchemaColumn(name: "card.number", type: "string"),
        SchemaColumn(name: "items[].sku", type: "string"),
    ], sampleRows: [["_id": .int(1), "card": .object(["number": .string("4111")]), "total": .int(3)]])
    let snapshot = SchemaSnapshot(source: .postgres, objects: [customer, invoice, orders], enumTypes: ["public.mood", "secret.level"])
    #expect(snapshot.visible(under: SamplingOptions()) == snapshot)

    let cut = snapshot.visible(under: SamplingOptions(excludedSchemas: ["secret"], excludedColumns: ["customer.email", "shop.orders.card", "items"]))
    let visibleCustomer = cut.object("public.customer")!
    #expect(visibleCustomer.columns.map(\.name) == ["id", "country"] && visibleCustomer.excludedColumnCount == 1)
    #expect(visibleCustomer.uniqueKeys.isEmpty && visibleCustomer.primaryKey == ["id"])
    #expect(visibleCustomer.sampleRows == [["id": .int(1), "country": .string("France")]])
    #expect(cut.object("shop.orders")!.columns.map(\.name) == ["_id"])
    #expect(cut.object("shop.orders")!.sampleRows == [["_id": .int(1), "total": .int(3)]])
    #expect(cut.object("public.invoice")!.foreignKeys.count == 1 && cut.enumTypes == ["public.mood"])

    let withoutCustomers = snapshot.visible(under: SamplingOptions(excludedTables: ["customer"]))
    #expect(withoutCustomers.object("public.customer") == nil && withoutCustomers.object("public.invoice")!.foreignKeys.isEmpty)
    let structureOnly = snapshot.visible(under: SamplingOptions(sampleValues: false))
    #expect(structureOnly.object("public.customer")!.sampleRows.isEmpty)
    #expect(structureOnly.object("public.customer")!.columns.allSatisfy { $0.profile == nil })
}
