@testable import Support
import Testing

@Test func displayNamesAreTrimmedAndCountedAsPostgreSQLCountsThem() throws {
    #expect(try DisplayName("  nightly report \n", maximum: 100).value == "nightly report")
    #expect(throws: AskDBError.self) { try DisplayName(" \t ", maximum: 100) }
    // Five letters, each under twenty combining marks: 5 characters to Swift, 105 to PostgreSQL.
    let zalgo = String(repeating: "a" + String(repeating: "\u{0332}", count: 20), count: 5)
    #expect(zalgo.count == 5)
    #expect(throws: AskDBError.self) { try DisplayName(zalgo, maximum: 100) }
    #expect(try DisplayName(zalgo, maximum: 105).value == zalgo)
}
