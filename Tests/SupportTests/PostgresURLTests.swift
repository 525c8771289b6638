import Foundation
@testable import Support
import Testing

@Suite struct PostgresURLTests {
    @Test func postgresURLParts() throws {
        let url = try PostgresURL("postgresql://al%40ice:p%3Ass@db.example.com:6543/sales?sslmode=verify-full")
        #expect(url.username == "al@ice")
        #expect(url.password == "p:ss")
        #expect(url.host == "db.example.com")
        #expect(url.port == 6543)
        #expect(url.database == "sales")
        #expect(url.tlsMode == .verifyFull)
        #expect(try PostgresURL("postgres://u@h/d").port == 5432)
        #expect(try PostgresURL("postgres://u@h/d").tlsMode == .prefer)
    }
}
