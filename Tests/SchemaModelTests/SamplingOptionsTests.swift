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
