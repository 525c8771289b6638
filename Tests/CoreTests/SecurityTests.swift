import Core
import Foundation
import Testing

@Suite struct SecurityTests {
    @Test func rangesContainWhatTheyShould() throws {
        let range = try #require(IPRange("10.0.0.0/8"))
        #expect(range.contains(try #require(IPAddress("10.200.3.4"))))
        #expect(!range.contains(try #require(IPAddress("11.0.0.1"))))
        #expect(range.contains(try #require(IPAddress("::ffff:10.1.2.3"))), "IPv4-mapped IPv6 must not slip through")
        let v6 = try #require(IPRange("fd00:ec2::254/128"))
        #expect(v6.contains(try #require(IPAddress("fd00:ec2:0::254"))))
        #expect(!v6.contains(try #require(IPAddress("fd00:ec2::255"))))
        #expect(IPRange("10.0.0.0/33") == nil)
        #expect(IPRange("not-an-ip/8") == nil)
        #expect(try #require(IPRange("192.168.1.7")).prefixLength == 32)
    }

    @Test func policyRefusesMetadataAlwaysAndOthersOutsideTheList() async throws {
        let open = HostPolicy()
        #expect(try await open.resolve("127.0.0.1") == IPAddress("127.0.0.1"))
        for address in ["169.254.169.254", "[fd00:ec2::254]", "::ffff:169.254.169.254", "fe80::1", "0.0.0.0"] {
            await #expect(throws: AskDBError.self, "\(address)") { try await open.resolve(address) }
        }
        let listed = try HostPolicy(list: "db.internal, *.corp.example, 10.1.0.0/16")
        #expect(listed.allowsName("db.internal"))
        #expect(listed.allowsName("eu.corp.example"))
        #expect(!listed.allowsName("corp.example.evil"))
        #expect(try await listed.resolve("10.1.2.3") == IPAddress("10.1.2.3"))
        do {
            _ = try await listed.resolve("127.0.0.1")
            Issue.record("127.0.0.1 passed an allow list without it")
        } catch let error as AskDBError {
            #expect(error.code == "host_not_allowed")
        }
        // localhost resolves to 127.0.0.1, which no rule names.
        await #expect(throws: AskDBError.self) { try await listed.resolve("localhost") }
        #expect(throws: ConfigError.self) { try HostPolicy(list: "ok.example, bad host!") }
    }

    @Test func unknownNamesAreNotFound() async throws {
        do {
            _ = try await HostPolicy().resolve("no-such-host.invalid")
            Issue.record("an unresolvable name resolved")
        } catch let error as AskDBError {
            #expect(error.code == "host_not_found")
        }
    }

    @Test func keyRingSealsBindsAndRotates() throws {
        let old = SecretKey(bytes: Array(repeating: 1, count: 32))
        let new = SecretKey(bytes: Array(repeating: 2, count: 32))
        let ring = KeyRing(current: old)
        let sealed = try ring.seal("postgres://u:hunter2@h/db", context: "row-1")
        #expect(sealed.ciphertext.range(of: Data("hunter2".utf8)) == nil)
        #expect(try ring.open(sealed.ciphertext, keyID: sealed.keyID, context: "row-1") == "postgres://u:hunter2@h/db")
        #expect(throws: KeyRingError.self) { try ring.open(sealed.ciphertext, keyID: sealed.keyID, context: "row-2") }
        var tampered = sealed.ciphertext
        tampered[tampered.startIndex + 14] ^= 1
        #expect(throws: KeyRingError.self) { try ring.open(tampered, keyID: sealed.keyID, context: "row-1") }
        let rotated = KeyRing(current: new, previous: [old])
        #expect(rotated.current.id != ring.current.id)
        #expect(try rotated.open(sealed.ciphertext, keyID: sealed.keyID, context: "row-1") == "postgres://u:hunter2@h/db")
        #expect(throws: KeyRingError.self) { try KeyRing(current: new).open(sealed.ciphertext, keyID: sealed.keyID, context: "row-1") }
    }

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
