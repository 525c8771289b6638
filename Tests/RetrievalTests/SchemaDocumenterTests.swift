@testable import Embedding
@testable import Retrieval
@testable import SchemaModel
import Testing

@Suite struct SchemaDocumenterTests {
    static let words = IdentifierWords(words: ["sb", "cust", "country", "tx", "date", "time", "amount", "customer", "id", "a", "order", "orders"])

    @Test func documentsSpellOutTheWordsBesideTheName() {
        let table = SchemaObject(schema: "public", name: "sbcustomer", kind: .table, columns: [SchemaColumn(name: "sbcustcountry", type: "text")])
        let documents = SchemaDocumenter(tokens: { $0.count / 4 }, words: Self.words).documents(for: SchemaSnapshot(source: .postgres, objects: [table]))
        #expect(documents.first?.content.hasPrefix("Table public.sbcustomer (sb customer).") == true)
        #expect(documents.first?.content.contains("sbcustcountry (sb cust country) text") == true)
        #expect(documents.first?.metadata["object"] == .string("public.sbcustomer"))
    }
}
