@testable import DataSources
import Foundation
import Testing

@Suite struct MongoURLTests {
    @Test func mongoURLsParseHostListsAndRewrite() throws {
        let url = try MongoURL("mongodb://bob:p%40ss@h1:27018,[::1]:27019,h3/shop?authSource=admin&tls=false")
        #expect(url.username == "bob")
        #expect(url.password == "p@ss")
        #expect(url.hosts.map(\.name) == ["h1", "::1", "h3"])
        #expect(url.hosts.map(\.port) == [27018, 27019, 27017])
        #expect(url.database == "shop")
        #expect(url.options["authSource"] == "admin")
        #expect(!url.usesTLS)
        #expect(url.uri(hosts: ["10.0.0.1:27018"]) == "mongodb://bob:p%40ss@10.0.0.1:27018/shop?authSource=admin&tls=false")
        #expect(try MongoURL("mongodb+srv://c.example.net/").usesTLS)
        #expect(try MongoURL("mongodb://h").database == nil)
    }
}
