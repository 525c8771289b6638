@testable import DataSources
import Foundation
import Testing

@Suite struct SourceURLTests {
    @Test func redactionHidesPasswordsInUserinfoAndOptions() {
        let cases = [
            ("postgres://alice:s3cret@db:5432/sales?sslmode=require", "postgres://alice:***@db:5432/sales?sslmode=require"),
            ("postgresql://alice@db/sales", "postgresql://alice@db/sales"),
            ("postgres://alice:p@ss@db/sales", "postgres://alice:***@db/sales"),
            ("postgres://db/sales?user=alice&password=s3cret", "postgres://db/sales?user=alice&password=***"),
            ("mongodb://bob:s3cret@h1:27017,h2:27018/shop?authSource=admin", "mongodb://bob:***@h1:27017,h2:27018/shop?authSource=admin"),
            ("mongodb+srv://bob:s3cret@cluster.example.net/shop", "mongodb+srv://bob:***@cluster.example.net/shop"),
        ]
        for (url, expected) in cases {
            #expect(SourceURL.redact(url) == expected)
        }
    }
}
